package placing

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"placematch"
	"placematch/matching"
	"placematch/store"
)

// ScarceHomes is how few homes make a place scarce: a match is flagged
// matching.FlagScarcePlace when another child or group awaiting now has at most
// this many eligible homes (by the same hard rules its own search applies) and
// this is one of them, and taking it would leave no room there for that child or
// group: a fostering household or a hub takes one new group at a time, as in an
// allocation; a unit has room while beds remain for both.
const ScarceHomes = 2

// scarcity remembers the queue, grouped, for one state of it (read after cursor,
// on day), and for one view of the providers each group's first ScarceHomes+1
// eligible homes, found when a search first needs them: a group is judged only
// when one of a search's matches could take it, so a search pays for the groups
// near it, not for the whole queue.
type scarcity struct {
	mu sync.Mutex
	// cursor was read before groups, so that a child written since the queue was
	// read is reported by the next store.ChildrenWritten from it; gen counts the
	// queues read, so that a search can tell whether the queue changed while it
	// asked.
	cursor store.ChildCursor
	gen    int
	day    placematch.Date
	groups []*queued
	// rules are each group's hard rules compiled for day, made when the group is
	// first judged: every search asks of every group, and compiling them costs
	// more than judging a search's few matches.
	rules []*matching.Rules
	set   *candidateSet
	// homes are each group's first homes on set, by group index; judged says
	// which are found, and found how many.
	homes  [][]string
	judged []bool
	found  int
}

// markScarce flags the matches whose taking would use a scarce place for another
// group awaiting, with a sentence naming the group and why its homes are few.
// The flag changes neither a score nor the order: it is read beside them.
func (s *Service) markScarce(ctx context.Context, set *candidateSet, group []*placematch.Child, matches []matching.Match, now time.Time) error {
	if len(matches) == 0 {
		return nil
	}
	x := &s.scarce
	x.mu.Lock()
	since, gen := x.cursor, x.gen
	x.mu.Unlock()
	written, next, err := s.Store.ChildrenWritten(ctx, since)
	if err != nil {
		return err
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.gen != gen {
		// Another search read the queue while this one asked: ask again from
		// that search's cursor, so that one write is not followed by one
		// rebuild per search that was waiting.
		if written, next, err = s.Store.ChildrenWritten(ctx, x.cursor); err != nil {
			return err
		}
	}
	// Nothing written since x's cursor: the queue x holds is current, and the
	// cursor moves on to next. Otherwise the queue is read again, after next,
	// which is therefore a cursor for it. Ages move with the day.
	day := placematch.DateOf(now)
	if !written && day == x.day {
		x.cursor = next
	} else {
		children, err := s.queueChildren(ctx, nil)
		if err != nil {
			return err
		}
		groups, err := s.formGroups(ctx, children)
		if err != nil {
			return err
		}
		x.groups, x.cursor, x.day, x.rules = groups, next, day, nil
		x.gen++
		x.forget()
	}
	s.judgeScarce(x, set, group, matches, now)
	return nil
}

// judgeScarce is markScarce on the queue x holds: for each other group that one
// of the matches could take, its first homes (found once per view), and a
// sentence on each match it would lose.
func (s *Service) judgeScarce(x *scarcity, set *candidateSet, group []*placematch.Child, matches []matching.Match, now time.Time) {
	if x.set != set || len(x.judged) != len(x.groups) {
		x.set = set
		x.forget()
	}
	if len(x.rules) != len(x.groups) {
		x.rules = make([]*matching.Rules, len(x.groups))
	}
	var shown []matching.Candidate
	for _, m := range matches {
		if i, ok := set.index[m.Provider.ID]; ok {
			shown = append(shown, set.all[i])
		}
	}
	today := placematch.DateOf(now)
	said := make(map[string][]string, len(matches))
	could := make([]int, 0, len(shown))
	for gi, g := range x.groups {
		if slices.ContainsFunc(group, func(c *placematch.Child) bool { return c.ID == g.ids[0] }) {
			continue // the group searching itself
		}
		if x.judged[gi] && len(x.homes[gi]) > ScarceHomes {
			continue // judged for this view: enough homes, whatever is shown
		}
		if x.judged[gi] {
			// Fewer than ScarceHomes+1 found in the whole set: they are all of
			// the group's homes, and those shown are the matches it could take.
			could = could[:0]
			for ci := range shown {
				if slices.Contains(x.homes[gi], shown[ci].P.ID) {
					could = append(could, ci)
				}
			}
		} else {
			rules := x.rules[gi]
			if rules == nil {
				// The rules read nothing of the set or the clock past the day,
				// for which the queue was read.
				req := matching.Request{Child: g.members[0], Group: g.members, Today: today, Now: now}
				var opt matching.Options
				s.searchOptions(set, &opt)
				rules = matching.NewRules(req, opt)
				x.rules[gi] = rules
			}
			could = rules.AppendEligible(could[:0], shown, len(shown))
			if len(could) == 0 {
				continue
			}
			x.homes[gi], x.judged[gi] = firstHomes(set, rules), true
			x.found++
		}
		if len(could) == 0 {
			continue
		}
		homes := x.homes[gi]
		if len(homes) > ScarceHomes {
			continue
		}
		for _, ci := range could {
			p := shown[ci].P
			m := matchOf(matches, p.ID)
			// As in an allocation, a fostering household and a hub take one new
			// group at a time (the household rules between two new groups are
			// judged booking by booking); a unit has room for both while its
			// beds last.
			if p.Kind == placematch.KindUnit && m.Vacancies-len(group) >= len(g.members) {
				continue
			}
			if len(homes) == 1 {
				said[p.ID] = append(said[p.ID], "the only home that could take "+describeGroup(g.members))
			} else {
				said[p.ID] = append(said[p.ID], fmt.Sprintf("one of only %d homes that could take %s", len(homes), describeGroup(g.members)))
			}
		}
	}
	for i := range matches {
		m := &matches[i]
		if len(said[m.Provider.ID]) == 0 {
			continue
		}
		m.Flags = append(m.Flags, matching.FlagScarcePlace)
		m.ScarceReason = "Taking this home would use a scarce place: it is " + strings.Join(said[m.Provider.ID], "; it is ") + "."
	}
}

// forget drops the groups' homes found, for a new view of the providers or of
// the queue.
func (x *scarcity) forget() {
	x.homes, x.judged, x.found = make([][]string, len(x.groups)), make([]bool, len(x.groups)), 0
}

func matchOf(matches []matching.Match, id string) *matching.Match {
	for i := range matches {
		if matches[i].Provider.ID == id {
			return &matches[i]
		}
	}
	return nil
}

// firstHomes finds a group's first ScarceHomes+1 eligible homes by the hard rules
// its own search applies, which is enough to tell a group with few homes from one
// with more. It reads every live provider in id order, not the grid's circle:
// beyond the maximum distance is a hard rule, so the homes found are the same, and
// a group with many homes stops after a few without paying for the circle.
func firstHomes(set *candidateSet, rules *matching.Rules) []string {
	var out []string
	for _, i := range rules.FirstEligible(set.all, ScarceHomes+1) {
		out = append(out, set.all[i].P.ID)
	}
	return out
}

// fewHomes is firstHomes for every group of a queue, across the cores.
func (s *Service) fewHomes(set *candidateSet, groups []*queued, now time.Time) [][]string {
	out := make([][]string, len(groups))
	today := placematch.DateOf(now)
	next := make(chan int)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for gi := range next {
				g := groups[gi]
				var opt matching.Options
				req := matching.Request{Child: g.members[0], Group: g.members, Today: today, Now: now}
				s.searchOptions(set, &opt)
				out[gi] = firstHomes(set, matching.NewRules(req, opt))
			}
		})
	}
	for gi := range groups {
		next <- gi
	}
	close(next)
	wg.Wait()
	return out
}

