package placematch_test

import (
	"bufio"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// allowedImports is who may import whom inside the module, as docs/architecture.md
// describes it: for each package, the module packages it may import directly. A
// package missing here, or an import not listed for it, fails the test, so a new
// dependency between packages is a decision made in this table and in the document.
var allowedImports = map[string][]string{
	"placematch":                 {},
	"placematch/migrations":      {},
	"placematch/auth":            {},
	"placematch/geo":             {"placematch"},
	"placematch/matching":        {"placematch", "placematch/geo"},
	"placematch/store":           {"placematch", "placematch/migrations"},
	"placematch/store/storetest": {"placematch", "placematch/migrations", "placematch/store"},
	"placematch/reports":         {"placematch", "placematch/geo", "placematch/matching", "placematch/store"},
	"placematch/jobs":            {"placematch", "placematch/store", "placematch/reports"},
	"placematch/demo":            {"placematch", "placematch/geo", "placematch/store"},
	"placematch/api": {"placematch", "placematch/auth", "placematch/geo", "placematch/jobs",
		"placematch/matching", "placematch/reports", "placematch/store"},
	"placematch/cmd/placematch": {"placematch", "placematch/api", "placematch/auth", "placematch/demo",
		"placematch/geo", "placematch/jobs", "placematch/matching", "placematch/reports", "placematch/store"},
}

// TestImportRules lists every package of the module with its direct imports (test
// files excluded: tests may reach further, e.g. storetest) and fails on any module
// import the table does not allow.
func TestImportRules(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}}{{range .Imports}} {{.}}{{end}}`, "placematch/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	seen := 0
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 {
			continue
		}
		pkg, imports := fields[0], fields[1:]
		allowed, ok := allowedImports[pkg]
		if !ok {
			t.Errorf("%s is not in the import rules: add it to allowedImports and docs/architecture.md", pkg)
			continue
		}
		seen++
		for _, imp := range imports {
			if imp != "placematch" && !strings.HasPrefix(imp, "placematch/") {
				continue
			}
			if !slices.Contains(allowed, imp) {
				t.Errorf("%s imports %s, which the import rules do not allow", pkg, imp)
			}
		}
	}
	if seen < 5 {
		t.Fatalf("go list named only %d known packages:\n%s", seen, out)
	}
}
