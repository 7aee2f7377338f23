package placematch

// AwaitingGroup is the sibling-group rule shared by matching and booking: the child
// first, then those of siblings (every linked sibling, see Siblings) that are live
// (not archived) and still awaiting a placement, in the order given. Siblings already placed or archived are not part of
// the group a search or a booking is for.
func AwaitingGroup(child *Child, siblings []*Child) []*Child {
	group := []*Child{child}
	for _, s := range siblings {
		if s != nil && s.ArchivedAt == nil && s.Status == ChildAwaiting {
			group = append(group, s)
		}
	}
	return group
}

// maxLinked bounds how many linked children Siblings follows: far more than any
// sibling group, so that a corrupted web of links cannot make a search read the
// whole register.
const maxLinked = 64

// Siblings returns every child linked to child by sibling links, directly or through
// another sibling (a sibling's sibling is a sibling, though their records may list
// only one of them), without child itself, in the order found. read returns the live
// children with the given ids; ids it leaves out (archived, missing) are not followed.
// Whichever member of a group it starts from, it finds the same set.
func Siblings(child *Child, read func(ids []string) ([]*Child, error)) ([]*Child, error) {
	seen := map[string]bool{child.ID: true}
	var out []*Child
	next := child.Siblings
	for len(next) > 0 && len(out) < maxLinked {
		var ids []string
		for _, id := range next {
			if !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
		if len(ids) == 0 {
			break
		}
		found, err := read(ids)
		if err != nil {
			return nil, err
		}
		next = nil
		for _, c := range found {
			out = append(out, c)
			next = append(next, c.Siblings...)
		}
	}
	return out, nil
}
