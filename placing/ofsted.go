package placing

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"placematch"
	"placematch/store"
)

// Ofsted's children's social care providers list (a CSV, one row per registered
// provider) gives each provider's URN, its latest full inspection date and its
// judgements; for children's homes the overall judgement is "Overall experiences and
// progress of children and young people". ImportOfsted loads those ratings into the
// units and hubs that carry the URN.

// The columns ImportOfsted reads, by their headings in Ofsted's file.
const (
	ofstedURNColumn    = "URN"
	ofstedRatingColumn = "Overall experiences and progress of children and young people"
	ofstedDateColumn   = "Latest full inspection date"
)

// OfstedImport counts what an import did. Rows are the data rows read; each is
// invalid (no URN, an unknown rating or an unreadable date), unrated (not yet
// inspected: nothing to load), matched (its URN names a live unit or hub) or
// unmatched. Of the providers matched, Updated took the file's rating, Unchanged
// already had it, and KeptNewer hold a rating inspected later than the file's.
type OfstedImport struct {
	Rows      int `json:"rows"`
	Invalid   int `json:"invalid"`
	Unrated   int `json:"unrated"`
	Matched   int `json:"matched"`
	Unmatched int `json:"unmatched"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
	KeptNewer int `json:"kept_newer"`
}

// ReadOfstedRatings reads Ofsted's providers CSV into the latest rating per URN
// (upper case, trimmed). A URN given twice keeps its latest inspection. Rows that
// cannot be read are counted, not fatal; a file without the three columns is an
// error.
func ReadOfstedRatings(r io.Reader) (map[string]placematch.OfstedRating, OfstedImport, error) {
	var st OfstedImport
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err != nil {
		return nil, st, fmt.Errorf("read the heading row: %w", err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))] = i
	}
	idx := [3]int{}
	for i, name := range []string{ofstedURNColumn, ofstedRatingColumn, ofstedDateColumn} {
		j, ok := col[name]
		if !ok {
			return nil, st, fmt.Errorf("the file has no %q column; is it Ofsted's children's social care providers list?", name)
		}
		idx[i] = j
	}
	out := map[string]placematch.OfstedRating{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) { // a malformed line: count it, go on
				st.Rows++
				st.Invalid++
				continue
			}
			return nil, st, err
		}
		st.Rows++
		field := func(i int) string {
			if idx[i] < len(rec) {
				return strings.TrimSpace(rec[idx[i]])
			}
			return ""
		}
		urn, rating, date := strings.ToUpper(field(0)), field(1), field(2)
		if !placematch.ValidURN(urn) {
			st.Invalid++
			continue
		}
		if rating == "" && date == "" {
			st.Unrated++
			continue
		}
		grade, ok := placematch.ParseOfstedGrade(rating)
		on, derr := time.Parse("02/01/2006", date)
		if !ok || derr != nil {
			st.Invalid++
			continue
		}
		d := placematch.DateOf(on)
		if prev, seen := out[urn]; !seen || prev.InspectedOn.Before(d) {
			out[urn] = placematch.OfstedRating{Grade: grade, InspectedOn: d}
		}
	}
	return out, st, nil
}

// ImportOfsted loads the latest Ofsted ratings from Ofsted's providers CSV into the
// live units and hubs whose URN it lists. A provider whose stored rating is the
// file's is not written (so a second run of the same file changes nothing, and no
// version moves); one whose stored inspection is later than the file's keeps it.
func (s *Service) ImportOfsted(ctx context.Context, r io.Reader) (OfstedImport, error) {
	ratings, st, err := ReadOfstedRatings(r)
	if err != nil {
		return st, err
	}
	byURN := map[string][]*placematch.Provider{}
	for _, kind := range []placematch.ProviderKind{placematch.KindUnit, placematch.KindHub} {
		cursor := ""
		for {
			page, err := s.Store.ListProviders(ctx, store.ProviderFilter{Kind: kind, Limit: 500, Cursor: cursor})
			if err != nil {
				return st, err
			}
			for _, p := range page.Items {
				if urn, _, _ := p.OfstedOf(); urn != "" {
					u := strings.ToUpper(strings.TrimSpace(urn))
					byURN[u] = append(byURN[u], p)
				}
			}
			if page.NextCursor == "" {
				break
			}
			cursor = page.NextCursor
		}
	}
	for urn, rating := range ratings {
		ps := byURN[urn]
		if len(ps) == 0 {
			st.Unmatched++
			continue
		}
		st.Matched++
		for _, p := range ps {
			switch _, have, _ := p.OfstedOf(); {
			case have == rating:
				st.Unchanged++
				continue
			case have.Inspected() && have.InspectedOn.After(rating.InspectedOn):
				st.KeptNewer++
				continue
			}
			_, err := s.Store.UpdateProvider(ctx, p.Kind, p.ID, p.Version, func(q *placematch.Provider) error {
				switch {
				case q.Unit != nil:
					q.Unit.Ofsted = rating
				case q.Hub != nil:
					q.Hub.Ofsted = rating
				}
				return nil
			})
			if err != nil {
				return st, fmt.Errorf("provider %s: %w", p.ID, err)
			}
			st.Updated++
		}
	}
	return st, nil
}
