package api_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"placematch/api"
	"placematch/auth"
	"placematch/store"
	"placematch/store/storetest"
)

// limited is a server whose clients may send few requests, with rate-limit
// summaries written every 200 ms instead of every minute.
func limited(reg *prometheus.Registry, subject, anon int, proxies ...string) func(*api.Server) {
	return func(s *api.Server) {
		s.RateLimit = api.RateLimit{Requests: subject, Per: time.Hour}
		s.RateLimitAnon = api.RateLimit{Requests: anon, Per: time.Hour}
		s.RefusalSummaryEvery = 200 * time.Millisecond
		s.Metrics = reg
		s.TrustedProxies = proxies
	}
}

// counterValue reads one series of a counter from the registry.
func counterValue(t *testing.T, reg *prometheus.Registry, name, label, value string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == label && l.GetValue() == value {
					return m.GetCounter().GetValue()
				}
			}
		}
	}
	return 0
}

// Without a valid token a client address has a bucket; with one, its subject has
// its own. A client past its limit gets 429 problem+json with Retry-After; the
// refusals are counted and summarised in one audit row per client (with the count),
// never one row each.
func TestRateLimitsPerSubjectAndAddress(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			reg := prometheus.NewRegistry()
			e := newEnvWith(t, d, storetest.Config(t, d), limited(reg, 30, 50))
			counts := map[int]int{}
			began := time.Now()
			for range 600 {
				r := e.do("GET", "/api/v1/children", nil, "Authorization", "")
				counts[r.Status]++
				if r.Status == 429 {
					wantProblem(t, r, 429, "")
					if s, err := strconv.Atoi(r.Header.Get("Retry-After")); err != nil || s < 1 || s > 3600 {
						t.Fatalf("Retry-After %q", r.Header.Get("Retry-After"))
					}
				}
			}
			if counts[401] != 50 || counts[429] != 550 {
				t.Fatalf("600 unauthenticated requests answered %v", counts)
			}
			// A bad token is no token: it counts against the address.
			wantProblem(t, e.do("GET", "/api/v1/children", nil, "Authorization", "Bearer forged"), 429, "")
			// A valid token has its own bucket, whatever its address has done.
			officer := e.bearer(auth.Principal{Subject: "officer-busy", Role: auth.PlacementOfficer})
			counts = map[int]int{}
			for range 40 {
				counts[e.do("GET", "/api/v1/children", nil, "Authorization", officer).Status]++
			}
			if counts[200] != 30 || counts[429] != 10 {
				t.Fatalf("40 requests of one subject answered %v", counts)
			}
			other := e.bearer(auth.Principal{Subject: "officer-calm", Role: auth.PlacementOfficer})
			wantStatus(t, e.do("GET", "/api/v1/children", nil, "Authorization", other), 200)

			if n := counterValue(t, reg, "placematch_http_rate_limited_total", "by", "address"); n != 551 {
				t.Fatalf("address refusals counted %v, want 551", n)
			}
			if n := counterValue(t, reg, "placematch_http_rate_limited_total", "by", "subject"); n != 10 {
				t.Fatalf("subject refusals counted %v, want 10", n)
			}
			// One row per client per period (200 ms here) with its count: however slow
			// the machine, the counts add up to the refusals and the rows are far
			// fewer than the requests.
			elapsed := time.Since(began)
			totals, rows, denied := map[string]int{}, map[string]int{}, 0
			deadline := time.Now().Add(10 * time.Second)
			for totals["@127.0.0.1"] != 551 || totals["officer-busy@127.0.0.1"] != 10 {
				if time.Now().After(deadline) {
					t.Fatalf("summaries %v in %v rows", totals, rows)
				}
				time.Sleep(50 * time.Millisecond)
				page, err := e.db.ListAudit(ctx, store.AuditFilter{Limit: store.MaxLimit})
				if err != nil {
					t.Fatal(err)
				}
				clear(totals)
				clear(rows)
				denied = 0
				for _, ev := range page.Items {
					switch {
					case ev.Action == "rate_limited":
						if ev.Status != 429 || ev.Outcome != "refused" || ev.Count < 1 {
							t.Fatalf("summary %+v", ev)
						}
						if ev.Subject != "" && ev.Role != "placement_officer" {
							t.Fatalf("summary of a subject without its role %+v", ev)
						}
						totals[ev.Subject+"@"+ev.ClientAddr] += ev.Count
						rows[ev.Subject+"@"+ev.ClientAddr]++
					case ev.Outcome == "denied":
						denied++
					}
				}
			}
			if denied != 50 {
				t.Fatalf("%d denied rows for 50 unauthenticated requests let through", denied)
			}
			if most := int(elapsed/(200*time.Millisecond)) + 2; rows["@127.0.0.1"] > most || rows["@127.0.0.1"] > 100 {
				t.Fatalf("%d summary rows for one address in %v", rows["@127.0.0.1"], elapsed)
			}
		})
	}
}

// The address is the peer's unless the peer is a trusted proxy: an untrusted
// client cannot escape its limit by inventing X-Forwarded-For, and clients behind a
// trusted proxy are limited one by one.
func TestRateLimitAddressHonoursTrustedProxies(t *testing.T) {
	d := storetest.Dialects()[0] // the address is not stored beyond the audit row: one engine
	for _, tc := range []struct {
		proxies []string
		second  int // status of a new forwarded address once the first is limited
	}{{nil, 429}, {[]string{"127.0.0.1"}, 401}} {
		e := newEnvWith(t, d, storetest.Config(t, d), limited(prometheus.NewRegistry(), 100, 3, tc.proxies...))
		for range 3 {
			wantStatus(t, e.do("GET", "/api/v1/children", nil, "Authorization", "", "X-Forwarded-For", "203.0.113.1"), 401)
		}
		wantStatus(t, e.do("GET", "/api/v1/children", nil, "Authorization", "", "X-Forwarded-For", "203.0.113.1"), 429)
		wantStatus(t, e.do("GET", "/api/v1/children", nil, "Authorization", "", "X-Forwarded-For", "203.0.113.2"), tc.second)
	}
}

// PerClient is the API's bucket per key: a burst of Requests, then refused with the
// wait, each key on its own; Off allows everything.
func TestPerClientLimit(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	allow := api.RateLimit{Requests: 2, Per: time.Minute}.PerClient()
	for i, want := range []bool{true, true, false} {
		if ok, _ := allow("a", now); ok != want {
			t.Fatalf("request %d: %v", i, ok)
		}
	}
	if ok, wait := allow("a", now); ok || wait <= 0 {
		t.Fatalf("refused without a wait: %v %v", ok, wait)
	}
	if ok, _ := allow("b", now); !ok {
		t.Fatal("another key was refused")
	}
	if ok, _ := (api.RateLimit{}).PerClient()("a", now); !ok {
		t.Fatal("off refused")
	}
}
