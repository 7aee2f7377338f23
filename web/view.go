package web

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"placematch"
	"placematch/auth"
	"placematch/matching"
)

//go:embed templates
var templateFS embed.FS

// view is what every page is rendered from: the page's own data in Data, and what
// the layout shows around it.
type view struct {
	Title string
	// Section names the navigation item to mark current ("queue", "placements").
	Section string
	// Errors fill the error summary and the fields' inline messages.
	Errors []fieldError
	Data   any

	// Map asks for Leaflet's stylesheet and script on the page.
	Map bool
	// Docs asks for the API reference's renderer (Swagger UI) on the page.
	Docs bool

	Person *Person
	Demo   bool
	CSS    []string
	JS     struct {
		Init, App, Leaflet string
		// Extra are scripts a page asks for beyond the service's own (Docs).
		Extra []string
	}
}

// fieldError is one error as the page shows it: the message, the field at fault
// (the API's name for it) and the id of the input the summary links to. A
// summary-only error (a broken hard rule, a place taken meanwhile) has no Field.
type fieldError struct {
	Field, ID, Message string
}

// For returns the message for a field, or "" when it has none.
func (v view) For(field string) string {
	for _, e := range v.Errors {
		if e.Field == field {
			return e.Message
		}
	}
	return ""
}

// navItem is one item of the service navigation.
type navItem struct {
	Href, Text string
	Current    bool
}

