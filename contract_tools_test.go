package placematch_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// The rules below keep openapi.yaml usable by the tools integrators generate
// clients and validators with (scripts/contract.sh runs those tools; these tests
// say what broke in terms of the document, and run with go test alone).

// walkSchemas calls fn for every schema reachable from ref (each once), with a
// path naming where it sits.
func walkSchemas(ref *openapi3.SchemaRef, path string, seen map[*openapi3.Schema]bool, fn func(path string, ref *openapi3.SchemaRef)) {
	if ref == nil || ref.Value == nil {
		return
	}
	fn(path, ref)
	s := ref.Value
	if seen[s] {
		return
	}
	seen[s] = true
	for _, name := range sortedKeys(s.Properties) {
		walkSchemas(s.Properties[name], path+"."+name, seen, fn)
	}
	walkSchemas(s.Items, path+"[]", seen, fn)
	if s.AdditionalProperties.Schema != nil {
		walkSchemas(s.AdditionalProperties.Schema, path+".*", seen, fn)
	}
	for i, list := range [][]*openapi3.SchemaRef{s.AllOf, s.OneOf, s.AnyOf} {
		for j, sub := range list {
			walkSchemas(sub, fmt.Sprintf("%s/%s[%d]", path, []string{"allOf", "oneOf", "anyOf"}[i], j), seen, fn)
		}
	}
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// everySchema walks the component schemas and every schema written inline in a
// parameter, request body or response.
func everySchema(doc *openapi3.T, fn func(path string, ref *openapi3.SchemaRef)) {
	seen := map[*openapi3.Schema]bool{}
	for _, name := range sortedKeys(doc.Components.Schemas) {
		walkSchemas(doc.Components.Schemas[name], name, seen, fn)
	}
	for _, p := range doc.Paths.InMatchingOrder() {
		item := doc.Paths.Value(p)
		for method, op := range item.Operations() {
			at := method + " " + p
			for _, prm := range append(item.Parameters, op.Parameters...) {
				if prm.Value != nil {
					walkSchemas(prm.Value.Schema, at+" ?"+prm.Value.Name, seen, fn)
				}
			}
			if op.RequestBody != nil && op.RequestBody.Value != nil {
				for mt, c := range op.RequestBody.Value.Content {
					walkSchemas(c.Schema, at+" body "+mt, seen, fn)
				}
			}
			for code, r := range op.Responses.Map() {
				if r.Value == nil {
					continue
				}
				for mt, c := range r.Value.Content {
					walkSchemas(c.Schema, at+" "+code+" "+mt, seen, fn)
				}
			}
		}
	}
}

// OpenAPI 3.0 makes null valid only beside a type in the same schema: nullable
// beside allOf, oneOf or anyOf (and no type) is ignored by strict validators such as
// Prism, which then refuse the nulls the service sends. Enumerations list neither
// null nor "" and are never nullable: generated clients turn those into constants
// named "<nil>" and "", so an enumerated value that is not recorded is absent.
func TestContractNullsAsOpenAPI30ReadsThem(t *testing.T) {
	doc := loadContract(t)
	everySchema(doc, func(path string, ref *openapi3.SchemaRef) {
		s := ref.Value
		if s.Nullable && (len(s.AllOf)+len(s.OneOf)+len(s.AnyOf) > 0 || s.Type == nil || len(*s.Type) == 0) {
			t.Errorf("%s: nullable without a type of its own (beside allOf/oneOf/anyOf): null is not valid there", path)
		}
		for _, v := range s.Enum {
			if v == nil || v == "" {
				t.Errorf("%s: enum lists %#v; leave the value out (absent for none)", path, v)
			}
		}
		if s.Nullable && len(s.Enum) > 0 {
			// OpenAPI 3.0.3 keeps enum in force beside nullable, so null would have to
			// be listed, which generated clients turn into a "<nil>" constant: an
			// enumerated value that may be missing is absent instead.
			t.Errorf("%s: a nullable enum; make the value absent when none", path)
		}
	})
}

// Every number says its format, so generated clients get float64, not float32 or
// an interface.
func TestContractNumbersAreDoubles(t *testing.T) {
	doc := loadContract(t)
	everySchema(doc, func(path string, ref *openapi3.SchemaRef) {
		if s := ref.Value; s.Type.Is("number") && s.Format != "double" {
			t.Errorf("%s: a number without format: double", path)
		}
	})
}

// Every oneOf branch is a named schema, so that generated clients name the types.
func TestContractOneOfBranchesAreNamed(t *testing.T) {
	doc := loadContract(t)
	everySchema(doc, func(path string, ref *openapi3.SchemaRef) {
		for i, b := range ref.Value.OneOf {
			if b.Ref == "" {
				t.Errorf("%s: oneOf branch %d is written inline", path, i)
			}
		}
	})
}

// Every list takes updated_since, and every list of records include_archived, so a
// client can keep another system in step by polling.
func TestContractListsTakeUpdatedSince(t *testing.T) {
	doc := loadContract(t)
	lists := 0
	for _, p := range doc.Paths.InMatchingOrder() {
		item := doc.Paths.Value(p)
		op := item.Get
		if op == nil || !hasParam(item, op, "query", "cursor") {
			continue // not a paged list
		}
		lists++
		if !hasParam(item, op, "query", "updated_since") {
			t.Errorf("GET %s is a list without updated_since", p)
		}
		records := !strings.Contains(p, "/audit") && !strings.Contains(p, "/jobs/") && !strings.Contains(p, "/contacts") && // never archived
			!strings.HasSuffix(p, "/excluded") // a run's own exclusions, which never change
		if records && !hasParam(item, op, "query", "include_archived") {
			t.Errorf("GET %s lists records without include_archived", p)
		}
	}
	if lists < 8 {
		t.Fatalf("found %d lists, want the 8 the API serves", lists)
	}
}

// PATCH bodies are typed (a schema with properties per resource), sent as
// application/merge-patch+json, and every property of every request body a client
// sends is described; every request body has an example.
func TestContractRequestBodiesAreTypedDescribedAndExemplified(t *testing.T) {
	doc := loadContract(t)
	for _, p := range doc.Paths.InMatchingOrder() {
		item := doc.Paths.Value(p)
		for method, op := range item.Operations() {
			if op.RequestBody == nil || op.RequestBody.Value == nil {
				continue
			}
			at := method + " " + p
			content := op.RequestBody.Value.Content
			if method == "PATCH" && content.Get("application/merge-patch+json") == nil {
				t.Errorf("%s: no application/merge-patch+json body", at)
			}
			for mt, c := range content {
				s := c.Schema
				if s == nil || s.Value == nil {
					t.Errorf("%s %s: no schema", at, mt)
					continue
				}
				if len(s.Value.Properties) == 0 || s.Value.AdditionalProperties.Has == nil || *s.Value.AdditionalProperties.Has {
					t.Errorf("%s %s: not a typed object (properties, additionalProperties: false)", at, mt)
				}
				if c.Example == nil && len(c.Examples) == 0 && s.Value.Example == nil {
					t.Errorf("%s %s: no example", at, mt)
				}
				walkSchemas(s, at, map[*openapi3.Schema]bool{}, func(path string, ref *openapi3.SchemaRef) {
					for _, name := range sortedKeys(ref.Value.Properties) {
						prop := ref.Value.Properties[name]
						if prop.Value.Description == "" {
							t.Errorf("%s.%s: a property a client sets has no description", path, name)
						}
					}
				})
			}
		}
	}
}

// The main responses carry examples: a child, a match run, a placement, a problem.
func TestContractMainResponsesHaveExamples(t *testing.T) {
	doc := loadContract(t)
	for _, name := range []string{"Child", "MatchRun", "Placement", "Problem"} {
		if s := doc.Components.Schemas[name]; s == nil || s.Value.Example == nil {
			t.Errorf("schema %s has no example", name)
		}
	}
}

// A typed patch names every field its create body takes, and nothing else: a
// field added to a create must be patchable too.
func TestContractPatchesMatchTheirCreates(t *testing.T) {
	doc := loadContract(t)
	for create, patch := range map[string]string{"CarerCreate": "CarerPatch", "UnitCreate": "UnitPatch",
		"HubCreate": "HubPatch", "ChildCreate": "ChildPatch", "FeedCreate": "FeedPatch",
		"ApprovalInput": "ApprovalPatch", "AvailabilityInput": "AvailabilityPatch"} {
		c, p := doc.Components.Schemas[create], doc.Components.Schemas[patch]
		if c == nil || p == nil {
			t.Errorf("%s or %s is missing", create, patch)
			continue
		}
		if got, want := sortedKeys(p.Value.Properties), sortedKeys(c.Value.Properties); strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("%s has %v, want the fields of %s: %v", patch, got, create, want)
		}
		if len(p.Value.Required) > 0 {
			t.Errorf("%s requires %v; every field of a patch is optional", patch, p.Value.Required)
		}
	}
}
