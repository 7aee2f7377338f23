package jobs

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"placematch"
	"placematch/store"
	"placematch/store/storetest"
)

// feedWorld is three units — U1 (4 beds) and U2 (2 beds, its own URN) of one
// provider, U3 of another — and a feed server per test.
type feedWorld struct {
	db         *store.DB
	u1, u2, u3 *placematch.Provider
}

func newFeedWorld(t *testing.T, db *store.DB) *feedWorld {
	w := &feedWorld{db: db, u1: storetest.Unit("U1"),
		u2: storetest.Unit("U2", func(p *placematch.Provider) { p.Unit.Beds = 2; p.Unit.OfstedURN = "3000002" }),
		u3: storetest.Unit("U3", func(p *placematch.Provider) { p.Unit.ProviderName = "Other Ltd"; p.Unit.OfstedURN = "3000003" })}
	for _, u := range []*placematch.Provider{w.u1, w.u2, w.u3} {
		must(t, db.CreateProvider(ctx, u))
	}
	return w
}

func (w *feedWorld) feed(t *testing.T, name, url, format string, units ...*placematch.Provider) *placematch.Feed {
	f := &placematch.Feed{Name: name, URL: url, Format: format}
	for _, u := range units {
		f.UnitIDs = append(f.UnitIDs, u.ID)
	}
	must(t, w.db.CreateFeed(ctx, f))
	return f
}

func (w *feedWorld) reported(t *testing.T, u *placematch.Provider) (*int, int) {
	p, err := w.db.GetProvider(ctx, placematch.KindUnit, u.ID)
	must(t, err)
	return p.ReportedVacancies, p.Vacancies
}

func serve(t *testing.T, h http.HandlerFunc) string {
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

func body(s string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(s)) }
}

func importer(db *store.DB) ImportFeeds {
	return ImportFeeds{Store: db, Now: fixed, Timeout: 300 * time.Millisecond, Attempts: 2, Network: loopbackAllowed,
		Backoff: func(int) time.Duration { return 0 },
		Secret: func(name string) (string, bool) {
			if name == "ACME" {
				return "Bearer s3cret", true
			}
			return "", false
		}}
}

// loopbackAllowed lets the importer reach the tests' httptest servers, as an
// operator would allow an internal network with PLACEMATCH_FEED_ALLOWED_NETWORKS.
var loopbackAllowed = NetPolicy{Allowed: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}}

const csvHead = "unit_reference,ofsted_urn,vacancies,as_of\n"

func TestGoodCSVAndJSONFeedsApplied(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		w := newFeedWorld(t, db)
		w.feed(t, "acme-csv", serve(t, body(csvHead+"U1,,1,2026-11-23T08:00:00Z\n,3000002,2,2026-11-22\n")), "csv", w.u1, w.u2)
		var calls atomic.Int32
		flaky := func(rw http.ResponseWriter, r *http.Request) {
			if calls.Add(1) == 1 {
				rw.WriteHeader(http.StatusServiceUnavailable) // retried
				return
			}
			if r.Header.Get("Authorization") != "Bearer s3cret" {
				rw.WriteHeader(http.StatusUnauthorized)
				return
			}
			_, _ = rw.Write([]byte(`{"units":[{"unit_reference":"U3","ofsted_urn":"3000003","vacancies":0,"as_of":"2026-11-23T09:30:00+01:00"}]}`))
		}
		f := &placematch.Feed{Name: "other-json", URL: serve(t, flaky), Format: "json", AuthHeader: "Authorization",
			SecretName: "ACME", UnitIDs: []string{w.u3.ID}}
		must(t, db.CreateFeed(ctx, f))
		res, err := importer(db).Run(ctx)
		must(t, err)
		if res.Counts["rows_applied"] != 3 || res.Counts["rows_rejected"] != 0 || res.Counts["feeds"] != 2 || len(res.Issues) != 0 {
			t.Fatalf("result %+v", res)
		}
		for _, c := range []struct {
			u                *placematch.Provider
			reported, vacant int
		}{{w.u1, 1, 1}, {w.u2, 2, 2}, {w.u3, 0, 0}} {
			rep, vac := w.reported(t, c.u)
			if rep == nil || *rep != c.reported || vac != c.vacant {
				t.Errorf("%s: reported %v vacancies %d, want %d/%d", c.u.Reference, rep, vac, c.reported, c.vacant)
			}
		}
		again, err := importer(db).Run(ctx) // the same rows again change nothing
		must(t, err)
		if again.Counts["rows_applied"] != 3 {
			t.Fatalf("re-run %+v", again)
		}
	})
}

