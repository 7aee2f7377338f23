package store_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"placematch"
	"placematch/store"
	"placematch/store/storetest"
)

// at sets the store's clock to t0 plus d, so that each write has its own stamp
// (fractions of a second included: SQLite compares stored instants as text).
func at(db *store.DB, t0 time.Time, d time.Duration) { db.Now = func() time.Time { return t0.Add(d) } }

// A list narrowed by Changes.Since holds the records changed at or after it, in
// the order of their change, archived ones only when asked, and pages through
// them with cursors of its own, on both engines.
func TestListsOfChangesSince(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		t0 := storetest.Clock
		at(db, t0, 0)
		a := storetest.Carer("A")
		must(t, db.CreateProvider(ctx, a))
		at(db, t0, 500*time.Millisecond)
		b := storetest.Carer("B")
		must(t, db.CreateProvider(ctx, b))
		at(db, t0, time.Second)
		c := storetest.Carer("C")
		must(t, db.CreateProvider(ctx, c))
		at(db, t0, 2250*time.Millisecond)
		_, err := db.UpdateProvider(ctx, placematch.KindCarer, a.ID, 0, func(p *placematch.Provider) error {
			p.Name = "Household A, moved"
			return nil
		})
		must(t, err)
		at(db, t0, 3*time.Second)
		must(t, db.ArchiveProvider(ctx, placematch.KindCarer, b.ID, 0))

		list := func(ch store.Changes, limit int) []string {
			t.Helper()
			var ids []string
			cursor := ""
			for {
				page, err := db.ListProviders(ctx, store.ProviderFilter{Kind: placematch.KindCarer, Changes: ch, Limit: limit, Cursor: cursor})
				must(t, err)
				for _, p := range page.Items {
					ids = append(ids, p.Reference)
				}
				if cursor = page.NextCursor; cursor == "" {
					return ids
				}
			}
		}
		for _, tc := range []struct {
			ch   store.Changes
			want []string
		}{
			{store.Changes{}, []string{"A", "C"}},
			{store.Changes{IncludeArchived: true}, []string{"A", "B", "C"}},
			{store.Changes{Since: t0.Add(time.Second)}, []string{"C", "A"}}, // at or after: C's own stamp counts
			{store.Changes{Since: t0.Add(time.Second), IncludeArchived: true}, []string{"C", "A", "B"}},
			{store.Changes{Since: t0.Add(1001 * time.Millisecond), IncludeArchived: true}, []string{"A", "B"}},
			{store.Changes{Since: t0.Add(3*time.Second + time.Microsecond), IncludeArchived: true}, nil},
		} {
			for _, limit := range []int{1, 2, 50} {
				if got := list(tc.ch, limit); !slices.Equal(got, tc.want) {
					t.Errorf("%+v, pages of %d: %v, want %v", tc.ch, limit, got, tc.want)
				}
			}
		}

		// A cursor of one ordering is refused by the other.
		page, err := db.ListProviders(ctx, store.ProviderFilter{Kind: placematch.KindCarer, Limit: 1})
		must(t, err)
		_, err = db.ListProviders(ctx, store.ProviderFilter{Kind: placematch.KindCarer, Limit: 1, Cursor: page.NextCursor,
			Changes: store.Changes{Since: t0}})
		wantInvalid(t, err, "cursor")
		page, err = db.ListProviders(ctx, store.ProviderFilter{Kind: placematch.KindCarer, Limit: 1, Changes: store.Changes{Since: t0}})
		must(t, err)
		_, err = db.ListProviders(ctx, store.ProviderFilter{Kind: placematch.KindCarer, Limit: 1, Cursor: page.NextCursor})
		wantInvalid(t, err, "cursor")
	})
}

