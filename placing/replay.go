package placing

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"placematch"
	"placematch/matching"
)

// Replay is a stored match run computed again from what it recorded, and the same
// search on today's data beside it.
type Replay struct {
	MatchID string `json:"match_id"`
	// Group is the children the run ranked for, the child first.
	Group []string `json:"group"`
	// Identical says the recomputed answer is the stored one byte for byte; Ranked
	// says so of the ranked part (the matches) alone.
	Identical       bool      `json:"identical"`
	RankedIdentical bool      `json:"ranked_identical"`
	GeneratedAt     time.Time `json:"generated_at"`
	ReplayedAt      time.Time `json:"replayed_at"`
	// Providers counts the providers the run's candidate set held.
	Providers      int    `json:"providers"`
	WeightsVersion string `json:"weights_version"`
	RulesVersion   string `json:"rules_version"`
	Today          Today  `json:"today"`
}

// Today is the run's search made again now, on today's records, rules and weights,
// and what changed against the run.
type Today struct {
	WeightsVersion string `json:"weights_version"`
	RulesVersion   string `json:"rules_version"`
	WeightsChanged bool   `json:"weights_changed"`
	RulesChanged   bool   `json:"rules_changed"`
	// Children are the case references of the group's children whose record
	// changed since the run, or who joined or left the group.
	Children []string `json:"children_changed"`
	// Changes are the providers that joined the list, left it or moved in it:
	// first those of the run's list in its order, then those that joined.
	Changes []Change `json:"changes"`
}

// What happened to a provider between a run and today.
const (
	ChangeJoined = "joined"
	ChangeLeft   = "left"
	ChangeMoved  = "moved"
)

// Reasons a provider joined or left, beside the rule codes.
const (
	ReasonNewProvider    = "new_provider"
	ReasonArchived       = "provider_archived"
	ReasonOutranked      = "outranked"
	ReasonNoLongerBreaks = "no_longer_excluded"
	ReasonScoreChanged   = "score_changed"
	ReasonRelativeOrder  = "order_changed"
)

// Change is one provider that joined the list, left it or moved in it.
type Change struct {
	Provider placematch.ProviderRef `json:"provider"`
	Change   string                 `json:"change"`
	// Then and Now are its rank and score at the run and today; nil when it was
	// not (or is no longer) in the list.
	Then *Placing `json:"then"`
	Now  *Placing `json:"now"`
	// Reasons are codes: the hard rules it breaks (left) or broke (joined, with
	// no_longer_excluded), new_provider, provider_archived, outranked, or, for a
	// move, score_changed and the names of the factors whose part changed.
	Reasons []string `json:"reasons"`
	// RecordChanged says the provider's state (its record, residents or derived
	// vacancies) differs from the run's.
	RecordChanged bool   `json:"record_changed"`
	Detail        string `json:"detail"`
}

// Placing is a provider's place in a list.
type Placing struct {
	Rank  int     `json:"rank"`
	Score float64 `json:"score"`
}

// Replay computes a stored run again from its record — the providers' states its
// manifest names, the children as they were, the options, weights and clock — and
// says whether the answer is the stored one, then makes the same search on today's
// data and names what changed. A run stored before runs recorded what they ranked
// is a conflict.
func (s *Service) Replay(ctx context.Context, id string) (*Replay, error) {
	m, err := s.Store.GetMatchRun(ctx, id)
	if err != nil {
		return nil, err
	}
	if m.Replay == nil {
		return nil, placematch.Errorf(placematch.ErrConflict,
			"The match run was stored before runs recorded what they ranked, so it cannot be replayed")
	}
	rec, err := decodeRecord(m.Replay)
	if err != nil {
		return nil, fmt.Errorf("placing: match run %s replay record: %w", id, err)
	}
	byID, _, err := providersAt(ctx, s.Store, rec.Manifest)
	if err != nil {
		return nil, err
	}
	then := buildSet(nil, byID, nil)
	req := rec.request()
	res := rankOn(then, req, rec.Weights.weights(), rec.Options)
	applyScarce(res.Matches, rec.Scarce)
	run := &Run{MatchID: m.ID, ChildID: m.ChildID, Group: m.Group, GeneratedAt: rec.Now, Weights: rec.Weights.Values,
		InputHash: m.InputHash, RequestedBy: requesterOf(m.RequestedBy)}
	if err := run.fill(rec.Group, res); err != nil {
		return nil, err
	}
	out := &Replay{MatchID: m.ID, Group: m.Group, Identical: bytes.Equal(run.Body, m.Result), GeneratedAt: rec.Now,
		ReplayedAt: s.now(), Providers: len(byID), WeightsVersion: res.WeightsVersion, RulesVersion: res.RulesVersion}
	out.RankedIdentical, err = sameMatches(m.Result, res.Matches)
	if err != nil {
		return nil, fmt.Errorf("placing: match run %s: %w", id, err)
	}
	if out.Today, err = s.today(ctx, rec, then, req, res); err != nil {
		return nil, err
	}
	return out, nil
}

