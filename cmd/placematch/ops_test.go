package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// cliResult is one run of the binary: its streams apart, and its exit code.
type cliResult struct {
	stdout, stderr string
	code           int
}

// runSplit runs the binary in dir with only env (plus PATH and HOME), so that the
// machine's own PLACEMATCH_* variables do not leak into the case.
func runSplit(t *testing.T, bin, dir string, env []string, args ...string) cliResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = dir
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}, env...)
	var out, errs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errs
	err := cmd.Run()
	var ee *exec.ExitError
	code := 0
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return cliResult{out.String(), errs.String(), code}
}

// entries lists what dir holds.
func entries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

func TestOperatorEdges(t *testing.T) {
	bin := buildBinary(t)
	secret := "PLACEMATCH_JWT_SECRET=0123456789abcdef0123456789abcdef"

	// Every command's -h and --help prints its usage on stdout and exits 0, in an
	// empty folder that stays empty (no database is created, nothing migrated, no
	// file called --help opened), even with a broken setting in the environment.
	t.Run("help", func(t *testing.T) {
		for _, args := range [][]string{{"serve"}, {"serve", "--demo"}, {"migrate"}, {"seed"}, {"import-postcodes"}, {"import-ofsted"},
			{"job"}, {"job", "run"}, {"job", "run", "snapshot-sufficiency"}, {"token"}, {"report"},
			{"report", "sufficiency"}, {"healthcheck"}} {
			for _, h := range []string{"-h", "--help"} {
				dir := t.TempDir()
				env := []string{"PLACEMATCH_SQLITE_PATH=" + filepath.Join(dir, "pm.db"), "PLACEMATCH_ADDR=nonsense"}
				r := runSplit(t, bin, dir, env, append(args, h)...)
				name := strings.Join(append(args, h), " ")
				if r.code != 0 || !strings.Contains(r.stdout, "usage: placematch "+args[0]) {
					t.Errorf("%s: exit %d, stdout %q, stderr %q", name, r.code, r.stdout, r.stderr)
				}
				if got := entries(t, dir); len(got) != 0 {
					t.Errorf("%s created %v", name, got)
				}
			}
		}
		r := runSplit(t, bin, t.TempDir(), nil, "--help")
		if r.code != 0 || !strings.Contains(r.stdout, "healthcheck") {
			t.Errorf("--help: %d %q", r.code, r.stdout)
		}
	})

	// Unknown commands, flags and arguments are named, exit 2 with the usage, and
	// touch nothing; an unknown job is refused before the database is migrated.
	t.Run("unknown", func(t *testing.T) {
		for _, c := range []struct {
			args []string
			want string
			code int
		}{
			{[]string{"frobnicate"}, `unknown command "frobnicate"`, 2},
			{[]string{"serve", "--nope"}, "-nope", 2},
			{[]string{"migrate", "--nope"}, "-nope", 2},
			{[]string{"migrate", "now"}, `"now"`, 2},
			{[]string{"report", "sufficiency", "--out", "x.csv", "--bogus"}, "-bogus", 2},
			{[]string{"report", "nope"}, "sufficiency", 2},
			{[]string{"job", "start", "x"}, "run", 2},
			{[]string{"job", "run", "nope"}, `no job is called "nope"`, 1},
			{[]string{"healthcheck", "--verbose"}, "-verbose", 2},
		} {
			dir := t.TempDir()
			r := runSplit(t, bin, dir, []string{"PLACEMATCH_SQLITE_PATH=" + filepath.Join(dir, "pm.db"), secret}, c.args...)
			if r.code != c.code || !strings.Contains(r.stderr, c.want) {
				t.Errorf("%v: exit %d, stderr %q; want exit %d naming %s", c.args, r.code, r.stderr, c.code, c.want)
			}
			if got := entries(t, dir); len(got) != 0 {
				t.Errorf("%v created %v", c.args, got)
			}
		}
	})

	// --out - writes the report to standard output, not to a file called "-".
	t.Run("report to stdout", func(t *testing.T) {
		dir := t.TempDir()
		r := runSplit(t, bin, dir, []string{"PLACEMATCH_SQLITE_PATH=" + filepath.Join(dir, "pm.db")},
			"report", "sufficiency", "--format", "json", "--out", "-")
		var rep map[string]any
		if r.code != 0 || json.Unmarshal([]byte(r.stdout), &rep) != nil || rep["rows"] == nil {
			t.Fatalf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
		}
		if _, err := os.Stat(filepath.Join(dir, "-")); err == nil {
			t.Fatal(`a file called "-" was written`)
		}
	})

	// The start-up log never shows the database password, in either DSN form.
	t.Run("dsn masked", func(t *testing.T) {
		for _, dsn := range []string{
			"host=127.0.0.1 port=1 user=app password=Hunter2-kv-secret dbname=pm connect_timeout=2",
			"host=127.0.0.1 port=1 user=app password='Hunter2 quoted secret' dbname=pm connect_timeout=2",
			"postgres://app:Hunter2-url-secret@127.0.0.1:1/pm?connect_timeout=2",
		} {
			r := runSplit(t, bin, t.TempDir(), []string{"DATABASE_URL=" + dsn, secret, "PLACEMATCH_ADDR=127.0.0.1:0"}, "serve")
			if r.code == 0 || !strings.Contains(r.stderr, "starting placematch") || !strings.Contains(r.stderr, "xxxxx") {
				t.Fatalf("%s: exit %d\n%s", dsn, r.code, r.stderr)
			}
			if strings.Contains(r.stderr+r.stdout, "Hunter2") {
				t.Errorf("password shown:\n%s", r.stderr)
			}
		}
	})

	// NAME and NAME_FILE both set is refused before anything is opened.
	t.Run("name and name_file", func(t *testing.T) {
		dir := t.TempDir()
		f := filepath.Join(dir, "secret")
		if err := os.WriteFile(f, []byte("0123456789abcdef0123456789abcdef-file"), 0o600); err != nil {
			t.Fatal(err)
		}
		r := runSplit(t, bin, dir, []string{"PLACEMATCH_SQLITE_PATH=" + filepath.Join(dir, "pm.db"), secret,
			"PLACEMATCH_JWT_SECRET_FILE=" + f}, "migrate")
		if r.code != 1 || !strings.Contains(r.stderr, "PLACEMATCH_JWT_SECRET and PLACEMATCH_JWT_SECRET_FILE are both set") {
			t.Fatalf("exit %d\n%s", r.code, r.stderr)
		}
		if _, err := os.Stat(filepath.Join(dir, "pm.db")); err == nil {
			t.Fatal("the database was created")
		}
	})

	// A misspelt PLACEMATCH_ variable is warned about with the name it resembles;
	// known names, their _FILE forms, feed secrets and the tests' URL are not.
	t.Run("misspelt variable", func(t *testing.T) {
		dir := t.TempDir()
		r := runSplit(t, bin, dir, []string{"PLACEMATCH_SQLITE_PATH=" + filepath.Join(dir, "pm.db"),
			"PLACEMATCH_STALE_AFTER_DAY=3", "PLACEMATCH_TEST_DATABASE_URL=postgres://x", "PLACEMATCH_RATE_LIMIT=5",
			"PLACEMATCH_FEED_SECRET_ACME=s", "PLACEMATCH_TOKEN_MAX_LIFETIME=1h", "PLACEMATCH_MATCH_RUN_RETENTION=1",
			"PLACEMATCH_RATE_LIMIT_ANON=1", "PLACEMATCH_FEED_ALLOWED_NETWORKS=10.0.0.0/8"}, "migrate")
		if r.code != 0 {
			t.Fatalf("exit %d\n%s", r.code, r.stderr)
		}
		var warned []map[string]any
		for _, line := range strings.Split(r.stderr, "\n") {
			var rec map[string]any
			if json.Unmarshal([]byte(line), &rec) == nil && rec["level"] == "WARN" {
				warned = append(warned, rec)
			}
		}
		if len(warned) != 1 || warned[0]["name"] != "PLACEMATCH_STALE_AFTER_DAY" ||
			warned[0]["closest_known"] != "PLACEMATCH_STALE_AFTER_DAYS" {
			t.Fatalf("warnings %v\n%s", warned, r.stderr)
		}
	})

	// A bad address, cron spec or weight is reported before migrations run: no
	// database file appears.
	t.Run("bad config before migrations", func(t *testing.T) {
		for _, c := range []struct{ env, want string }{
			{"PLACEMATCH_ADDR=8080", "PLACEMATCH_ADDR"},
			{"PLACEMATCH_ADDR=:99999", "PLACEMATCH_ADDR"},
			{"PLACEMATCH_JOB_SNAPSHOT_SUFFICIENCY_SCHEDULE=61 * * * *", "PLACEMATCH_JOB_SNAPSHOT_SUFFICIENCY_SCHEDULE"},
			{"PLACEMATCH_WEIGHTS=needs=lots", "PLACEMATCH_WEIGHTS"},
			{"PLACEMATCH_HOUSEHOLD_RULES_OFF=household_smoking_under_5,no_such_rule", "no_such_rule"},
			{"PLACEMATCH_TOKEN_MAX_LIFETIME=forever", "PLACEMATCH_TOKEN_MAX_LIFETIME"},
		} {
			for _, args := range [][]string{{"serve"}, {"job", "run", "snapshot-sufficiency"}} {
				dir := t.TempDir()
				r := runSplit(t, bin, dir, []string{"PLACEMATCH_SQLITE_PATH=" + filepath.Join(dir, "pm.db"), secret, c.env}, args...)
				if r.code != 1 || !strings.Contains(r.stderr, c.want) {
					t.Errorf("%s %v: exit %d\n%s", c.env, args, r.code, r.stderr)
				}
				if got := entries(t, dir); len(got) != 0 {
					t.Errorf("%s %v: created %v before reporting the setting", c.env, args, got)
				}
			}
		}
	})

	// The SQLite files are readable by their owner alone.
	t.Run("sqlite mode 0600", func(t *testing.T) {
		dir := t.TempDir()
		db := filepath.Join(dir, "pm.db")
		if r := runSplit(t, bin, dir, []string{"PLACEMATCH_SQLITE_PATH=" + db}, "migrate"); r.code != 0 {
			t.Fatalf("migrate: %d\n%s", r.code, r.stderr)
		}
		for _, name := range entries(t, dir) {
			fi, err := os.Stat(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			if fi.Mode().Perm() != 0o600 {
				t.Errorf("%s has mode %v, want 0600", name, fi.Mode().Perm())
			}
		}
		if _, err := os.Stat(db); err != nil {
			t.Fatal(err)
		}
	})

	// healthcheck asks the configured address and exits 0 on 200, 1 otherwise,
	// without a database.
	t.Run("healthcheck", func(t *testing.T) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/healthz" {
				_, _ = w.Write([]byte(`{"status":"ok"}`))
				return
			}
			w.WriteHeader(http.StatusServiceUnavailable)
		}))
		addr := strings.TrimPrefix(srv.URL, "http://")
		_, port, _ := strings.Cut(addr, ":")
		for _, c := range []struct {
			addr string
			args []string
			code int
		}{
			{addr, nil, 0},
			{":" + port, nil, 0}, // a listen address with no host is asked on the loopback
			{"0.0.0.0:" + port, nil, 0},
			{addr, []string{"--path", "/readyz"}, 1},
		} {
			dir := t.TempDir()
			r := runSplit(t, bin, dir, []string{"PLACEMATCH_ADDR=" + c.addr, "PLACEMATCH_SQLITE_PATH=" + filepath.Join(dir, "pm.db")},
				append([]string{"healthcheck"}, c.args...)...)
			if r.code != c.code {
				t.Errorf("%s %v: exit %d, want %d\n%s%s", c.addr, c.args, r.code, c.code, r.stdout, r.stderr)
			}
			if got := entries(t, dir); len(got) != 0 {
				t.Errorf("healthcheck created %v", got)
			}
		}
		srv.Close()
		if r := runSplit(t, bin, t.TempDir(), []string{"PLACEMATCH_ADDR=" + addr}, "healthcheck"); r.code != 1 {
			t.Errorf("nothing listening: exit %d", r.code)
		}
	})
}

