package store_test

import (
	"errors"
	"testing"
	"time"

	"placematch"
	"placematch/store"
	"placematch/store/storetest"
)

func TestJobRunsRecordOnceAndInterrupt(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		slot := storetest.Clock.Truncate(time.Hour)
		r := &placematch.JobRun{Job: "j", Trigger: placematch.TriggerSchedule, ScheduledFor: &slot, Instance: "a"}
		must(t, db.StartJobRun(ctx, r))
		again := &placematch.JobRun{Job: "j", Trigger: placematch.TriggerManual}
		if err := db.StartJobRun(ctx, again); !errors.Is(err, placematch.ErrConflict) {
			t.Fatalf("second running run: %v", err)
		}
		r.Status, r.Counts = placematch.RunSucceeded, map[string]int{"rows": 2}
		r.Errors = []placematch.RunIssue{{Scope: "feed", Row: 3, Message: "bad"}}
		must(t, db.FinishJobRun(ctx, r))
		dup := &placematch.JobRun{Job: "j", Trigger: placematch.TriggerSchedule, ScheduledFor: &slot}
		if err := db.StartJobRun(ctx, dup); !errors.Is(err, store.ErrSlotTaken) {
			t.Fatalf("same slot twice: %v", err)
		}
		got, err := db.GetJobRun(ctx, r.ID)
		must(t, err)
		if got.Status != placematch.RunSucceeded || got.Counts["rows"] != 2 || len(got.Errors) != 1 || got.FinishedAt == nil {
			t.Fatalf("run %+v", got)
		}
		dead := &placematch.JobRun{Job: "j", Trigger: placematch.TriggerManual}
		must(t, db.StartJobRun(ctx, dead))
		n, err := db.MarkInterrupted(ctx, "j")
		must(t, err)
		if n != 1 {
			t.Fatalf("interrupted %d", n)
		}
		page, err := db.ListJobRuns(ctx, "j", time.Time{}, 1, "")
		must(t, err)
		if len(page.Items) != 1 || page.Items[0].ID != dead.ID || page.Items[0].Status != placematch.RunInterrupted || page.NextCursor == "" {
			t.Fatalf("newest first: %+v", page)
		}
		page, err = db.ListJobRuns(ctx, "j", time.Time{}, 5, page.NextCursor)
		must(t, err)
		if len(page.Items) != 1 || page.Items[0].ID != r.ID {
			t.Fatalf("second page %+v", page)
		}
		last, err := db.LastJobRun(ctx, "j", placematch.RunSucceeded)
		must(t, err)
		if last.ID != r.ID {
			t.Fatalf("last success %s", last.ID)
		}
	})
}

// Two stores on one PostgreSQL database are two replicas: only one holds a job's lock.
func TestJobLockExcludesOtherReplica(t *testing.T) {
	cfg := storetest.Config(t, store.Postgres)
	a, err := store.Open(ctx, cfg)
	must(t, err)
	defer a.Close()
	b, err := store.Open(ctx, cfg)
	must(t, err)
	defer b.Close()
	la, ok, err := a.TryJobLock(ctx, "reconcile-vacancies")
	must(t, err)
	if !ok || !la.Exclusive {
		t.Fatal("first lock not granted")
	}
	if _, ok, err := b.TryJobLock(ctx, "reconcile-vacancies"); err != nil || ok {
		t.Fatalf("second replica got the lock: %v %v", ok, err)
	}
	if lo, ok, err := b.TryJobLock(ctx, "other-job"); err != nil || !ok {
		t.Fatalf("another job blocked: %v", err)
	} else {
		must(t, lo.Release())
	}
	must(t, la.Release())
	lb, ok, err := b.TryJobLock(ctx, "reconcile-vacancies")
	if err != nil || !ok {
		t.Fatalf("lock not free after release: %v", err)
	}
	must(t, lb.Release())
}

