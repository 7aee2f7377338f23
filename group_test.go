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
