package api

import (
	"context"
	"testing"
	"time"

	"placematch/store"
	"placematch/store/storetest"
)

// Refusals from more clients than the bound are counted together, so a flood from
// many addresses writes a bounded number of rows; flush writes what is still being
// counted (at shutdown) without waiting for the period to end.
func TestRefusalSummariesAreBoundedAndFlushed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		r := newRefusals(time.Hour, db.AppendAudit, func() { t.Error("audit write failed") })
		r.max = 2
		for _, addr := range []string{"192.0.2.1", "192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4"} {
			r.add("", "", addr, "req")
		}
		r.flush()
		page, err := db.ListAudit(context.Background(), store.AuditFilter{})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]int{}
		for _, e := range page.Items {
			if e.Action != "rate_limited" || e.Status != 429 {
				t.Fatalf("row %+v", e)
			}
			got[e.ClientAddr] = e.Count
		}
		if len(got) != 3 || got["192.0.2.1"] != 2 || got["192.0.2.2"] != 1 || got[overflowAddr] != 2 {
			t.Fatalf("summaries %v", got)
		}
		r.flush() // nothing left: no second row
		if page, _ := db.ListAudit(context.Background(), store.AuditFilter{}); len(page.Items) != 3 {
			t.Fatalf("%d rows after a second flush", len(page.Items))
		}
	})
}
