package placing

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"placematch"
	"placematch/matching"
	"placematch/matching/assign"
	"placematch/store"
)

// Allocation defaults.
const (
	// DefaultAllocationTimeLimit bounds an allocation's search when the service
	// sets none (PLACEMATCH_ALLOCATION_TIME_LIMIT).
	DefaultAllocationTimeLimit = 5 * time.Second
	// DefaultAllocationCandidates is how many of each group's best providers an
	// allocation chooses among when the service sets none.
	DefaultAllocationCandidates = 100
	// MaxHoldEmergencyPlaces caps the places held per district and kind.
	MaxHoldEmergencyPlaces = 1000
	// MaxAllocationChildren caps the children one allocation may name.
	MaxAllocationChildren = 20000
)

// Objective states what an allocation maximises; every run says it.
const Objective = "placed_children first, then objective: the sum of the scores of the groups placed " +
	"(the solver maximises M × children placed + total score, M being more than any total score, " +
	"so that no score ever pays for a child left unplaced); a group with an eligible connected person " +
	"(s22C(7)(a)) goes only to one of its connected persons or stays unplaced; an emergency with a carer " +
	"outside its terms of approval (reg 23) counts 0 in the objective, below every option inside terms"

// Reasons a group is left unplaced.
const (
	UnplacedNoEligibleHome = "no_eligible_home"
	UnplacedUsedByOthers   = "homes_used_by_others"
)

// AllocateRequest asks for one provider for each group of a queue.
type AllocateRequest struct {
	// ChildIDs are the children to allocate (each with its siblings still
	// awaiting); empty means every child awaiting.
	ChildIDs      []string
	Kinds         []placematch.ProviderKind
	MaxDistanceKM *float64
	// HoldEmergencyPlaces is how many places to keep free per district and kind;
	// nil is the service's default.
	HoldEmergencyPlaces *int
}

// Allocation is an allocation run as shown. It is stored encoded exactly as it is
// sent (Body), beside its typed record.
type Allocation struct {
	AllocationID string    `json:"allocation_id"`
	GeneratedAt  time.Time `json:"generated_at"`
	// Children are every child allocated for, placed or not, in id order.
	Children       []string          `json:"children"`
	Assignments    []Assignment      `json:"assignments"`
	Unplaced       []Unplaced        `json:"unplaced"`
	PlacedChildren int               `json:"placed_children"`
	Objective      float64           `json:"objective"`
	ObjectiveIs    string            `json:"objective_definition"`
	UpperBound     AllocationValue   `json:"upper_bound"`
	Optimal        bool              `json:"optimal"`
	Greedy         AllocationValue   `json:"greedy"`
	Solver         SolverReport      `json:"solver"`
	Options        AllocationOptions `json:"options"`
	// Weights, WeightsVersion and RulesVersion are the scoring and household
	// rules every group was ranked with.
	Weights        map[string]float64 `json:"weights"`
	WeightsVersion string             `json:"weights_version"`
	RulesVersion   string             `json:"rules_version"`
	InputHash      string             `json:"input_hash"`
	// Body is the run encoded as JSON, as stored and shown.
	Body []byte `json:"-"`
}

// Assignment is one group's proposed provider; Rank is the provider's rank in the
// group's own search, so that an allocation choosing other than rank 1 shows it.
type Assignment struct {
	ChildIDs []string               `json:"child_ids"`
	Provider placematch.ProviderRef `json:"provider"`
	Score    float64                `json:"score"`
	Rank     int                    `json:"rank"`
}

// Unplaced is a group the allocation could not place, and why.
type Unplaced struct {
	ChildIDs []string `json:"child_ids"`
	// Code is UnplacedNoEligibleHome or UnplacedUsedByOthers.
	Code   string `json:"code"`
	Reason string `json:"reason"`
	// Eligible are the group's best eligible homes (at most five) and what the
	// allocation did with each.
	Eligible []EligibleUse `json:"eligible"`
}

// EligibleUse is an eligible home of an unplaced group: who the allocation gave it
// to, or that its places are kept for emergencies.
type EligibleUse struct {
	Provider placematch.ProviderRef `json:"provider"`
	Rank     int                    `json:"rank"`
	Score    float64                `json:"score"`
	// TakenBy are the groups (by child ids) the allocation placed there.
	TakenBy [][]string `json:"taken_by"`
	// HeldForEmergencies says the places left there are kept free by the
	// emergency hold-back.
	HeldForEmergencies bool `json:"held_for_emergencies"`
}

