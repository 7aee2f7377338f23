package placematch

import "time"

// ContactAnswer is what a home said when asked to take a child from a match run.
type ContactAnswer string

// The answers. Awaiting is a home asked that has not answered yet.
const (
	AnswerAwaiting ContactAnswer = "awaiting"
	AnswerAccepted ContactAnswer = "accepted"
	AnswerDeclined ContactAnswer = "declined"
	AnswerNone     ContactAnswer = "no_answer"
)

// ContactAnswers lists every answer.
var ContactAnswers = []ContactAnswer{AnswerAwaiting, AnswerAccepted, AnswerDeclined, AnswerNone}

// DeclineReason is why a home declined: a short taxonomy, with free text beside it.
type DeclineReason string

// The decline reasons.
const (
	DeclineNoVacancy     DeclineReason = "no_vacancy"
	DeclineNeeds         DeclineReason = "cannot_meet_needs"
	DeclineHousehold     DeclineReason = "household_circumstances"
	DeclineOther         DeclineReason = "other"
	maxContactNote                     = 2000
	maxContactRecordedBy               = 200
)

// DeclineReasons lists every decline reason.
var DeclineReasons = []DeclineReason{DeclineNoVacancy, DeclineNeeds, DeclineHousehold, DeclineOther}

// HomeContact is one home an officer asked to take the child of a match run, and its
// answer. The match run is the decision record's spine: the booking cites it too.
type HomeContact struct {
	Record
	MatchID string
	ChildID string
	// Provider is the home asked; MatchRank is its rank in the run, 0 when the run
	// did not rank it (an officer may ask a home further down).
	Provider    ProviderRef
	MatchRank   int
	ContactedAt time.Time
	Answer      ContactAnswer
	// AnsweredAt is when the home answered; nil while awaiting.
	AnsweredAt *time.Time
	// DeclineReason is set only when Answer is declined.
	DeclineReason DeclineReason
	Note          string
	// RecordedBy is who recorded the contact; AnsweredBy who recorded the answer
	// (the officer, or the carer or provider answering for its own home).
	RecordedBy string
	AnsweredBy string
}

// ContactAnswerChange is an answer given to a contact.
type ContactAnswerChange struct {
	Answer        ContactAnswer
	DeclineReason DeclineReason
	Note          string
	// AnsweredAt nil means now.
	AnsweredAt *time.Time
	AnsweredBy string
}

// MarksUnconfirmed reports whether the answer says the home had no vacancy after
// all, which makes its recorded availability unconfirmed.
func (c *HomeContact) MarksUnconfirmed() bool {
	return c.Answer == AnswerDeclined && c.DeclineReason == DeclineNoVacancy
}

// Validate checks a contact as recorded at now for a run made at runAt: a known
// answer; a decline reason exactly when declined, and a note when it is other;
// times neither in the future nor before the run, and an answer not before the
// contact. Every problem is a field of one *ValidationError.
func (c *HomeContact) Validate(now, runAt time.Time) error {
	v := &ValidationError{}
	switch {
	case c.ContactedAt.IsZero():
		v.Add("contacted_at", "is required")
	case c.ContactedAt.After(now):
		v.Add("contacted_at", "must not be in the future")
	case c.ContactedAt.Before(runAt):
		v.Add("contacted_at", "must not be before the match run was made (%s)", runAt.Format(time.RFC3339))
	}
	c.validateAnswer(v, now)
	v.CheckMaxLen("recorded_by", c.RecordedBy, maxContactRecordedBy)
	return v.Err()
}

func (c *HomeContact) validateAnswer(v *ValidationError, now time.Time) {
	CheckOneOf(v, "answer", c.Answer, ContactAnswers)
	switch {
	case c.Answer == AnswerDeclined && c.DeclineReason == "":
		v.Add("decline_reason", "is required when the answer is declined")
	case c.Answer == AnswerDeclined:
		CheckOneOf(v, "decline_reason", c.DeclineReason, DeclineReasons)
	case c.DeclineReason != "":
		v.Add("decline_reason", "is given only when the answer is declined")
	}
	if c.DeclineReason == DeclineOther && c.Note == "" {
		v.Add("note", "is required when the reason is other")
	}
	v.CheckMaxLen("note", c.Note, maxContactNote)
	switch {
	case c.Answer == AnswerAwaiting && c.AnsweredAt != nil:
		v.Add("answered_at", "is given only with an answer")
	case c.AnsweredAt == nil:
	case c.AnsweredAt.After(now):
		v.Add("answered_at", "must not be in the future")
	case c.AnsweredAt.Before(c.ContactedAt):
		v.Add("answered_at", "must not be before contacted_at")
	}
}

// ApplyAnswer gives the contact an answer at now, or says why it cannot: the
// answer must be one (not awaiting again) and follow Validate's rules.
func (c *HomeContact) ApplyAnswer(a ContactAnswerChange, now time.Time) error {
	c.Answer, c.DeclineReason, c.Note, c.AnsweredBy = a.Answer, a.DeclineReason, a.Note, a.AnsweredBy
	c.AnsweredAt = a.AnsweredAt
	if c.AnsweredAt == nil {
		c.AnsweredAt = &now
	}
	v := &ValidationError{}
	if a.Answer == AnswerAwaiting {
		v.Add("answer", "must be an answer: accepted, declined or no_answer")
		c.AnsweredAt = nil
	}
	c.validateAnswer(v, now)
	return v.Err()
}
