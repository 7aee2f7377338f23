package migrations

import (
	"io/fs"
	"testing"
)

// Both engines must carry the same versions, or a schema would differ by engine.
func TestDialectsHaveSameVersions(t *testing.T) {
	names := func(d string) []string {
		f, err := FS(d)
		if err != nil {
			t.Fatal(err)
		}
		m, err := fs.Glob(f, "*.sql")
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	pg, lite := names("postgres"), names("sqlite")
	if len(pg) == 0 || len(pg) != len(lite) {
		t.Fatalf("postgres %v, sqlite %v", pg, lite)
	}
	for i := range pg {
		if pg[i] != lite[i] {
			t.Errorf("version %d: postgres %s, sqlite %s", i, pg[i], lite[i])
		}
	}
	if _, err := FS("mysql"); err == nil {
		t.Error("unknown dialect accepted")
	}
}