// AllocationValue is children placed and total score.
type AllocationValue struct {
	PlacedChildren int     `json:"placed_children"`
	Objective      float64 `json:"objective"`
}

// SolverReport says how the search went.
type SolverReport struct {
	// Nodes are the branch-and-bound nodes solved; Parts the independent parts
	// (groups that could share a home) solved on their own.
	Nodes int `json:"nodes"`
	Parts int `json:"parts"`
	// Stopped says the time limit ended the search: the allocation may not be
	// the best, and the gap to the bound says by how much at most.
	Stopped          bool            `json:"stopped"`
	TimeLimitSeconds float64         `json:"time_limit_seconds"`
	Gap              AllocationValue `json:"gap"`
	// CandidatesPerGroup is how many of each group's best homes it chose among;
	// CompleteLists says that is at least the number of groups and no places are
	// held back, in which case choosing among them loses no allocation.
	CandidatesPerGroup int  `json:"candidates_per_group"`
	CompleteLists      bool `json:"complete_lists"`
}

// AllocationOptions are the options in force.
type AllocationOptions struct {
	Kinds               []placematch.ProviderKind `json:"kinds"`
	MaxDistanceKM       *float64                  `json:"max_distance_km"`
	HoldEmergencyPlaces int                       `json:"hold_emergency_places"`
}

// queued is a sibling group waiting in the allocation.
type queued struct {
	members []*placematch.Child // the group, opened from its first member by id
	ids     []string
	options []matching.Eligible
}

// Allocate proposes one provider for each group of the children asked for (every
// child awaiting by default), ranking each group as its own search does, and
// stores the run. It books nothing. An unknown child id, or a child not awaiting,
// is invalid input naming child_ids, and nothing is stored.
func (s *Service) Allocate(ctx context.Context, req AllocateRequest) (*Allocation, error) {
	hold := s.HoldEmergencyPlaces
	if req.HoldEmergencyPlaces != nil {
		hold = *req.HoldEmergencyPlaces
	}
	if hold < 0 || hold > MaxHoldEmergencyPlaces {
		return nil, placematch.Invalid("hold_emergency_places", "must be a whole number from 0 to %d", MaxHoldEmergencyPlaces)
	}
	// The time limit is the machine's elapsed time, not the service's clock: it
	// bounds the work, and says nothing about the day the allocation is for.
	started := time.Now()
	children, err := s.queueChildren(ctx, req.ChildIDs)
	if err != nil {
		return nil, err
	}
	now := s.now()
	set, err := s.index.current(ctx, s.Store, s.FullReloadAfter, now)
	if err != nil {
		return nil, err
	}
	groups, err := s.formGroups(ctx, children)
	if err != nil {
		return nil, err
	}
	out, err := s.allocate(set, groups, req.Kinds, req.MaxDistanceKM, hold, now, started)
	if err != nil {
		return nil, err
	}
	var all []*placematch.Child
	for _, g := range groups {
		all = append(all, g.members...)
	}
	for _, c := range all {
		out.Children = append(out.Children, c.ID)
	}
	slices.Sort(out.Children)
	slices.SortFunc(all, func(a, b *placematch.Child) int { return strings.Compare(a.ID, b.ID) })
	query, _ := json.Marshal(out.Options) // kinds, a number and an int cannot fail
	out.InputHash = inputHash(all, "allocation:"+string(query), out.WeightsVersion+";"+out.RulesVersion, now)
	if out.Body, err = json.Marshal(out); err != nil {
		return nil, err
	}
	rec := &store.Allocation{ID: out.AllocationID, InputHash: out.InputHash, WeightsVersion: out.WeightsVersion,
		RulesVersion: out.RulesVersion, Children: out.Children, Result: out.Body}
	for _, a := range out.Assignments {
		rec.Assignments = append(rec.Assignments, store.Assignment{ChildIDs: a.ChildIDs, Provider: a.Provider, Rank: a.Rank, Score: a.Score})
	}
	if err := s.Store.SaveAllocation(ctx, rec); err != nil {
		return nil, err
	}
	return out, nil
}

