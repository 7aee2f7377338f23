package placematch_test

import (
	"errors"
	"testing"
	"time"

	"placematch"
)

// A contact is refused on the field that is wrong; "no vacancy after all" is the one
// answer that marks availability unconfirmed.
func TestContactValidation(t *testing.T) {
	runAt := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	now := runAt.Add(2 * time.Hour)
	at := func(d time.Duration) *time.Time { t := runAt.Add(d); return &t }
	base := func() placematch.HomeContact {
		return placematch.HomeContact{ContactedAt: runAt.Add(time.Hour), Answer: placematch.AnswerDeclined,
			DeclineReason: placematch.DeclineNeeds, AnsweredAt: at(time.Hour)}
	}
	for _, tc := range []struct {
		name, field string
		change      func(c *placematch.HomeContact)
	}{
		{"valid", "", func(c *placematch.HomeContact) {}},
		{"awaiting", "", func(c *placematch.HomeContact) {
			c.Answer, c.DeclineReason, c.AnsweredAt = placematch.AnswerAwaiting, "", nil
		}},
		{"no time", "contacted_at", func(c *placematch.HomeContact) { c.ContactedAt = time.Time{} }},
		{"before the run", "contacted_at", func(c *placematch.HomeContact) { c.ContactedAt = runAt.Add(-time.Minute) }},
		{"in the future", "contacted_at", func(c *placematch.HomeContact) { c.ContactedAt = now.Add(time.Minute) }},
		{"unknown answer", "answer", func(c *placematch.HomeContact) { c.Answer = "perhaps" }},
		{"declined without reason", "decline_reason", func(c *placematch.HomeContact) { c.DeclineReason = "" }},
		{"unknown reason", "decline_reason", func(c *placematch.HomeContact) { c.DeclineReason = "busy" }},
		{"reason without decline", "decline_reason", func(c *placematch.HomeContact) { c.Answer = placematch.AnswerAccepted }},
		{"other without note", "note", func(c *placematch.HomeContact) { c.DeclineReason = placematch.DeclineOther }},
		{"answered before contacted", "answered_at", func(c *placematch.HomeContact) { c.AnsweredAt = at(30 * time.Minute) }},
		{"answered in the future", "answered_at", func(c *placematch.HomeContact) { c.AnsweredAt = at(3 * time.Hour) }},
		{"awaiting with an answer time", "answered_at", func(c *placematch.HomeContact) {
			c.Answer, c.DeclineReason = placematch.AnswerAwaiting, ""
		}},
	} {
		c := base()
		tc.change(&c)
		err := c.Validate(now, runAt)
		var ve *placematch.ValidationError
		switch {
		case tc.field == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.field != "" && (!errors.As(err, &ve) || ve.Errors[0].Field != tc.field):
			t.Errorf("%s: %v, want an error on %s", tc.name, err, tc.field)
		}
	}

	c := base()
	if c.MarksUnconfirmed() {
		t.Error("cannot meet needs marks availability unconfirmed")
	}
	err := c.ApplyAnswer(placematch.ContactAnswerChange{Answer: placematch.AnswerDeclined, DeclineReason: placematch.DeclineNoVacancy,
		AnsweredBy: "carer-1"}, now)
	if err != nil || !c.MarksUnconfirmed() || !c.AnsweredAt.Equal(now) || c.AnsweredBy != "carer-1" {
		t.Errorf("no vacancy after all: %v, %+v", err, c)
	}
	if err := c.ApplyAnswer(placematch.ContactAnswerChange{Answer: placematch.AnswerAwaiting}, now); err == nil {
		t.Error("an answer back to awaiting accepted")
	}
}
