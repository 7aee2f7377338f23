package api

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"placematch"
)

// pointIn is a location as given: both halves are required when the object is.
type pointIn struct {
	Lat *float64 `json:"lat"`
	Lon *float64 `json:"lon"`
}

func (p *pointIn) validate(field string, v *placematch.ValidationError) {
	if p == nil {
		return
	}
	if p.Lat == nil {
		v.Add(field+".lat", "is required")
	}
	if p.Lon == nil {
		v.Add(field+".lon", "is required")
	}
	if p.Lat != nil && p.Lon != nil {
		p.point().Validate(field, v)
	}
}

func (p *pointIn) point() placematch.Point { return placematch.Point{Lat: *p.Lat, Lon: *p.Lon} }

func pointToIn(p placematch.Point) *pointIn { return &pointIn{Lat: &p.Lat, Lon: &p.Lon} }

// availabilityIn is what a provider says about taking children.
type availabilityIn struct {
	Status        *string          `json:"status"`
	AvailableFrom *placematch.Date `json:"available_from,omitempty"`
	Note          *string          `json:"note,omitempty" input:"text"`
	ConfirmedAt   *time.Time       `json:"confirmed_at,omitempty"`
	Source        *string          `json:"source,omitempty"`
}

// availabilityStatuses a client may set; unconfirmed is set only by the nightly job,
// and is accepted back unchanged in a PATCH that does not touch it.
var availabilityStatuses = []string{string(placematch.Available), string(placematch.Unavailable)}

func (a *availabilityIn) validate(field string, v *placematch.ValidationError, allowUnconfirmed bool, now time.Time) {
	if a == nil {
		return
	}
	allowed := availabilityStatuses
	if allowUnconfirmed {
		allowed = append(allowed[:2:2], string(placematch.Unconfirmed))
	}
	requiredEnum(v, field+".status", a.Status, allowed)
	if a.Note != nil {
		maxLen(v, field+".note", *a.Note, 1000)
	}
	if a.Source != nil && *a.Source != "" {
		enum(v, field+".source", *a.Source, placematch.AvailabilitySources)
	}
	if a.ConfirmedAt != nil && a.ConfirmedAt.After(now.Add(time.Minute)) {
		v.Add(field+".confirmed_at", "must not be in the future")
	}
}

func (a *availabilityIn) apply(now time.Time, defaultSource string) placematch.Availability {
	out := placematch.Availability{Status: placematch.Available, Source: defaultSource}
	if a == nil {
		out.ConfirmedAt = &now
		return out
	}
	out.Status = placematch.AvailabilityStatus(*a.Status)
	if a.AvailableFrom != nil {
		out.AvailableFrom = *a.AvailableFrom
	}
	if a.Note != nil {
		out.Note = *a.Note
	}
	if a.Source != nil && *a.Source != "" {
		out.Source = *a.Source
	}
	out.ConfirmedAt = &now
	if a.ConfirmedAt != nil {
		t := a.ConfirmedAt.UTC()
		out.ConfirmedAt = &t
	}
	return out
}

func availabilityToIn(a placematch.Availability) *availabilityIn {
	st := string(a.Status)
	in := &availabilityIn{Status: &st, Note: &a.Note, Source: &a.Source, ConfirmedAt: a.ConfirmedAt}
	if !a.AvailableFrom.IsZero() {
		d := a.AvailableFrom
		in.AvailableFrom = &d
	}
	return in
}

// Field checks shared by every resource.

func required[T any](v *placematch.ValidationError, field string, p *T) bool {
	if p == nil {
		v.Add(field, "is required")
		return false
	}
	return true
}

func requiredString(v *placematch.ValidationError, field string, s *string, limit int) {
	if !required(v, field, s) {
		return
	}
	if strings.TrimSpace(*s) == "" {
		v.Add(field, "must not be empty")
		return
	}
	maxLen(v, field, *s, limit)
}

func maxLen(v *placematch.ValidationError, field, s string, limit int) {
	v.CheckMaxLen(field, s, limit)
}

func enum[T ~string](v *placematch.ValidationError, field string, s T, allowed []T) {
	placematch.CheckOneOf(v, field, s, allowed)
}

func requiredEnum[T ~string](v *placematch.ValidationError, field string, s *T, allowed []T) {
	if required(v, field, s) {
		enum(v, field, *s, allowed)
	}
}

// codeList checks a list of codes: each from the allowed set (when one is given),
// no repeats, bounded length.
func codeList[T ~string](v *placematch.ValidationError, field string, list []T, allowed []T) {
	if len(list) > 50 {
		v.Add(field, "must have at most 50 entries")
		return
	}
	seen := map[T]bool{}
	for i, s := range list {
		f := fmt.Sprintf("%s[%d]", field, i)
		switch {
		case allowed != nil && !placematch.OneOf(s, allowed):
			enum(v, f, s, allowed)
		case allowed == nil && (strings.TrimSpace(string(s)) == "" || len(s) > 60):
			v.Add(f, "must be 1 to 60 characters")
		case seen[s]:
			v.Add(f, "is listed twice")
		}
		seen[s] = true
	}
}

func intRange(v *placematch.ValidationError, field string, n *int, lo, hi int) {
	if required(v, field, n) && (*n < lo || *n > hi) {
		v.Add(field, "must be between %d and %d", lo, hi)
	}
}

func ageOrder(v *placematch.ValidationError, minField, maxField string, lo, hi *int) {
	if lo != nil && hi != nil && *lo > *hi {
		v.Add(minField, "must not be greater than %s", maxField)
	}
}

func ptr[T any](v T) *T { return &v }

// mergePatch applies an RFC 7396 JSON merge patch to the JSON of current and returns
// the merged document, to be decoded and validated like a create.
func mergePatch(current any, patch map[string]any) ([]byte, error) {
	b, err := json.Marshal(current)
	if err != nil {
		return nil, err
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, err
	}
	return json.Marshal(mergeObjects(doc, patch))
}

func mergeObjects(doc, patch map[string]any) map[string]any {
	for k, pv := range patch {
		switch pv := pv.(type) {
		case nil:
			delete(doc, k)
		case map[string]any:
			sub, ok := doc[k].(map[string]any)
			if !ok {
				sub = map[string]any{}
			}
			doc[k] = mergeObjects(sub, pv)
		default:
			doc[k] = pv
		}
	}
	return doc
}
