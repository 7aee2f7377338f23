package api

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"placematch"
	"placematch/auth"
	"placematch/placing"
	"placematch/store"
)

// homeContactIn is a home an officer contacted from a match run, with its answer if it
// gave one.
type homeContactIn struct {
	Provider      *providerRefIn            `json:"provider"`
	ContactedAt   *time.Time                `json:"contacted_at"`
	Answer        *placematch.ContactAnswer `json:"answer"`
	DeclineReason *placematch.DeclineReason `json:"decline_reason"`
	Note          *string                   `json:"note" input:"text"`
	AnsweredAt    *time.Time                `json:"answered_at"`
}

func (in *homeContactIn) validate(v *placematch.ValidationError) {
	if required(v, "provider", in.Provider) {
		requiredEnum(v, "provider.kind", in.Provider.Kind, placematch.ProviderKinds)
		requiredString(v, "provider.id", in.Provider.ID, 36)
	}
	required(v, "contacted_at", in.ContactedAt)
	requiredEnum(v, "answer", in.Answer, placematch.ContactAnswers)
}

// answerIn is a home's answer to a contact.
type answerIn struct {
	Answer        *placematch.ContactAnswer `json:"answer"`
	DeclineReason *placematch.DeclineReason `json:"decline_reason"`
	Note          *string                   `json:"note" input:"text"`
	AnsweredAt    *time.Time                `json:"answered_at"`
}

// homeContactOut is a contact as the API shows it.
type homeContactOut struct {
	placematch.Record
	MatchID       string                   `json:"match_id"`
	ChildID       string                   `json:"child_id"`
	Provider      placematch.ProviderRef   `json:"provider"`
	MatchRank     int                      `json:"match_rank"`
	ContactedAt   time.Time                `json:"contacted_at"`
	Answer        placematch.ContactAnswer `json:"answer"`
	AnsweredAt    *time.Time               `json:"answered_at"`
	DeclineReason placematch.DeclineReason `json:"decline_reason"`
	Note          string                   `json:"note"`
	RecordedBy    string                   `json:"recorded_by"`
	AnsweredBy    string                   `json:"answered_by"`
}

func homeContactToOut(c *placematch.HomeContact) homeContactOut {
	return homeContactOut{Record: c.Record, MatchID: c.MatchID, ChildID: c.ChildID, Provider: c.Provider, MatchRank: c.MatchRank,
		ContactedAt: c.ContactedAt, Answer: c.Answer, AnsweredAt: c.AnsweredAt, DeclineReason: c.DeclineReason, Note: c.Note,
		RecordedBy: c.RecordedBy, AnsweredBy: c.AnsweredBy}
}

// createContact records a home contacted from a match run.
func (s *Server) createContact(c *gin.Context) error {
	var in homeContactIn
	if err := decodeBody(c.Request, &in); err != nil {
		return err
	}
	v := &placematch.ValidationError{}
	in.validate(v)
	if err := v.Err(); err != nil {
		return err
	}
	_, source := selfService(c)
	req := placing.ContactRequest{MatchID: c.Param("id"), ContactedAt: *in.ContactedAt, Answer: *in.Answer,
		Provider:   placematch.ProviderRef{Kind: *in.Provider.Kind, ID: *in.Provider.ID},
		AnsweredAt: in.AnsweredAt, RecordedBy: principal(c).Subject, Source: source}
	if in.DeclineReason != nil {
		req.DeclineReason = *in.DeclineReason
	}
	if in.Note != nil {
		req.Note = strings.TrimSpace(*in.Note)
	}
	ct, err := s.Placing.RecordContact(c.Request.Context(), req)
	if err != nil {
		return err
	}
	auditRecords(c, []string{c.Param("id"), ct.ID})
	c.Header("Location", "/api/v1/contacts/"+ct.ID)
	respond(c, http.StatusCreated, ct.Version, homeContactToOut(ct))
	return nil
}

// getContact shows a contact: to officers, and to the carer or provider whose
// home it is.
func (s *Server) getContact(c *gin.Context) error {
	ct, err := s.ownContact(c)
	if err != nil {
		return err
	}
	respond(c, http.StatusOK, ct.Version, homeContactToOut(ct))
	return nil
}

// answerContact records a home's answer: by an officer, or by the carer or
// provider for its own home (who must send If-Match, as for availability).
func (s *Server) answerContact(c *gin.Context) error {
	if _, err := s.ownContact(c); err != nil {
		return err
	}
	ifVersion, err := ifMatch(c)
	if err != nil {
		return err
	}
	source, err := availabilitySource(c, ifVersion)
	if err != nil {
		return err
	}
	var in answerIn
	if err := decodeBody(c.Request, &in); err != nil {
		return err
	}
	v := &placematch.ValidationError{}
	requiredEnum(v, "answer", in.Answer, placematch.ContactAnswers)
	if err := v.Err(); err != nil {
		return err
	}
	a := placematch.ContactAnswerChange{Answer: *in.Answer, AnsweredAt: in.AnsweredAt, AnsweredBy: principal(c).Subject}
	if in.DeclineReason != nil {
		a.DeclineReason = *in.DeclineReason
	}
	if in.Note != nil {
		a.Note = strings.TrimSpace(*in.Note)
	}
	ct, err := s.Placing.AnswerContact(c.Request.Context(), c.Param("id"), ifVersion, a, source)
	if err != nil {
		return err
	}
	respond(c, http.StatusOK, ct.Version, homeContactToOut(ct))
	return nil
}

