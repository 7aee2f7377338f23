package placematch

// AwaitingGroup is the sibling-group rule shared by matching and booking: the child
// first, then those of siblings that are live (not archived) and still awaiting a
// placement, in the order given. Siblings already placed or archived are not part of
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