// describeGroup names a waiting group by its case references and says what narrows
// its homes: its size, wheelchair use, age. Never a name.
func describeGroup(members []*placematch.Child) string {
	var refs []string
	wheelchair := false
	for _, c := range members {
		ref := c.Reference
		if ref == "" {
			ref = c.ID
		}
		refs = append(refs, ref)
		wheelchair = wheelchair || c.WheelchairUser
	}
	slices.Sort(refs)
	var who string
	if len(members) == 1 {
		who = "child " + refs[0] + ", awaiting"
	} else {
		who = fmt.Sprintf("the %d siblings %s, awaiting together", len(members), strings.Join(refs, ", "))
	}
	if wheelchair {
		who += " (a wheelchair user needs an accessible home)"
		if len(members) > 1 {
			who = strings.Replace(who, "(a wheelchair user", "(one uses a wheelchair and", 1)
		}
	}
	return who
}

// searchOptions sets the service's part of a search's options, as searchSet does,
// without taking the grid's circle.
func (s *Service) searchOptions(set *candidateSet, opt *matching.Options) {
	opt.Hubs, opt.AreaConfigured, opt.StaleAfter, opt.Policy = set.hubs, s.AreaConfigured, s.StaleAfter, s.Policy
}

// scarceOf is the matches' scarce-place sentences by provider id, for the run's
// replay record; nil when none is scarce.
func scarceOf(matches []matching.Match) map[string]string {
	var out map[string]string
	for _, m := range matches {
		if m.ScarceReason != "" {
			if out == nil {
				out = map[string]string{}
			}
			out[m.Provider.ID] = m.ScarceReason
		}
	}
	return out
}

// applyScarce marks matches scarce as a run recorded them (scarceOf).
func applyScarce(matches []matching.Match, scarce map[string]string) {
	for i := range matches {
		if why, ok := scarce[matches[i].Provider.ID]; ok {
			matches[i].Flags = append(matches[i].Flags, matching.FlagScarcePlace)
			matches[i].ScarceReason = why
		}
	}
}
