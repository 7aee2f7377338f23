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
)

// ScarceHomes is how few homes make a place scarce: a match is flagged
// matching.FlagScarcePlace when another child or group awaiting now has at most
// this many eligible homes (by the same hard rules its own search applies) and
// this is one of them, and taking it would leave no room there for that child or
// group: a fostering household or a hub takes one new group at a time, as in an
// allocation; a unit has room while beds remain for both.
const ScarceHomes = 2

// scarceUse is one waiting group that depends on a home: the home is one of its
// homes eligible, all of them.
type scarceUse struct {
	ids   []string
	size  int
	homes int
	who   string
}

// scarcity remembers, for one view of the providers and one queue, which homes
// the groups waiting depend on. It is judged again when either changes: a
// provider written (a new view) or a child written or added (a new queue).
type scarcity struct {
	mu   sync.Mutex
	set  *candidateSet
	key  string
	uses map[string][]scarceUse // provider id → groups depending on it
}

// markScarce flags the matches whose taking would use a scarce place for another
// group awaiting, with a sentence naming the group and why its homes are few.
// The flag changes neither a score nor the order: it is read beside them.
func (s *Service) markScarce(ctx context.Context, set *candidateSet, group []*placematch.Child, matches []matching.Match, now time.Time) error {
	if len(matches) == 0 {
		return nil
	}
	uses, err := s.scarce.current(ctx, s, set, now)
	if err != nil {
		return err
	}
	ours := map[string]bool{}
	for _, c := range group {
		ours[c.ID] = true
	}
	for i := range matches {
		m := &matches[i]
		// As in an allocation, a fostering household and a hub take one new
		// group at a time (the household rules between two new groups are judged
		// booking by booking); a unit has room for both while its beds last.
		oneGroup := m.Provider.Kind != placematch.KindUnit
		var said []string
		for _, u := range uses[m.Provider.ID] {
			if ours[u.ids[0]] || (!oneGroup && m.Vacancies-len(group) >= u.size) {
				continue // the group searching itself, or room enough for both
			}
			if u.homes == 1 {
				said = append(said, "the only home that could take "+u.who)
			} else {
				said = append(said, fmt.Sprintf("one of only %d homes that could take %s", u.homes, u.who))
			}
		}
		if len(said) == 0 {
			continue
		}
		m.Flags = append(m.Flags, matching.FlagScarcePlace)
		m.ScarceReason = "Taking this home would use a scarce place: it is " + strings.Join(said, "; it is ") + "."
	}
	return nil
}

// current returns which groups waiting depend on which homes, for the view set
// and the queue as the store holds it now. The queue's stamp (ids and versions)
// is read on every search; the children themselves only when it has moved.
func (x *scarcity) current(ctx context.Context, s *Service, set *candidateSet, now time.Time) (map[string][]scarceUse, error) {
	stamp, _, err := s.Store.AwaitingStamp(ctx)
	if err != nil {
		return nil, err
	}
	key := stamp + ";" + placematch.DateOf(now).String() // ages move with the day
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.set == set && x.key == key && x.uses != nil {
		return x.uses, nil
	}
	children, err := s.queueChildren(ctx, nil)
	if err != nil {
		return nil, err
	}
	groups, err := s.formGroups(ctx, children)
	if err != nil {
		return nil, err
	}
	homes := s.fewHomes(set, groups, now)
	uses := map[string][]scarceUse{}
	for gi, g := range groups {
		if len(homes[gi]) == 0 || len(homes[gi]) > ScarceHomes {
			continue
		}
		u := scarceUse{ids: g.ids, size: len(g.members), homes: len(homes[gi]), who: describe(g.members)}
		for _, id := range homes[gi] {
			uses[id] = append(uses[id], u)
		}
	}
	x.set, x.key, x.uses = set, key, uses
	return uses, nil
}

// fewHomes finds, for each group, its first ScarceHomes+1 eligible homes (by the
// hard rules its own search applies, on the same candidates), which is enough to
// tell a group with few homes from one with more, across the cores.
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
				cands := s.searchSet(set, req, &opt)
				for _, i := range matching.FirstEligible(req, cands, opt, ScarceHomes+1) {
					out[gi] = append(out[gi], cands[i].P.ID)
				}
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

// describe names a waiting group by its case references and says what narrows
// its homes: its size, wheelchair use, age. Never a name.
func describe(members []*placematch.Child) string {
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
