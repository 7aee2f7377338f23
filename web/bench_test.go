package web_test

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"placematch"
	"placematch/placing"
	"placematch/store"
	"placematch/store/storetest"
	"placematch/web"
)

// benchSite is the pages over a store of n providers across Great Britain and one
// child in Norwich, with a signed-in officer's cookie.
func benchSite(b *testing.B, d string, n int) (http.Handler, *placing.Service, *placematch.Child, *http.Cookie) {
	db := storetest.Open(b, d)
	pts := storetest.OutcodeCentroids(b, "../../shared/data/postcodes/gb_outcode_centroids.csv")
	r := rand.New(rand.NewPCG(14, 12))
	providers := make([]*placematch.Provider, n)
	for i := range providers {
		ref := fmt.Sprintf("W%06d", i)
		var p *placematch.Provider
		switch x := r.IntN(100); {
		case x < 70:
			p = storetest.Carer(ref, func(p *placematch.Provider) {
				p.AgeMin, p.AgeMax = r.IntN(6), 10+r.IntN(8)
				p.Carer.MaxChildren = 1 + r.IntN(3)
			})
		case x < 95:
			p = storetest.Unit(ref)
		default:
			p = storetest.Hub(ref)
		}
		p.Location = pts[r.IntN(len(pts))]
		providers[i] = p
	}
	child := storetest.Child("BENCH-1")
	if err := db.BulkImport(ctx, providers, []*placematch.Child{child}, nil); err != nil {
		b.Fatal(err)
	}
	page, err := db.ListChildren(ctx, store.ChildFilter{Reference: "BENCH-1", Limit: 1})
	if err != nil || len(page.Items) != 1 {
		b.Fatalf("the benchmark child: %v", err)
	}
	uses := &placing.Service{Store: db, Now: db.Now}
	h := (&web.Server{Placing: uses, Store: db, Demo: demoPeople}).Handler()
	req := httptest.NewRequest(http.MethodPost, "/sign-in/demo", strings.NewReader(url.Values{"person": {"officer"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	cookies := rec.Result().Cookies()
	if rec.Code != http.StatusSeeOther || len(cookies) == 0 {
		b.Fatalf("sign-in: %d", rec.Code)
	}
	return h, uses, page.Items[0], cookies[0]
}

// timePage renders path b.N times and reports the median and 95th percentile.
func timePage(b *testing.B, h http.Handler, cookie *http.Cookie, path string) {
	took := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.AddCookie(cookie)
		rec := httptest.NewRecorder()
		start := time.Now()
		h.ServeHTTP(rec, req)
		took = append(took, time.Since(start))
		if rec.Code != http.StatusOK {
			b.Fatalf("%s: %d", path, rec.Code)
		}
	}
	b.StopTimer()
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "median-ms")
	b.ReportMetric(float64(took[len(took)*95/100].Microseconds())/1000, "p95-ms")
}

// BenchmarkPages renders the officer's heaviest pages in the server, on each
// engine, with 10,000 providers stored: the matches page of a run that lists every
// excluded provider under its reasons (read back, decompressed and decoded), and
// the queue. The session is read from the database on every request, and the
// matches page writes its audit row.
func BenchmarkPages(b *testing.B) {
	for _, d := range storetest.Dialects() {
		b.Run(d, func(b *testing.B) {
			h, uses, child, cookie := benchSite(b, d, 10_000)
			run, err := uses.Match(ctx, matchAll(child.ID))
			if err != nil {
				b.Fatal(err)
			}
			if len(run.Excluded) < 1000 {
				b.Fatalf("only %d excluded providers: the page is not under load", len(run.Excluded))
			}
			b.Run("matches", func(b *testing.B) { timePage(b, h, cookie, "/matches/"+run.MatchID) })
			b.Run("why-not-search", func(b *testing.B) { timePage(b, h, cookie, "/matches/"+run.MatchID+"?q=household+W00") })
			b.Run("queue", func(b *testing.B) { timePage(b, h, cookie, "/queue") })
		})
	}
}