func decodeRecord(b []byte) (*replayRecord, error) {
	rec := new(replayRecord)
	return rec, json.Unmarshal(b, rec)
}

// request is the matching request the run made.
func (rec *replayRecord) request() matching.Request {
	req := matching.Request{Group: rec.Group, Today: rec.Today, Now: rec.Now}
	for _, c := range rec.Group {
		if c.ID == rec.Child {
			req.Child = c
		}
	}
	return req
}

// sameMatches reports whether the stored answer's matches are those given, byte for
// byte as encoded.
func sameMatches(stored []byte, matches []matching.Match) (bool, error) {
	var shown struct {
		Matches json.RawMessage `json:"matches"`
	}
	if err := json.Unmarshal(stored, &shown); err != nil {
		return false, err
	}
	b, err := json.Marshal(matches)
	if err != nil {
		return false, err
	}
	return bytes.Equal(b, shown.Matches), nil
}

// today makes the run's search again on today's records and compares it with the
// run's result (res, ranked on the set then for req).
func (s *Service) today(ctx context.Context, rec *replayRecord, then *candidateSet, req matching.Request, res matching.Result) (Today, error) {
	child, err := s.Store.GetChild(ctx, rec.Child)
	if err != nil {
		return Today{}, err
	}
	group, err := s.group(ctx, child)
	if err != nil {
		return Today{}, err
	}
	now := s.now()
	set, err := s.index.current(ctx, s.Store, s.FullReloadAfter, now)
	if err != nil {
		return Today{}, err
	}
	nreq := matching.Request{Child: child, Group: group, Today: placematch.DateOf(now), Now: now}
	opt := s.options(rec.Options)
	cur := rankOn(set, nreq, s.weights(), opt)
	t := Today{WeightsVersion: cur.WeightsVersion, RulesVersion: cur.RulesVersion,
		WeightsChanged: cur.WeightsVersion != res.WeightsVersion, RulesChanged: cur.RulesVersion != res.RulesVersion,
		Children: childrenChanged(rec.Group, group), Changes: []Change{}}
	d := differ{then: then, now: set, thenReq: req, nowReq: nreq, thenOpt: rec.Options, nowOpt: opt,
		limit: rec.Options.Limit}
	if d.limit <= 0 {
		d.limit = matching.DefaultLimit
	}
	t.Changes = d.changes(res.Matches, cur.Matches)
	return t, nil
}

// childrenChanged names the children whose record changed, or who joined or left
// the group, between then and now.
func childrenChanged(then, now []*placematch.Child) []string {
	out := []string{}
	version := map[string]int{}
	for _, c := range now {
		version[c.ID] = c.Version
	}
	for _, c := range then {
		if v, ok := version[c.ID]; !ok || v != c.Version {
			out = append(out, c.Reference)
		}
		delete(version, c.ID)
	}
	for _, c := range now {
		if _, ok := version[c.ID]; ok {
			out = append(out, c.Reference)
		}
	}
	return out
}

// differ compares a run's list with today's.
type differ struct {
	then, now       *candidateSet
	thenReq, nowReq matching.Request
	thenOpt, nowOpt matching.Options
	limit           int
}

func (s *candidateSet) provider(id string) *placematch.Provider {
	if i, ok := s.index[id]; ok {
		return s.all[i].P
	}
	return nil
}

