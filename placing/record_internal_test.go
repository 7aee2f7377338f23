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

// A process started on a database that already holds manifests resumes from the
// one stored last: its first candidate set is recorded as a delta on it, naming
// exactly the providers live now (one archived and one changed meanwhile), and
// runs on either side of the restart replay identically.
func TestRestartRecordsADeltaOnTheLastManifest(t *testing.T) {
	ctx := context.Background()
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			db := storetest.Open(t, d)
			db.Now = func() time.Time { return storetest.Clock }
			var ps []*placematch.Provider
			for _, ref := range []string{"P1", "P2", "P3"} {
				p := storetest.Carer(ref)
				must(t, db.CreateProvider(ctx, p))
				ps = append(ps, p)
			}
			child := storetest.Child("K1")
			must(t, db.CreateChild(ctx, child))
			opt := matching.Options{Limit: 10, IncludeExcluded: true}
			before := &Service{Store: db, Now: db.Now}
			run1, err := before.Match(ctx, MatchRequest{ChildID: child.ID, Options: opt})
			must(t, err)
			must(t, db.ArchiveProvider(ctx, placematch.KindCarer, ps[1].ID, 0))
			_, err = db.UpdateProvider(ctx, placematch.KindCarer, ps[0].ID, 0, func(p *placematch.Provider) error {
				p.AgeMax--
				return nil
			})
			must(t, err)
			after := &Service{Store: db, Now: db.Now}
			run2, err := after.Match(ctx, MatchRequest{ChildID: child.ID, Options: opt})
			must(t, err)
			m, err := db.GetMatchRun(ctx, run2.MatchID)
			must(t, err)
			if depth := depthOf(t, db, m); depth != 1 {
				t.Errorf("the first set after the restart is recorded at depth %d, want 1 (a delta)", depth)
			}
			rec, err := decodeRecord(m.Replay)
			must(t, err)
			byID, _, err := providersAt(ctx, db, rec.Manifest)
			must(t, err)
			if _, ok := byID[ps[1].ID]; ok || len(byID) != 2 || byID[ps[0].ID].AgeMax != ps[0].AgeMax-1 {
				t.Errorf("the manifest after the restart names %d providers (archived one included: %v)", len(byID), ok)
			}
			for _, id := range []string{run1.MatchID, run2.MatchID} {
				r, err := after.Replay(ctx, id)
				must(t, err)
				if !r.Identical {
					t.Errorf("run %s does not replay identically", id)
				}
			}
		})
	}
}
