package api_test

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"placematch/store/storetest"
)

// Labels come from a fixed set: invented methods are "other" and unknown paths
// "unmatched", so 3,000 requests with invented methods cannot grow /metrics (and the
// registry's memory) by more than a few series.
func TestMetricsLabelsAreBounded(t *testing.T) {
	for _, d := range storetest.Dialects()[:1] { // no storage involved: one engine is enough
		e := newEnvWith(t, d, storetest.Config(t, d))
		before := len(e.do("GET", "/metrics", nil).Body)
		for i := range 3000 {
			req, err := http.NewRequest(fmt.Sprintf("X%dINVENTED", i), e.srv.URL+fmt.Sprintf("/no/such/%d", i), nil)
			if err != nil {
				t.Fatal(err)
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
		}
		body := string(e.do("GET", "/metrics", nil).Body)
		if grown := len(body) - before; grown > 200<<10 {
			t.Fatalf("/metrics grew by %d bytes", grown)
		}
		if strings.Contains(body, "INVENTED") || strings.Contains(body, "/no/such") {
			t.Fatal("an invented method or path became a label")
		}
		if !strings.Contains(body, `method="other",route="unmatched"`) {
			t.Fatalf("invented requests not counted as other/unmatched:\n%s", body[:min(len(body), 3000)])
		}
	}
}
