package placing_test

import (
	"errors"
	"strings"
	"testing"

	"placematch"
	"placematch/placing"
	"placematch/store"
	"placematch/store/storetest"
)

// areaBut places every point in Norwich but one, which lies outside the area.
type areaBut placematch.Point

func (a areaBut) Locate(p placematch.Point) (string, bool) {
	if p == placematch.Point(a) {
		return "", false
	}
	return "Norwich", true
}

// A home outside the council's area, or more than 20 miles from the child's home,
// is booked only with the reason why, which the placement keeps; a near home in
// the area needs none.
func TestBookingFarOrOutOfAreaNeedsADistanceReason(t *testing.T) {
	each(t, func(t *testing.T, db, _ *store.DB) {
		outside := placematch.Point{Lat: storetest.Norwich.Lat + 0.01, Lon: storetest.Norwich.Lon}
		db.Locator = areaBut(outside)
		near := storetest.Carer("NEAR")
		out := storetest.Carer("OUT", func(p *placematch.Provider) { p.Location = outside })
		far := storetest.Carer("FAR", func(p *placematch.Provider) { p.Location = kingsLynn })
		for _, p := range []*placematch.Provider{near, out, far} {
			must(t, db.CreateProvider(ctx, p))
		}
		svc := &placing.Service{Store: db, Now: db.Now, AreaConfigured: true}
		book := func(ref string, p *placematch.Provider, reason placematch.DistanceReason) ([]*placematch.Placement, error) {
			c := storetest.Child(ref)
			must(t, db.CreateChild(ctx, c))
			return svc.Book(ctx, store.BookRequest{ChildID: c.ID, Provider: p.Ref(), StartDate: placematch.DateOf(storetest.Clock),
				DistanceReason: reason})
		}
		wantField := func(err error, says string) {
			t.Helper()
			var v *placematch.ValidationError
			if !errors.As(err, &v) || len(v.Errors) != 1 || v.Errors[0].Field != "distance_reason" || !strings.Contains(v.Errors[0].Message, says) {
				t.Fatalf("want a distance_reason error saying %q, got %v", says, err)
			}
		}
		_, err := book("K1", out, "")
		wantField(err, "outside the council's area")
		_, err = book("K2", far, "")
		wantField(err, "38.8 miles from the child's home, more than 20")
		_, err = book("K3", far, "closer_to_mum")
		wantField(err, "must be one of")
		pls, err := book("K4", out, placematch.DistanceConnectedPerson)
		must(t, err)
		got, err := db.GetPlacement(ctx, pls[0].ID)
		must(t, err)
		if got.DistanceReason != placematch.DistanceConnectedPerson {
			t.Errorf("stored distance reason %q", got.DistanceReason)
		}
		if _, err := book("K5", near, ""); err != nil {
			t.Errorf("a near home in the area needs no reason: %v", err)
		}
	})
}
