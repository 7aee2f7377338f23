package placing

import (
	"context"
	"testing"
	"time"

	"placematch"
	"placematch/matching"
	"placematch/store"
	"placematch/store/storetest"
)

// Runs made across many candidate sets — each after a provider changed, one
// archived, one added, and past the depth at which a full manifest is written
// again — all replay identically, and no manifest chain is longer than the limit.
func TestManifestChainsReplayAcrossFullManifests(t *testing.T) {
	ctx := context.Background()
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			db := storetest.Open(t, d)
			clock := storetest.Clock
			db.Now = func() time.Time { return clock }
			var ps []*placematch.Provider
			for _, ref := range []string{"P1", "P2", "P3"} {
				p := storetest.Carer(ref)
				if err := db.CreateProvider(ctx, p); err != nil {
					t.Fatal(err)
				}
				ps = append(ps, p)
			}
			child := storetest.Child("K1")
			if err := db.CreateChild(ctx, child); err != nil {
				t.Fatal(err)
			}
			svc := &Service{Store: db, Now: db.Now}
			svc.index.maxDepth = 2
			var runs []string
			for i := range 7 {
				clock = clock.Add(time.Minute)
				switch i {
				case 2:
					if err := db.ArchiveProvider(ctx, placematch.KindCarer, ps[2].ID, 0); err != nil {
						t.Fatal(err)
					}
				case 4:
					if err := db.CreateProvider(ctx, storetest.Carer("P4")); err != nil {
						t.Fatal(err)
					}
				default:
					if _, err := db.UpdateProvider(ctx, placematch.KindCarer, ps[i%2].ID, 0, func(p *placematch.Provider) error {
						p.AgeMax--
						return nil
					}); err != nil {
						t.Fatal(err)
					}
				}
				run, err := svc.Match(ctx, MatchRequest{ChildID: child.ID, Options: matching.Options{Limit: 10, IncludeExcluded: true}})
				if err != nil {
					t.Fatal(err)
				}
				runs = append(runs, run.MatchID)
				if svc.index.depth > 2 {
					t.Fatalf("run %d: manifest depth %d", i, svc.index.depth)
				}
			}
			fulls := 0
			for i, id := range runs {
				r, err := svc.Replay(ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				if !r.Identical {
					t.Errorf("run %d does not replay identically", i)
				}
				m, err := db.GetMatchRun(ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				if depthOf(t, db, m) == 0 {
					fulls++
				}
			}
			if fulls < 2 {
				t.Errorf("%d runs on a full manifest, want the first and at least one more", fulls)
			}
		})
	}
}

func depthOf(t *testing.T, db *store.DB, m *store.MatchRun) int {
	t.Helper()
	rec, err := decodeRecord(m.Replay)
	if err != nil {
		t.Fatal(err)
	}
	man, err := db.GetManifest(context.Background(), rec.Manifest)
	if err != nil {
		t.Fatal(err)
	}
	return man.Depth
}