// Children, placements, feeds and the audit trail take the same narrowing.
func TestOtherListsOfChangesSince(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		t0 := storetest.Clock
		at(db, t0, 0)
		carer := storetest.Carer("C1")
		must(t, db.CreateProvider(ctx, carer))
		kid, other := storetest.Child("K1"), storetest.Child("K2")
		must(t, db.CreateChild(ctx, kid))
		must(t, db.CreateChild(ctx, other))
		feed := &placematch.Feed{Name: "wensum", URL: "https://feeds.example.org/w.csv", Format: "csv"}
		must(t, db.CreateFeed(ctx, feed))
		must(t, db.AppendAudit(ctx, &store.AuditEvent{Action: "child.read", Outcome: "success", Status: 200}))

		at(db, t0, 1500*time.Millisecond)
		pls, err := db.Book(ctx, store.BookRequest{ChildID: kid.ID, Provider: carer.Ref(), StartDate: placematch.DateOf(t0)})
		must(t, err)
		must(t, db.ArchiveFeed(ctx, feed.ID, 0))
		must(t, db.AppendAudit(ctx, &store.AuditEvent{Action: "child.list", Outcome: "success", Status: 200}))

		since := store.Changes{Since: t0.Add(time.Second)}
		children, err := db.ListChildren(ctx, store.ChildFilter{Changes: since})
		must(t, err)
		if len(children.Items) != 1 || children.Items[0].ID != kid.ID { // booking placed K1, and so changed it
			t.Errorf("children changed since: %v", children.Items)
		}
		placements, err := db.ListPlacements(ctx, store.PlacementFilter{Changes: since})
		must(t, err)
		if len(placements.Items) != 1 || placements.Items[0].ID != pls[0].ID {
			t.Errorf("placements changed since: %v", placements.Items)
		}
		feeds, err := db.ListFeeds(ctx, store.FeedFilter{Changes: since})
		must(t, err)
		if len(feeds.Items) != 0 {
			t.Errorf("an archived feed listed without include_archived: %v", feeds.Items)
		}
		feeds, err = db.ListFeeds(ctx, store.FeedFilter{Changes: store.Changes{Since: since.Since, IncludeArchived: true}})
		must(t, err)
		if len(feeds.Items) != 1 || feeds.Items[0].ArchivedAt == nil {
			t.Errorf("the archived feed is not in the changes: %v", feeds.Items)
		}
		events, err := db.ListAudit(ctx, store.AuditFilter{Since: since.Since})
		must(t, err)
		if len(events.Items) != 1 || events.Items[0].Action != "child.list" {
			t.Errorf("audit events since: %v", events.Items)
		}
	})
}

func wantInvalid(t *testing.T, err error, field string) {
	t.Helper()
	var v *placematch.ValidationError
	if !errors.As(err, &v) || len(v.Errors) == 0 || v.Errors[0].Field != field {
		t.Fatalf("want a validation error naming %q, got %v", field, err)
	}
}

// A job's runs changed since an instant: each run's last change is its stamp.
func TestJobRunsChangedSince(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		t0 := storetest.Clock
		run := func(start, end time.Duration) *placematch.JobRun {
			at(db, t0, start)
			r := &placematch.JobRun{Job: "j", Trigger: placematch.TriggerManual}
			must(t, db.StartJobRun(ctx, r))
			at(db, t0, end)
			r.Status = placematch.RunSucceeded
			must(t, db.FinishJobRun(ctx, r))
			return r
		}
		first, second := run(0, 2*time.Second), run(3*time.Second, 3500*time.Millisecond)
		for _, tc := range []struct {
			since time.Duration
			want  []string
		}{
			{time.Second, []string{first.ID, second.ID}}, // first changed (ended) after that
			{2500 * time.Millisecond, []string{second.ID}},
			{4 * time.Second, nil},
		} {
			page, err := db.ListJobRuns(ctx, "j", t0.Add(tc.since), 10, "")
			must(t, err)
			var got []string
			for _, r := range page.Items {
				got = append(got, r.ID)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("since +%v: %v, want %v", tc.since, got, tc.want)
			}
		}
	})
}