// allocate ranks every group on one view of the providers, solves for the queue
// within the time limit counted from started, and writes the answer (without the
// input hash, which names the records read).
func (s *Service) allocate(set *candidateSet, groups []*queued, kinds []placematch.ProviderKind, maxKM *float64,
	hold int, now, started time.Time) (*Allocation, error) {
	k := s.AllocationCandidates
	if k <= 0 {
		k = DefaultAllocationCandidates
	}
	k = max(1, min(k, len(groups)))
	out := &Allocation{AllocationID: store.NewAllocationID(), GeneratedAt: now, Weights: s.weights().Values,
		ObjectiveIs: Objective, Children: []string{}, Assignments: []Assignment{}, Unplaced: []Unplaced{},
		Options: AllocationOptions{Kinds: kinds, MaxDistanceKM: maxKM, HoldEmergencyPlaces: hold}}
	if out.Options.Kinds == nil {
		out.Options.Kinds = []placematch.ProviderKind{}
	}
	s.shortlists(set, groups, kinds, maxKM, k, now)
	// The versions in force, the same for every group.
	_, out.WeightsVersion, out.RulesVersion = matching.Shortlist(matching.Request{}, nil, s.weights(), matching.Options{Policy: s.Policy})
	prob := problemOf(set, groups, hold)
	limit := s.AllocationTimeLimit
	if limit <= 0 {
		limit = DefaultAllocationTimeLimit
	}
	deadline := started.Add(limit)
	res, err := assign.Solve(prob, assign.Limits{Stop: func() bool { return time.Now().After(deadline) }})
	if err != nil {
		return nil, err
	}
	out.fill(prob, groups, res)
	out.Solver.TimeLimitSeconds = limit.Seconds()
	out.Solver.CandidatesPerGroup = k
	out.Solver.CompleteLists = k >= len(groups) && hold == 0
	return out, nil
}

// shortlists ranks every group as its own search ranks it (the same candidates,
// options and weights), keeping its k best, across the cores: each search reads
// the immutable view and writes only its own group.
func (s *Service) shortlists(set *candidateSet, groups []*queued, kinds []placematch.ProviderKind, maxKM *float64, k int, now time.Time) {
	today := placematch.DateOf(now)
	next := make(chan *queued)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for g := range next {
				opt := matching.Options{Kinds: kinds, MaxDistanceKM: maxKM, Limit: k}
				mreq := matching.Request{Child: g.members[0], Group: g.members, Today: today, Now: now}
				cands := s.searchSet(set, mreq, &opt)
				g.options, _, _ = matching.Shortlist(mreq, cands, s.weights(), opt)
				for i := range g.options {
					g.options[i].Candidate = set.index[g.options[i].Provider.ID] // positions in set.all
				}
				g.options = connectedFirst(g.options)
			}
		})
	}
	for _, g := range groups {
		next <- g
	}
	close(next)
	wg.Wait()
}

// GetAllocation returns a stored allocation run: its typed record and the bytes
// shown.
func (s *Service) GetAllocation(ctx context.Context, id string) (*store.Allocation, error) {
	return s.Store.GetAllocation(ctx, id)
}

// queueChildren reads the children to allocate: those named, each checked to be
// known and awaiting, or every child awaiting.
func (s *Service) queueChildren(ctx context.Context, ids []string) ([]*placematch.Child, error) {
	if len(ids) > MaxAllocationChildren {
		return nil, placematch.Invalid("child_ids", "must name at most %d children", MaxAllocationChildren)
	}
	if len(ids) == 0 {
		var out []*placematch.Child
		f := store.ChildFilter{Status: string(placematch.ChildAwaiting), Limit: store.MaxLimit}
		for {
			page, err := s.Store.ListChildren(ctx, f)
			if err != nil {
				return nil, err
			}
			out = append(out, page.Items...)
			if page.NextCursor == "" {
				return out, nil
			}
			f.Cursor = page.NextCursor
		}
	}
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			return nil, placematch.Invalid("child_ids", "names %s twice", id)
		}
		seen[id] = true
	}
	found, err := s.Store.ChildrenByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	byID := map[string]*placematch.Child{}
	for _, c := range found {
		byID[c.ID] = c
	}
	for _, id := range ids {
		c, ok := byID[id]
		switch {
		case !ok:
			return nil, placematch.Invalid("child_ids", "no child has id %q", id)
		case c.Status != placematch.ChildAwaiting:
			return nil, placematch.Invalid("child_ids", "child %s is %s, not awaiting a placement", id, c.Status)
		}
	}
	return found, nil
}

