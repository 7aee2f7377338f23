package api_test

import (
	"net/http"
	"testing"
)

// The contract check must be able to fail: a response that drifts from
// openapi.yaml is caught.
func TestContractCheckCatchesDrift(t *testing.T) {
	req, _ := http.NewRequest("GET", "http://127.0.0.1/api/v1/carers/0190a6b2-0000-7000-8000-000000000000", nil)
	h := http.Header{"Content-Type": {"application/json"}}
	for name, r := range map[string]resp{
		"missing fields":      {Status: 200, Header: h, Body: []byte(`{"id":"0190a6b2-0000-7000-8000-000000000000"}`)},
		"undocumented status": {Status: 418, Header: h, Body: []byte(`{}`)},
		"wrong content type":  {Status: 404, Header: h, Body: []byte(`{"type":"x","title":"x","status":404}`)},
	} {
		if err := checkContract(t, req, r); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	unknown, _ := http.NewRequest("GET", "http://127.0.0.1/api/v1/castles", nil)
	if err := checkContract(t, unknown, resp{Status: 200, Header: h, Body: []byte(`{}`)}); err == nil {
		t.Error("a 200 from a route outside the contract was accepted")
	}
}
