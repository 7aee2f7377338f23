package web

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"placematch"
	"placematch/auth"
	"placematch/matching"
	"placematch/placing"
	"placematch/store"
)

func (s *Server) accessibility(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "accessibility", view{Title: "Accessibility statement"})
}

// queueRow is one child in the queue.
type queueRow struct {
	*placematch.Child
	Age, Waited, Siblings int
}

type queueData struct {
	Rows      []queueRow
	Filter    placing.QueueFilter
	Filtered  bool
	Urgencies []string
	Types     []placematch.PlacementType
	Districts []string
}

// queue lists the children awaiting a placement, most urgent first.
func (s *Server) queue(w http.ResponseWriter, r *http.Request, _ *Person) {
	q := r.URL.Query()
	f := placing.QueueFilter{Urgency: q.Get("urgency"), PlacementType: q.Get("placement_type"),
		District: q.Get("district"), Reference: strings.TrimSpace(q.Get("reference"))}
	v := &placematch.ValidationError{}
	if f.Urgency != "" {
		placematch.CheckOneOf(v, "urgency", f.Urgency, placematch.Urgencies)
	}
	if f.PlacementType != "" {
		placematch.CheckOneOf(v, "placement_type", placematch.PlacementType(f.PlacementType), placematch.PlacementTypes)
	}
	data := queueData{Filter: f, Urgencies: placematch.Urgencies, Types: placematch.PlacementTypes,
		Filtered: f != placing.QueueFilter{}}
	all, err := s.Placing.Queue(r.Context(), placing.QueueFilter{})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, c := range all {
		if c.District != "" && !slices.Contains(data.Districts, c.District) {
			data.Districts = append(data.Districts, c.District)
		}
	}
	slices.Sort(data.Districts)
	if err := v.Err(); err != nil {
		errs, status, _ := formErrors(err, nil)
		s.render(w, r, status, "queue", view{Title: "Children awaiting a placement", Section: "queue", Errors: errs, Data: data})
		return
	}
	children := all
	if data.Filtered {
		if children, err = s.Placing.Queue(r.Context(), f); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	today := s.today()
	for _, c := range children {
		data.Rows = append(data.Rows, queueRow{Child: c, Age: c.AgeOn(today), Siblings: len(c.Siblings),
			Waited: int(today.Time().Sub(placematch.DateOf(c.CreatedAt).Time()).Hours() / 24)})
	}
	s.render(w, r, http.StatusOK, "queue", view{Title: "Children awaiting a placement", Section: "queue", Data: data})
}

type childData struct {
	Child    *placematch.Child
	Age      int
	Siblings []*placematch.Child
}

// child shows a referral and offers a search for its matches.
func (s *Server) child(w http.ResponseWriter, r *http.Request, p *Person) {
	c, err := s.Store.GetChild(r.Context(), r.PathValue("id"))
	if err != nil || c.ArchivedAt != nil {
		s.fail(w, r, orNotFound(err))
		return
	}
	sibs, err := s.Store.ChildrenByIDs(r.Context(), c.Siblings)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.audit(r, p, "child.read", "child", c.ID, nil, http.StatusOK)
	s.render(w, r, http.StatusOK, "child", view{Title: "Child " + c.Reference, Section: "queue",
		Data: childData{Child: c, Age: c.AgeOn(s.today()), Siblings: sibs}})
}

func orNotFound(err error) error {
	if err == nil {
		return placematch.ErrNotFound
	}
	return err
}

// runMatch ranks the homes for a child and its siblings awaiting, stores the run,
// and shows it at its own address (post, redirect, get).
func (s *Server) runMatch(w http.ResponseWriter, r *http.Request, p *Person) {
	run, err := s.Placing.Match(r.Context(), placing.MatchRequest{ChildID: r.PathValue("id"),
		Options: matching.Options{Limit: matching.DefaultLimit, IncludeExcluded: true}, Query: "web",
		By:    &placematch.Actor{Subject: p.Subject, Name: p.Name, Role: string(p.Role)},
		Audit: s.auditEvent(r, p, "match.run", "child", r.PathValue("id"), nil, http.StatusOK)}) // stored with the run
	if err != nil {
		if errs, status, ok := formErrors(err, map[string]string{"": "find-matches"}); ok {
			s.render(w, r, status, "error", view{Title: "Matches could not be found", Errors: errs,
				Data: errorData{Heading: "Matches could not be found", Body: "Go back to the child’s page."}})
			return
		}
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/matches/"+run.MatchID, http.StatusSeeOther)
}

// shownRun is a stored run as the pages show it: the run as the officer first saw
// it, with the children it was for.
type shownRun struct {
	placing.Run
	Record *store.MatchRun
	Child  *placematch.Child
	Group  []*placematch.Child
}

// loadRun reads a stored run and the children it ranked for.
func (s *Server) loadRun(ctx context.Context, id string) (*shownRun, error) {
	rec, err := s.Placing.Run(ctx, id)
	if err != nil {
		return nil, err
	}
	out := &shownRun{Record: rec}
	if err := json.Unmarshal(rec.Result, &out.Run); err != nil {
		return nil, err
	}
	group, err := s.Store.ChildrenByIDs(ctx, rec.Group)
	if err != nil {
		return nil, err
	}
	byID := map[string]*placematch.Child{}
	for _, c := range group {
		byID[c.ID] = c
	}
	for _, id := range rec.Group { // the run's order: the child asked for first
		if c := byID[id]; c != nil {
			out.Group = append(out.Group, c)
		}
	}
	if out.Child = byID[rec.ChildID]; out.Child == nil {
		return nil, placematch.ErrNotFound
	}
	return out, nil
}

// reasonGroup is the providers excluded for one reason.
type reasonGroup struct {
	Code, Label, Hint string
	Providers         []placematch.ProviderRef
	// Count is every provider excluded for the reason, listed or not (those the
	// spatial search never loaded are counted only).
	Count int
	Open  bool
	// Far are the homes named like the search that the run counted under
	// outside_search_radius without listing them, found in the current providers.
	Far []placing.Outside
}

type matchesData struct {
	Run      *shownRun
	WhyNot   []reasonGroup
	Query    string
	Found    int // excluded providers named like Query
	Ranked   []matching.Match
	Excluded int
	// RankedHits are the ranked homes named like Query: the home looked for is
	// not missing, it is ranked.
	RankedHits []matching.Match
	// Boundaries says the map has the council's districts as its base layer.
	Boundaries bool
	Tiles      Tiles
}

// whyNot groups the excluded providers by reason, in the engine's order of
// reasons; a provider with two reasons is under both. q, when given, keeps only
// the providers whose name holds it (ignoring case) and opens their groups.
func whyNot(res matching.Result, q string) ([]reasonGroup, int) {
	q = strings.ToLower(strings.TrimSpace(q))
	byCode := map[string]*reasonGroup{}
	found := 0
	for _, ex := range res.Excluded {
		hit := q == "" || strings.Contains(strings.ToLower(ex.Provider.Name), q)
		if hit {
			found++
		}
		for _, code := range ex.Reasons {
			g := byCode[code]
			if g == nil {
				g = &reasonGroup{Code: code}
				byCode[code] = g
			}
			if hit {
				g.Providers = append(g.Providers, ex.Provider)
			}
		}
	}
	var out []reasonGroup
	seen := map[string]bool{}
	add := func(code string) {
		if seen[code] {
			return
		}
		seen[code] = true
		g := byCode[code]
		if g == nil {
			g = &reasonGroup{Code: code}
		}
		g.Label, g.Hint, g.Count = reasonLabel(code), reasonHint(code), res.ExcludedSummary[code]
		if g.Count == 0 {
			g.Count = len(g.Providers)
		}
		if q != "" {
			if len(g.Providers) == 0 {
				return
			}
			g.Count, g.Open = len(g.Providers), true
		}
		if g.Count > 0 {
			out = append(out, *g)
		}
	}
	for _, rc := range matching.ReasonCodes {
		add(rc.Code)
	}
	rest := make([]string, 0)
	for code := range byCode {
		rest = append(rest, code)
	}
	for code := range res.ExcludedSummary {
		rest = append(rest, code)
	}
	slices.Sort(rest)
	for _, code := range rest { // codes this version does not know yet
		add(code)
	}
	return out, found
}

// maxFarShown bounds the homes outside the search radius a search by name lists.
const maxFarShown = 50

// withFar adds the homes outside the search radius that a search by name found to
// their reason's group, opening it, in the engine's order of reasons.
func withFar(groups []reasonGroup, far []placing.Outside) []reasonGroup {
	if len(far) == 0 {
		return groups
	}
	code := matching.CodeOutsideSearchRadius
	i := slices.IndexFunc(groups, func(g reasonGroup) bool { return g.Code == code })
	if i < 0 {
		groups = append(groups, reasonGroup{Code: code, Label: reasonLabel(code), Hint: reasonHint(code)})
		i = len(groups) - 1
	}
	groups[i].Far, groups[i].Open = far, true
	groups[i].Count = len(groups[i].Providers) + len(far)
	order := func(c string) int {
		if j := slices.IndexFunc(matching.ReasonCodes, func(rc matching.ReasonCode) bool { return rc.Code == c }); j >= 0 {
			return j
		}
		return len(matching.ReasonCodes)
	}
	slices.SortStableFunc(groups, func(a, b reasonGroup) int { return order(a.Code) - order(b.Code) })
	return groups
}

// matches shows a stored run: the ranked homes and, for every other provider,
// why not.
func (s *Server) matches(w http.ResponseWriter, r *http.Request, p *Person) {
	run, err := s.loadRun(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	q := r.URL.Query().Get("q")
	groups, found := whyNot(run.Result, q)
	d := matchesData{Run: run, WhyNot: groups, Query: strings.TrimSpace(q), Found: found, Ranked: run.Matches, Excluded: run.ExcludedCount}
	if d.Query != "" && run.ExcludedSummary[matching.CodeOutsideSearchRadius] > 0 {
		far, _, err := s.Placing.OutsideRadius(r.Context(), run.Group, d.Query, maxFarShown)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		d.WhyNot, d.Found = withFar(d.WhyNot, far), d.Found+len(far)
	}
	if d.Query != "" {
		for _, m := range run.Matches {
			if strings.Contains(strings.ToLower(m.Provider.Name), strings.ToLower(d.Query)) {
				d.RankedHits = append(d.RankedHits, m)
			}
		}
	}
	d.Boundaries, d.Tiles = s.Boundaries != nil, s.Tiles
	s.audit(r, p, "match.read", "match", run.MatchID, run.Record.Group, http.StatusOK)
	s.render(w, r, http.StatusOK, "matches", view{Title: "Matches for " + run.Child.Reference, Section: "queue", Data: d, Map: true})
}

// printRun is the run as a panel or a court reads it: every factor of every match,
// the weights and rules in force, who ran the search when, and who printed it when.
func (s *Server) printRun(w http.ResponseWriter, r *http.Request, p *Person) {
	run, err := s.loadRun(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	groups, _ := whyNot(run.Result, "")
	s.audit(r, p, "match.print", "match", run.MatchID, run.Record.Group, http.StatusOK)
	s.render(w, r, http.StatusOK, "print", view{Title: "Match run for " + run.Child.Reference,
		Data: printData{matchesData: matchesData{Run: run, WhyNot: groups, Ranked: run.Matches, Excluded: run.ExcludedCount},
			PrintedAt: s.now(), RanBy: ranBy(run.Record.RequestedBy), Weights: sortedWeights(run.Weights)}})
}

// ranBy names who ran a search as the printed run states it: their name and
// subject (or the subject alone when no name is known) and their role; "" for a
// run stored before runs recorded it.
func ranBy(a *placematch.Actor) string {
	if a == nil {
		return ""
	}
	who := a.Subject
	if a.Name != "" {
		who = a.Name + " (" + a.Subject + ")"
	}
	return who + " (" + roleLabel(auth.Role(a.Role)) + ")"
}

type compareData struct {
	Run     *shownRun
	Chosen  []matching.Match
	Factors []string
}

// compare shows two or three ranked homes of a run side by side.
func (s *Server) compare(w http.ResponseWriter, r *http.Request, p *Person) {
	run, err := s.loadRun(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := compareData{Run: run}
	for _, raw := range r.URL.Query()["rank"] {
		if m, ok := rankOf(run, raw); ok && !slices.ContainsFunc(d.Chosen, func(c matching.Match) bool { return c.Rank == m.Rank }) {
			d.Chosen = append(d.Chosen, m)
		}
	}
	if len(d.Chosen) < 2 || len(d.Chosen) > 3 {
		errs, status, _ := formErrors(placematch.Invalid("rank", "Choose two or three homes to compare"), map[string]string{"rank": "compare-1"})
		groups, found := whyNot(run.Result, "")
		s.render(w, r, status, "matches", view{Title: "Matches for " + run.Child.Reference, Section: "queue", Errors: errs,
			Data: matchesData{Run: run, WhyNot: groups, Found: found, Ranked: run.Matches, Excluded: run.ExcludedCount}})
		return
	}
	for _, f := range d.Chosen[0].Factors {
		d.Factors = append(d.Factors, f.Name)
	}
	s.audit(r, p, "match.compare", "match", run.MatchID, run.Record.Group, http.StatusOK)
	s.render(w, r, http.StatusOK, "compare", view{Title: "Compare homes for " + run.Child.Reference, Section: "queue", Data: d})
}

type printData struct {
	matchesData
	PrintedAt time.Time
	// RanBy names who ran the search; "" when the run did not record it.
	RanBy   string
	Weights []weight
}

type weight struct {
	Name  string
	Value float64
}

func sortedWeights(m map[string]float64) []weight {
	out := make([]weight, 0, len(m))
	for k, v := range m {
		out = append(out, weight{k, v})
	}
	slices.SortFunc(out, func(a, b weight) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// bookData is the booking form.
type bookData struct {
	Run      *shownRun
	Match    matching.Match
	Form     bookForm
	Today    string
	Multiple bool // the run ranked for a sibling group
	// Far says the home is more than 20 miles from home or outside the area, so
	// the booking must say why (DistanceReasons are the choices).
	Far             bool
	DistanceReasons []distanceChoice
}

type bookForm struct {
	StartDate, DecisionReason, SplitReason, IncludeSiblings, DistanceReason string
}

// distanceChoice is one reason a far home is booked, as the form offers it.
type distanceChoice struct{ Value, Label string }

// distanceChoices are the distance reasons in the domain's order, labelled.
func distanceChoices() []distanceChoice {
	out := make([]distanceChoice, len(placematch.DistanceReasons))
	for i, r := range placematch.DistanceReasons {
		out[i] = distanceChoice{Value: string(r), Label: placematch.DistanceReasonLabels[r]}
	}
	return out
}

// far says the match is flagged more than 20 miles from home or outside the area.
func far(m matching.Match) bool {
	return slices.Contains(m.Flags, matching.FlagBeyond20Miles) || slices.Contains(m.Flags, matching.FlagOutOfArea)
}

// rankOf finds the match a booking cites.
func rankOf(run *shownRun, raw string) (matching.Match, bool) {
	rank, err := strconv.Atoi(raw)
	if err != nil {
		return matching.Match{}, false
	}
	i := slices.IndexFunc(run.Matches, func(m matching.Match) bool { return m.Rank == rank })
	if i < 0 {
		return matching.Match{}, false
	}
	return run.Matches[i], true
}

func (s *Server) bookForm(w http.ResponseWriter, r *http.Request, _ *Person) {
	run, err := s.loadRun(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	m, ok := rankOf(run, r.URL.Query().Get("rank"))
	if !ok {
		s.notFound(w, r)
		return
	}
	s.renderBook(w, r, http.StatusOK, nil, bookData{Run: run, Match: m, Multiple: len(run.Group) > 1,
		Form: bookForm{StartDate: s.today().String(), IncludeSiblings: "yes"}})
}

func (s *Server) renderBook(w http.ResponseWriter, r *http.Request, status int, errs []fieldError, d bookData) {
	d.Today = s.today().String()
	d.Far = d.Far || far(d.Match) || slices.ContainsFunc(errs, func(e fieldError) bool { return e.Field == "distance_reason" })
	d.DistanceReasons = distanceChoices()
	s.render(w, r, status, "book", view{Title: "Book " + d.Match.Provider.Name, Section: "queue", Errors: errs, Data: d})
}

// bookFieldIDs are the inputs the booking's field errors link to.
var bookFieldIDs = map[string]string{"": "book-form", "include_siblings": "include_siblings", "match_rank": "book-form",
	"match_id": "book-form", "child_id": "book-form", "provider.id": "book-form"}

// book books the cited match: rank and run come from the page, the reasons from
// the officer; the use case judges the rest.
func (s *Server) book(w http.ResponseWriter, r *http.Request, p *Person) {
	run, err := s.loadRun(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	m, ok := rankOf(run, r.PostFormValue("rank"))
	if !ok {
		s.notFound(w, r)
		return
	}
	form := bookForm{StartDate: strings.TrimSpace(r.PostFormValue("start_date")), DecisionReason: r.PostFormValue("decision_reason"),
		SplitReason: r.PostFormValue("split_reason"), IncludeSiblings: r.PostFormValue("include_siblings"),
		DistanceReason: r.PostFormValue("distance_reason")}
	d := bookData{Run: run, Match: m, Form: form, Multiple: len(run.Group) > 1}
	v := &placematch.ValidationError{}
	start, err := placematch.ParseDate(form.StartDate)
	switch {
	case form.StartDate == "":
		v.Add("start_date", "Enter the start date")
	case err != nil:
		v.Add("start_date", "Start date must be a real date, like %s", s.today())
	}
	include := true
	if d.Multiple {
		switch form.IncludeSiblings {
		case "yes":
		case "no":
			include = false
		default:
			v.Add("include_siblings", "Select whether to place the whole sibling group together")
		}
	}
	req := store.BookRequest{ChildID: run.ChildID, Provider: m.Provider, StartDate: start, IncludeSiblings: include,
		MatchID: run.MatchID, MatchRank: m.Rank, DecisionReason: strings.TrimSpace(form.DecisionReason),
		DistanceReason: placematch.DistanceReason(form.DistanceReason)}
	if !include {
		req.SplitReason = strings.TrimSpace(form.SplitReason)
	}
	err = v.Err()
	var pls []*placematch.Placement
	if err == nil {
		pls, err = s.Placing.Book(r.Context(), req)
	}
	if err != nil {
		if errs, status, ok := formErrors(err, bookFieldIDs); ok {
			s.audit(r, p, "placement.create", "placement", "", run.Record.Group, status)
			s.renderBook(w, r, status, errs, d)
			return
		}
		s.fail(w, r, err)
		return
	}
	ids := make([]string, len(pls))
	for i, pl := range pls {
		ids[i] = pl.ChildID
	}
	s.audit(r, p, "placement.create", "placement", pls[0].ID, ids, http.StatusCreated)
	http.Redirect(w, r, "/placements/"+pls[0].ID+"?booked=1", http.StatusSeeOther)
}

// placementRow is a placement with the names it is shown by.
type placementRow struct {
	*placematch.Placement
	Child    string // case reference
	Provider string
}

type placementsData struct {
	Rows      []placementRow
	Reference string
	Status    string
	Statuses  []placematch.PlacementStatus
	Next      string
}

// names fills in the children's references and the providers' names.
func (s *Server) names(ctx context.Context, pls []*placematch.Placement) ([]placementRow, error) {
	ids := make([]string, 0, len(pls))
	for _, pl := range pls {
		ids = append(ids, pl.ChildID)
	}
	children, err := s.Store.ChildrenByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	refs := map[string]string{}
	for _, c := range children {
		refs[c.ID] = c.Reference
	}
	providers := map[string]string{}
	out := make([]placementRow, len(pls))
	for i, pl := range pls {
		name, ok := providers[pl.Provider.ID]
		if !ok {
			pr, err := s.Store.GetProvider(ctx, pl.Provider.Kind, pl.Provider.ID)
			if err != nil {
				return nil, err
			}
			name = pr.Name
			providers[pl.Provider.ID] = name
		}
		out[i] = placementRow{Placement: pl, Child: refs[pl.ChildID], Provider: name}
	}
	return out, nil
}

// placements lists placements, active ones unless another status is asked for.
func (s *Server) placements(w http.ResponseWriter, r *http.Request, p *Person) {
	q := r.URL.Query()
	status := q.Get("status")
	if status == "" {
		status = string(placematch.PlacementActive)
	}
	data := placementsData{Status: status, Statuses: placematch.PlacementStatuses, Reference: strings.TrimSpace(q.Get("reference"))}
	if !placematch.OneOf(placematch.PlacementStatus(status), placematch.PlacementStatuses) {
		errs, code, _ := formErrors(placematch.Invalid("status", "must be one of active, ended, cancelled"), nil)
		s.render(w, r, code, "placements", view{Title: "Placements", Section: "placements", Errors: errs, Data: data})
		return
	}
	f := store.PlacementFilter{Status: status, Limit: 100, Cursor: q.Get("cursor")}
	if data.Reference != "" {
		children, err := s.Store.ListChildren(r.Context(), store.ChildFilter{Reference: data.Reference, Limit: 1})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if len(children.Items) == 0 {
			s.render(w, r, http.StatusOK, "placements", view{Title: "Placements", Section: "placements", Data: data})
			return
		}
		f.ChildID = children.Items[0].ID
	}
	page, err := s.Store.ListPlacements(r.Context(), f)
	if err != nil {
		if errs, code, ok := formErrors(err, map[string]string{"cursor": "status"}); ok {
			s.render(w, r, code, "placements", view{Title: "Placements", Section: "placements", Errors: errs, Data: data})
			return
		}
		s.fail(w, r, err)
		return
	}
	if data.Rows, err = s.names(r.Context(), page.Items); err != nil {
		s.fail(w, r, err)
		return
	}
	if page.NextCursor != "" {
		data.Next = "/placements?" + url.Values{"status": {status}, "reference": {data.Reference}, "cursor": {page.NextCursor}}.Encode()
	}
	s.audit(r, p, "placement.list", "placement", "", nil, http.StatusOK)
	s.render(w, r, http.StatusOK, "placements", view{Title: "Placements", Section: "placements", Data: data})
}

type placementData struct {
	placementRow
	Booked, Ended bool
	Siblings      []placementRow // the other placements of the same booking
}

func (s *Server) loadPlacement(ctx context.Context, id string) (placementRow, error) {
	pl, err := s.Store.GetPlacement(ctx, id)
	if err != nil {
		return placementRow{}, err
	}
	rows, err := s.names(ctx, []*placematch.Placement{pl})
	if err != nil {
		return placementRow{}, err
	}
	return rows[0], nil
}

// placement shows one placement; after a booking it is the confirmation page.
func (s *Server) placement(w http.ResponseWriter, r *http.Request, p *Person) {
	row, err := s.loadPlacement(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := placementData{placementRow: row, Booked: r.URL.Query().Get("booked") == "1", Ended: r.URL.Query().Get("ended") == "1"}
	if row.GroupID != "" {
		page, err := s.Store.ListPlacements(r.Context(), store.PlacementFilter{ProviderID: row.Placement.Provider.ID, Limit: store.MaxLimit})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		var group []*placematch.Placement
		for _, o := range page.Items {
			if o.GroupID == row.GroupID && o.ID != row.ID {
				group = append(group, o)
			}
		}
		if d.Siblings, err = s.names(r.Context(), group); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	title := "Placement of " + row.Child
	if d.Booked {
		title = "Placement booked"
	}
	s.audit(r, p, "placement.read", "placement", row.ID, nil, http.StatusOK)
	s.render(w, r, http.StatusOK, "placement", view{Title: title, Section: "placements", Data: d})
}

type endData struct {
	placementRow
	Reasons []string
	Reason  string
	EndDate string
	Today   string
	// Seen is the placement's version the form was made from, carried in the form
	// so that a change made meanwhile is a conflict, not a lost update.
	Seen int
}

func (s *Server) renderEnd(w http.ResponseWriter, r *http.Request, status int, errs []fieldError, d endData) {
	d.Reasons, d.Today = placematch.EndReasons, s.today().String()
	s.render(w, r, status, "end", view{Title: "End the placement of " + d.Child, Section: "placements", Errors: errs, Data: d})
}

func (s *Server) endForm(w http.ResponseWriter, r *http.Request, _ *Person) {
	row, err := s.loadPlacement(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderEnd(w, r, http.StatusOK, nil, endData{placementRow: row, EndDate: s.today().String(), Seen: row.Version})
}

var endFieldIDs = map[string]string{"": "end-form", "end_reason": "end_reason", "end_date": "end_date", "status": "end-form"}

// end ends a placement with the SSDA903 reason chosen.
func (s *Server) end(w http.ResponseWriter, r *http.Request, p *Person) {
	row, err := s.loadPlacement(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := endData{placementRow: row, Reason: r.PostFormValue("end_reason"), EndDate: strings.TrimSpace(r.PostFormValue("end_date"))}
	seen, err := strconv.Atoi(r.PostFormValue("version"))
	if err != nil || seen < 1 {
		d.Seen = row.Version
		s.renderEnd(w, r, http.StatusBadRequest, []fieldError{{Field: "version", ID: "end-form",
			Message: "The form was not sent from this page; check the placement and try again."}}, d)
		return
	}
	d.Seen = seen
	v := &placematch.ValidationError{}
	if d.Reason == "" {
		v.Add("end_reason", "Select why the placement ended")
	}
	change := placematch.PlacementChange{EndReason: &d.Reason}
	ended := placematch.PlacementEnded
	change.Status = &ended
	if d.EndDate != "" {
		end, err := placematch.ParseDate(d.EndDate)
		if err != nil {
			v.Add("end_date", "End date must be a real date, like %s", s.today())
		}
		change.EndDate = &end
	}
	err = v.Err()
	if err == nil {
		_, err = s.Placing.ChangePlacement(r.Context(), row.ID, seen, change)
	}
	if err != nil {
		if errs, status, ok := formErrors(err, endFieldIDs); ok {
			s.audit(r, p, "placement.update", "placement", row.ID, nil, status)
			s.renderEnd(w, r, status, errs, d)
			return
		}
		if errors.Is(err, placematch.ErrVersionMismatch) {
			d.Seen = row.Version // the form now shows, and carries, the placement as it is
			s.renderEnd(w, r, http.StatusConflict, []fieldError{{ID: "end-form",
				Message: "Someone changed this placement after you opened this page, so it was not ended; check it as it is now and try again."}}, d)
			return
		}
		s.fail(w, r, err)
		return
	}
	s.audit(r, p, "placement.update", "placement", row.ID, nil, http.StatusOK)
	http.Redirect(w, r, "/placements/"+row.ID+"?ended=1", http.StatusSeeOther)
}