// ownContact reads the contact of the route, refusing a carer or provider another
// home's contact as not found (whose existence is not confirmed); audited.
func (s *Server) ownContact(c *gin.Context) (*placematch.HomeContact, error) {
	ct, err := s.Placing.Contact(c.Request.Context(), c.Param("id"))
	if err != nil {
		return nil, err
	}
	p := principal(c)
	ok := true
	switch p.Role {
	case auth.Carer:
		ok = ct.Provider.Kind == placematch.KindCarer && ct.Provider.ID == p.CarerID
	case auth.Provider:
		ok = ct.Provider.Kind == placematch.KindUnit && p.OwnsUnit(ct.Provider.ID)
	}
	if !ok {
		c.Status(http.StatusNotFound)
		_ = s.audit(c, policy{resource: "contact"}, "denied")
		return nil, &requestError{status: http.StatusNotFound, typ: typeNotFound, title: "Not found", detail: "No such record."}
	}
	return ct, nil
}

// decisionOut is what happened after a run: the homes contacted and their
// answers, the booking that cited it, and what is derived from them.
type decisionOut struct {
	MatchID                  string                           `json:"match_id"`
	ChildID                  string                           `json:"child_id"`
	Contacts                 []homeContactOut                 `json:"contacts"`
	HomesContacted           int                              `json:"homes_contacted"`
	Answers                  map[placematch.ContactAnswer]int `json:"answers"`
	Declines                 map[placematch.DeclineReason]int `json:"declines"`
	ReferralAt               time.Time                        `json:"referral_at"`
	Booking                  *bookingOut                      `json:"booking"`
	ReferralToBookingSeconds *int64                           `json:"referral_to_booking_seconds"`
}

type bookingOut struct {
	PlacementID    string                 `json:"placement_id"`
	BookedAt       time.Time              `json:"booked_at"`
	Provider       placematch.ProviderRef `json:"provider"`
	MatchRank      int                    `json:"match_rank"`
	DecisionReason string                 `json:"decision_reason"`
	// WishesAndFeelings are the child's as recorded at the booking.
	WishesAndFeelings *placematch.Wishes `json:"wishes_and_feelings"`
}

// getDecision shows a run's decision record.
func (s *Server) getDecision(c *gin.Context) error {
	d, err := s.Placing.Decision(c.Request.Context(), c.Param("id"))
	if err != nil {
		return err
	}
	out := decisionOut{MatchID: d.MatchID, ChildID: d.ChildID, Contacts: make([]homeContactOut, len(d.Contacts)),
		HomesContacted: d.HomesContacted, Answers: d.Answers, Declines: d.Declines, ReferralAt: d.ReferralAt}
	ids := []string{d.MatchID, d.ChildID}
	for i, ct := range d.Contacts {
		out.Contacts[i] = homeContactToOut(ct)
		ids = append(ids, ct.ID)
	}
	if b := d.Booking; b != nil {
		out.Booking = &bookingOut{PlacementID: b.ID, BookedAt: b.CreatedAt, Provider: b.Provider, MatchRank: b.MatchRank,
			DecisionReason: b.DecisionReason, WishesAndFeelings: b.Wishes}
		secs := int64(d.ReferralToBooking.Seconds())
		out.ReferralToBookingSeconds = &secs
	}
	auditRecords(c, ids)
	c.JSON(http.StatusOK, out)
	return nil
}

// listContacts lists contacts: officers see every home's (filtered by provider_id
// and answer); a carer sees only its own home's and a provider only its own units'.
func (s *Server) listContacts(c *gin.Context) error {
	f := store.ContactFilter{}
	if id := c.Query("provider_id"); id != "" {
		f.ProviderIDs = []string{id}
	}
	switch p := principal(c); p.Role {
	case auth.Carer:
		f.ProviderIDs = ownOnly(f.ProviderIDs, []string{p.CarerID})
	case auth.Provider:
		f.ProviderIDs = ownOnly(f.ProviderIDs, p.UnitIDs)
	}
	return listPage(c, listing[*placematch.HomeContact]{
		params: []string{"provider_id", "answer"},
		filters: func(v *placematch.ValidationError) {
			f.Answer = queryEnum(c, v, "answer", placematch.ContactAnswers)
		},
		fetch: func(ctx context.Context, limit int, cursor string) (store.Page[*placematch.HomeContact], error) {
			f.Limit, f.Cursor = limit, cursor
			return s.Placing.Contacts(ctx, f)
		},
		show: func(ct *placematch.HomeContact) any { return homeContactToOut(ct) },
	})
}

// ownOnly narrows asked (nil: every home) to the caller's own homes. It never
// returns nil, which would mean every home.
func ownOnly(asked, own []string) []string {
	if asked == nil {
		return append([]string{}, own...)
	}
	return slices.DeleteFunc(append([]string{}, asked...), func(id string) bool { return !slices.Contains(own, id) })
}
