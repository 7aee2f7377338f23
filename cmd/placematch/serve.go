package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"placematch"
	"placematch/api"
	"placematch/demo"
	"placematch/geo"
	"placematch/placing"
	"placematch/store"
	"placematch/web"
)

func cmdServe(ctx context.Context, cfg config, args []string, stdout io.Writer) error {
	const synopsis = "serve [--demo]\n\nrun the HTTP API on PLACEMATCH_ADDR\n"
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	isDemo := fs.Bool("demo", false, "seed an empty database with the Norfolk demo data")
	if err := parseFlags(fs, synopsis, args, stdout); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return badUsage(fs, synopsis, "takes no arguments, got %q", fs.Arg(0))
	}
	slog.InfoContext(ctx, "starting placematch", append([]any{"version", version, "demo", *isDemo}, cfg.logAttrs()...)...)

	verifier, demoKeys, err := buildVerifier(cfg, *isDemo)
	if err != nil {
		return err
	}
	db, err := openPrepared(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	var districts *geo.Districts
	switch {
	case cfg.Boundaries != "":
		if districts, err = geo.LoadDistrictsFile(cfg.Boundaries); err != nil {
			return fmt.Errorf("PLACEMATCH_BOUNDARIES: %w", err)
		}
		db.Locator = districts
	case *isDemo:
		db.Locator = demo.Locator()
	}
	var people []web.DemoPerson
	if *isDemo {
		if err := seedIfEmpty(ctx, db, cfg.DemoSeed, stdout); err != nil {
			return err
		}
		if demoKeys != nil {
			if err := printDemoTokens(ctx, db, demoKeys, stdout); err != nil {
				return err
			}
		}
		if people, err = demoPeople(ctx, db); err != nil {
			return err
		}
	}

	rsvc, err := reportService(cfg, db, districts)
	if err != nil {
		return err
	}

	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	uses := &placing.Service{Store: db, Now: db.Now, Reports: rsvc, Weights: cfg.MatchWeights, Policy: cfg.Policy,
		AreaConfigured: db.Locator != nil, StaleAfter: time.Duration(cfg.StaleAfterDays) * 24 * time.Hour,
		FullReloadAfter: 5 * time.Minute, AllocationTimeLimit: cfg.AllocationTimeLimit, HoldEmergencyPlaces: cfg.HoldEmergencyPlaces,
		Searches: cfg.SearchConcurrency, SearchQueue: cfg.SearchQueue}
	if err := warmIndex(ctx, uses, reg); err != nil {
		return err
	}
	sched, err := newScheduler(cfg, db, reg)
	if err != nil {
		return err
	}
	if err := sched.Start(ctx); err != nil {
		return fmt.Errorf("jobs: %w", err)
	}
	srv := &api.Server{Store: db, Placing: uses, OpenAPI: placematch.OpenAPI, Version: version,
		Jobs: sched, Metrics: reg, Verifier: verifier, CORSOrigins: cfg.CORSOrigins, TrustedProxies: cfg.TrustedProxies,
		FeedNetwork: cfg.feedNetwork(), RateLimit: cfg.RateLimit, RateLimitAnon: cfg.RateLimitAnon}
	pages := &web.Server{Placing: uses, Store: db, Demo: people, IdleTimeout: cfg.SessionIdle, AbsoluteTimeout: cfg.SessionMax,
		Tiles: cfg.MapTiles, AllowSignIn: cfg.RateLimitAnon.PerClient(), Jobs: sched}
	if cfg.Boundaries != "" {
		if pages.Boundaries, err = os.ReadFile(cfg.Boundaries); err != nil { // read above already, so it is there
			return fmt.Errorf("PLACEMATCH_BOUNDARIES: %w", err)
		}
	}
	if cfg.OIDCIssuer != "" {
		pages.OIDC = &web.OIDC{Issuer: cfg.OIDCIssuer, ClientID: cfg.OIDCClientID, ClientSecret: cfg.OIDCClientSecret,
			RedirectURL: cfg.OIDCRedirectURL}
	}
	if *isDemo {
		fmt.Fprintf(stdout, "the placement officer's desk: http://%s/ (sign in as a demo person)\n", browseAddr(cfg.Addr))
	}
	// Shut down in order: HTTP first (no new manual runs), then the scheduler
	// waits for running jobs (bounded), then the deferred Close of the database.
	err = listenAndServe(ctx, cfg, routes(srv.Handler(), pages.Handler()))
	srv.FlushAudit() // the rate-limit summaries still being counted
	sctx, cancel := context.WithTimeout(context.Background(), cfg.JobsStopTimeout)
	defer cancel()
	if serr := sched.Stop(sctx); serr != nil {
		slog.Error("jobs did not stop in time", "error", serr.Error())
	}
	return err
}

