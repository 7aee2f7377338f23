package placematch

import (
	"slices"
	"strings"
)

// Exemption is an exemption from the usual fostering limit (Children Act 1989
// Schedule 7 para 4): granted by the council where the carer lives, for the children
// it names, with any conditions, until its expiry if it has one.
type Exemption struct {
	// Children are the ids of the children the exemption names.
	Children []string `json:"children"`
	// GrantedBy is the council that granted it.
	GrantedBy string `json:"granted_by"`
	// GrantedOn is when it was granted; ExpiresOn the last day it runs (zero: no
	// expiry).
	GrantedOn  Date   `json:"granted_on"`
	ExpiresOn  Date   `json:"expires_on"`
	Conditions string `json:"conditions"`
	// Legacy marks an exemption recorded before exemptions were records: only a
	// yes/no, naming no child and no council. It covers no child (a placement above
	// the limit needs the children named) until it is recorded in full.
	Legacy bool `json:"legacy,omitempty"`
}

// CurrentOn reports whether the exemption runs on d: granted by then (or with no
// grant date) and not expired. A legacy exemption is never current: nothing says
// what it covers.
func (e Exemption) CurrentOn(d Date) bool {
	if e.Legacy {
		return false
	}
	if !e.GrantedOn.IsZero() && e.GrantedOn.After(d) {
		return false
	}
	return e.ExpiresOn.IsZero() || !e.ExpiresOn.Before(d)
}

// Covers reports whether the exemption names the child with this id.
func (e Exemption) Covers(childID string) bool {
	return childID != "" && slices.Contains(e.Children, childID)
}

// CurrentExemption reports whether any of es is current on d.
func CurrentExemption(es []Exemption, d Date) bool {
	return slices.ContainsFunc(es, func(e Exemption) bool { return e.CurrentOn(d) })
}

// ExemptionFor returns the first exemption current on d that names every one of ids.
func ExemptionFor(es []Exemption, d Date, ids []string) (Exemption, bool) {
	for _, e := range es {
		if e.CurrentOn(d) && !slices.ContainsFunc(ids, func(id string) bool { return !e.Covers(id) }) {
			return e, true
		}
	}
	return Exemption{}, false
}

// Contact is how an officer reaches a household, a provider or a person.
type Contact struct {
	// Phone and Email are left out of JSON when not recorded (never "").
	Phone string `json:"phone,omitempty"`
	Email string `json:"email,omitempty"`
}

// IsZero reports whether nothing is recorded.
func (c Contact) IsZero() bool { return c.Phone == "" && c.Email == "" }

// Person is someone an officer may need to call: a supervising social worker.
type Person struct {
	Name string `json:"name"`
	// Phone and Email are left out of JSON when not recorded (never "").
	Phone string `json:"phone,omitempty"`
	Email string `json:"email,omitempty"`
}

// OfstedGrade is an Ofsted overall effectiveness judgement.
type OfstedGrade string

// The Ofsted overall judgements (Social care common inspection framework).
const (
	OfstedOutstanding         OfstedGrade = "outstanding"
	OfstedGood                OfstedGrade = "good"
	OfstedRequiresImprovement OfstedGrade = "requires_improvement"
	OfstedInadequate          OfstedGrade = "inadequate"
)

// OfstedGrades lists the judgements, best first.
var OfstedGrades = []OfstedGrade{OfstedOutstanding, OfstedGood, OfstedRequiresImprovement, OfstedInadequate}

// ParseOfstedGrade reads a judgement as Ofsted publishes it ("Requires improvement to
// be good") or as this service writes it ("requires_improvement"); ok is false for
// anything else, the empty string included.
func ParseOfstedGrade(s string) (OfstedGrade, bool) {
	k := strings.Join(strings.Fields(strings.ToLower(strings.ReplaceAll(s, "_", " "))), " ")
	switch k {
	case "outstanding":
		return OfstedOutstanding, true
	case "good":
		return OfstedGood, true
	case "requires improvement", "requires improvement to be good":
		return OfstedRequiresImprovement, true
	case "inadequate":
		return OfstedInadequate, true
	}
	return "", false
}

// OfstedRating is a provider's latest Ofsted overall rating; the zero value is "not
// yet inspected".
type OfstedRating struct {
	Grade       OfstedGrade `json:"rating"`
	InspectedOn Date        `json:"inspection_date"`
}

// Inspected reports whether a rating is recorded.
func (r OfstedRating) Inspected() bool { return r.Grade != "" }

// OfstedOf returns a unit's or a hub's URN and latest rating; carers have neither
// (their fostering service is inspected, not the household).
func (p *Provider) OfstedOf() (urn string, r OfstedRating, ok bool) {
	switch {
	case p.Unit != nil:
		return p.Unit.OfstedURN, p.Unit.Ofsted, true
	case p.Hub != nil:
		return p.Hub.OfstedURN, p.Hub.Ofsted, true
	}
	return "", OfstedRating{}, false
}

// ValidURN reports whether s is an Ofsted unique reference number: 6 to 8 digits, or
// SC and six digits for older social care registrations.
func ValidURN(s string) bool {
	digits := s
	if len(s) == 8 && s[:2] == "SC" {
		digits = s[2:]
	} else if len(s) < 6 || len(s) > 8 {
		return false
	}
	for _, r := range digits {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
