// Package api is Placematch's HTTP interface: the gin router, its handlers, the
// problem+json error mapping, request validation and the OpenAPI contract served at
// /openapi.yaml. Handlers are thin: decode, validate, one call to the use cases
// (package placing: match, book, report) or, for plain records, the store, encode.
// Every route is a row of the table in routes.go with its policy (who may call it,
// what the audit trail records); a handler returns its error and handler.serve
// answers it as a problem (fail).
//
// It imports the root package, auth, placing, reports (options and writers), store
// (records), jobs (running a job on demand), geo (validating avoid-areas) and
// matching (search options and result types); it must not rank, index or book on
// its own (TestFacesCallTheUseCases), and nothing but cmd imports it.
package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"

	"placematch"
	"placematch/auth"
	"placematch/jobs"
	"placematch/placing"
	"placematch/store"
)

// Server holds what the handlers need.
type Server struct {
	Store *store.DB
	// Placing runs the use cases (match, book, report); it is required. Its clock
	// is the API's too.
	Placing *placing.Service
	// OpenAPI is the contract served at /openapi.yaml.
	OpenAPI []byte
	// Version is reported by /healthz.
	Version string
	// Jobs runs and reports the nightly jobs; nil serves no jobs.
	Jobs *jobs.Scheduler
	// FeedNetwork says which hosts a feed URL may name (public ones and the
	// operator's allowed networks).
	FeedNetwork jobs.NetPolicy
	// Verifier checks bearer tokens; every route but health, the contract and
	// metrics needs one.
	Verifier auth.Verifier
	// CORSOrigins may call the API from a browser; empty allows none.
	CORSOrigins []string
	// TrustedProxies may set X-Forwarded-For; empty trusts none, so the audit
	// trail records the real peer.
	TrustedProxies []string
	// Metrics is the registry served at /metrics; the HTTP series are added to it.
	// Nil uses a registry of this router's own.
	Metrics *prometheus.Registry
	// RateLimit bounds each token subject's requests, RateLimitAnon each client
	// address's without a valid token; the zero value is no limit.
	RateLimit, RateLimitAnon RateLimit
	// RefusalSummaryEvery is how long a client's rate-limited requests are counted
	// before one audit row records them; zero is a minute.
	RefusalSummaryEvery time.Duration

	edge *edge
}

func (s *Server) now() time.Time { return s.Placing.Now().UTC() }

func (s *Server) today() placematch.Date { return placematch.DateOf(s.now()) }

// Handler returns the router with every route of the table in routes.go, each
// behind its policy.
func (s *Server) Handler() http.Handler {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.HandleMethodNotAllowed = true
	reg := s.Metrics
	if reg == nil {
		reg = prometheus.NewRegistry()
	}
	if err := r.SetTrustedProxies(s.TrustedProxies); err != nil {
		panic(fmt.Sprintf("api: trusted proxies: %v", err)) // configuration is checked at start
	}
	hm := newHTTPMetrics(reg)
	s.edge = &edge{subjects: newLimiters(s.RateLimit, maxClients), addresses: newLimiters(s.RateLimitAnon, maxClients),
		refused: newRefusals(s.RefusalSummaryEvery, s.Store.AppendAudit, hm.auditFailures.Inc), metrics: hm, now: time.Now}
	r.Use(requestID(), accessLog(), hm.middleware(), recoverProblem(), secureHeaders(),
		cors(s.CORSOrigins), limitBody())
	// A request for no route still passes the edge (rate limits) as a public one.
	r.NoRoute(s.authorize(public), func(c *gin.Context) {
		writeProblem(c, Problem{Type: typeNotFound, Title: "Not found", Status: http.StatusNotFound, Detail: "No such route."})
	})
	r.NoMethod(s.authorize(public), func(c *gin.Context) {
		writeProblem(c, Problem{Type: typeMethodNotAllowed, Title: "Method not allowed",
			Status: http.StatusMethodNotAllowed, Detail: "This route does not accept " + c.Request.Method + "."})
	})
	for _, rt := range s.routes(metricsHandler(reg)) {
		s.register(r, rt)
	}
	return r
}

func (s *Server) healthz(c *gin.Context) error {
	c.JSON(http.StatusOK, gin.H{"status": "ok", "version": s.Version})
	return nil
}