// parsePages parses the layout with each page: one template set per page, so that
// each defines its own "content" block.
func (s *Server) parsePages() (map[string]*template.Template, error) {
	funcs := template.FuncMap{
		"date":          formatDate,
		"time":          formatTime,
		"label":         humanise,
		"reasonLabel":   reasonLabel,
		"reasonHint":    reasonHint,
		"flagLabel":     flagLabel,
		"flagColour":    flagColour,
		"bandColour":    bandColour,
		"endReason":     endReasonLabel,
		"roleLabel":     roleLabel,
		"miles":         func(f float64) string { return fmt.Sprintf("%.1f", f) },
		"kmAsMiles":     func(km float64) string { return fmt.Sprintf("%.1f", km/kmPerMile) },
		"score":         func(f float64) string { return fmt.Sprintf("%.1f", f) },
		"add":           func(a, b int) int { return a + b },
		"pounds":        func(p *int64) string { return fmt.Sprintf("£%d.%02d", *p/100, *p%100) },
		"deref":         func(g *placematch.OfstedGrade) placematch.OfstedGrade { return *g },
		"str":           func(p *string) string { return *p },
		"derefDate":     func(d *placematch.Date) placematch.Date { return *d },
		"join":          strings.Join,
		"lower":         strings.ToLower,
		"derefTime":     func(t *time.Time) time.Time { return *t },
		"dateOf":        func(t *time.Time) placematch.Date { return placematch.DateOf(t.UTC()) },
		"placementType": func(t placematch.PlacementType) string { return humanise(string(t)) },
		"consoleNav":    consoleNav,
		"issueWhere":    issueWhere,
		"navitem": func(href, text string, current bool) navItem {
			return navItem{Href: href, Text: text, Current: current}
		},
	}
	base, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/*.html") // the layout and every file of partials
	if err != nil {
		return nil, err
	}
	names, err := fs.Glob(templateFS, "templates/pages/*.html")
	if err != nil {
		return nil, err
	}
	pages := map[string]*template.Template{}
	for _, n := range names {
		t, err := template.Must(base.Clone()).ParseFS(templateFS, n)
		if err != nil {
			return nil, err
		}
		pages[strings.TrimSuffix(strings.TrimPrefix(n, "templates/pages/"), ".html")] = t
	}
	return pages, nil
}

// render writes a page. It renders into a buffer first, so that a template error
// is a clean 500 rather than half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, page string, v view) {
	t, ok := s.pages[page]
	if !ok {
		panic("web: no page " + page)
	}
	v.Person, v.Demo = personOf(r), len(s.Demo) > 0
	if len(v.Errors) > 0 {
		v.Title = "Error: " + v.Title
	}
	var errs [4]error
	v.CSS = make([]string, 2)
	v.CSS[0], errs[0] = s.assets.URL("vendor/govuk-frontend/govuk-frontend.min.css")
	v.CSS[1], errs[1] = s.assets.URL("app/app.css")
	v.JS.Init, errs[2] = s.assets.URL("app/init.js")
	v.JS.App, errs[3] = s.assets.URL("app/app.js")
	err := errors.Join(errs[:]...)
	if v.Map && err == nil {
		var css string
		css, err = s.assets.URL("vendor/leaflet/leaflet.css")
		v.CSS = append([]string{css}, v.CSS...)
		if err == nil {
			v.JS.Leaflet, err = s.assets.URL("vendor/leaflet/leaflet.js")
		}
	}
	if v.Docs && err == nil {
		err = s.docsAssets(&v)
	}
	var buf bytes.Buffer
	if err == nil {
		err = t.Execute(&buf, v)
	}
	if err != nil {
		slog.ErrorContext(r.Context(), "page render failed", "page", page, "error", err.Error())
		http.Error(w, "The page could not be shown.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

type errorData struct{ Heading, Body string }

func (s *Server) renderError(w http.ResponseWriter, r *http.Request, status int, heading, body string) {
	s.render(w, r, status, "error", view{Title: heading, Data: errorData{Heading: heading, Body: body}})
}

// formErrors turns the error of a form's use case into what the page shows, with
// the status to answer: field errors (422) name the inputs by the API's field
// names, and a message that does not start with a capital (the domain's "is
// required when …") is prefixed with the field's name in words; linked to the inputs whose ids ids gives (the field itself when absent);
// a hard rule broken on the locked rows, a lack of places or a conflict (409) go
// in the summary alone. Any other error is not the form's and ok is false.
func formErrors(err error, ids map[string]string) (errs []fieldError, status int, ok bool) {
	var (
		ve *placematch.ValidationError
		re *placematch.RuleError
		de *placematch.Error
	)
	switch {
	case errors.As(err, &ve):
		for _, fe := range ve.Errors {
			id := ids[fe.Field]
			if id == "" {
				id = fe.Field
			}
			msg := fe.Message
			if first := msg[:min(1, len(msg))]; first == strings.ToLower(first) {
				msg = humanise(fe.Field) + " " + msg // the domain's "is required …" names no field
			}
			errs = append(errs, fieldError{Field: fe.Field, ID: id, Message: sentence(msg)})
		}
		return errs, http.StatusUnprocessableEntity, true
	case errors.As(err, &re):
		for _, code := range re.Reasons {
			errs = append(errs, fieldError{ID: ids[""], Message: "This home can no longer take the placement: " + lowerFirst(reasonLabel(code)) + ". " + reasonHint(code)})
		}
		return errs, http.StatusConflict, true
	case errors.Is(err, placematch.ErrNoCapacity), errors.Is(err, placematch.ErrConflict):
		msg := "The records changed while you were working; nothing was booked or changed."
		if errors.As(err, &de) {
			msg = sentence(de.Msg)
		}
		return []fieldError{{ID: ids[""], Message: msg}}, http.StatusConflict, true
	}
	return nil, 0, false
}

func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return s
	}
	s = strings.ToUpper(s[:1]) + s[1:]
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// humanise turns a code into words: "short_term" → "Short term".
func humanise(code string) string {
	s := strings.ReplaceAll(code, "_", " ")
	s = strings.ReplaceAll(s, ".", " ")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func formatDate(d placematch.Date) string {
	if d.IsZero() {
		return "Not recorded"
	}
	return d.Time().Format("2 January 2006")
}

var london = func() *time.Location {
	if l, err := time.LoadLocation("Europe/London"); err == nil {
		return l
	}
	return time.UTC
}()

func formatTime(t time.Time) string {
	return t.In(london).Format("2 January 2006 at 3:04pm")
}

func roleLabel(r auth.Role) string {
	switch r {
	case auth.PlacementOfficer:
		return "placement officer"
	case auth.Admin:
		return "administrator"
	}
	return string(r)
}

// reasonLabels are the exclusion codes as short headings an officer reads; the
// engine's one-line description (matching.ReasonCodes) is shown beneath.
var reasonLabels = map[string]string{
	matching.CodeAgeOutOfRange:         "Age outside the approved range",
	matching.CodeUnder16Supported:      "Supported accommodation for a child under 16",
	matching.CodeUnitNotRegistered:     "Not Ofsted-registered for 16 and 17 year olds",
	matching.CodePlacementType:         "Placement type not offered",
	matching.CodeOfstedInadequate:      "Rated inadequate by Ofsted",
	matching.CodePendingApproval:       "Carer still being assessed",
	matching.CodeNotConnected:          "Connected person for other children",
	matching.CodeTemporaryExpired:      "Temporary approval expired",
	matching.CodeCareLeaverHub:         "Children’s home bed for a care leaver",
	matching.CodeNotStayingPut:         "Care leaver not staying put here",
	matching.CodeNotApproved:           "Carer not approved",
	matching.CodeUnavailable:           "Said they cannot take a child",
	matching.CodeAvailableTooLate:      "Available only after the date needed",
	matching.CodeInsufficientVacancy:   "Not enough vacant places",
	matching.CodeFosteringLimit:        "Over the fostering limit",
	matching.CodeFemaleOnlyUnit:        "Female-only unit",
	matching.CodeNotWheelchair:         "Not wheelchair accessible",
	matching.CodeInAvoidArea:           "Inside a location the child must avoid",
	matching.CodeBeyondMaxDistance:     "Further than the maximum distance",
	matching.CodeAvoidAreasUnreadable:  "Locations to avoid could not be read",
	matching.CodeOutsideSearchRadius:   "Outside the search radius",
	matching.CodeHouseholdLiveAlone:    "A child must live alone",
	matching.CodeHouseholdOnlyOlder:    "Only with older children",
	matching.CodeHouseholdOnlyYounger:  "Only with younger children",
	matching.CodeHouseholdHarmYounger:  "Risk of harm to a younger child in the home",
	matching.CodeHouseholdFireUnder5:   "Fire-setting risk and a child under 5 in the home",
	matching.CodeHouseholdPets:         "Pets in the home",
	matching.CodeHouseholdSmokingUnder: "Smoking household and a child under 5",
	matching.CodeHighRiskSkills:        "High risk not covered by the home’s skills",
}

func reasonLabel(code string) string {
	if l, ok := reasonLabels[code]; ok {
		return l
	}
	return humanise(code)
}

func reasonHint(code string) string {
	for _, rc := range matching.ReasonCodes {
		if rc.Code == code {
			return rc.Description
		}
	}
	return ""
}

var flagLabels = map[string]string{
	matching.FlagAvailabilityStale:         "Availability not confirmed recently",
	matching.FlagOutOfArea:                 "Outside the council area",
	matching.FlagBeyond20Miles:             "More than 20 miles from home",
	matching.FlagDistanceUnknown:           "Distance not known",
	matching.FlagEmergencyOutsideTerms:     "Emergency outside terms of approval",
	matching.FlagSiblingGroupOverLimit:     "Sibling group over the usual limit",
	matching.FlagLimitExemption:            "Fostering-limit exemption: check it names the children",
	matching.FlagRegistrationPending:       "Ofsted registration pending",
	matching.FlagHighRiskNotCovered:        "High risk not covered",
	matching.FlagOfstedRequiresImprovement: "Ofsted: requires improvement",
	matching.FlagOfstedNotInspected:        "Not yet inspected by Ofsted",
	matching.FlagPendingApproval:           "Carer approval pending",
	matching.FlagScarcePlace:               "Scarce place: another child waiting needs it",
}

func flagLabel(code string) string {
	if l, ok := flagLabels[code]; ok {
		return l
	}
	return humanise(code)
}

// flagColour is the GOV.UK tag colour of a flag: red for what must be resolved
// before booking, yellow for what must be checked, grey otherwise.
func flagColour(code string) string {
	switch code {
	case matching.FlagHighRiskNotCovered:
		return "govuk-tag--red"
	case matching.FlagAvailabilityStale, matching.FlagLimitExemption, matching.FlagEmergencyOutsideTerms,
		matching.FlagRegistrationPending, matching.FlagOfstedRequiresImprovement, matching.FlagPendingApproval,
		matching.FlagScarcePlace:
		return "govuk-tag--yellow"
	}
	return "govuk-tag--grey"
}

// bandColour is the GOV.UK tag colour of a match's band.
func bandColour(band string) string {
	switch band {
	case matching.BandStrong:
		return "govuk-tag--green"
	case matching.BandGood:
		return "govuk-tag--blue"
	}
	return "govuk-tag--grey"
}

// endReasons are the SSDA903 REASON_PLACE_CHANGE codes with the DfE's labels.
var endReasons = map[string]string{
	"CARPL":  "Change to, or implementation of, the care plan",
	"ALLEG":  "Allegation (section 47)",
	"STAND":  "Standards of care concern",
	"APPRR":  "Approval removed",
	"CUSTOD": "Custody arrangement",
	"CLOSE":  "Resignation or closure of the provision",
	"CREQB":  "Carer requests placement end due to the child’s behaviour",
	"CREQO":  "Carer requests placement end for other reasons",
	"CHILD":  "Child requests placement end",
	"LAREQ":  "Responsible or area authority requests placement end",
	"PLACE":  "Change in the status of the placement only",
	"OTHER":  "Other",
}

func endReasonLabel(code string) string {
	if l, ok := endReasons[code]; ok {
		return l
	}
	return code
}

// kmPerMile converts the engine's kilometres to the miles officers read.
const kmPerMile = 1.609344
