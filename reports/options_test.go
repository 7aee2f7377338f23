package reports_test

import (
	"errors"
	"net/url"
	"testing"

	"placematch"
	"placematch/reports"
)

func mustQuery(t *testing.T, q string) url.Values {
	t.Helper()
	v, err := url.ParseQuery(q)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func asValidation(err error, ve **placematch.ValidationError) bool { return errors.As(err, ve) }

func TestParseOptions(t *testing.T) {
	o, err := reports.ParseOptions(mustQuery(t, ""), asOf)
	if err != nil || o.AsOf != asOf || o.Format != reports.FormatJSON || o.PlacementType || o.Suppress {
		t.Fatalf("defaults %+v %v", o, err)
	}
	o, err = reports.ParseOptions(mustQuery(t, "as_of=2026-10-01&from=2026-09-01&to=2026-10-01&group_by=provider_kind,district,age_band&format=xlsx&suppress=true"), asOf)
	if err != nil || o.AsOf.String() != "2026-10-01" || !o.AgeBand || o.PlacementType || !o.Suppress || o.Format != reports.FormatXLSX {
		t.Fatalf("%+v %v", o, err)
	}
	for q, field := range map[string]string{
		"as_of=yesterday":                          "as_of",
		"as_of=2026-11-24":                         "as_of",
		"from=2026-01-01":                          "to",
		"to=2026-01-01":                            "from",
		"from=2026-02-01&to=2026-01-01":            "to",
		"group_by=district":                        "group_by",
		"group_by=district,provider_kind,shoe":     "group_by",
		"group_by=district,district,provider_kind": "group_by",
		"suppress=perhaps":                         "suppress",
		"format=pdf":                               "format",
	} {
		_, err := reports.ParseOptions(mustQuery(t, q), asOf)
		var ve *placematch.ValidationError
		if !asValidation(err, &ve) || ve.Errors[0].Field != field {
			t.Errorf("%s: %v, want an error naming %s", q, err, field)
		}
	}
}
