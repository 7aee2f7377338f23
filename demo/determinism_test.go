package demo

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"placematch/store"
	"placematch/store/storetest"
)

// snapshot renders what a seed decides, leaving out ids and bookkeeping times that
// the store makes up, in reference order.
func snapshot(w world) []string {
	refOf := map[string]string{}
	for _, c := range w.children {
		refOf[c.ID] = c.Reference
	}
	placedWith := map[string]string{}
	for _, pl := range w.placements {
		placedWith[pl.ChildID] = pl.Provider.Name + " from " + pl.StartDate.String()
	}
	var out []string
	for _, p := range w.providers {
		carer := p.Carer
		if carer != nil && len(carer.ConnectedTo) > 0 { // ids are the store's; name the children by reference
			c := *carer
			c.ConnectedTo = slices.Clone(c.ConnectedTo)
			for i := range c.ConnectedTo {
				c.ConnectedTo[i].ChildID = refOf[c.ConnectedTo[i].ChildID]
			}
			carer = &c
		}
		out = append(out, fmt.Sprintf("%s %s %q %s %.5f,%.5f ages %d-%d places %d filled %d vacancies %d %s %s %s %s %s %s",
			p.Kind, p.Reference, p.Name, p.District, p.Location.Lat, p.Location.Lon, p.AgeMin, p.AgeMax,
			p.Places, p.Filled, p.Vacancies, p.Availability.Status, p.Availability.ConfirmedAt.UTC().Format(time.RFC3339),
			asJSON(carer), asJSON(p.Unit), asJSON(p.Hub), asJSON(p.Contact)))
	}
	for _, c := range w.children {
		maxKM := "none"
		if c.MaxDistanceKM != nil {
			maxKM = fmt.Sprint(*c.MaxDistanceKM)
		}
		var sibs []string
		for _, s := range c.Siblings {
			sibs = append(sibs, refOf[s])
		}
		slices.Sort(sibs)
		out = append(out, fmt.Sprintf("child %s born %s %s %s %s needs %v risks %v langs %v %s %s from %s siblings %v avoid %s max %s placed %q",
			c.Reference, c.DateOfBirth, c.Sex, c.Status, c.District, c.Needs, c.Risks, c.Languages, c.PlacementType,
			c.Urgency, c.RequiredFrom, sibs, c.AvoidAreas, maxKM, placedWith[c.ID]))
	}
	slices.Sort(out)
	return out
}

func TestSeedIsDeterministic(t *testing.T) {
	got := map[string][]string{}
	for _, dialect := range storetest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			a, _ := seeded(t, dialect, 7)
			b, _ := seeded(t, dialect, 7)
			c, _ := seeded(t, dialect, 8)
			sa, sb, sc := snapshot(load(t, a)), snapshot(load(t, b)), snapshot(load(t, c))
			if !slices.Equal(sa, sb) {
				t.Errorf("same seed, different data:\n%s", firstDiff(sa, sb))
			}
			if slices.Equal(sa, sc) {
				t.Error("seeds 7 and 8 gave the same data")
			}
			got[dialect] = sa
		})
	}
	if sq, pg := got[store.SQLite], got[store.Postgres]; sq != nil && pg != nil && !slices.Equal(sq, pg) {
		t.Errorf("engines differ for the same seed:\n%s", firstDiff(sq, pg))
	}
}

func firstDiff(a, b []string) string {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return a[i] + "\n" + b[i]
		}
	}
	return strings.Join([]string{fmt.Sprint(len(a)), "lines vs", fmt.Sprint(len(b))}, " ")
}

// asJSON writes v's values out, pointers followed, so that equal data prints equal.
func asJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return err.Error()
	}
	return string(b)
}
