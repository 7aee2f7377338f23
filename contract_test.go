package placematch_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"placematch"
	"placematch/matching"
)

// TestContractDocumentValid loads openapi.yaml and validates it as an OpenAPI 3
// document: every $ref resolves, every schema, example and default is well formed.
func TestContractDocumentValid(t *testing.T) {
	doc := loadContract(t)
	if got := doc.OpenAPI; got != "3.0.3" {
		t.Errorf("openapi version = %q, want 3.0.3", got)
	}
}

// TestContractRoutes checks that the document describes every route the API
// registers (api.Server.Handler), with the right methods and no others.
func TestContractRoutes(t *testing.T) {
	doc := loadContract(t)
	want := map[string][]string{
		"/healthz":      {"GET"},
		"/readyz":       {"GET"},
		"/openapi.yaml": {"GET"},

		"/api/v1/children":              {"GET", "POST"},
		"/api/v1/children/{id}":         {"DELETE", "GET", "PATCH"},
		"/api/v1/children/{id}/matches": {"GET"},
		"/api/v1/matches/{id}":          {"GET"},
		"/api/v1/placements":            {"GET", "POST"},
		"/api/v1/placements/{id}":       {"DELETE", "GET", "PATCH"},

		"/api/v1/reports/sufficiency":       {"GET"},
		"/api/v1/reports/recommendations":   {"GET"},
		"/api/v1/reports/providers.geojson": {"GET"},

		"/api/v1/audit": {"GET"},

		"/api/v1/allocations":      {"POST"},
		"/api/v1/allocations/{id}": {"GET"},

		"/metrics":                      {"GET"},
		"/problems/{type}":              {"GET"},
		"/api/v1/jobs":                  {"GET"},
		"/api/v1/jobs/{name}/runs":      {"GET", "POST"},
		"/api/v1/jobs/{name}/runs/{id}": {"GET"},
		"/api/v1/feeds":                 {"GET", "POST"},
		"/api/v1/feeds/{id}":            {"DELETE", "GET", "PATCH"},
		"/api/v1/matches/{id}/replay":   {"POST"},
		"/api/v1/matches/{id}/contacts": {"POST"},
		"/api/v1/matches/{id}/decision": {"GET"},
		"/api/v1/contacts":              {"GET"},
		"/api/v1/contacts/{id}":         {"GET"},
		"/api/v1/matches/{id}/excluded": {"GET"},
		"/api/v1/contacts/{id}/answer":  {"PUT"},
	}
	for _, kind := range []string{"carers", "units", "hubs"} {
		want["/api/v1/"+kind] = []string{"GET", "POST"}
		want["/api/v1/"+kind+"/{id}"] = []string{"DELETE", "GET", "PATCH"}
		want["/api/v1/"+kind+"/{id}/availability"] = []string{"PUT"}
	}
	for path, methods := range want {
		item := doc.Paths.Value(path)
		if item == nil {
			t.Errorf("path %s is missing", path)
			continue
		}
		var got []string
		for m := range item.Operations() {
			got = append(got, m)
		}
		slices.Sort(got)
		if !slices.Equal(got, methods) {
			t.Errorf("%s: methods %v, want %v", path, got, methods)
		}
	}
	for _, path := range doc.Paths.InMatchingOrder() {
		if _, ok := want[path]; !ok {
			t.Errorf("path %s is documented but not routed", path)
		}
	}
}

