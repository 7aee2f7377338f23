package api_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"placematch/auth"
)

// Contacts and answers on a run: bad input is 422 naming the field and stores
// nothing; a "no vacancy after all" marks the home's availability unconfirmed; a
// carer answers a contact about its own home (If-Match required; another home's is
// 404); every call is audited; the decision record counts the homes contacted and
// the answers, and derives the time from referral to the booking that cited the run.
func TestContactsAndAnswersOnAMatchRun(t *testing.T) {
	eachDialect(t, func(t *testing.T, e *env) {
		e.db.Now = func() time.Time { return e.clock }
		a := e.do("POST", "/api/v1/carers", carerBody("A")).JSON(t)["id"].(string)
		b := e.do("POST", "/api/v1/carers", with(carerBody("B"), "location", map[string]any{"lat": 52.70, "lon": 1.35})).JSON(t)["id"].(string)
		child := e.do("POST", "/api/v1/children", childBody("K")).JSON(t)["id"].(string)
		run := e.do("GET", "/api/v1/children/"+child+"/matches", nil).JSON(t)["match_id"].(string)
		e.clock = e.clock.Add(2 * time.Hour)

		officer := e.bearer(auth.Principal{Subject: "officer-calls", Role: auth.PlacementOfficer})
		contact := func(body map[string]any) resp {
			return e.do("POST", "/api/v1/matches/"+run+"/contacts", body, "Authorization", officer)
		}
		ref := func(id string) map[string]any { return map[string]any{"kind": "foster_carer", "id": id} }
		good := map[string]any{"provider": ref(a), "contacted_at": "2026-11-23T10:30:00Z", "answer": "declined",
			"decline_reason": "no_vacancy", "note": "A child of theirs came home."}

		before := e.snapshot(t)
		for field, bad := range map[string]map[string]any{
			"provider":       with(good, "provider", nil),
			"provider.id":    with(good, "provider", ref(noSuchID)),
			"answer":         with(good, "answer", "maybe"),
			"decline_reason": with(good, "decline_reason", nil),
			"note":           with(good, "decline_reason", "other", "note", nil),
			"contacted_at":   with(good, "contacted_at", "2026-11-23T13:00:00Z"), // after now
			"answered_at":    with(good, "answered_at", "2026-11-23T10:00:00Z"),  // before the contact
		} {
			wantProblem(t, contact(bad), 422, field)
		}
		wantProblem(t, contact(with(good, "contacted_at", "2026-11-23T09:00:00Z")), 422, "contacted_at") // before the run
		wantProblem(t, contact(with(good, "answer", "awaiting")), 422, "decline_reason")
		if e.snapshot(t) != before {
			t.Fatal("a refused contact changed stored records")
		}
		if d := e.do("GET", "/api/v1/matches/"+run+"/decision", nil).JSON(t); len(d["contacts"].([]any)) != 0 {
			t.Fatalf("refused contacts stored: %v", d["contacts"])
		}

		r := contact(good)
		wantStatus(t, r, 201)
		if c := r.JSON(t); c["match_rank"].(float64) != 1 || c["answered_at"] != "2026-11-23T10:30:00Z" || c["recorded_by"] != "officer-calls" {
			t.Fatalf("contact %v", c)
		}
		if av := e.do("GET", "/api/v1/carers/"+a, nil).JSON(t)["availability"].(map[string]any); av["status"] != "unconfirmed" {
			t.Fatalf("availability after no vacancy after all: %v", av)
		}
		r = contact(map[string]any{"provider": ref(b), "contacted_at": "2026-11-23T10:45:00Z", "answer": "awaiting"})
		wantStatus(t, r, 201)
		cb := r.JSON(t)["id"].(string)

		carerB := e.bearer(auth.Principal{Subject: "carer-b", Role: auth.Carer, CarerID: b})
		carerA := e.bearer(auth.Principal{Subject: "carer-a", Role: auth.Carer, CarerID: a})
		ids := func(r resp) []string {
			t.Helper()
			wantStatus(t, r, 200)
			var out []string
			for _, it := range r.JSON(t)["items"].([]any) {
				out = append(out, it.(map[string]any)["id"].(string))
			}
			return out
		}
		if got := ids(e.do("GET", "/api/v1/contacts?answer=awaiting", nil, "Authorization", carerB)); !slices.Equal(got, []string{cb}) {
			t.Fatalf("carer B's contacts awaiting: %v", got)
		}
		if got := ids(e.do("GET", "/api/v1/contacts?provider_id="+b, nil, "Authorization", carerA)); len(got) != 0 {
			t.Fatalf("carer A sees another home's contacts: %v", got)
		}
		if got := ids(e.do("GET", "/api/v1/contacts?answer=declined", nil, "Authorization", officer)); len(got) != 1 {
			t.Fatalf("officer's declined contacts: %v", got)
		}
		wantProblem(t, e.do("GET", "/api/v1/contacts?answer=maybe", nil), 422, "answer")
		yes := map[string]any{"answer": "accepted", "note": "We can take her tonight."}
		wantProblem(t, e.do("PUT", "/api/v1/contacts/"+cb+"/answer", yes, "Authorization", carerA, "If-Match", `"1"`), 404, "")
		wantProblem(t, e.do("PUT", "/api/v1/contacts/"+cb+"/answer", yes, "Authorization", carerB), 428, "")
		wantProblem(t, e.do("PUT", "/api/v1/contacts/"+cb+"/answer", map[string]any{"answer": "awaiting"},
			"Authorization", carerB, "If-Match", `"1"`), 422, "answer")
		r = e.do("PUT", "/api/v1/contacts/"+cb+"/answer", yes, "Authorization", carerB, "If-Match", `"1"`)
		wantStatus(t, r, 200)
		if c := r.JSON(t); c["answer"] != "accepted" || c["answered_by"] != "carer-b" || c["version"].(float64) != 2 {
			t.Fatalf("answered %v", c)
		}
		wantStatus(t, e.do("GET", "/api/v1/contacts/"+cb, nil, "Authorization", carerB), 200)

		book := placementBody(child, "foster_carer", b)
		book["match_id"], book["match_rank"], book["decision_reason"] = run, 2, "The first home had no vacancy after all."
		wantStatus(t, e.do("POST", "/api/v1/placements", book), 201)
		d := e.do("GET", "/api/v1/matches/"+run+"/decision", nil, "Authorization", officer).JSON(t)
		answers, declines := d["answers"].(map[string]any), d["declines"].(map[string]any)
		if d["homes_contacted"].(float64) != 2 || answers["declined"].(float64) != 1 || answers["accepted"].(float64) != 1 ||
			declines["no_vacancy"].(float64) != 1 || d["referral_to_booking_seconds"].(float64) != 7200 ||
			d["booking"].(map[string]any)["match_rank"].(float64) != 2 ||
			d["booking"].(map[string]any)["decision_reason"] != "The first home had no vacancy after all." {
			t.Fatalf("decision %v", d)
		}
		var actions []string
		for _, ev := range auditRows(t, e.db, "officer-calls") {
			actions = append(actions, fmt.Sprintf("%s %d", ev.Action, ev.Status))
		}
		want := append(slices.Repeat([]string{"contact.create 422"}, 9), "contact.create 201", "contact.create 201",
			"contact.list 200", "decision.read 200")
		if !slices.Equal(actions, want) {
			t.Fatalf("officer's trail %v", actions)
		}
		if rows := auditRows(t, e.db, "carer-b"); len(rows) != 5 || rows[0].Action != "contact.list" || rows[4].Action != "contact.read" {
			t.Fatalf("carer's trail %+v", rows)
		}
	})
}
