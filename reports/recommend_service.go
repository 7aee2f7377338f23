package reports

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"placematch"
	"placematch/matching"
	"placematch/store"
)

// MaxJudgedGroups bounds the groups a recommendations report judges the providers
// never recommended against: the latest searched, since each judgement ranks
// every such provider for the group.
const MaxJudgedGroups = 200

// PassedOver says, for each provider of providers, why it was passed over for
// each group (the children's ids) in how many of them: a hard rule's code,
// ReasonStale or ReasonRankedBelow. It returns the groups it judged. The use
// case that holds the candidate index supplies it.
type PassedOver func(ctx context.Context, groups [][]string, providers []string) (map[string]map[string]int, int, error)

// Recommendations builds the recommendations report for o from the match runs
// and allocations stored in the period, the children they were for and the live
// providers, asking passedOver why the providers never recommended were not.
func (s *Service) Recommendations(ctx context.Context, o RecOptions, passedOver PassedOver) (*RecReport, error) {
	now := s.now()
	from, to := o.From.Time(), o.To.AddDays(1).Time()
	runs, err := s.Store.MatchRunsBetween(ctx, from, to)
	if err != nil {
		return nil, err
	}
	allocs, err := s.Store.AllocationsBetween(ctx, from, to)
	if err != nil {
		return nil, err
	}
	provs, err := s.Store.ReportProviders(ctx, placematch.DateOf(now), now)
	if err != nil {
		return nil, err
	}
	in := RecInput{Allocations: len(allocs), Suppress: o.Suppress, Providers: []placematch.ProviderRef{}}
	for _, a := range allocs {
		in.Assignments = append(in.Assignments, a.Assignments...)
	}
	listed := map[string]bool{}
	for _, a := range in.Assignments {
		listed[a.Provider.ID] = true
	}
	var ids []string
	for _, m := range runs {
		ids = append(ids, m.Group...)
		for _, r := range m.Ranked {
			listed[r.Provider.ID] = true
		}
	}
	children, err := s.childrenByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	for _, m := range runs {
		run, err := recRun(m, children)
		if err != nil {
			return nil, err
		}
		in.Runs = append(in.Runs, run)
	}
	var never []string
	for _, p := range provs {
		if p.ArchivedAt != nil {
			continue
		}
		in.Providers = append(in.Providers, p.Ref())
		if !listed[p.ID] {
			never = append(never, p.ID)
		}
	}
	if len(never) > 0 && passedOver != nil {
		groups := latestGroups(in.Runs, MaxJudgedGroups)
		if in.Reasons, in.GroupsJudged, err = passedOver(ctx, groups, never); err != nil {
			return nil, err
		}
	}
	if in.Contacts, err = s.contactsBetween(ctx, from, to); err != nil {
		return nil, err
	}
	return &RecReport{Options: o, GeneratedAt: now.Truncate(time.Second), Recommendations: Recommend(in)}, nil
}

// contactsBetween reads the contacts made from from (included) to to (excluded):
// every contact made in the period was recorded, so changed, at or after from.
func (s *Service) contactsBetween(ctx context.Context, from, to time.Time) ([]*placematch.HomeContact, error) {
	var out []*placematch.HomeContact
	for cursor := ""; ; {
		page, err := s.Store.ListContacts(ctx, store.ContactFilter{Since: from, Limit: store.MaxLimit, Cursor: cursor})
		if err != nil {
			return nil, err
		}
		for _, c := range page.Items {
			if !c.ContactedAt.Before(from) && c.ContactedAt.Before(to) {
				out = append(out, c)
			}
		}
		if cursor = page.NextCursor; cursor == "" {
			return out, nil
		}
	}
}

// childrenByID reads the live children among ids, a thousand at a time.
func (s *Service) childrenByID(ctx context.Context, ids []string) (map[string]*placematch.Child, error) {
	slices.Sort(ids)
	ids = slices.Compact(ids)
	out := map[string]*placematch.Child{}
	for chunk := range slices.Chunk(ids, 1000) {
		cs, err := s.Store.ChildrenByIDs(ctx, chunk)
		if err != nil {
			return nil, err
		}
		for _, c := range cs {
			out[c.ID] = c
		}
	}
	return out, nil
}

// NotKnown names a group of a dimension for children no longer on record.
const NotKnown = "not known"

// recRun describes a stored run as the report counts it: its group's members on
// the run's day, and rank 1's distance as the run showed it.
func recRun(m *store.MatchRun, children map[string]*placematch.Child) (RecRun, error) {
	run := RecRun{At: m.CreatedAt, Group: slices.Sorted(slices.Values(m.Group)), Size: len(m.Group), Ranked: m.Ranked,
		AgeBand: NotKnown, Urgency: NotKnown}
	if run.Size == 0 {
		run.Group, run.Size = []string{m.ChildID}, 1
	}
	day := placematch.DateOf(m.CreatedAt)
	eldest := -1
	for _, id := range run.Group {
		c, ok := children[id]
		if !ok {
			continue
		}
		eldest = max(eldest, c.AgeOn(day))
		run.Wheelchair = run.Wheelchair || c.WheelchairUser
		if c.Urgency == "emergency" {
			run.Urgency = "emergency"
		} else if run.Urgency == NotKnown {
			run.Urgency = "planned"
		}
	}
	if eldest >= 0 {
		run.AgeBand = AgeBandOf(eldest)
	}
	if len(m.Ranked) == 0 {
		return run, nil
	}
	var shown struct {
		Matches []struct {
			Rank          int      `json:"rank"`
			DistanceMiles float64  `json:"distance_miles"`
			Flags         []string `json:"flags"`
		} `json:"matches"`
	}
	if err := json.Unmarshal(m.Result, &shown); err != nil {
		return run, fmt.Errorf("reports: match run %s: %w", m.ID, err)
	}
	for _, x := range shown.Matches {
		if x.Rank == 1 && !slices.Contains(x.Flags, matching.FlagDistanceUnknown) {
			run.TopMiles, run.TopKnown = x.DistanceMiles, true
		}
	}
	return run, nil
}

// latestGroups returns the groups of the runs, each once, the latest searched
// first, at most n.
func latestGroups(runs []RecRun, n int) [][]string {
	seen := map[string]bool{}
	var out [][]string
	for i := len(runs) - 1; i >= 0 && len(out) < n; i-- {
		k := strings.Join(runs[i].Group, ",")
		if !seen[k] {
			seen[k] = true
			out = append(out, runs[i].Group)
		}
	}
	return out
}