func TestMaskDSN(t *testing.T) {
	for dsn, hidden := range map[string]string{
		"host=db port=5432 user=app password=s3cret dbname=pm sslmode=disable": "s3cret",
		`host=db password = 'it\'s a secret' dbname=pm`:                        "secret",
		"host=db sslpassword=keypass dbname=pm":                                "keypass",
		"postgres://app:s3cret@db:5432/pm?sslmode=disable":                     "s3cret",
		"postgresql://app:s3cret@db/pm?password=other":                         "other",
	} {
		got := maskDSN(dsn)
		if strings.Contains(got, hidden) || !strings.Contains(got, "xxxxx") || !strings.Contains(got, "db") {
			t.Errorf("%q masked as %q", dsn, got)
		}
	}
	if got := maskDSN("host=db dbname=pm"); got != "host=db dbname=pm" {
		t.Errorf("a DSN without a password changed: %q", got)
	}
}

// scripts/test.sh logs the tests' database URL through mask_url: whatever the
// password, it is not printed.
func TestTestScriptMasksPassword(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://pm_ci:Sekr1t-ci@127.0.0.1:5432/pm_ci?sslmode=disable":                           "postgres://pm_ci:***@127.0.0.1:5432/pm_ci?sslmode=disable",
		"postgres://placematch_test:placematch_test@127.0.0.1:5432/placematch_test?sslmode=disable": "postgres://placematch_test:***@127.0.0.1:5432/placematch_test?sslmode=disable",
		"postgres://u@h/db?password=Sekr1t&sslmode=disable":                                         "postgres://u@h/db?password=***&sslmode=disable",
		"host=h password=Sekr1t dbname=d":                                                           "host=h password=*** dbname=d",
	} {
		out, err := exec.Command("bash", "-c", `. ../../scripts/lib.sh && mask_url "$1"`, "_", in).CombinedOutput()
		if err != nil || strings.TrimSpace(string(out)) != want {
			t.Errorf("mask_url %q = %q (%v), want %q", in, out, err, want)
		}
	}
	script, err := os.ReadFile("../../scripts/test.sh")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(script), "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "log ") && strings.Contains(line, "PLACEMATCH_TEST_DATABASE_URL") &&
			!strings.Contains(line, "mask_url") {
			t.Errorf("test.sh logs the URL unmasked: %s", line)
		}
	}
}