// readyz answers 200 only when the database answers, its schema is current and the
// candidate index built at start has recorded its manifest.
func (s *Server) readyz(c *gin.Context) error {
	// The index first: while its record is written the store may be busy with it
	// (SQLite has one writer), and the index is the reason to give.
	if !s.Placing.Recorded() {
		c.Header("Retry-After", strconv.Itoa(retryAfterSeconds))
		writeProblem(c, Problem{Type: typeUnavailable, Title: "Not ready", Status: http.StatusServiceUnavailable,
			Detail: "The candidate index is still being recorded; searches would wait for it."})
		return nil
	}
	ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
	defer cancel()
	if err := s.Store.Ping(ctx); err != nil {
		c.Header("Retry-After", strconv.Itoa(retryAfterSeconds))
		writeProblem(c, Problem{Type: typeUnavailable, Title: "Not ready", Status: http.StatusServiceUnavailable,
			Detail: "The database does not answer."})
		return nil
	}
	if ok, err := s.Store.SchemaCurrent(ctx); err != nil || !ok {
		c.Header("Retry-After", strconv.Itoa(retryAfterSeconds))
		writeProblem(c, Problem{Type: typeUnavailable, Title: "Not ready", Status: http.StatusServiceUnavailable,
			Detail: "The database schema is not current; run `placematch migrate`."})
		return nil
	}
	c.JSON(http.StatusOK, gin.H{"status": "ready", "database": s.Store.Dialect()})
	return nil
}

func (s *Server) openapi(c *gin.Context) error {
	c.Data(http.StatusOK, "application/yaml", s.OpenAPI)
	return nil
}

// listOut is the body of every list: a page of items and the cursor of the next.
type listOut struct {
	Items      []any  `json:"items"`
	NextCursor string `json:"next_cursor,omitempty"`
}

// listing is what one paged list says beyond the shared skeleton: the query
// parameters it takes (besides limit and cursor), how it reads its filters (adding
// to v what is wrong), how it fetches one page, and how it shows an item.
type listing[T any] struct {
	params []string
	// changes, when set, makes the list take updated_since and include_archived
	// (a list of records); since alone, updated_since only (the audit trail).
	changes *store.Changes
	since   *time.Time
	filters func(v *placematch.ValidationError)
	fetch   func(ctx context.Context, limit int, cursor string) (store.Page[T], error)
	show    func(T) any
}

// listPage answers a paged list: unknown parameters are refused, limit, cursor and the
// filters are checked together, and the page goes out as a listOut.
func listPage[T any](c *gin.Context, l listing[T]) error {
	names := append(slices.Clone(pageQuery), l.params...)
	if l.changes != nil {
		l.since = &l.changes.Since
		names = append(names, "updated_since", "include_archived")
	}
	if l.since != nil {
		names = append(names, "updated_since")
	}
	if err := knownQuery(c, names...); err != nil {
		return err
	}
	v := &placematch.ValidationError{}
	limit, cursor := pageParams(c, v)
	if l.since != nil {
		*l.since = queryInstant(c, v, "updated_since")
	}
	if l.changes != nil {
		l.changes.IncludeArchived = queryBool(c, v, "include_archived", false)
	}
	if l.filters != nil {
		l.filters(v)
	}
	if err := v.Err(); err != nil {
		return err
	}
	page, err := l.fetch(c.Request.Context(), limit, cursor)
	if err != nil {
		return err
	}
	items := make([]any, len(page.Items))
	for i, it := range page.Items {
		items[i] = l.show(it)
	}
	c.JSON(http.StatusOK, listOut{Items: items, NextCursor: page.NextCursor})
	return nil
}

// queryInstant reads an optional RFC 3339 date-time query parameter (zero when
// absent), within the years every stored instant lies in.
func queryInstant(c *gin.Context, v *placematch.ValidationError, name string) time.Time {
	q := c.Query(name)
	if q == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, q)
	if err != nil || t.Year() < 1900 || t.Year() > 2100 {
		v.Add(name, "must be an RFC 3339 date-time such as 2026-11-23T09:00:00Z, between 1900 and 2100")
		return time.Time{}
	}
	return t.UTC()
}

// pageParams reads limit and cursor.
func pageParams(c *gin.Context, v *placematch.ValidationError) (int, string) {
	limit := 0
	if l := c.Query("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > store.MaxLimit {
			v.Add("limit", "must be a whole number between 1 and %d", store.MaxLimit)
		}
		limit = n
	}
	return limit, c.Query("cursor")
}

func isNotFound(err error) bool { return errors.Is(err, placematch.ErrNotFound) }