func (d *differ) changes(then, now []matching.Match) []Change {
	out := []Change{}
	nowAt := map[string]*matching.Match{}
	for i := range now {
		nowAt[now[i].Provider.ID] = &now[i]
	}
	thenAt := map[string]*matching.Match{}
	for i := range then {
		thenAt[then[i].Provider.ID] = &then[i]
	}
	// The order of the providers in both lists, among themselves.
	var bothThen, bothNow []string
	for _, m := range then {
		if nowAt[m.Provider.ID] != nil {
			bothThen = append(bothThen, m.Provider.ID)
		}
	}
	for _, m := range now {
		if thenAt[m.Provider.ID] != nil {
			bothNow = append(bothNow, m.Provider.ID)
		}
	}
	for i := range then {
		old := &then[i]
		id := old.Provider.ID
		c := Change{Provider: old.Provider, Then: &Placing{old.Rank, old.Score}, Reasons: []string{}}
		c.RecordChanged = d.recordChanged(id)
		if cur := nowAt[id]; cur != nil {
			c.Now = &Placing{cur.Rank, cur.Score}
			c.Provider = cur.Provider
			reasons := factorChanges(old, cur)
			if old.Score == cur.Score && len(reasons) == 0 && slices.Index(bothThen, id) == slices.Index(bothNow, id) {
				continue // ranked as before among the others; a shift for others joining or leaving is theirs
			}
			c.Change = ChangeMoved
			if old.Score == cur.Score && len(reasons) == 0 {
				c.Reasons = append(c.Reasons, ReasonRelativeOrder)
				c.Detail = fmt.Sprintf("Moved from rank %d to %d: its score is unchanged; another provider's changed.", old.Rank, cur.Rank)
			} else {
				c.Reasons = append([]string{ReasonScoreChanged}, reasons...)
				c.Detail = fmt.Sprintf("Moved from rank %d to %d: score %.2f → %.2f (%s).", old.Rank, cur.Rank,
					old.Score, cur.Score, strings.Join(reasons, ", "))
			}
			out = append(out, c)
			continue
		}
		c.Change = ChangeLeft
		p := d.now.provider(id)
		switch codes := d.breaks(d.nowReq, p, d.nowOpt); {
		case p == nil:
			c.Reasons = append(c.Reasons, ReasonArchived)
			c.Detail = "Left the list: the provider's record is archived."
		case len(codes) > 0:
			c.Reasons = append(c.Reasons, codes...)
			c.Detail = "Left the list: " + describe(codes)
		default:
			c.Reasons = append(c.Reasons, ReasonOutranked)
			c.Detail = fmt.Sprintf("Left the list: still eligible, but now below the best %d.", d.limit)
		}
		out = append(out, c)
	}
	for i := range now {
		cur := &now[i]
		id := cur.Provider.ID
		if thenAt[id] != nil {
			continue
		}
		c := Change{Provider: cur.Provider, Change: ChangeJoined, Now: &Placing{cur.Rank, cur.Score}, Reasons: []string{},
			RecordChanged: d.recordChanged(id)}
		p := d.then.provider(id)
		switch codes := d.breaks(d.thenReq, p, d.thenOpt); {
		case p == nil:
			c.Reasons = append(c.Reasons, ReasonNewProvider)
			c.Detail = "Joined the list: a provider the run did not hold (new, or returned from archive)."
		case len(codes) > 0:
			c.Reasons = append(append(c.Reasons, ReasonNoLongerBreaks), codes...)
			c.Detail = "Joined the list: at the run, " + describe(codes) + " It no longer does."
		default:
			c.Reasons = append(c.Reasons, ReasonOutranked)
			c.Detail = fmt.Sprintf("Joined the list: eligible at the run but below the best %d.", d.limit)
		}
		out = append(out, c)
	}
	return out
}

// breaks is the hard rules p breaks for req (none for a nil provider).
func (d *differ) breaks(req matching.Request, p *placematch.Provider, opt matching.Options) []string {
	if p == nil {
		return nil
	}
	return matching.Check(req, p, opt)
}

// recordChanged reports whether a provider's state today differs from the run's.
func (d *differ) recordChanged(id string) bool {
	a, b := d.then.provider(id), d.now.provider(id)
	if a == nil || b == nil {
		return a != b
	}
	_, ha, errA := stateOf(a)
	_, hb, errB := stateOf(b)
	return errA != nil || errB != nil || ha != hb
}

// factorChanges names the factors whose part in the score changed.
func factorChanges(then, now *matching.Match) []string {
	var out []string
	was := map[string]float64{}
	for _, f := range then.Factors {
		was[f.Name] = f.Contribution
	}
	for _, f := range now.Factors {
		if c, ok := was[f.Name]; !ok || c != f.Contribution {
			out = append(out, f.Name)
		}
	}
	return out
}

// describe puts rule codes into the sentences that document them.
func describe(codes []string) string {
	var parts []string
	for _, code := range codes {
		for _, rc := range matching.ReasonCodes {
			if rc.Code == code {
				parts = append(parts, rc.Description)
			}
		}
	}
	return strings.Join(parts, " ")
}
