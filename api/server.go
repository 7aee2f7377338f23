// Package api is Placematch's HTTP interface: the gin router, its handlers, the
// problem+json error mapping, request validation and the OpenAPI contract served at
// /openapi.yaml. Handlers are thin: decode, validate, one call to the store or the
// matching service, encode.
package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
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

// Handler returns the router with every route. Routes are listed here and nowhere
// else, so this function is the map of the API.
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
		cors(s.CORSOrigins), limitBody(), s.authorize())
	r.NoRoute(func(c *gin.Context) {
		writeProblem(c, Problem{Type: typeNotFound, Title: "Not found", Status: http.StatusNotFound, Detail: "No such route."})
	})
	r.NoMethod(func(c *gin.Context) {
		writeProblem(c, Problem{Type: typeMethodNotAllowed, Title: "Method not allowed",
			Status: http.StatusMethodNotAllowed, Detail: "This route does not accept " + c.Request.Method + "."})
	})

	r.GET("/healthz", s.healthz)
	r.GET("/readyz", s.readyz)
	r.GET("/openapi.yaml", s.openapi)
	r.GET("/metrics", metricsHandler(reg))
	r.GET("/problems/:type", s.problemType)

	v1 := r.Group("/api/v1")
	for _, pr := range []providerResource{carers, units, hubs} {
		g := v1.Group("/" + pr.path)
		g.GET("", s.listProviders(pr))
		g.POST("", s.createProvider(pr))
		g.GET("/:id", s.getProvider(pr))
		g.PATCH("/:id", s.patchProvider(pr))
		g.DELETE("/:id", s.archiveProvider(pr))
		g.PUT("/:id/availability", s.putAvailability(pr))
	}
	v1.GET("/children", s.listChildren)
	v1.POST("/children", s.createChild)
	v1.GET("/children/:id", s.getChild)
	v1.PATCH("/children/:id", s.patchChild)
	v1.DELETE("/children/:id", s.archiveChild)
	v1.GET("/children/:id/matches", s.matchChild)
	v1.GET("/matches/:id", s.getMatch)

	v1.GET("/placements", s.listPlacements)
	v1.POST("/placements", s.createPlacement)
	v1.GET("/placements/:id", s.getPlacement)
	v1.PATCH("/placements/:id", s.patchPlacement)
	v1.DELETE("/placements/:id", s.archivePlacement)

	v1.GET("/reports/sufficiency", s.sufficiencyReport)
	v1.GET("/reports/providers.geojson", s.providersGeoJSON)

	v1.GET("/audit", s.listAudit)

	v1.GET("/jobs", s.listJobs)
	v1.GET("/jobs/:name/runs", s.listJobRuns)
	v1.POST("/jobs/:name/runs", s.createJobRun)
	v1.GET("/jobs/:name/runs/:id", s.getJobRun)
	v1.GET("/feeds", s.listFeeds)
	v1.POST("/feeds", s.createFeed)
	v1.GET("/feeds/:id", s.getFeed)
	v1.PATCH("/feeds/:id", s.patchFeed)
	v1.DELETE("/feeds/:id", s.archiveFeed)
	return r
}

func (s *Server) healthz(c *gin.Context) {
	c.JSON(http.StatusOK, gin.H{"status": "ok", "version": s.Version})
}

// readyz answers 200 only when the database answers and its schema is current.
func (s *Server) readyz(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
	defer cancel()
	if err := s.Store.Ping(ctx); err != nil {
		c.Header("Retry-After", strconv.Itoa(retryAfterSeconds))
		writeProblem(c, Problem{Type: typeUnavailable, Title: "Not ready", Status: http.StatusServiceUnavailable,
			Detail: "The database does not answer."})
		return
	}
	if ok, err := s.Store.SchemaCurrent(ctx); err != nil || !ok {
		c.Header("Retry-After", strconv.Itoa(retryAfterSeconds))
		writeProblem(c, Problem{Type: typeUnavailable, Title: "Not ready", Status: http.StatusServiceUnavailable,
			Detail: "The database schema is not current; run `placematch migrate`."})
		return
	}
	c.JSON(http.StatusOK, gin.H{"status": "ready", "database": s.Store.Dialect()})
}

func (s *Server) openapi(c *gin.Context) {
	c.Data(http.StatusOK, "application/yaml", s.OpenAPI)
}

// listOut is the body of every list: a page of items and the cursor of the next.
type listOut struct {
	Items      []any  `json:"items"`
	NextCursor string `json:"next_cursor,omitempty"`
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
