package main

import (
	"fmt"
	"net"
	"regexp"
	"slices"
	"strings"

	"placematch/jobs"
	"placematch/matching"
)

// checkStartup checks the settings that used to fail only when first used (the
// listen address after migrations, a cron spec after catch-up jobs, the weights after
// opening the database), so that every command reports them before it touches
// anything.
func checkStartup(cfg *config) error {
	if err := checkAddr(cfg.Addr); err != nil {
		return fmt.Errorf("PLACEMATCH_ADDR: %w", err)
	}
	for _, name := range jobNames {
		if err := jobs.CheckSpec(cfg.JobSchedules[name]); err != nil {
			return fmt.Errorf("%s (job %s): %w", jobScheduleVar(name), name, err)
		}
	}
	w, err := matching.ParseWeights(cfg.Weights)
	if err != nil {
		return fmt.Errorf("PLACEMATCH_WEIGHTS: %w", err)
	}
	cfg.MatchWeights = w
	policy := matching.DefaultPolicy()
	for _, code := range strings.Split(cfg.RulesOff, ",") {
		if code = strings.TrimSpace(code); code != "" {
			policy.Off = append(policy.Off, code)
		}
	}
	if err := policy.Validate(); err != nil {
		return fmt.Errorf("PLACEMATCH_HOUSEHOLD_RULES_OFF: %w", err)
	}
	cfg.Policy = policy
	return nil
}

// checkAddr accepts what net.Listen("tcp", addr) accepts: host:port, where the host
// may be empty and the port a number from 0 to 65535 or a service name.
func checkAddr(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("%q is not host:port (e.g. :8080): %w", addr, err)
	}
	if strings.ContainsAny(host, " /") {
		return fmt.Errorf("%q: bad host %q", addr, host)
	}
	if _, err := net.LookupPort("tcp", port); err != nil {
		return fmt.Errorf("%q: bad port: %w", addr, err)
	}
	return nil
}

// unknownVars lists the PLACEMATCH_* variables of environ that no setting reads
// (with or without _FILE), each with the closest known name: a misspelt variable is
// otherwise silently ignored and its default used.
func unknownVars(environ []string) (unknown, closest []string) {
	known := slices.Clone(testOnlyVars)
	var patterns []string
	for _, s := range envSpecs {
		if prefix, ok := strings.CutSuffix(s.name, "<NAME>"); ok {
			patterns = append(patterns, prefix)
			continue
		}
		known = append(known, s.name)
	}
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		if !strings.HasPrefix(name, "PLACEMATCH_") {
			continue
		}
		base := strings.TrimSuffix(name, "_FILE")
		if slices.Contains(known, base) || slices.ContainsFunc(patterns, func(p string) bool {
			return strings.HasPrefix(base, p) && len(base) > len(p)
		}) {
			continue
		}
		unknown = append(unknown, name)
		closest = append(closest, nearest(base, known))
	}
	return unknown, closest
}

// nearest is the name of names at the least edit distance from s.
func nearest(s string, names []string) string {
	best, bestD := "", -1
	for _, n := range names {
		if d := editDistance(s, n); bestD < 0 || d < bestD {
			best, bestD = n, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance of a and b, in bytes (the names are ASCII).
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// dsnSecret matches a key=value setting whose key names a password (password,
// sslpassword, ...) and its value, bare or single-quoted with \' escapes.
var dsnSecret = regexp.MustCompile(`(?i)(\b[a-z_]*pass[a-z_]*\s*=\s*)('(?:[^'\\]|\\.)*'|[^\s']*)`)

// maskDSN hides the passwords of a PostgreSQL connection string in either form:
// a URL (postgres://user:password@host/db?...) or libpq key=value settings
// (host=... password=... dbname=...).
func maskDSN(raw string) string {
	if strings.Contains(raw, "://") {
		return maskURL(raw)
	}
	return dsnSecret.ReplaceAllString(raw, "${1}xxxxx")
}