// formGroups forms each child's sibling group as its own search does (Siblings and
// AwaitingGroup), once per group, in the order of first come, first served: the
// most urgent first (emergencies), then the earliest required_from, then the
// earliest referral, each group placed by its first-come member.
func (s *Service) formGroups(ctx context.Context, children []*placematch.Child) ([]*queued, error) {
	known := map[string]*placematch.Child{}
	for _, c := range children {
		known[c.ID] = c
	}
	var groups []*queued
	in := map[string]bool{}
	for _, c := range children {
		if in[c.ID] {
			continue
		}
		members, err := s.groupOf(ctx, c, known)
		if err != nil {
			return nil, err
		}
		slices.SortFunc(members, func(a, b *placematch.Child) int { return strings.Compare(a.ID, b.ID) })
		g := &queued{members: members}
		for _, m := range members {
			in[m.ID] = true
			g.ids = append(g.ids, m.ID)
		}
		groups = append(groups, g)
	}
	first := func(g *queued) *placematch.Child { return slices.MinFunc(g.members, comeFirst) }
	slices.SortStableFunc(groups, func(a, b *queued) int { return comeFirst(first(a), first(b)) })
	return groups, nil
}

// comeFirst orders referrals first come, first served.
func comeFirst(a, b *placematch.Child) int {
	urgency := func(c *placematch.Child) int {
		if c.Urgency == "emergency" {
			return 0
		}
		return 1
	}
	return cmp.Or(cmp.Compare(urgency(a), urgency(b)), a.RequiredFrom.Time().Compare(b.RequiredFrom.Time()),
		a.CreatedAt.Compare(b.CreatedAt), strings.Compare(a.ID, b.ID))
}

// problemOf turns the ranked groups into the solver's problem. A provider's places
// are its vacancies; a fostering household and a hub take one group in an
// allocation (the household rules between two new groups, and a hub's planned and
// emergency beds, are judged one booking at a time); a unit takes groups while it
// has places. With a hold-back, the places of each district and kind are a pool
// that gives all but hold of them; providers with no district are not held back.
func problemOf(set *candidateSet, groups []*queued, hold int) *assign.Problem {
	prob := &assign.Problem{}
	provOf := map[int]int{} // position in set.all → provider of the problem
	poolOf := map[string]int{}
	if hold > 0 {
		free := map[string]int{}
		var keys []string
		for _, c := range set.all {
			if c.P.District == "" {
				continue
			}
			key := c.P.District + "\x00" + string(c.P.Kind)
			if _, ok := free[key]; !ok {
				keys = append(keys, key)
			}
			free[key] += c.P.Vacancies
		}
		for _, key := range keys {
			poolOf[key] = len(prob.Pools)
			prob.Pools = append(prob.Pools, max(0, free[key]-hold))
		}
	}
	for _, g := range groups {
		ag := assign.Group{Size: len(g.members)}
		if ag.Size > assign.MaxGroupSize { // left for its own search: see fill
			ag.Size = assign.MaxGroupSize
			prob.Groups = append(prob.Groups, ag)
			continue
		}
		for _, e := range g.options {
			pi, ok := provOf[e.Candidate]
			if !ok {
				p := set.all[e.Candidate].P
				pool := -1
				if k, ok := poolOf[p.District+"\x00"+string(p.Kind)]; ok && p.District != "" {
					pool = k
				}
				pi = len(prob.Providers)
				provOf[e.Candidate] = pi
				prob.Providers = append(prob.Providers, assign.Provider{Places: p.Vacancies,
					OneGroup: p.Kind != placematch.KindUnit, Pool: pool})
			}
			ag.Options = append(ag.Options, assign.Option{Provider: pi, Score: solverScore(e)})
		}
		prob.Groups = append(prob.Groups, ag)
	}
	return prob
}

// connectedFirst keeps only a group's connected-person options when it has any:
// Children Act 1989 s22C(7)(a) requires preference for a connected person who is
// a local authority foster parent, so an allocation may not pass over one to make
// room for another group or to score more. Rank puts them first, so a shortlist
// holds every one there is before any other.
func connectedFirst(options []matching.Eligible) []matching.Eligible {
	n := 0
	for n < len(options) && options[n].Tier == matching.TierConnected {
		n++
	}
	if n == 0 {
		return options
	}
	return options[:n]
}

