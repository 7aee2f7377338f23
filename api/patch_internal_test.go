package api

import (
	"context"
	"errors"
	"testing"
	"time"

	"placematch"
	"placematch/placing"
	"placematch/store"
	"placematch/store/storetest"
)

// A patch is merged, decoded and validated outside the store's transaction, on the
// record as read. When another writer changes the record before the patch is
// written, a patch without If-Match is decided again on the new record (neither
// change is lost, nothing is refused); one with If-Match is refused as stale. On
// SQLite, with its one connection, the other writer inside decide could not write
// at all if decide ran inside the patch's transaction.
func TestPatchIsDecidedOutsideTheTransactionAndAgainWhenTheRecordMoves(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := &Server{Store: db, Placing: &placing.Service{Store: db, Now: func() time.Time { return storetest.Clock }}}
		for _, pinned := range []bool{false, true} {
			ch := storetest.Child(map[bool]string{false: "FREE", true: "PINNED"}[pinned], func(c *placematch.Child) { c.Urgency = "planned" })
			if err := db.CreateChild(ctx, ch); err != nil {
				t.Fatal(err)
			}
			decided := 0
			pt := s.childPatching(ctx, ch.ID)
			pt.decide = func(cur *placematch.Child) (func(*placematch.Child), error) {
				decided++
				if decided == 1 { // another officer saves a change after this patch read the record
					if _, err := db.UpdateChild(ctx, ch.ID, 0, func(c *placematch.Child) error { c.Urgency = "emergency"; return nil }); err != nil {
						return nil, err
					}
				}
				return s.childChange(cur, map[string]any{"reference": cur.Reference + "-RENAMED"}, postcodeMove{})
			}
			ifVersion := 0
			if pinned {
				ifVersion = ch.Version
			}
			got, err := patchRecord(ifVersion, pt)
			if pinned {
				if !errors.Is(err, placematch.ErrVersionMismatch) || decided != 1 {
					t.Fatalf("with If-Match: err %v after %d decisions, want a version mismatch after 1", err, decided)
				}
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			if decided != 2 || got.Urgency != "emergency" || got.Reference != "FREE-RENAMED" || got.Version != 3 {
				t.Fatalf("after %d decisions: urgency %q, reference %q, version %d; want both changes at version 3 after 2",
					decided, got.Urgency, got.Reference, got.Version)
			}
		}
	})
}
