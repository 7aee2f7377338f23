package api

import (
	"net/mail"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"placematch"
	"placematch/auth"
	"placematch/store"
)

// What an officer needs to act on a match (contacts, the supervising social worker,
// a carer's fee band) and the records that replaced yes/no flags (fostering-limit
// exemptions, Ofsted ratings), as clients write them.

// contactIn is how to reach a household, a provider or a person.
type contactIn struct {
	Phone *string `json:"phone"`
	Email *string `json:"email"`
}

func (c *contactIn) validate(v *placematch.ValidationError, field string) {
	if c == nil {
		return
	}
	if c.Phone != nil && *c.Phone != "" && !isPhone(*c.Phone) {
		v.Add(field+".phone", "must be a telephone number: 10 to 15 digits, with spaces, brackets, hyphens or a leading + allowed")
	}
	if c.Email != nil && *c.Email != "" && !isEmail(*c.Email) {
		v.Add(field+".email", "must be an email address such as name@example.org")
	}
}

func (c *contactIn) contact() placematch.Contact {
	if c == nil {
		return placematch.Contact{}
	}
	return placematch.Contact{Phone: deref(c.Phone), Email: deref(c.Email)}
}

func contactToIn(c placematch.Contact) *contactIn {
	if c.IsZero() {
		return nil
	}
	return &contactIn{Phone: optString(c.Phone), Email: optString(c.Email)}
}

// personIn is a carer's supervising social worker.
type personIn struct {
	Name  *string `json:"name"`
	Phone *string `json:"phone"`
	Email *string `json:"email"`
}

func (p *personIn) validate(v *placematch.ValidationError, field string) {
	if p == nil {
		return
	}
	requiredString(v, field+".name", p.Name, 200)
	(&contactIn{Phone: p.Phone, Email: p.Email}).validate(v, field)
	if deref(p.Phone) == "" && deref(p.Email) == "" {
		v.Add(field+".phone", "a phone number or an email address is required")
	}
}

func (p *personIn) person() *placematch.Person {
	if p == nil {
		return nil
	}
	return &placematch.Person{Name: deref(p.Name), Phone: deref(p.Phone), Email: deref(p.Email)}
}

func personToIn(p *placematch.Person) *personIn {
	if p == nil {
		return nil
	}
	return &personIn{Name: &p.Name, Phone: optString(p.Phone), Email: optString(p.Email)}
}

// isPhone accepts UK and international numbers as people write them.
func isPhone(s string) bool {
	if len(s) > 32 {
		return false
	}
	digits := 0
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == ' ' || r == '-' || r == '(' || r == ')':
		case r == '+' && i == 0:
		default:
			return false
		}
	}
	return digits >= 10 && digits <= 15
}

// isEmail accepts a bare address (no display name) of at most 254 characters.
func isEmail(s string) bool {
	if len(s) > 254 {
		return false
	}
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && a.Name == "" && strings.Contains(s[strings.LastIndex(s, "@")+1:], ".")
}

// exemptionIn is an exemption from the usual fostering limit.
type exemptionIn struct {
	Children   []string         `json:"children"`
	GrantedBy  *string          `json:"granted_by"`
	GrantedOn  *placematch.Date `json:"granted_on"`
	ExpiresOn  *placematch.Date `json:"expires_on"`
	Conditions *string          `json:"conditions"`
	// Legacy is the yes/no recorded before exemptions were records; it reads back
	// as it was stored and names nothing.
	Legacy bool `json:"legacy,omitempty"`
}

// maxExemptions bounds the exemptions one carer's record holds.
const maxExemptions = 10

// validateExemptions checks every exemption: a legacy one names nothing; any other
// names 1 to 10 children by id and the council that granted it, was not granted in
// the future and does not expire before it was granted.
func validateExemptions(v *placematch.ValidationError, field string, es []exemptionIn, today placematch.Date) {
	if len(es) > maxExemptions {
		v.Add(field, "must have at most %d entries", maxExemptions)
		return
	}
	for i, e := range es {
		f := fieldIndex(field, i)
		if e.Legacy {
			if len(e.Children) > 0 || deref(e.GrantedBy) != "" {
				v.Add(f+".legacy", "a legacy exemption names no children and no council; record it in full without legacy")
			}
			continue
		}
		switch {
		case len(e.Children) == 0:
			v.Add(f+".children", "must name at least one child (the children the exemption covers)")
		case len(e.Children) > 10:
			v.Add(f+".children", "must have at most 10 entries")
		}
		seen := map[string]bool{}
		for j, id := range e.Children {
			switch {
			case !store.ValidID(id):
				v.Add(fieldIndex(f+".children", j), "must be a child's id")
			case seen[id]:
				v.Add(fieldIndex(f+".children", j), "is listed twice")
			}
			seen[id] = true
		}
		requiredString(v, f+".granted_by", e.GrantedBy, 200)
		if e.GrantedOn != nil && e.GrantedOn.After(today) {
			v.Add(f+".granted_on", "must not be in the future")
		}
		if e.GrantedOn != nil && e.ExpiresOn != nil && e.ExpiresOn.Before(*e.GrantedOn) {
			v.Add(f+".expires_on", "must not be before granted_on")
		}
		if e.Conditions != nil {
			maxLen(v, f+".conditions", *e.Conditions, 2000)
		}
	}
}

