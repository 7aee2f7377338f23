package web

import (
	"testing"

	"placematch/jobs"
)

// The console reads the feed import's runs by the job's name, which web cannot
// import from jobs: the two must agree.
func TestFeedJobIsTheFeedImport(t *testing.T) {
	if feedJob != jobs.NameFeeds {
		t.Fatalf("the console reads %q, the feed import is %q", feedJob, jobs.NameFeeds)
	}
}
