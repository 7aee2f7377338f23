package api_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"placematch/api"
	"placematch/auth"
	"placematch/store/storetest"
)

// A search whose client has gone away (its request's context ended) is not an
// error of the service: nothing is logged as failed, and the audit row says the
// request was abandoned, with 499, rather than that the service failed with 500.
func TestSearchAbandonedByItsClient(t *testing.T) {
	var logs bytes.Buffer
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelInfo})))
	t.Cleanup(func() { slog.SetDefault(prev) })
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			logs.Reset()
			e, h := newHandlerEnv(t, d, storetest.Config(t, d))
			if err := e.db.CreateProvider(ctx, storetest.Carer("GONE-1")); err != nil {
				t.Fatal(err)
			}
			child := storetest.Child("GONE")
			if err := e.db.CreateChild(ctx, child); err != nil {
				t.Fatal(err)
			}
			gone, cancel := context.WithCancel(ctx)
			cancel()
			req := httptest.NewRequestWithContext(gone, "GET", "/api/v1/children/"+child.ID+"/matches", nil)
			req.Header.Set("Authorization", e.bearer(auth.Principal{Subject: "officer-gone", Role: auth.PlacementOfficer}))
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != api.StatusClientClosed {
				t.Fatalf("status %d, want %d: %s", rec.Code, api.StatusClientClosed, rec.Body)
			}
			rows := auditRows(t, e.db, "officer-gone")
			if len(rows) != 1 || rows[0].Action != "match.run" || rows[0].Outcome != "abandoned" ||
				rows[0].Status != api.StatusClientClosed {
				t.Fatalf("audit rows: %+v", rows)
			}
			if strings.Contains(logs.String(), "level=ERROR") || !strings.Contains(logs.String(), "client went away") {
				t.Fatalf("logs:\n%s", logs.String())
			}
			// The same request with its client still there is answered.
			req = httptest.NewRequestWithContext(ctx, "GET", "/api/v1/children/"+child.ID+"/matches", nil)
			req.Header.Set("Authorization", e.bearer(auth.Principal{Subject: "officer-gone", Role: auth.PlacementOfficer}))
			rec = httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
		})
	}
}