// TestContractOperations checks the conventions every operation must follow:
// problem+json for errors, ETag on single records, If-Match on writes, a 500.
func TestContractOperations(t *testing.T) {
	doc := loadContract(t)
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			name := method + " " + path
			if op.OperationID == "" {
				t.Errorf("%s: no operationId", name)
			}
			if op.Responses.Status(500) == nil {
				t.Errorf("%s: no 500 response", name)
			}
			for code, ref := range op.Responses.Map() {
				resp := ref.Value
				if resp.Headers["X-Request-ID"] == nil {
					t.Errorf("%s %s: no X-Request-ID header", name, code)
				}
				if code[0] == '4' || code[0] == '5' {
					if resp.Content.Get("application/problem+json") == nil || len(resp.Content) != 1 {
						t.Errorf("%s %s: errors must be application/problem+json only", name, code)
					}
				}
			}
			write := method == "PATCH" || method == "PUT" || method == "DELETE"
			if write && !hasParam(item, op, "header", "If-Match") {
				t.Errorf("%s: no If-Match parameter", name)
			}
			if write && op.Responses.Status(412) == nil {
				t.Errorf("%s: no 412 response", name)
			}
			// Job runs, match runs and allocations are not versioned records: they
			// carry no ETag.
			singleRecord := strings.HasPrefix(path, "/api/v1/") && path != "/api/v1/placements" &&
				!strings.HasPrefix(path, "/api/v1/jobs") &&
				!strings.HasPrefix(path, "/api/v1/matches") && !strings.HasSuffix(path, "/matches") &&
				!strings.HasPrefix(path, "/api/v1/allocations") &&
				method != "DELETE" && (strings.HasSuffix(path, "}") || strings.HasSuffix(path, "/availability") || method == "POST")
			if singleRecord {
				for code, ref := range op.Responses.Map() {
					if code[0] == '2' && ref.Value.Headers["ETag"] == nil {
						t.Errorf("%s %s: no ETag header", name, code)
					}
				}
			}
			if method == "POST" && strings.HasSuffix(path, "/replay") {
				// A replay computes a stored run again and stores nothing: 200.
				if op.Responses.Status(200) == nil || op.Responses.Status(201) != nil {
					t.Errorf("%s: a replay answers 200 and creates nothing", name)
				}
			} else if method == "POST" {
				// 202 for work started in the background (a job run), 201 otherwise.
				created := op.Responses.Status(201)
				if created == nil {
					created = op.Responses.Status(202)
				}
				if created == nil || created.Value.Headers["Location"] == nil {
					t.Errorf("%s: no 201 (or 202) with Location", name)
				}
				if op.RequestBody != nil && op.Responses.Status(413) == nil {
					t.Errorf("%s: no 413 response", name)
				}
			}
		}
	}
}

// TestContractEnums keeps the enums of the document equal to the taxonomies in
// code, so a new code cannot reach a response the contract rejects.
func TestContractEnums(t *testing.T) {
	doc := loadContract(t)
	cases := map[string][]string{
		"ProviderKind":        strs(placematch.ProviderKinds),
		"PlacementType":       strs(placematch.PlacementTypes),
		"CarerStatus":         strs(placematch.CarerStatuses),
		"RegistrationStatus":  strs(placematch.RegistrationStatuses),
		"AccommodationType":   placematch.AccommodationTypes,
		"SupportLevel":        placematch.SupportLevels,
		"UnitFeature":         placematch.UnitFeatures,
		"HubService":          placematch.HubServices,
		"Sex":                 placematch.Sexes,
		"Urgency":             placematch.Urgencies,
		"ChildStatus":         strs(placematch.ChildStatuses),
		"NeedCode":            placematch.Needs,
		"RiskType":            placematch.RiskTypes,
		"RiskLevel":           placematch.RiskLevels,
		"EndReason":           placematch.EndReasons,
		"Availability.source": placematch.AvailabilitySources,
		"AvailabilityStatus":  {string(placematch.Available), string(placematch.Unavailable), string(placematch.Unconfirmed)},
		"PlacementStatus":     strs(placematch.PlacementStatuses),
		"RunStatus":           strs(placematch.RunStatuses),
		"RunTrigger":          strs(placematch.RunTriggers),
		"FeedFormat":          placematch.FeedFormats,
		"FactorName":          matching.FactorNames,
		"ReasonCode":          reasonCodes(),
		"ContactAnswer":       strs(placematch.ContactAnswers),
		"DeclineReason":       strs(placematch.DeclineReasons),
	}
	for name, want := range cases {
		schema, prop, _ := strings.Cut(name, ".")
		ref := doc.Components.Schemas[schema]
		if ref != nil && prop != "" {
			ref = ref.Value.Properties[prop]
		}
		if ref == nil {
			t.Errorf("schema %s is missing", name)
			continue
		}
		var got []string
		for _, v := range ref.Value.Enum {
			got = append(got, v.(string))
		}
		if !slices.Equal(got, want) {
			t.Errorf("schema %s enum = %v, want %v", name, got, want)
		}
	}
}

func loadContract(t *testing.T) *openapi3.T {
	t.Helper()
	ctx := context.Background()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromFile("openapi.yaml")
	if err != nil {
		t.Fatalf("load openapi.yaml: %v", err)
	}
	if err := doc.Validate(ctx); err != nil {
		t.Fatalf("openapi.yaml is not a valid OpenAPI document: %v", err)
	}
	return doc
}

func hasParam(item *openapi3.PathItem, op *openapi3.Operation, in, name string) bool {
	for _, p := range slices.Concat(item.Parameters, op.Parameters) {
		if p.Value != nil && p.Value.In == in && p.Value.Name == name {
			return true
		}
	}
	return false
}

func reasonCodes() []string {
	out := make([]string, len(matching.ReasonCodes))
	for i, rc := range matching.ReasonCodes {
		out[i] = rc.Code
	}
	return out
}

func strs[T ~string](in []T) []string {
	out := make([]string, len(in))
	for i, s := range in {
		out[i] = string(s)
	}
	return out
}