func TestPartlyBadFeedAppliesGoodRowsAndListsBadOnes(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		w := newFeedWorld(t, db)
		rows := csvHead +
			"U1,,3,2026-11-23\n" + // good
			"U1,,x,2026-11-23\n" + // not a number
			",,1,2026-11-23\n" + // no identifier
			"U1,,1,2026-12-25\n" + // future
			"U2,,3,2026-11-23\n" + // above U2's 2 beds
			"U3,,1,2026-11-23\n" + // another provider's unit
			",3000003,1,2026-11-23\n" + // the same by URN
			"U1,3000002,1,2026-11-23\n" + // identifiers disagree
			"U1,,1\n" // too few fields
		w.feed(t, "acme", serve(t, body(rows)), "csv", w.u1, w.u2)
		res, err := importer(db).Run(ctx)
		must(t, err)
		if res.Counts["rows_applied"] != 1 || res.Counts["rows_rejected"] != 8 {
			t.Fatalf("counts %v issues %+v", res.Counts, res.Issues)
		}
		want := map[int]string{2: "whole number", 3: "required", 4: "future", 5: "more than the unit's 2 beds",
			6: "not one of this feed's units", 7: "not one of this feed's units", 8: "different units", 9: "fields"}
		for _, is := range res.Issues {
			if !strings.Contains(is.Message, want[is.Row]) || is.Scope != "acme" {
				t.Errorf("row %d: %q, want it to say %q", is.Row, is.Message, want[is.Row])
			}
			delete(want, is.Row)
		}
		if len(want) != 0 {
			t.Errorf("rows not reported: %v", want)
		}
		if rep, _ := w.reported(t, w.u1); rep == nil || *rep != 3 {
			t.Fatalf("good row not applied: %v", rep)
		}
		for _, u := range []*placematch.Provider{w.u2, w.u3} {
			if rep, vac := w.reported(t, u); rep != nil || vac != u.Places {
				t.Fatalf("%s changed: reported %v vacancies %d", u.Reference, rep, vac)
			}
		}
	})
}

func TestDeadSlowAndMalformedFeedsFailAloneAndChangeNothing(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		w := newFeedWorld(t, db)
		dead := httptest.NewServer(body(""))
		dead.Close()
		slow := serve(t, func(rw http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-time.After(3 * time.Second):
			}
			_, _ = rw.Write([]byte(csvHead + "U1,,0,2026-11-23\n"))
		})
		w.feed(t, "dead", dead.URL, "csv", w.u1)
		w.feed(t, "slow", slow, "csv", w.u1)
		w.feed(t, "bad-header", serve(t, body("unit,vacancies\nU1,0\n")), "csv", w.u1)
		w.feed(t, "not-json", serve(t, body(`{"unit":[`)), "json", w.u2)
		ns := w.feed(t, "no-secret", serve(t, body(`{"units":[]}`)), "json", w.u2)
		_, err := db.UpdateFeed(ctx, ns.ID, 0, func(f *placematch.Feed) error {
			f.AuthHeader, f.SecretName = "X-Api-Key", "NOPE"
			return nil
		})
		must(t, err)
		w.feed(t, "good", serve(t, body(`{"units":[{"unit_reference":"U3","vacancies":1,"as_of":"2026-11-23"}]}`)), "json", w.u3)
		s := newScheduler(t, db, importer(db))
		start := time.Now()
		run, err := s.RunNow(ctx, NameFeeds, placematch.TriggerManual)
		must(t, err)
		if took := time.Since(start); took > 2*time.Second {
			t.Fatalf("slow feed held the run for %s", took)
		}
		if run.Status != placematch.RunFailed || run.Counts["feeds_failed"] != 5 || run.Counts["rows_applied"] != 1 {
			t.Fatalf("run %s counts %v issues %+v", run.Status, run.Counts, run.Errors)
		}
		failed := map[string]string{}
		for _, is := range run.Errors {
			failed[is.Scope] = is.Message
			if strings.Contains(is.Message, "s3cret") {
				t.Fatal("a secret reached the run's errors")
			}
		}
		for name, says := range map[string]string{"dead": "unreachable", "slow": "no answer within", "bad-header": "header",
			"not-json": "malformed", "no-secret": "PLACEMATCH_FEED_SECRET_NOPE is not set"} {
			if !strings.Contains(failed[name], says) {
				t.Errorf("feed %s: %q, want %q", name, failed[name], says)
			}
		}
		for _, u := range []*placematch.Provider{w.u1, w.u2} {
			if rep, _ := w.reported(t, u); rep != nil {
				t.Fatalf("%s changed by a failed feed", u.Reference)
			}
		}
		if rep, _ := w.reported(t, w.u3); rep == nil || *rep != 1 {
			t.Fatal("the good feed was not applied")
		}
	})
}

// A feed that redirects fails, and its secret never reaches the other host.
func TestFeedRedirectIsRefusedAndKeepsTheSecret(t *testing.T) {
	var leaked atomic.Bool
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Api-Key") != "" {
			leaked.Store(true)
		}
		fmt.Fprintln(w, "unit_reference,ofsted_urn,vacancies,as_of")
	}))
	defer other.Close()
	feed := httptest.NewServer(http.RedirectHandler(other.URL, http.StatusFound))
	defer feed.Close()
	j := ImportFeeds{Attempts: 1, Network: loopbackAllowed, Secret: func(string) (string, bool) { return "s3cret", true }}
	f := &placematch.Feed{Name: "redirecting", URL: feed.URL, Format: "csv", AuthHeader: "X-Api-Key", SecretName: "REDIR"}
	if _, err := j.fetch(context.Background(), f); err == nil || !strings.Contains(err.Error(), "302") {
		t.Fatalf("redirect followed or not reported: %v", err)
	}
	if leaked.Load() {
		t.Fatal("the feed's secret was sent to the host it redirected to")
	}
}
