package jobs

import (
	"fmt"

	"placematch"
)

// DefaultMaxRejected is how many rejected rows of one feed a run lists by default.
const DefaultMaxRejected = 100

// issueList keeps the first max rejected rows of one feed and counts the rest: a
// feed of 300,000 bad rows must not make a run record of tens of megabytes.
type issueList struct {
	scope   string
	max     int
	kept    []placematch.RunIssue
	dropped int
}

func newIssueList(scope string, max int) *issueList {
	if max <= 0 {
		max = DefaultMaxRejected
	}
	return &issueList{scope: scope, max: max}
}

func (l *issueList) add(is placematch.RunIssue) {
	if len(l.kept) < l.max {
		l.kept = append(l.kept, is)
		return
	}
	l.dropped++
}

// total is how many rows were rejected, listed or not.
func (l *issueList) total() int { return len(l.kept) + l.dropped }

// issues lists the kept rows, then one line counting those left out.
func (l *issueList) issues() []placematch.RunIssue {
	if l.dropped == 0 {
		return l.kept
	}
	return append(l.kept, placematch.RunIssue{Scope: l.scope,
		Message: fmt.Sprintf("%d more rejected rows are not listed (the first %d are)", l.dropped, len(l.kept))})
}
