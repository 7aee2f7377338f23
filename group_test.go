package placematch_test

import (
	"testing"
	"time"

	"placematch"
)

// TestAwaitingGroup: the group is the child and its live siblings still awaiting,
// in the order given; placed and archived siblings are left out.
func TestAwaitingGroup(t *testing.T) {
	archived := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	child := &placematch.Child{Record: placematch.Record{ID: "a"}, Status: placematch.ChildAwaiting}
	waiting := &placematch.Child{Record: placematch.Record{ID: "c"}, Status: placematch.ChildAwaiting}
	placed := &placematch.Child{Record: placematch.Record{ID: "b"}, Status: placematch.ChildPlaced}
	gone := &placematch.Child{Record: placematch.Record{ID: "d", ArchivedAt: &archived}, Status: placematch.ChildAwaiting}
	got := placematch.AwaitingGroup(child, []*placematch.Child{placed, waiting, gone})
	var ids []string
	for _, c := range got {
		ids = append(ids, c.ID)
	}
	if len(ids) != 2 || ids[0] != "a" || ids[1] != "c" {
		t.Errorf("group %v, want [a c]", ids)
	}
}

// TestSiblingsFollowsLinksThroughSiblings: records may list only some of a group
// (links are kept both ways, but B lists only A, and D only C); from whichever member
// it starts, Siblings finds the same whole group, reads each child once, and stops at
// children read leaves out.
func TestSiblingsFollowsLinksThroughSiblings(t *testing.T) {
	kids := map[string]*placematch.Child{
		"a": {Record: placematch.Record{ID: "a"}, Siblings: []string{"b", "c"}},
		"b": {Record: placematch.Record{ID: "b"}, Siblings: []string{"a"}},
		"c": {Record: placematch.Record{ID: "c"}, Siblings: []string{"a", "d", "gone"}},
		"d": {Record: placematch.Record{ID: "d"}, Siblings: []string{"c"}},
	}
	reads := map[string]int{}
	read := func(ids []string) ([]*placematch.Child, error) {
		var out []*placematch.Child
		for _, id := range ids {
			reads[id]++
			if k := kids[id]; k != nil {
				out = append(out, k)
			}
		}
		return out, nil
	}
	for _, start := range []string{"a", "b", "c", "d"} {
		clear(reads)
		got, err := placematch.Siblings(kids[start], read)
		if err != nil {
			t.Fatal(err)
		}
		ids := map[string]bool{start: true}
		for _, c := range got {
			ids[c.ID] = true
		}
		if len(got) != 3 || len(ids) != 4 {
			t.Errorf("from %s: siblings %v, want the other three of a, b, c, d", start, ids)
		}
		for id, n := range reads {
			if n > 1 {
				t.Errorf("from %s: %s read %d times", start, id, n)
			}
		}
	}
}
