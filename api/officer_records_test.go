package api_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"placematch"
	"placematch/auth"
	"placematch/geo"
)

// exemption is an exemption body naming children, granted last month, expiring
// after the test clock's day unless told otherwise.
func exemption(children []string, kv ...any) map[string]any {
	return with(map[string]any{"children": children, "granted_by": "Norfolk County Council",
		"granted_on": "2026-10-01", "expires_on": "2027-10-01", "conditions": "Review at each placement"}, kv...)
}

const someChild = "0190a6b2-0000-7000-8000-000000000001"

// Every new field is validated: bad input is refused with 422 naming the field, and
// nothing is stored, on both engines.
func TestOfficerRecordFieldsAreValidated(t *testing.T) {
	eachDialect(t, func(t *testing.T, e *env) {
		carerID := e.do("POST", "/api/v1/carers", carerBody("KEEP")).JSON(t)["id"].(string)
		childID := e.do("POST", "/api/v1/children", childBody("KEEP")).JSON(t)["id"].(string)
		approval := func(kv ...any) map[string]any {
			return with(carerBody("NEW"), "approval", with(carerBody("x")["approval"].(map[string]any), kv...))
		}
		ex := func(e map[string]any) []any { return []any{e} }
		cases := []struct {
			name, method, path string
			body               any
			field              string
		}{
			{"over 3 with no exemption", "POST", "/api/v1/carers", approval("max_children", 4), "approval.max_children"},
			{"over 3 with an expired exemption", "POST", "/api/v1/carers",
				approval("max_children", 4, "exemptions", ex(exemption([]string{someChild}, "expires_on", "2026-11-22"))), "approval.max_children"},
			{"over 3 with a legacy exemption only", "POST", "/api/v1/carers",
				approval("max_children", 4, "exemptions", ex(map[string]any{"legacy": true})), "approval.max_children"},
			{"over 6 with a current exemption", "POST", "/api/v1/carers",
				approval("max_children", 7, "exemptions", ex(exemption([]string{someChild}))), "approval.max_children"},
			{"the yes/no flag is gone", "POST", "/api/v1/carers", approval("max_children", 4, "limit_exemption", true), "approval.limit_exemption"},
			{"exemption names no child", "POST", "/api/v1/carers", approval("exemptions", ex(exemption([]string{}))), "approval.exemptions[0].children"},
			{"exemption child not an id", "POST", "/api/v1/carers", approval("exemptions", ex(exemption([]string{"Tom"}))), "approval.exemptions[0].children[0]"},
			{"exemption child twice", "POST", "/api/v1/carers", approval("exemptions", ex(exemption([]string{someChild, someChild}))), "approval.exemptions[0].children[1]"},
			{"exemption without its council", "POST", "/api/v1/carers", approval("exemptions", ex(exemption([]string{someChild}, "granted_by", nil))), "approval.exemptions[0].granted_by"},
			{"exemption granted in the future", "POST", "/api/v1/carers", approval("exemptions", ex(exemption([]string{someChild}, "granted_on", "2026-12-01"))), "approval.exemptions[0].granted_on"},
			{"exemption expiring before it was granted", "POST", "/api/v1/carers", approval("exemptions", ex(exemption([]string{someChild}, "expires_on", "2026-09-01"))), "approval.exemptions[0].expires_on"},
			{"legacy exemption naming children", "POST", "/api/v1/carers", approval("exemptions", ex(map[string]any{"legacy": true, "children": []string{someChild}})), "approval.exemptions[0].legacy"},
			{"bad phone", "POST", "/api/v1/carers", with(carerBody("NEW"), "contact", map[string]any{"phone": "call me"}), "contact.phone"},
			{"short phone", "POST", "/api/v1/units", with(unitBody("NEW"), "contact", map[string]any{"phone": "01632 96"}), "contact.phone"},
			{"bad email", "POST", "/api/v1/hubs", with(hubBody("NEW"), "contact", map[string]any{"email": "Carer <home@example.org>"}), "contact.email"},
			{"social worker without a name", "POST", "/api/v1/carers", with(carerBody("NEW"), "supervising_social_worker", map[string]any{"phone": "01632 960123"}), "supervising_social_worker.name"},
			{"social worker who cannot be reached", "POST", "/api/v1/carers", with(carerBody("NEW"), "supervising_social_worker", map[string]any{"name": "Sam"}), "supervising_social_worker.phone"},
			{"fee band too long", "POST", "/api/v1/carers", with(carerBody("NEW"), "fee_band", strings.Repeat("b", 65)), "fee_band"},
			{"panel date for an approved carer", "POST", "/api/v1/carers", with(carerBody("NEW"), "panel_date", "2027-01-10"), "panel_date"},
			{"unknown Ofsted rating", "POST", "/api/v1/units", with(unitBody("NEW"), "ofsted", map[string]any{"rating": "fine", "inspection_date": "2026-01-10"}), "ofsted.rating"},
			{"rating without its date", "POST", "/api/v1/units", with(unitBody("NEW"), "ofsted", map[string]any{"rating": "good"}), "ofsted.inspection_date"},
			{"inspected in the future", "POST", "/api/v1/hubs", with(hubBody("NEW"), "ofsted_urn", "SC065883", "ofsted", map[string]any{"rating": "good", "inspection_date": "2027-01-10"}), "ofsted.inspection_date"},
			{"rating without a URN", "POST", "/api/v1/hubs", with(hubBody("NEW"), "ofsted", map[string]any{"rating": "good", "inspection_date": "2026-01-10"}), "ofsted_urn"},
			{"hub URN malformed", "POST", "/api/v1/hubs", with(hubBody("NEW"), "ofsted_urn", "URN-1"), "ofsted_urn"},
			{"patch in an exemption for nobody", "PATCH", "/api/v1/carers/" + carerID, map[string]any{"approval": map[string]any{"exemptions": ex(exemption(nil))}}, "approval.exemptions[0].children"},
		}
		before := e.snapshot(t)
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				wantProblem(t, e.do(tc.method, tc.path, tc.body), 422, tc.field)
				if after := e.snapshot(t); after != before {
					t.Fatalf("stored data changed")
				}
			})
		}
		wantProblem(t, e.do("GET", "/api/v1/children/"+childID+"/matches?include_pending=yes", nil), 422, "include_pending")
	})
}

