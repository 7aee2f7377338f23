package geo

import (
	"os"
	"path/filepath"
	"testing"
)

// sharedData is the project's folder of real public data, next to the repository. It
// is read in place and never copied in (see ../shared/data/README.md).
const sharedData = "../../shared/data"

// dataPath returns the path of a shared data file and fails the test, rather than
// skipping it, when the file is missing: a silently skipped data test would hide a
// broken checkout.
func dataPath(tb testing.TB, rel string) string {
	tb.Helper()
	p := filepath.Join(sharedData, filepath.FromSlash(rel))
	if _, err := os.Stat(p); err != nil {
		tb.Fatalf("shared test data missing (expected next to the repository): %v", err)
	}
	return p
}
