package main

import (
	"fmt"
	"log/slog"
	"net/netip"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"placematch/api"
	"placematch/matching"
	"placematch/placing"
	"placematch/web"
)

// config is every setting, read from the environment once at start.
type config struct {
	Addr           string
	DatabaseURL    string
	SQLitePath     string
	MigrateOnStart bool
	Boundaries     string
	// DfECLACSV is the DfE "children looked after" CSV the reports compare with.
	DfECLACSV string
	// LACode names the council in that file (LA code or name), for its own figures.
	LACode  string
	Weights string
	// MatchWeights are Weights parsed, checked at start.
	MatchWeights matching.Weights
	// RulesOff are the household rules switched off (PLACEMATCH_HOUSEHOLD_RULES_OFF);
	// Policy is them checked at start.
	RulesOff       string
	Policy         matching.Policy
	StaleAfterDays int
	// AllocationTimeLimit bounds an allocation's search; HoldEmergencyPlaces is
	// the places an allocation keeps free per district and kind by default.
	AllocationTimeLimit time.Duration
	HoldEmergencyPlaces int
	// SearchConcurrency is how many searches run at once; zero is two per
	// processor (placing.Service.Searches).
	SearchConcurrency int
	// SearchQueue is how many searches may wait for a turn; zero is 16 for each
	// search run at once.
	SearchQueue     int
	LogLevel        slog.Level
	ShutdownTimeout time.Duration
	DemoSeed        uint64
	// JobSchedules maps a job name to its cron spec (Europe/London) or "off".
	JobSchedules    map[string]string
	JobsStopTimeout time.Duration
	FeedTimeout     time.Duration
	FeedMaxBytes    int64
	FeedAttempts    int
	// FeedAllowedNetworks are internal networks feeds may be fetched from.
	FeedAllowedNetworks []netip.Prefix
	FeedMaxRejected     int
	// MatchRunRetention is how long a match run no placement cites is kept.
	MatchRunRetention time.Duration
	// Token verification: a JWKS URL (production) or an HS256 secret (development).
	JWKSURL     string
	JWTSecret   string
	JWTIssuer   string
	JWTAudience string
	// TokenMaxLifetime bounds exp − iat of every token accepted or minted.
	TokenMaxLifetime time.Duration
	// CORSOrigins may call from a browser; TrustedProxies may set X-Forwarded-For.
	CORSOrigins    []string
	TrustedProxies []string
	// RateLimit bounds each token subject, RateLimitAnon each client address
	// without a valid token.
	RateLimit, RateLimitAnon api.RateLimit
	// Sign-in to the web pages through the council's identity provider (OpenID
	// Connect); all four set, or none.
	OIDCIssuer, OIDCClientID, OIDCClientSecret, OIDCRedirectURL string
	// SessionIdle and SessionMax end a web session unused for so long, and any
	// session so long after sign-in.
	SessionIdle, SessionMax time.Duration
	// MapTiles adds tiles to the web pages' maps (PLACEMATCH_MAP_TILES).
	MapTiles web.Tiles
}

// envSpec documents one variable; the README's configuration table lists the same.
type envSpec struct {
	name, def, help string
	secret          bool
}

