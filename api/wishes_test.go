package api_test

import (
	"encoding/json"
	"testing"
)

// A referral records the child's wishes and feelings (text, who, when); every run
// shows each child's beside the ranking, the booking keeps them with the decision,
// and they are never scored: the ranked part is the same byte for byte with and
// without them. Bad input is 422 naming the field, and nothing is stored.
func TestWishesAndFeelingsBesideTheRankingNeverScored(t *testing.T) {
	eachDialect(t, func(t *testing.T, e *env) {
		carer := e.do("POST", "/api/v1/carers", carerBody("C1")).JSON(t)["id"].(string)
		wishes := map[string]any{"text": "Wants to stay near her brother and keep her dog.", "recorded_by": "social worker SW-12",
			"recorded_at": "2026-11-20T15:30:00Z"}

		before := e.snapshot(t)
		for field, bad := range map[string]map[string]any{
			"wishes_and_feelings.text":        with(wishes, "text", " "),
			"wishes_and_feelings.recorded_by": with(wishes, "recorded_by", nil),
			"wishes_and_feelings.recorded_at": with(wishes, "recorded_at", "2026-12-01T09:00:00Z"),
		} {
			wantProblem(t, e.do("POST", "/api/v1/children", with(childBody("W"), "wishes_and_feelings", bad)), 422, field)
		}
		if e.snapshot(t) != before {
			t.Fatal("a refused referral changed stored records")
		}

		r := e.do("POST", "/api/v1/children", with(childBody("W"), "wishes_and_feelings", wishes))
		wantStatus(t, r, 201)
		child := r.JSON(t)
		id := child["id"].(string)
		if w := child["wishes_and_feelings"].(map[string]any); w["text"] != wishes["text"] || w["recorded_by"] != wishes["recorded_by"] {
			t.Fatalf("child shows %v", w)
		}
		patch := func(w any) {
			t.Helper()
			wantStatus(t, e.do("PATCH", "/api/v1/children/"+id, map[string]any{"wishes_and_feelings": w},
				"Content-Type", "application/merge-patch+json"), 200)
		}

		type shown struct {
			Matches json.RawMessage `json:"matches"`
			Wishes  []struct {
				ChildID string         `json:"child_id"`
				Wishes  map[string]any `json:"wishes"`
			} `json:"wishes_and_feelings"`
		}
		run := func(id string) (shown, string) {
			r := e.do("GET", "/api/v1/children/"+id+"/matches", nil)
			wantStatus(t, r, 200)
			var s shown
			if err := json.Unmarshal(r.Body, &s); err != nil {
				t.Fatal(err)
			}
			return s, r.JSON(t)["match_id"].(string)
		}
		with1, matchID := run(id)
		patch(nil)
		without, _ := run(id)
		patch(wishes)
		if len(with1.Wishes) != 1 || with1.Wishes[0].ChildID != id || with1.Wishes[0].Wishes["text"] != wishes["text"] {
			t.Fatalf("run shows %+v", with1.Wishes)
		}
		if len(without.Wishes) != 1 || without.Wishes[0].Wishes != nil {
			t.Fatalf("run without wishes shows %+v", without.Wishes)
		}
		if string(with1.Matches) != string(without.Matches) {
			t.Fatalf("wishes changed the ranking:\n%s\n%s", with1.Matches, without.Matches)
		}

		book := placementBody(id, "foster_carer", carer)
		book["match_id"], book["match_rank"] = matchID, 1
		r = e.do("POST", "/api/v1/placements", book)
		wantStatus(t, r, 201)
		pl := r.JSON(t)["placements"].([]any)[0].(map[string]any)
		// A later change to the referral does not rewrite what the decision was made with.
		patch(with(wishes, "text", "Changed her mind."))
		got := e.do("GET", "/api/v1/placements/"+pl["id"].(string), nil).JSON(t)
		if w := got["wishes_and_feelings"].(map[string]any); w["text"] != wishes["text"] {
			t.Fatalf("placement keeps %v", w)
		}
		d := e.do("GET", "/api/v1/matches/"+matchID+"/decision", nil).JSON(t)
		if w := d["booking"].(map[string]any)["wishes_and_feelings"].(map[string]any); w["text"] != wishes["text"] {
			t.Fatalf("decision record shows %v", w)
		}
	})
}