// solverScore is an option's score as the solver weighs it, in hundredths. An
// emergency with a carer outside its terms of approval (reg 23: six working days
// at most) counts no score: below every option inside terms, so the allocation
// takes one only when it places more children, or when it frees a home that gives
// another group more than the option inside terms would have given this one.
func solverScore(e matching.Eligible) int64 {
	if e.Tier == matching.TierOutsideTerms {
		return 0
	}
	return int64(math.Round(e.Score * 100))
}

// fill writes the solver's answer as shown.
func (out *Allocation) fill(prob *assign.Problem, groups []*queued, res assign.Result) {
	value := func(v assign.Value) AllocationValue {
		return AllocationValue{PlacedChildren: v.Children, Objective: float64(v.Score) / 100}
	}
	out.PlacedChildren, out.Objective = res.Best.Value.Children, float64(res.Best.Value.Score)/100
	out.UpperBound, out.Greedy, out.Optimal = value(res.Bound), value(res.Greedy.Value), res.Optimal
	out.Solver = SolverReport{Nodes: res.Nodes, Parts: res.Parts, Stopped: res.Stopped}
	out.Solver.Gap.PlacedChildren = res.Bound.Children - res.Best.Value.Children
	if out.Solver.Gap.PlacedChildren == 0 {
		out.Solver.Gap.Objective = float64(res.Bound.Score-res.Best.Value.Score) / 100
	}
	takenBy := make([][][]string, len(prob.Providers))
	used := make([]int, len(prob.Pools))
	for gi, g := range groups {
		oi := res.Best.Option[gi]
		if oi < 0 {
			continue
		}
		e := g.options[oi]
		out.Assignments = append(out.Assignments, Assignment{ChildIDs: g.ids, Provider: e.Provider, Score: e.Score, Rank: e.Rank})
		pi := prob.Groups[gi].Options[oi].Provider
		takenBy[pi] = append(takenBy[pi], g.ids)
		if k := prob.Providers[pi].Pool; k >= 0 {
			used[k] += len(g.ids)
		}
	}
	for gi, g := range groups {
		if res.Best.Option[gi] >= 0 {
			continue
		}
		u := Unplaced{ChildIDs: g.ids, Eligible: []EligibleUse{}}
		if len(g.ids) > assign.MaxGroupSize {
			u.Code, u.Reason = UnplacedNoEligibleHome, fmt.Sprintf("The group of %d children is larger than an allocation places (%d); a search for it shows its homes.", len(g.ids), assign.MaxGroupSize)
			out.Unplaced = append(out.Unplaced, u)
			continue
		}
		if len(g.options) == 0 {
			u.Code, u.Reason = UnplacedNoEligibleHome, "No home passes every hard rule for the group: a search for it shows why each is excluded."
			out.Unplaced = append(out.Unplaced, u)
			continue
		}
		var said []string
		for oi, e := range g.options[:min(5, len(g.options))] {
			pi := prob.Groups[gi].Options[oi].Provider
			use := EligibleUse{Provider: e.Provider, Rank: e.Rank, Score: e.Score, TakenBy: takenBy[pi]}
			if use.TakenBy == nil {
				use.TakenBy = [][]string{}
			}
			if k := prob.Providers[pi].Pool; k >= 0 && prob.Pools[k]-used[k] < len(g.ids) {
				use.HeldForEmergencies = true
			}
			switch {
			case len(use.TakenBy) > 0:
				var who []string
				for _, ids := range use.TakenBy {
					who = append(who, strings.Join(ids, " and "))
				}
				said = append(said, fmt.Sprintf("%s (rank %d) goes to %s", e.Provider.Name, e.Rank, strings.Join(who, "; ")))
			case use.HeldForEmergencies:
				said = append(said, fmt.Sprintf("%s (rank %d) has places kept for emergencies", e.Provider.Name, e.Rank))
			}
			u.Eligible = append(u.Eligible, use)
		}
		u.Code = UnplacedUsedByOthers
		u.Reason = "Every home that could take the group is better used by others"
		if len(said) > 0 {
			u.Reason += ": " + strings.Join(said, "; ")
		}
		u.Reason += "."
		if res.Stopped {
			u.Reason += " The search stopped at its time limit, so a better allocation may place the group."
		}
		out.Unplaced = append(out.Unplaced, u)
	}
}
