package api_test

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"placematch"
	"placematch/api"
	"placematch/store"
	"placematch/store/storetest"
)

// Records an older release stored with an empty date (year 1 used to be written so)
// do not break the lists that hold them: reading one answers a problem naming the
// record and the field, and a PATCH with a valid date repairs it.
func TestUnreadableStoredDatesCanBeFoundAndRepaired(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			db, cfg := storetest.OpenAt(t, d, 4)
			bad := storetest.Child("BAD", func(c *placematch.Child) { c.DateOfBirth = placematch.Date{} })
			if err := db.CreateChild(ctx, bad); err != nil {
				t.Fatal(err)
			}
			good := storetest.Child("GOOD")
			carer := storetest.Carer("CARER")
			for _, err := range []error{db.CreateChild(ctx, good), db.CreateProvider(ctx, carer)} {
				if err != nil {
					t.Fatal(err)
				}
			}
			// Booked with no start date, which that release stored as an empty string;
			// written as that release's columns, since today's booking writes more.
			placementID := "0190a0b0-0000-7000-8000-000000000001"
			q := `INSERT INTO placements (id, child_id, provider_id, provider_kind, start_date, status, group_id,
				created_at, updated_at) VALUES (?, ?, ?, ?, '', 'active', ?, ?, ?)`
			if d == store.Postgres {
				for i := 1; strings.Contains(q, "?"); i++ {
					q = strings.Replace(q, "?", "$"+strconv.Itoa(i), 1)
				}
			}
			storetest.Exec(t, cfg, q, placementID, good.ID, carer.ID, string(placematch.KindCarer), placementID,
				storetest.Clock, storetest.Clock)
			if err := db.Migrate(ctx); err != nil {
				t.Fatalf("migrating over old data: %v", err)
			}
			e := newEnvOn(t, db)

			r := e.do("GET", "/api/v1/children/"+bad.ID, nil)
			wantProblem(t, r, 500, "date_of_birth")
			var p api.Problem
			if err := json.Unmarshal(r.Body, &p); err != nil {
				t.Fatal(err)
			}
			if p.Type != "/problems/unreadable-record" || !strings.Contains(p.Detail, bad.ID) {
				t.Fatalf("problem %+v", p)
			}

			list := e.do("GET", "/api/v1/children", nil)
			wantStatus(t, list, 200)
			items := list.JSON(t)["items"].([]any)
			if len(items) != 1 || items[0].(map[string]any)["id"] != good.ID {
				t.Fatalf("list %s", list.Body)
			}

			wantProblem(t, e.do("PATCH", "/api/v1/children/"+bad.ID, map[string]any{"urgency": "emergency"}), 422, "date_of_birth")
			fixed := e.do("PATCH", "/api/v1/children/"+bad.ID, map[string]any{"date_of_birth": "2015-02-03"})
			wantStatus(t, fixed, 200)
			got := e.do("GET", "/api/v1/children/"+bad.ID, nil)
			wantStatus(t, got, 200)
			if got.JSON(t)["date_of_birth"] != "2015-02-03" {
				t.Fatalf("repaired %s", got.Body)
			}

			// A placement's start date, fixed otherwise, can be set to repair it.
			placement := "/api/v1/placements/" + placementID
			wantProblem(t, e.do("GET", placement, nil), 500, "start_date")
			if n := len(e.do("GET", "/api/v1/placements", nil).JSON(t)["items"].([]any)); n != 0 {
				t.Fatalf("%d placements listed", n)
			}
			wantStatus(t, e.do("PATCH", placement, map[string]any{"start_date": "2026-11-01"}), 200)
			wantStatus(t, e.do("GET", placement, nil), 200)
			wantProblem(t, e.do("PATCH", placement, map[string]any{"start_date": "2026-11-02"}), 422, "start_date")
		})
	}
}