// Records the rules allow are stored and read back: over the limit with a current
// exemption, or for a sibling group; a carer in assessment with its panel date; a
// unit's and a hub's Ofsted rating.
func TestOfficerRecordsRoundTrip(t *testing.T) {
	eachDialect(t, func(t *testing.T, e *env) {
		approval := func(kv ...any) map[string]any {
			return with(carerBody("A"+kv[len(kv)-1].(string)), "approval", with(carerBody("x")["approval"].(map[string]any), kv[:len(kv)-1]...))
		}
		childID := e.do("POST", "/api/v1/children", childBody("NAMED")).JSON(t)["id"].(string)
		r := e.do("POST", "/api/v1/carers", approval("max_children", 5, "exemptions", []any{exemption([]string{childID})}, "1"))
		wantStatus(t, r, 201)
		got := r.JSON(t)["approval"].(map[string]any)
		exs := got["exemptions"].([]any)
		if got["max_children"].(float64) != 5 || len(exs) != 1 || exs[0].(map[string]any)["granted_by"] != "Norfolk County Council" ||
			exs[0].(map[string]any)["legacy"] != false {
			t.Errorf("approval %v", got)
		}
		wantStatus(t, e.do("POST", "/api/v1/carers", approval("max_children", 4, "siblings_over_limit", true, "2")), 201)
		pending := with(carerBody("P1"), "status", "in_assessment", "panel_date", "2027-01-14")
		r = e.do("POST", "/api/v1/carers", pending)
		wantStatus(t, r, 201)
		if r.JSON(t)["panel_date"] != "2027-01-14" {
			t.Errorf("panel date: %s", r.Body)
		}
		u := e.do("POST", "/api/v1/units", with(unitBody("U1"), "ofsted", map[string]any{"rating": "requires_improvement", "inspection_date": "2026-02-03"}))
		wantStatus(t, u, 201)
		if o := u.JSON(t)["ofsted"].(map[string]any); o["rating"] != "requires_improvement" || o["inspection_date"] != "2026-02-03" {
			t.Errorf("unit ofsted %v", o)
		}
		// A carer stored with the old yes/no reads back with a legacy exemption; a
		// change is refused until the exemption is recorded in full.
		legacy := e.do("POST", "/api/v1/carers", approval("max_children", 3, "3")).JSON(t)["id"].(string)
		_, err := e.db.UpdateProvider(ctx, placematch.KindCarer, legacy, 0, func(p *placematch.Provider) error {
			p.Carer.MaxChildren, p.Carer.Exemptions = 5, []placematch.Exemption{{Legacy: true}}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		r = e.do("GET", "/api/v1/carers/"+legacy, nil)
		if exs := r.JSON(t)["approval"].(map[string]any)["exemptions"].([]any); len(exs) != 1 || exs[0].(map[string]any)["legacy"] != true {
			t.Fatalf("legacy exemption shown as %v", exs)
		}
		wantProblem(t, e.do("PATCH", "/api/v1/carers/"+legacy, map[string]any{"name": "Renamed"}, "If-Match", `"2"`), 422, "approval.max_children")
		r = e.do("PATCH", "/api/v1/carers/"+legacy, map[string]any{"approval": map[string]any{
			"exemptions": []any{exemption([]string{childID})}}}, "If-Match", `"2"`)
		wantStatus(t, r, 200)
		if exs := r.JSON(t)["approval"].(map[string]any)["exemptions"].([]any); len(exs) != 1 || exs[0].(map[string]any)["legacy"] != false {
			t.Errorf("recorded in full: %v", exs)
		}
		h := e.do("POST", "/api/v1/hubs", hubBody("H1"))
		wantStatus(t, h, 201)
		if o := h.JSON(t)["ofsted"].(map[string]any); o["rating"] != nil || o["inspection_date"] != nil {
			t.Errorf("hub never inspected: %v", o)
		}
	})
}

// What an officer needs to act is shown to officers and admins, never to
// commissioners: not in provider records, not in the map layer; carers' homes are
// blurred for commissioners only. A carer in assessment is shown on request and
// never bookable.
func TestOfficerDetailsStayWithOfficers(t *testing.T) {
	eachDialect(t, func(t *testing.T, e *env) {
		pc := e.loadPostcodes(t, 1)[0] // the carer's home, from the real directory
		sector := pc.Postcode[:len(pc.Postcode)-2]
		secrets := []string{"01632 960111", "home@example.org", "Sam Social", "01632 960222", "level_3", "intake@example.org", "hub@example.org"}
		carer := e.do("POST", "/api/v1/carers", with(carerBody("C1"), "contact", map[string]any{"phone": "01632 960111", "email": "home@example.org"},
			"supervising_social_worker", map[string]any{"name": "Sam Social", "phone": "01632 960222"}, "fee_band", "level_3",
			"location", nil, "postcode", pc.Postcode)).JSON(t)
		carerID := carer["id"].(string)
		unitID := e.do("POST", "/api/v1/units", with(unitBody("U1"), "contact", map[string]any{"email": "intake@example.org"})).JSON(t)["id"].(string)
		hubID := e.do("POST", "/api/v1/hubs", with(hubBody("H1"), "contact", map[string]any{"email": "hub@example.org"},
			"ofsted_urn", "SC065883", "ofsted", map[string]any{"rating": "good", "inspection_date": "2026-01-10"})).JSON(t)["id"].(string)
		pendingID := e.do("POST", "/api/v1/carers", with(carerBody("P1"), "status", "in_assessment", "panel_date", "2027-01-14")).JSON(t)["id"].(string)
		childID := e.do("POST", "/api/v1/children", childBody("K1")).JSON(t)["id"].(string)

		comm := e.bearer(auth.Principal{Subject: "commissioner-1", Role: auth.Commissioner})
		officer := e.bearer(auth.Principal{Subject: "officer-1", Role: auth.PlacementOfficer})
		paths := []string{"/api/v1/carers/" + carerID, "/api/v1/carers", "/api/v1/units/" + unitID, "/api/v1/units",
			"/api/v1/hubs/" + hubID, "/api/v1/hubs", "/api/v1/reports/providers.geojson"}
		for _, path := range paths {
			r := e.do("GET", path, nil, "Authorization", comm)
			wantStatus(t, r, 200)
			for _, s := range append(secrets, `"contact"`, `"supervising_social_worker"`, `"fee_band"`, `"weekly_cost_pence"`, `"`+pc.Postcode+`"`) {
				if bytes.Contains(r.Body, []byte(s)) {
					t.Errorf("commissioner's %s shows %s", path, s)
				}
			}
		}
		for _, path := range paths[:6] {
			r := e.do("GET", path, nil, "Authorization", officer)
			if !bytes.Contains(r.Body, []byte(`"contact"`)) {
				t.Errorf("officer's %s has no contact: %s", path, truncate(r.Body))
			}
		}
		for _, path := range paths[2:4] {
			if r := e.do("GET", path, nil, "Authorization", officer); !bytes.Contains(r.Body, []byte(`"weekly_cost_pence":120000`)) {
				t.Errorf("officer's %s has no weekly cost: %s", path, truncate(r.Body))
			}
		}
		// The carer's home in its record and in the list: exact for officers; for
		// commissioners the map layer's ~1 km square and the postcode's sector.
		type home struct {
			ID       string
			Location placematch.Point
			Postcode string
		}
		homeOf := func(path, auth string) home {
			r := e.do("GET", path, nil, "Authorization", auth)
			wantStatus(t, r, 200)
			var list struct{ Items []home }
			if strings.HasSuffix(path, "/carers") {
				if err := json.Unmarshal(r.Body, &list); err != nil {
					t.Fatal(err)
				}
			} else {
				var one home
				if err := json.Unmarshal(r.Body, &one); err != nil {
					t.Fatal(err)
				}
				list.Items = []home{one}
			}
			for _, h := range list.Items {
				if h.ID == carerID {
					return h
				}
			}
			t.Fatalf("%s: carer %s not found in %s", path, carerID, truncate(r.Body))
			return home{}
		}
		for _, path := range paths[:2] {
			if h := homeOf(path, officer); h.Location != pc.Point || h.Postcode != pc.Postcode {
				t.Errorf("officer's %s: %+v, want %v %s", path, h, pc.Point, pc.Postcode)
			}
			if h := homeOf(path, comm); h.Location != geo.Blur(pc.Point) || h.Location == pc.Point || h.Postcode != sector {
				t.Errorf("commissioner's %s: %+v, want %v and %s", path, h, geo.Blur(pc.Point), sector)
			}
		}
		// The map: the carer is blurred for commissioners, exact for officers.
		where := func(auth string) ([]any, string) {
			var fc struct {
				Features []struct {
					ID       string
					Geometry struct{ Coordinates []any }
					Props    map[string]any `json:"properties"`
				}
			}
			if err := json.Unmarshal(e.do("GET", "/api/v1/reports/providers.geojson", nil, "Authorization", auth).Body, &fc); err != nil {
				t.Fatal(err)
			}
			for _, f := range fc.Features {
				if f.ID == pendingID {
					t.Errorf("a carer in assessment is on the map")
				}
				if f.ID == carerID {
					return f.Geometry.Coordinates, f.Props["location_precision"].(string)
				}
			}
			t.Fatalf("carer not on the map")
			return nil, ""
		}
		if at, p := where(officer); p != "exact" || at[0] != pc.Point.Lon || at[1] != pc.Point.Lat {
			t.Errorf("officer's map: %v %s", at, p)
		}
		if at, p := where(comm); p != "1km" || (at[0] == pc.Point.Lon && at[1] == pc.Point.Lat) {
			t.Errorf("commissioner's map: %v %s", at, p)
		}
		// The match: officers get what they need to act, per match.
		wantStatus(t, e.do("GET", "/api/v1/children/"+childID+"/matches", nil, "Authorization", comm), 403)
		m := e.do("GET", "/api/v1/children/"+childID+"/matches?include_pending=true", nil, "Authorization", officer)
		wantStatus(t, m, 200)
		var run struct {
			Matches []struct {
				Provider struct{ ID string }
				Flags    []string
				Act      struct {
					Contact                 map[string]string
					SupervisingSocialWorker *struct{ Name string }         `json:"supervising_social_worker"`
					FeeBand                 *string                        `json:"fee_band"`
					WeeklyCostPence         *int64                         `json:"weekly_cost_pence"`
					Ofsted                  *struct{ URN, Rating *string } `json:"ofsted"`
				}
			}
		}
		if err := json.Unmarshal(m.Body, &run); err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, x := range run.Matches {
			seen[x.Provider.ID] = true
			switch x.Provider.ID {
			case carerID:
				if x.Act.Contact["phone"] != "01632 960111" || x.Act.SupervisingSocialWorker == nil ||
					x.Act.SupervisingSocialWorker.Name != "Sam Social" || x.Act.FeeBand == nil || *x.Act.FeeBand != "level_3" {
					t.Errorf("carer's act %+v", x.Act)
				}
			case pendingID:
				if !strings.Contains(strings.Join(x.Flags, ","), "pending_approval") {
					t.Errorf("pending carer not flagged: %v", x.Flags)
				}
			}
		}
		if !seen[carerID] || !seen[pendingID] {
			t.Fatalf("matches %s", truncate(m.Body))
		}
		without := e.do("GET", "/api/v1/children/"+childID+"/matches", nil, "Authorization", officer)
		if bytes.Contains(without.Body, []byte(`"id":"`+pendingID+`","name":"Household P1"},"score"`)) ||
			!bytes.Contains(without.Body, []byte(`"pending_approval":1`)) {
			t.Errorf("without include_pending the carer in assessment is not excluded: %s", truncate(without.Body))
		}
		before := e.snapshot(t)
		r := e.do("POST", "/api/v1/placements", map[string]any{"child_id": childID,
			"provider": map[string]any{"kind": "foster_carer", "id": pendingID}, "start_date": "2026-11-23"}, "Authorization", officer)
		wantStatus(t, r, 409)
		if !bytes.Contains(r.Body, []byte("pending_approval")) {
			t.Errorf("booking a carer in assessment: %s", r.Body)
		}
		if e.snapshot(t) != before {
			t.Errorf("a refused booking changed stored data")
		}
	})
}