func TestUnknownVars(t *testing.T) {
	unknown, closest := unknownVars([]string{"PATH=/bin", "PLACEMATCH_ADDR=:1", "PLACEMATCH_JWT_SECRET_FILE=/s",
		"PLACEMATCH_FEED_SECRET_ACME=x", "PLACEMATCH_FEED_SECRET_=x", "PLACEMATCH_TEST_DATABASE_URL=x", "PLACEMATCH_SKIP_OPENAPI_LINT=1",
		"PLACEMATCH_WIEGHTS=needs=1", "PLACEMATCH_LOG_LEVEL_FILE=/l"})
	if strings.Join(unknown, ",") != "PLACEMATCH_FEED_SECRET_,PLACEMATCH_WIEGHTS" || closest[1] != "PLACEMATCH_WEIGHTS" {
		t.Fatalf("unknown %v closest %v", unknown, closest)
	}
}

// The token command refuses a lifetime beyond PLACEMATCH_TOKEN_MAX_LIFETIME, which
// the verifier would refuse anyway.
func TestTokenMaxLifetime(t *testing.T) {
	t.Setenv("PLACEMATCH_JWT_SECRET", "0123456789abcdef0123456789abcdef")
	var out, logs bytes.Buffer
	args := []string{"token", "--role", "admin", "--sub", "a", "--ttl", "13h"}
	if err := run(context.Background(), args, &out, &logs); err == nil || !strings.Contains(err.Error(), "at most 12h") {
		t.Fatalf("13 h token minted under the 12 h default: %v %q", err, out.String())
	}
	t.Setenv("PLACEMATCH_TOKEN_MAX_LIFETIME", "24h")
	if err := run(context.Background(), args, &out, &logs); err != nil || out.Len() == 0 {
		t.Fatalf("13 h token under a 24 h maximum: %v", err)
	}
}

func TestLocalAddr(t *testing.T) {
	for in, want := range map[string]string{":8080": "127.0.0.1:8080", "0.0.0.0:80": "127.0.0.1:80",
		"[::]:80": "127.0.0.1:80", "10.1.2.3:8080": "10.1.2.3:8080", "localhost:9": "localhost:9"} {
		if got := localAddr(in); got != want {
			t.Errorf("localAddr(%q) = %q, want %q", in, got, want)
		}
	}
}