var envSpecs = []envSpec{
	{name: "PLACEMATCH_ADDR", def: ":8080", help: "listen address"},
	{name: "DATABASE_URL", help: "PostgreSQL URL; unset means the embedded SQLite file", secret: true},
	{name: "PLACEMATCH_SQLITE_PATH", def: "placematch.db", help: "SQLite file used when DATABASE_URL is unset"},
	{name: "PLACEMATCH_MIGRATE_ON_START", def: "true", help: "apply pending migrations when serve starts"},
	{name: "PLACEMATCH_BOUNDARIES", help: "GeoJSON of the council's districts; sets district and in_area"},
	{name: "PLACEMATCH_DFE_CLA_CSV", help: "DfE children looked after CSV (placement type and distance); adds England and regional figures to reports"},
	{name: "PLACEMATCH_LA_CODE", help: "the council in PLACEMATCH_DFE_CLA_CSV, by LA code (E10000020 or 926) or name (Norfolk); adds its own published figures to reports"},
	{name: "PLACEMATCH_WEIGHTS", help: "matching weight overrides, e.g. needs=4,distance=2"},
	{name: "PLACEMATCH_HOUSEHOLD_RULES_OFF", help: "household rules switched off, by code, comma-separated (e.g. household_smoking_under_5); default none"},
	{name: "PLACEMATCH_STALE_AFTER_DAYS", def: "14", help: "days after which availability counts as stale"},
	{name: "PLACEMATCH_LOG_LEVEL", def: "info", help: "debug, info, warn or error"},
	{name: "PLACEMATCH_SHUTDOWN_TIMEOUT", def: "15s", help: "how long shutdown waits for requests in flight"},
	{name: "PLACEMATCH_DEMO_SEED", def: "1", help: "seed of the demo data set"},
	{name: "PLACEMATCH_JWKS_URL", help: "identity provider's JWKS; tokens must be RS256 or ES256"},
	{name: "PLACEMATCH_JWT_SECRET", help: "HS256 secret (32+ bytes) for development tokens", secret: true},
	{name: "PLACEMATCH_JWT_ISSUER", def: "placematch", help: "required iss claim"},
	{name: "PLACEMATCH_JWT_AUDIENCE", def: "placematch-api", help: "required aud claim"},
	{name: "PLACEMATCH_TOKEN_MAX_LIFETIME", def: "12h", help: "longest token lifetime (exp - iat) accepted or minted"},
	{name: "PLACEMATCH_CORS_ORIGINS", help: "comma-separated browser origins allowed to call the API; none by default"},
	{name: "PLACEMATCH_TRUSTED_PROXIES", help: "comma-separated proxy addresses trusted for X-Forwarded-For; none by default"},
	// Token buckets: N requests per period on average, in bursts of up to N.
	{name: "PLACEMATCH_RATE_LIMIT", def: "1200/1m", help: "requests per token subject, as N/period (bursts of N; a bare N is per minute), or off"},
	{name: "PLACEMATCH_RATE_LIMIT_ANON", def: "300/1m", help: "requests per client address without a valid token, as N/period, or off"},
	{name: "PLACEMATCH_OIDC_ISSUER", help: "the council's OpenID Connect issuer, for signing in to the web pages"},
	{name: "PLACEMATCH_OIDC_CLIENT_ID", help: "this service's client id at the identity provider (the ID token's audience)"},
	{name: "PLACEMATCH_OIDC_CLIENT_SECRET", help: "this service's client secret at the identity provider", secret: true},
	{name: "PLACEMATCH_OIDC_REDIRECT_URL", help: "the sign-in callback as the identity provider knows it, ending /sign-in/callback"},
	{name: "PLACEMATCH_MAP_TILES", help: "a tile server for the web pages' maps, as URL template|attribution; none by default"},
	{name: "PLACEMATCH_SESSION_IDLE_TIMEOUT", def: "30m", help: "a web session not used for this long ends"},
	{name: "PLACEMATCH_SESSION_MAX_AGE", def: "10h", help: "any web session ends this long after sign-in"},
	// The nightly jobs are ten minutes apart, in the order their data flows: cron
	// starts jobs due together at once, and the snapshot must see the day's
	// reconciled, imported and flagged data.
	{name: "PLACEMATCH_JOB_RECONCILE_VACANCIES_SCHEDULE", def: "0 2 * * *", help: "cron spec (Europe/London) of reconcile-vacancies, or off"},
	{name: "PLACEMATCH_JOB_IMPORT_PROVIDER_FEEDS_SCHEDULE", def: "10 2 * * *", help: "cron spec (Europe/London) of import-provider-feeds, or off"},
	{name: "PLACEMATCH_JOB_FLAG_STALE_AVAILABILITY_SCHEDULE", def: "20 2 * * *", help: "cron spec (Europe/London) of flag-stale-availability, or off"},
	{name: "PLACEMATCH_JOB_SNAPSHOT_SUFFICIENCY_SCHEDULE", def: "30 2 * * *", help: "cron spec (Europe/London) of snapshot-sufficiency, or off"},
	{name: "PLACEMATCH_JOB_PRUNE_MATCH_RUNS_SCHEDULE", def: "40 2 * * *", help: "cron spec (Europe/London) of prune-match-runs, or off"},
	{name: "PLACEMATCH_JOB_PURGE_EXPIRED_SESSIONS_SCHEDULE", def: "50 2 * * *", help: "cron spec (Europe/London) of purge-expired-sessions, or off"},
	{name: "PLACEMATCH_MATCH_RUN_RETENTION", def: "90d", help: "how long a match run no placement cites is kept (days as 90d, or a duration such as 2160h)"},
	{name: "PLACEMATCH_ALLOCATION_TIME_LIMIT", def: "5s", help: "how long an allocation searches for a better answer before reporting its gap to the bound"},
	{name: "PLACEMATCH_HOLD_EMERGENCY_PLACES", def: "0", help: "places an allocation keeps free per district and kind when the request does not say"},
	{name: "PLACEMATCH_SEARCH_CONCURRENCY", def: "0", help: "searches run at once, the others waiting their turn in order; 0 is two per processor"},
	{name: "PLACEMATCH_SEARCH_QUEUE", def: "0", help: "searches that may wait for a turn, one more being refused with 503; 0 is 16 for each search run at once"},
	{name: "PLACEMATCH_JOBS_STOP_TIMEOUT", def: "60s", help: "how long shutdown waits for a running job before cancelling it"},
	{name: "PLACEMATCH_FEED_TIMEOUT", def: "30s", help: "time limit of one attempt to fetch a provider feed"},
	{name: "PLACEMATCH_FEED_MAX_BYTES", def: "5242880", help: "largest provider feed accepted, in bytes"},
	{name: "PLACEMATCH_FEED_ATTEMPTS", def: "3", help: "attempts to fetch a feed (backoff 1s, 2s, 4s...)"},
	{name: "PLACEMATCH_FEED_ALLOWED_NETWORKS", help: "comma-separated CIDR networks feeds may be fetched from although internal (loopback, private, link-local); none by default"},
	{name: "PLACEMATCH_FEED_MAX_REJECTED_ROWS", def: "100", help: "rejected rows of one feed listed in a job run; the rest are counted"},
	// A pattern, not one variable: each feed's secret_name names its own. It is read
	// when the feed is fetched, never at start, and never logged.
	{name: "PLACEMATCH_FEED_SECRET_<NAME>", help: "value of the auth header of feeds whose secret_name is NAME", secret: true},
}

