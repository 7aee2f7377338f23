package reports

import (
	"context"
	"fmt"

	"placematch"
)

// Sections are the parts of the sufficiency report beyond supply and demand by
// row: each is nil when it was not made.
type Sections struct {
	// GapsOn is the day the gaps by need were judged (today: the children awaiting
	// and the homes eligible now); Gaps is nil without a HomesFor.
	GapsOn placematch.Date
	Gaps   []NeedRow
}

// SufficiencyWith is Sufficiency with the sections that need the hard rules:
// homes lists the groups awaiting with their eligible homes (nil leaves the gaps
// by need out).
func (s *Service) SufficiencyWith(ctx context.Context, o Options, homes HomesFor) (*Report, error) {
	r, err := s.Sufficiency(ctx, o)
	if err != nil {
		return nil, err
	}
	if homes != nil {
		today := s.Today()
		groups, err := homes(ctx, today)
		if err != nil {
			return nil, err
		}
		r.GapsOn, r.Gaps = today, Gaps(groups, today)
	}
	return r, nil
}

func (x *Sections) tables(suppress bool) []Table {
	var out []Table
	if x.Gaps != nil {
		out = append(out, needsTable(x.Gaps, suppress))
	}
	return out
}

func (x *Sections) notes() []string {
	var n []string
	if x.Gaps != nil {
		n = append(n, fmt.Sprintf("Gaps by need are judged on %s: each group awaiting (a child alone, or the siblings to be placed together) "+
			"is judged by the matching engine's hard rules against every live home, vacancy, availability and the date needed included, "+
			"and counts in every need group it meets (any member aged 16-17 with a risk graded high; any member a wheelchair user, "+
			"referred for parent and child, or an emergency by urgency or placement type), so the rows overlap and are not summed. "+
			"The median distance is of each group's nearest eligible home, over the groups with a known home and at least one.", x.GapsOn))
	}
	return n
}

// jsonSections are the sections in the JSON form.
type jsonSections struct {
	Gaps *jsonGaps `json:"gaps_by_need,omitempty"`
}

type jsonGaps struct {
	On      string       `json:"on"`
	Columns []string     `json:"columns"`
	Rows    []orderedRow `json:"rows"`
}

// putJSON puts a section's table into the JSON form.
func (x *Sections) putJSON(out *jsonSections, t Table) {
	switch t.Name {
	case gapsSheet:
		out.Gaps = &jsonGaps{On: x.GapsOn.String(), Columns: t.Columns, Rows: rowsOf(t)}
	}
}