func TestFeedsValidateUnitsAndNames(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		u, c := storetest.Unit("U1"), storetest.Carer("C1")
		must(t, db.CreateProvider(ctx, u))
		must(t, db.CreateProvider(ctx, c))
		f := &placematch.Feed{Name: "acme", URL: "https://x.test/f.csv", Format: "csv", UnitIDs: []string{u.ID, c.ID}}
		var ve *placematch.ValidationError
		if err := db.CreateFeed(ctx, f); !errors.As(err, &ve) || ve.Errors[0].Field != "unit_ids[1]" {
			t.Fatalf("carer accepted as a unit: %v", err)
		}
		f.UnitIDs = []string{u.ID}
		must(t, db.CreateFeed(ctx, f))
		if err := db.CreateFeed(ctx, &placematch.Feed{Name: "acme", URL: "https://y.test", Format: "json"}); !errors.Is(err, placematch.ErrConflict) {
			t.Fatalf("duplicate name: %v", err)
		}
		got, err := db.UpdateFeed(ctx, f.ID, 1, func(f *placematch.Feed) error { f.Format = "json"; return nil })
		must(t, err)
		if got.Version != 2 || got.Format != "json" {
			t.Fatalf("updated %+v", got)
		}
		must(t, db.ArchiveFeed(ctx, f.ID, 2))
		live, err := db.LiveFeeds(ctx)
		must(t, err)
		if len(live) != 0 {
			t.Fatalf("archived feed is live")
		}
	})
}

func TestReconcileEndsOverduePlacementsAndCorrectsDrift(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		p := storetest.Carer("C1")
		must(t, db.CreateProvider(ctx, p))
		a, b := storetest.Child("A"), storetest.Child("B")
		must(t, db.CreateChild(ctx, a))
		must(t, db.CreateChild(ctx, b))
		today := placematch.DateOf(storetest.Clock)
		_, err := db.Book(ctx, store.BookRequest{ChildID: a.ID, Provider: p.Ref(), StartDate: today.AddDays(-10), EndDate: today.AddDays(-1)})
		must(t, err)
		_, err = db.Book(ctx, store.BookRequest{ChildID: b.ID, Provider: p.Ref(), StartDate: today.AddDays(-10), EndDate: today})
		must(t, err)
		res, err := db.ReconcileVacancies(ctx, today)
		must(t, err)
		if res.PlacementsEnded != 1 || res.ProvidersCorrected != 0 {
			t.Fatalf("result %+v", res)
		}
		ca, _ := db.GetChild(ctx, a.ID)
		got, _ := db.GetProvider(ctx, p.Kind, p.ID)
		if ca.Status != placematch.ChildAwaiting || got.Filled != 1 {
			t.Fatalf("child %s filled %d", ca.Status, got.Filled)
		}
		res, err = db.ReconcileVacancies(ctx, today)
		must(t, err)
		if res.PlacementsEnded != 0 {
			t.Fatalf("second run ended %d", res.PlacementsEnded)
		}
	})
}

func TestFlagStaleAvailability(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		old := storetest.Clock.Add(-20 * 24 * time.Hour)
		stale := storetest.Carer("OLD", func(p *placematch.Provider) { p.Availability.ConfirmedAt = &old })
		fresh := storetest.Carer("NEW")
		must(t, db.CreateProvider(ctx, stale))
		must(t, db.CreateProvider(ctx, fresh))
		_, before, err := db.ProviderChanges(ctx, store.ChangeCursor{})
		must(t, err)
		n, err := db.FlagStaleAvailability(ctx, storetest.Clock.Add(-14*24*time.Hour))
		must(t, err)
		s, _ := db.GetProvider(ctx, stale.Kind, stale.ID)
		f, _ := db.GetProvider(ctx, fresh.Kind, fresh.ID)
		if n != 1 || s.Availability.Status != placematch.Unconfirmed || f.Availability.Status != placematch.Available {
			t.Fatalf("n %d stale %s fresh %s", n, s.Availability.Status, f.Availability.Status)
		}
		changed, _, err := db.ProviderChanges(ctx, before)
		must(t, err)
		if len(changed) != 1 || changed[0].ID != stale.ID || changed[0].Availability.Status != placematch.Unconfirmed {
			t.Fatalf("matcher would not see the change: %d", len(changed))
		}
	})
}
