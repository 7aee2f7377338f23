package store

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"placematch"
)

// Exclusion is one provider a match run excluded, kept with the run for "why not":
// the provider, its reference as the run's candidates held it, every rule it broke
// (codes) and, when it broke exactly one rule a change could meet, what would have
// to change.
type Exclusion struct {
	Provider  placematch.ProviderRef `json:"provider"`
	Reference string                 `json:"reference,omitempty"`
	Reasons   []string               `json:"reasons"`
	NearMiss  string                 `json:"near_miss,omitempty"`
}

// ExclusionFilter chooses a page of a run's exclusions: those that broke Reason
// (a code; any when empty) and whose name or reference contains Query (ignoring
// case; any when empty), in provider id order, after Cursor. A run never changes:
// with Since set, a run stored before it has none to show.
type ExclusionFilter struct {
	Reason string
	Query  string
	Since  time.Time
	Limit  int
	Cursor string
}

// encodeExclusions is a run's exclusions as stored: JSON, compressed with a
// pooled writer as the JSON is written, so that the list is never held twice;
// nil (NULL) for a run that kept none apart (its result is then the list).
func encodeExclusions(ex []Exclusion) ([]byte, error) {
	if ex == nil {
		return nil, nil
	}
	z := compressors.Get().(*compressor)
	defer compressors.Put(z)
	z.buf.Reset()
	z.zw.Reset(&z.buf)
	if err := json.NewEncoder(z.zw).Encode(ex); err != nil {
		return nil, err
	}
	if err := z.zw.Close(); err != nil {
		return nil, err
	}
	return bytes.Clone(z.buf.Bytes()), nil
}

// MatchRunExclusions returns a page of the providers a stored run excluded,
// filtered by f; ErrNotFound when there is no such run. A run stored before runs
// kept their exclusions apart answers the list its result carried (without
// references), which is empty when it was asked without them.
func (db *DB) MatchRunExclusions(ctx context.Context, id string, f ExclusionFilter) (Page[Exclusion], error) {
	var after string
	if f.Cursor != "" {
		var err error
		if after, err = decodeCursor(f.Cursor); err != nil {
			return Page[Exclusion]{}, err
		}
	}
	if !ValidID(id) {
		return Page[Exclusion]{}, placematch.Errorf(placematch.ErrNotFound, "No match run has id %q", id)
	}
	var row struct {
		Excluded  []byte
		Result    []byte
		CreatedAt time.Time
	}
	err := db.gorm.WithContext(ctx).Model(&matchRunRow{}).Select("excluded", "result", "created_at").Where("id = ?", id).Take(&row).Error
	if err != nil {
		return Page[Exclusion]{}, translate(err)
	}
	if !f.Since.IsZero() && row.CreatedAt.Before(f.Since) {
		return Page[Exclusion]{Items: []Exclusion{}}, nil
	}
	all, err := decodeExclusions(row.Excluded, row.Result)
	if err != nil {
		return Page[Exclusion]{}, fmt.Errorf("store: match run %s exclusions: %w", id, err)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	q := strings.ToLower(strings.TrimSpace(f.Query))
	start, _ := slices.BinarySearchFunc(all, after, func(e Exclusion, id string) int { return strings.Compare(e.Provider.ID, id) })
	out := make([]Exclusion, 0, min(limit+1, len(all)-start))
	for _, e := range all[start:] {
		if after != "" && e.Provider.ID <= after {
			continue
		}
		if f.Reason != "" && !slices.Contains(e.Reasons, f.Reason) {
			continue
		}
		if q != "" && !strings.Contains(strings.ToLower(e.Provider.Name), q) && !strings.Contains(strings.ToLower(e.Reference), q) {
			continue
		}
		if out = append(out, e); len(out) > limit {
			break
		}
	}
	return cut(out, limit, func(e Exclusion) string { return encodeCursor(e.Provider.ID) }), nil
}

// decodeExclusions decodes a run's stored exclusions, or those its result carried
// when it stored none apart, in provider id order.
func decodeExclusions(stored, result []byte) ([]Exclusion, error) {
	var out []Exclusion
	if stored != nil {
		b, err := gunzipped(stored)
		if err != nil {
			return nil, err
		}
		if err := json.Unmarshal(b, &out); err != nil {
			return nil, err
		}
	} else {
		b, err := decompress(result)
		if err != nil {
			return nil, err
		}
		var shown struct {
			Excluded []Exclusion `json:"excluded"`
		}
		if err := json.Unmarshal(b, &shown); err != nil {
			return nil, err
		}
		out = shown.Excluded
	}
	slices.SortFunc(out, func(a, b Exclusion) int { return strings.Compare(a.Provider.ID, b.Provider.ID) })
	return out, nil
}