// maxSearchConcurrency bounds PLACEMATCH_SEARCH_CONCURRENCY: far more searches at
// once than processors only lengthens each.
const maxSearchConcurrency = 1024

// maxSearchQueue bounds PLACEMATCH_SEARCH_QUEUE.
const maxSearchQueue = 100_000

// testOnlyVars are read by the test suites and scripts, never by the binary, and are
// not misspellings.
var testOnlyVars = []string{"PLACEMATCH_TEST_DATABASE_URL", "PLACEMATCH_SKIP_OPENAPI_LINT"}

// getenv reads NAME, or the file named by NAME_FILE (for secrets mounted as files).
// Both set is an error: which one wins would be a guess.
func getenv(name string) (string, error) {
	if f := os.Getenv(name + "_FILE"); f != "" {
		if os.Getenv(name) != "" {
			return "", fmt.Errorf("%s and %s_FILE are both set: set one", name, name)
		}
		b, err := os.ReadFile(f)
		if err != nil {
			return "", fmt.Errorf("%s_FILE: %w", name, err)
		}
		return strings.TrimSpace(string(b)), nil
	}
	return os.Getenv(name), nil
}

func loadConfig() (config, error) {
	vals := map[string]string{}
	for _, s := range envSpecs {
		v, err := getenv(s.name)
		if err != nil {
			return config{}, err
		}
		if v == "" {
			v = s.def
		}
		vals[s.name] = v
	}
	cfg := config{Addr: vals["PLACEMATCH_ADDR"], DatabaseURL: vals["DATABASE_URL"], SQLitePath: vals["PLACEMATCH_SQLITE_PATH"],
		Boundaries: vals["PLACEMATCH_BOUNDARIES"], Weights: vals["PLACEMATCH_WEIGHTS"], DfECLACSV: vals["PLACEMATCH_DFE_CLA_CSV"],
		RulesOff: vals["PLACEMATCH_HOUSEHOLD_RULES_OFF"], LACode: strings.TrimSpace(vals["PLACEMATCH_LA_CODE"])}
	if cfg.LACode != "" && cfg.DfECLACSV == "" {
		return cfg, fmt.Errorf("PLACEMATCH_LA_CODE: needs PLACEMATCH_DFE_CLA_CSV, the DfE file the council's figures are read from")
	}
	var err error
	if cfg.MigrateOnStart, err = strconv.ParseBool(vals["PLACEMATCH_MIGRATE_ON_START"]); err != nil {
		return cfg, fmt.Errorf("PLACEMATCH_MIGRATE_ON_START: must be true or false")
	}
	if cfg.StaleAfterDays, err = strconv.Atoi(vals["PLACEMATCH_STALE_AFTER_DAYS"]); err != nil || cfg.StaleAfterDays < 1 {
		return cfg, fmt.Errorf("PLACEMATCH_STALE_AFTER_DAYS: must be a whole number of days, at least 1")
	}
	if cfg.AllocationTimeLimit, err = time.ParseDuration(vals["PLACEMATCH_ALLOCATION_TIME_LIMIT"]); err != nil ||
		cfg.AllocationTimeLimit <= 0 || cfg.AllocationTimeLimit > 10*time.Minute {
		return cfg, fmt.Errorf("PLACEMATCH_ALLOCATION_TIME_LIMIT: must be a duration more than 0 and at most 10m, such as 5s")
	}
	if cfg.HoldEmergencyPlaces, err = strconv.Atoi(vals["PLACEMATCH_HOLD_EMERGENCY_PLACES"]); err != nil ||
		cfg.HoldEmergencyPlaces < 0 || cfg.HoldEmergencyPlaces > placing.MaxHoldEmergencyPlaces {
		return cfg, fmt.Errorf("PLACEMATCH_HOLD_EMERGENCY_PLACES: must be a whole number from 0 to %d", placing.MaxHoldEmergencyPlaces)
	}
	if cfg.SearchConcurrency, err = strconv.Atoi(vals["PLACEMATCH_SEARCH_CONCURRENCY"]); err != nil ||
		cfg.SearchConcurrency < 0 || cfg.SearchConcurrency > maxSearchConcurrency {
		return cfg, fmt.Errorf("PLACEMATCH_SEARCH_CONCURRENCY: must be a whole number from 0 (two per processor) to %d", maxSearchConcurrency)
	}
	if cfg.SearchQueue, err = strconv.Atoi(vals["PLACEMATCH_SEARCH_QUEUE"]); err != nil ||
		cfg.SearchQueue < 0 || cfg.SearchQueue > maxSearchQueue {
		return cfg, fmt.Errorf("PLACEMATCH_SEARCH_QUEUE: must be a whole number from 0 (16 for each search run at once) to %d", maxSearchQueue)
	}
	if err := cfg.LogLevel.UnmarshalText([]byte(vals["PLACEMATCH_LOG_LEVEL"])); err != nil {
		return cfg, fmt.Errorf("PLACEMATCH_LOG_LEVEL: %w", err)
	}
	if cfg.ShutdownTimeout, err = time.ParseDuration(vals["PLACEMATCH_SHUTDOWN_TIMEOUT"]); err != nil {
		return cfg, fmt.Errorf("PLACEMATCH_SHUTDOWN_TIMEOUT: %w", err)
	}
	if cfg.DemoSeed, err = strconv.ParseUint(vals["PLACEMATCH_DEMO_SEED"], 10, 64); err != nil {
		return cfg, fmt.Errorf("PLACEMATCH_DEMO_SEED: must be a whole number")
	}
	if err := loadJobConfig(&cfg, vals); err != nil {
		return cfg, err
	}
	cfg.JWKSURL, cfg.JWTSecret = vals["PLACEMATCH_JWKS_URL"], vals["PLACEMATCH_JWT_SECRET"]
	cfg.JWTIssuer, cfg.JWTAudience = vals["PLACEMATCH_JWT_ISSUER"], vals["PLACEMATCH_JWT_AUDIENCE"]
	if cfg.TokenMaxLifetime, err = time.ParseDuration(vals["PLACEMATCH_TOKEN_MAX_LIFETIME"]); err != nil || cfg.TokenMaxLifetime <= 0 {
		return cfg, fmt.Errorf("PLACEMATCH_TOKEN_MAX_LIFETIME: must be a positive duration such as 12h")
	}
	cfg.CORSOrigins = splitList(vals["PLACEMATCH_CORS_ORIGINS"])
	cfg.TrustedProxies = splitList(vals["PLACEMATCH_TRUSTED_PROXIES"])
	if cfg.RateLimit, err = api.ParseRateLimit(vals["PLACEMATCH_RATE_LIMIT"]); err != nil {
		return cfg, fmt.Errorf("PLACEMATCH_RATE_LIMIT: %w", err)
	}
	if cfg.RateLimitAnon, err = api.ParseRateLimit(vals["PLACEMATCH_RATE_LIMIT_ANON"]); err != nil {
		return cfg, fmt.Errorf("PLACEMATCH_RATE_LIMIT_ANON: %w", err)
	}
	cfg.OIDCIssuer, cfg.OIDCClientID = vals["PLACEMATCH_OIDC_ISSUER"], vals["PLACEMATCH_OIDC_CLIENT_ID"]
	cfg.OIDCClientSecret, cfg.OIDCRedirectURL = vals["PLACEMATCH_OIDC_CLIENT_SECRET"], vals["PLACEMATCH_OIDC_REDIRECT_URL"]
	if set := countSet(cfg.OIDCIssuer, cfg.OIDCClientID, cfg.OIDCClientSecret, cfg.OIDCRedirectURL); set != 0 && set != 4 {
		return cfg, fmt.Errorf("PLACEMATCH_OIDC_ISSUER, _CLIENT_ID, _CLIENT_SECRET and _REDIRECT_URL: set all four or none")
	}
	if t := vals["PLACEMATCH_MAP_TILES"]; t != "" {
		if cfg.MapTiles, err = web.ParseTiles(t); err != nil {
			return cfg, fmt.Errorf("PLACEMATCH_MAP_TILES: %w", err)
		}
	}
	if cfg.SessionIdle, err = time.ParseDuration(vals["PLACEMATCH_SESSION_IDLE_TIMEOUT"]); err != nil || cfg.SessionIdle <= 0 {
		return cfg, fmt.Errorf("PLACEMATCH_SESSION_IDLE_TIMEOUT: must be a positive duration such as 30m")
	}
	if cfg.SessionMax, err = time.ParseDuration(vals["PLACEMATCH_SESSION_MAX_AGE"]); err != nil || cfg.SessionMax < cfg.SessionIdle {
		return cfg, fmt.Errorf("PLACEMATCH_SESSION_MAX_AGE: must be a duration such as 10h, at least the idle timeout")
	}
	if err := checkStartup(&cfg); err != nil {
		return cfg, err
	}
	return cfg, nil
}