func exemptionsOf(es []exemptionIn) []placematch.Exemption {
	var out []placematch.Exemption
	for _, e := range es {
		x := placematch.Exemption{Children: nonNil(e.Children), GrantedBy: deref(e.GrantedBy),
			Conditions: deref(e.Conditions), Legacy: e.Legacy}
		if e.GrantedOn != nil {
			x.GrantedOn = *e.GrantedOn
		}
		if e.ExpiresOn != nil {
			x.ExpiresOn = *e.ExpiresOn
		}
		out = append(out, x)
	}
	return out
}

func exemptionsToIn(es []placematch.Exemption) []exemptionIn {
	var out []exemptionIn
	for _, e := range es {
		x := exemptionIn{Children: e.Children, GrantedBy: optString(e.GrantedBy), Conditions: optString(e.Conditions),
			Legacy: e.Legacy}
		if !e.GrantedOn.IsZero() {
			x.GrantedOn = &e.GrantedOn
		}
		if !e.ExpiresOn.IsZero() {
			x.ExpiresOn = &e.ExpiresOn
		}
		out = append(out, x)
	}
	return out
}

// exemptionOut is an exemption as the API shows it, legacy always said.
type exemptionOut struct {
	placematch.Exemption
	// GrantedBy and Conditions are null when not recorded (a legacy exemption, none
	// given), never empty strings.
	GrantedBy  *string `json:"granted_by"`
	Conditions *string `json:"conditions"`
	Legacy     bool    `json:"legacy"`
}

func exemptionsToOut(es []placematch.Exemption) []exemptionOut {
	out := []exemptionOut{}
	for _, e := range es {
		e.Children = nonNil(e.Children)
		out = append(out, exemptionOut{Exemption: e, GrantedBy: optString(e.GrantedBy), Conditions: optString(e.Conditions),
			Legacy: e.Legacy})
	}
	return out
}

// ofstedIn is a unit's or hub's latest Ofsted overall rating.
type ofstedIn struct {
	Rating         *placematch.OfstedGrade `json:"rating"`
	InspectionDate *placematch.Date        `json:"inspection_date"`
}

// validate: a rating needs its inspection date, not in the future, and a URN.
func (o *ofstedIn) validate(v *placematch.ValidationError, field string, urn *string, today placematch.Date) {
	if o == nil {
		return
	}
	requiredEnum(v, field+".rating", o.Rating, placematch.OfstedGrades)
	if required(v, field+".inspection_date", o.InspectionDate) && o.InspectionDate.After(today) {
		v.Add(field+".inspection_date", "must not be in the future")
	}
	if urn == nil || *urn == "" {
		v.Add("ofsted_urn", "is required with an Ofsted rating")
	}
}

func (o *ofstedIn) rating() placematch.OfstedRating {
	if o == nil || o.Rating == nil || o.InspectionDate == nil {
		return placematch.OfstedRating{}
	}
	return placematch.OfstedRating{Grade: *o.Rating, InspectedOn: *o.InspectionDate}
}

func ofstedToIn(r placematch.OfstedRating) *ofstedIn {
	if !r.Inspected() {
		return nil
	}
	return &ofstedIn{Rating: &r.Grade, InspectionDate: &r.InspectedOn}
}

// ofstedOut is the rating as shown: no rating and a null date when not yet
// inspected (an enumerated value not recorded is absent).
type ofstedOut struct {
	Rating         *placematch.OfstedGrade `json:"rating,omitempty"`
	InspectionDate *placematch.Date        `json:"inspection_date"`
}

func ofstedToOut(r placematch.OfstedRating) ofstedOut {
	if !r.Inspected() {
		return ofstedOut{}
	}
	return ofstedOut{Rating: &r.Grade, InspectionDate: &r.InspectedOn}
}

// officerOnly is a provider's response with fields for officers (and admins, and
// the provider or carer itself): contact details, the supervising social worker,
// the fee band. forCommissioner returns it without them.
type officerOnly interface{ forCommissioner() any }

// view is a provider as the caller may see it: commissioners never see how to
// contact a household or who supervises it.
func view(c *gin.Context, r providerResource, p *placematch.Provider) any {
	out := r.toOut(p)
	if principal(c).Role == auth.Commissioner {
		if o, ok := out.(officerOnly); ok {
			return o.forCommissioner()
		}
	}
	return out
}

// today is the date of now, for the validations that compare dates with it.
func today(now time.Time) placematch.Date { return placematch.DateOf(now) }
