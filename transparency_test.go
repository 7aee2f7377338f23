package placematch_test

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"placematch"
	"placematch/matching"
)

// TestTransparencyRecordNamesEveryRuleAndFactor keeps docs/algorithmic-transparency.md
// in step with the code: every exclusion code, flag, factor (with its default
// weight), household rule, the weights and rules versions, every contact answer
// and decline reason, and every reason a replay gives must appear in it, written
// as code (`like_this`). Constants are read from the sources, so a rule or flag
// added to the code without a line here fails.
func TestTransparencyRecordNamesEveryRuleAndFactor(t *testing.T) {
	b, err := os.ReadFile("docs/algorithmic-transparency.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	want := map[string]string{} // value → where it comes from
	for _, rc := range matching.ReasonCodes {
		want[rc.Code] = "matching.ReasonCodes"
	}
	for _, f := range matching.FactorNames {
		want[f] = "matching.FactorNames"
	}
	for _, c := range matching.PolicyCodes {
		want[c] = "matching.PolicyCodes"
	}
	for _, a := range placematch.ContactAnswers {
		want[string(a)] = "placematch.ContactAnswers"
	}
	for _, r := range placematch.DeclineReasons {
		want[string(r)] = "placematch.DeclineReasons"
	}
	want[matching.DefaultWeightsVersion] = "matching.DefaultWeightsVersion"
	want[matching.DefaultPolicyVersion] = "matching.DefaultPolicyVersion"
	for v, from := range stringConsts(t, "matching", "Code", "Flag", "Band") {
		want[v] = from
	}
	for v, from := range stringConsts(t, "placing", "Reason") {
		want[v] = from
	}
	for v, from := range want {
		if !strings.Contains(doc, "`"+v+"`") {
			t.Errorf("%s (%s) is not in docs/algorithmic-transparency.md", v, from)
		}
	}
	for name, w := range matching.DefaultWeights().Values {
		if row := fmt.Sprintf("| `%s` | %g |", name, w); !strings.Contains(doc, row) {
			t.Errorf("the factors table has no row %q", row)
		}
	}
}

// stringConsts returns the string constants of a package's sources (tests left
// out) whose names start with one of the prefixes, by value.
func stringConsts(t *testing.T, dir string, prefixes ...string) map[string]string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	fset := token.NewFileSet()
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range f.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, name := range vs.Names {
					if i >= len(vs.Values) || !hasAnyPrefix(name.Name, prefixes) {
						continue
					}
					lit, ok := vs.Values[i].(*ast.BasicLit)
					if !ok || lit.Kind != token.STRING {
						continue
					}
					if v, err := strconv.Unquote(lit.Value); err == nil {
						out[v] = dir + "." + name.Name
					}
				}
			}
		}
	}
	return out
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}
