package api_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"placematch/api"
	"placematch/auth"
	"placematch/store"
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

// Past the searches the service queues, one more is refused at once with 503
// (/problems/busy, Retry-After), as the contract says, and the searches queued
// are answered once the one searching is let go.
func TestSearchRefusedWhenTheQueueIsFull(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			db, cfg := storetest.OpenConfig(t, d)
			e := newEnvOn(t, db)
			e.placing.Searches, e.placing.SearchQueue = 1, 1
			if err := db.CreateProvider(ctx, storetest.Carer("BUSY-1")); err != nil {
				t.Fatal(err)
			}
			child := storetest.Child("BUSY")
			if err := db.CreateChild(ctx, child); err != nil {
				t.Fatal(err)
			}
			path := "/api/v1/children/" + child.ID + "/matches"
			wantStatus(t, e.do("GET", path, nil), http.StatusOK) // builds the index
			// A provider written since, whose manifest write is held: the next
			// search holds its turn until it is let go.
			if err := db.CreateProvider(ctx, storetest.Carer("BUSY-2")); err != nil {
				t.Fatal(err)
			}
			release := storetest.HoldWrites(t, cfg, "provider_states")
			token := e.bearer(auth.Principal{Subject: "officer-busy", Role: auth.PlacementOfficer})
			statuses := make(chan int, 2)
			for range 2 {
				go func() {
					req, _ := http.NewRequest("GET", e.srv.URL+path, nil)
					req.Header.Set("Authorization", token)
					res, err := http.DefaultClient.Do(req)
					if err != nil {
						statuses <- 0
						return
					}
					res.Body.Close()
					statuses <- res.StatusCode
				}()
			}
			deadline := time.Now().Add(5 * time.Second)
			for e.placing.SearchesWaiting() != 1 { // one searching, one waiting
				if time.Now().After(deadline) {
					t.Fatalf("%d searches waiting, want 1", e.placing.SearchesWaiting())
				}
				time.Sleep(time.Millisecond)
			}
			began := time.Now()
			r := e.do("GET", path, nil, "Authorization", token)
			took := time.Since(began)
			wantProblem(t, r, http.StatusServiceUnavailable, "")
			// At once on PostgreSQL. On SQLite the refusal's audit row waits for
			// the store's one connection, which the held search has.
			if d == store.Postgres && took > time.Second {
				t.Fatalf("the refusal took %v", took)
			}
			if p := r.JSON(t); p["type"] != "/problems/busy" || r.Header.Get("Retry-After") != "1" {
				t.Fatalf("refused search: %s, Retry-After %q", r.Body, r.Header.Get("Retry-After"))
			}
			if n := e.placing.SearchesRefused(); n != 1 {
				t.Fatalf("%d searches counted as refused, want 1", n)
			}
			release()
			for range 2 {
				if s := <-statuses; s != http.StatusOK {
					t.Fatalf("a queued search answered %d", s)
				}
			}
			if d == store.SQLite {
				// The refusal's audit row waited for the store's one connection
				// behind the held search, past its time limit (logged and counted).
				return
			}
			rows := auditRows(t, db, "officer-busy")
			refused := 0
			for _, row := range rows {
				if row.Status == http.StatusServiceUnavailable {
					refused++
					if row.Outcome != "refused" || row.Action != "match.run" {
						t.Fatalf("the refused search's audit row: %+v", row)
					}
				}
			}
			if len(rows) != 3 || refused != 1 {
				t.Fatalf("audit rows: %+v", rows)
			}
		})
	}
}

// A client that goes away while its run is being written (the write held here)
// is answered 499, whatever error the engine makes of the cancellation (SQLite's
// interrupt after its busy timeout), audited as abandoned, and no run is stored
// for it. On SQLite the hold keeps every writer out, the trail's too, so there
// the audit row is not looked for.
func TestSearchAbandonedWhileItsRunIsWritten(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			cfg := storetest.Config(t, d)
			e, h := newHandlerEnv(t, d, cfg)
			if err := e.db.CreateProvider(ctx, storetest.Carer("LEFT-1")); err != nil {
				t.Fatal(err)
			}
			child := storetest.Child("LEFT")
			if err := e.db.CreateChild(ctx, child); err != nil {
				t.Fatal(err)
			}
			release := storetest.HoldWrites(t, cfg, "match_runs")
			gone, cancel := context.WithCancel(ctx)
			req := httptest.NewRequestWithContext(gone, "GET", "/api/v1/children/"+child.ID+"/matches", nil)
			req.Header.Set("Authorization", e.bearer(auth.Principal{Subject: "officer-left", Role: auth.PlacementOfficer}))
			rec := httptest.NewRecorder()
			done := make(chan struct{})
			go func() {
				h.ServeHTTP(rec, req)
				close(done)
			}()
			time.Sleep(300 * time.Millisecond) // long enough, nearly always, to be at the write; any point gives 499
			cancel()
			<-done
			release()
			if rec.Code != api.StatusClientClosed {
				t.Fatalf("status %d, want %d: %s", rec.Code, api.StatusClientClosed, rec.Body)
			}
			if rows := auditRows(t, e.db, "officer-left"); d == store.Postgres &&
				(len(rows) != 1 || rows[0].Outcome != "abandoned" || rows[0].Status != api.StatusClientClosed) {
				t.Fatalf("audit rows: %+v", rows)
			}
			ids, err := e.db.MatchRunIDs(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(ids) != 0 {
				t.Fatalf("%d runs stored for a search whose client left", len(ids))
			}
		})
	}
}