// logAttrs lists the configuration for the start-up log, with secrets masked.
func (c config) logAttrs() []any {
	db := "sqlite:" + c.SQLitePath
	if c.DatabaseURL != "" {
		db = maskDSN(c.DatabaseURL)
	}
	return []any{"addr", c.Addr, "database", db, "migrate_on_start", c.MigrateOnStart, "boundaries", c.Boundaries,
		"weights", c.Weights, "household_rules_off", c.RulesOff, "stale_after_days", c.StaleAfterDays, "log_level", c.LogLevel.String(),
		"shutdown_timeout", c.ShutdownTimeout.String(), "jwks_url", c.JWKSURL, "jwt_secret", masked(c.JWTSecret),
		"jwt_issuer", c.JWTIssuer, "jwt_audience", c.JWTAudience, "token_max_lifetime", c.TokenMaxLifetime.String(),
		"cors_origins", c.CORSOrigins,
		"trusted_proxies", c.TrustedProxies, "rate_limit", c.RateLimit.String(), "rate_limit_anon", c.RateLimitAnon.String(),
		"oidc_issuer", c.OIDCIssuer, "oidc_client_id", c.OIDCClientID, "oidc_client_secret", masked(c.OIDCClientSecret),
		"oidc_redirect_url", c.OIDCRedirectURL, "session_idle_timeout", c.SessionIdle.String(), "session_max_age", c.SessionMax.String()}
}

// countSet counts the values that are not empty.
func countSet(vals ...string) int {
	n := 0
	for _, v := range vals {
		if v != "" {
			n++
		}
	}
	return n
}

// masked says whether a secret is set without showing it.
func masked(secret string) string {
	if secret == "" {
		return "(unset)"
	}
	return "(set, hidden)"
}

func splitList(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if p := strings.TrimSpace(part); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// maskURL hides the password of a database URL (and every query value, where
// connection strings sometimes carry one).
func maskURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable, hidden)"
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	q := u.Query()
	for k := range q {
		if strings.Contains(strings.ToLower(k), "pass") {
			q.Set(k, "xxxxx")
		}
	}
	u.RawQuery = q.Encode()
	return u.Redacted()
}
