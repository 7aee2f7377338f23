package placematch_test

import (
	"bufio"
	"go/ast"
	"go/parser"
	"go/token"
	"os/exec"
	"path/filepath"
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
	"placematch/matching/assign": {},
	"placematch/store":           {"placematch", "placematch/migrations"},
	"placematch/store/storetest": {"placematch", "placematch/migrations", "placematch/store"},
	"placematch/reports":         {"placematch", "placematch/geo", "placematch/matching", "placematch/store"},
	"placematch/jobs":            {"placematch", "placematch/store", "placematch/reports"},
	"placematch/demo":            {"placematch", "placematch/geo", "placematch/store"},
	"placematch/placing": {"placematch", "placematch/geo", "placematch/matching", "placematch/matching/assign",
		"placematch/reports", "placematch/store"},
	"placematch/api": {"placematch", "placematch/auth", "placematch/geo", "placematch/jobs",
		"placematch/matching", "placematch/placing", "placematch/reports", "placematch/store"},
	"placematch/web": {"placematch", "placematch/auth", "placematch/matching", "placematch/placing", "placematch/store"},
	"placematch/cmd/placematch": {"placematch", "placematch/api", "placematch/auth", "placematch/demo",
		"placematch/geo", "placematch/jobs", "placematch/matching", "placematch/matching/assign", "placematch/placing",
		"placematch/reports", "placematch/store", "placematch/web"},
	// The load-run tool stores a national data set and drives the binary over HTTP.
	"placematch/scripts/loadrun": {"placematch", "placematch/store", "placematch/store/storetest"},
}

// useCaseOnly are the identifiers of matching, geo and store that only the use-case
// layer (placing) may use: the candidate index, the ranking and the booking-time
// rule check. The faces (api and web) decode, authorise, call
// placing and encode; a face that ranks, indexes or books on its own fails
// TestFacesCallTheUseCases.
var useCaseOnly = map[string][]string{
	"matching": {"Rank", "Shortlist", "Prepare", "Check", "Candidate"},
	"geo":      {"NewGrid", "Grid"},
	"store": {"SaveMatchRun", "GetMatchRun", "SaveAllocation", "GetAllocation", "ProviderChanges", "ChangeCursor", "Book",
		"UpdatePlacement", "SaveProviderStates", "ProviderStates", "SaveManifest", "GetManifest", "CreateContact", "AnswerContact"},
}

// faces are the packages people use; they must reach the use cases through placing.
var faces = []string{"api", "web"}

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

// TestFacesCallTheUseCases reads the faces' sources (tests excluded) and fails on any
// use of an identifier in useCaseOnly, whether a package selector (matching.Rank) or
// a method of the store (s.Store.Book).
func TestFacesCallTheUseCases(t *testing.T) {
	for _, face := range faces {
		files, err := filepath.Glob(filepath.Join(face, "*.go"))
		if err != nil || len(files) == 0 {
			t.Fatalf("%s: no sources (%v)", face, err)
		}
		fset := token.NewFileSet()
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			file, err := parser.ParseFile(fset, f, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(file, func(n ast.Node) bool {
				sel, ok := n.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				if x, ok := sel.X.(*ast.Ident); ok && slices.Contains(useCaseOnly[x.Name], sel.Sel.Name) {
					t.Errorf("%s: %s.%s belongs to the use-case layer; call placing instead", fset.Position(sel.Pos()), x.Name, sel.Sel.Name)
				}
				if x, ok := sel.X.(*ast.SelectorExpr); ok && x.Sel.Name == "Store" && slices.Contains(useCaseOnly["store"], sel.Sel.Name) {
					t.Errorf("%s: Store.%s belongs to the use-case layer; call placing instead", fset.Position(sel.Pos()), sel.Sel.Name)
				}
				return true
			})
		}
	}
}