// routes serves the JSON API at its own paths (/api/v1/..., the operations
// endpoints and the problem pages) and the web pages at every other path.
func routes(apiHandler, pages http.Handler) http.Handler {
	mux := http.NewServeMux()
	for _, p := range []string{"/api/", "/healthz", "/readyz", "/openapi.yaml", "/metrics", "/problems/"} {
		mux.Handle(p, apiHandler)
	}
	mux.Handle("/", pages)
	return mux
}

// browseAddr is the listen address as a browser on this machine would open it.
func browseAddr(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}

// demoPeople are who a demo visitor may sign in as: one person per role, the carer
// and the provider with the records the demo tokens name.
func demoPeople(ctx context.Context, db *store.DB) ([]web.DemoPerson, error) {
	p, err := demoPrincipals(ctx, db)
	if err != nil {
		return nil, err
	}
	all := []web.DemoPerson{
		{Key: "officer", Label: "Sam Okafor", Hint: "Finds and books homes for children: the officer’s desk.", Principal: p["OFFICER"]},
		{Key: "admin", Label: "Alex Reed", Hint: "Manages records, jobs and feeds.", Principal: p["ADMIN"]},
		{Key: "commissioner", Label: "Priya Shah", Hint: "Reads the sufficiency reports on the commissioners’ dashboard; not the officer’s desk.", Principal: p["COMMISSIONER"]},
		{Key: "carer", Label: "A demo foster carer", Hint: "Says when their household can take a child.", Principal: p["CARER"]},
		{Key: "provider", Label: "A demo accommodation provider", Hint: "Says when their units have beds.", Principal: p["PROVIDER"]},
	}
	var out []web.DemoPerson
	for _, d := range all {
		if d.Principal.Subject != "" {
			out = append(out, d)
		}
	}
	return out, nil
}

// prepareSchema migrates, or refuses to serve a stale schema when told not to.
func prepareSchema(ctx context.Context, db *store.DB, migrate bool) error {
	if migrate {
		return db.Migrate(ctx)
	}
	ok, err := db.SchemaCurrent(ctx)
	if err != nil {
		return err
	}
	if !ok {
		return errors.New("the database schema is not current: run `placematch migrate` (or set PLACEMATCH_MIGRATE_ON_START=true)")
	}
	return nil
}

func seedIfEmpty(ctx context.Context, db *store.DB, seed uint64, stdout io.Writer) error {
	empty, err := demo.IsEmpty(ctx, db)
	if err != nil || !empty {
		return err
	}
	sum, err := demo.Seed(ctx, db, seed, db.Now())
	if err != nil {
		return fmt.Errorf("demo seed: %w", err)
	}
	fmt.Fprintf(stdout, "demo data loaded: %d carers, %d units, %d hubs, %d children awaiting\n",
		sum.Carers, sum.Units, sum.Hubs, sum.Children)
	return nil
}

// listenAndServe runs the HTTP server until ctx ends, then shuts down in order:
// stop accepting, let requests in flight finish (bounded), return.
func listenAndServe(ctx context.Context, cfg config, h http.Handler) error {
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	hs := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
	slog.InfoContext(ctx, "listening", "addr", ln.Addr().String())
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	slog.Info("shutting down", "timeout", cfg.ShutdownTimeout.String())
	sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	slog.Info("stopped")
	return nil
}
