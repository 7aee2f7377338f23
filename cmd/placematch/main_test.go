package main

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"placematch/auth"
)

// buildBinary builds the real binary once per test run.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "placematch")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func getJSON(t *testing.T, url, token string, into any) int {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if into != nil {
		if err := json.NewDecoder(res.Body).Decode(into); err != nil {
			t.Fatalf("%s: %v", url, err)
		}
	}
	return res.StatusCode
}

// The README's first command: serve the demo on the embedded SQLite default, list
// carers, ask for matches, and stop cleanly on SIGTERM.
func TestServeDemoEndToEnd(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	addr := freeAddr(t)
	cmd := exec.Command(bin, "serve", "--demo")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "PLACEMATCH_ADDR="+addr, "DATABASE_URL=", "PLACEMATCH_SQLITE_PATH="+filepath.Join(dir, "demo.db"))
	out := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	base := "http://" + addr
	deadline := time.Now().Add(90 * time.Second)
	for {
		if res, err := http.Get(base + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("not ready in time:\n%s", out.String())
		}
		time.Sleep(200 * time.Millisecond)
	}
	// The candidate index is built before the server listens: ready, before any
	// search, it already holds the demo's providers, and the log says how long
	// building it took, before "listening".
	wantIndexBuilt(t, base, out.String())
	tokens := map[string]string{}
	for _, line := range strings.Split(out.String(), "\n") {
		if name, tok, ok := strings.Cut(strings.TrimPrefix(line, "export "), "_TOKEN="); ok && strings.HasPrefix(line, "export ") {
			tokens[name] = tok
		}
	}
	officer := tokens["OFFICER"]
	if officer == "" || tokens["ADMIN"] == "" || tokens["CARER"] == "" {
		t.Fatalf("serve --demo printed no tokens:\n%s", out.String())
	}
	if st := getJSON(t, base+"/api/v1/carers", "", nil); st != 401 {
		t.Fatalf("carers without a token: %d", st)
	}
	var carers struct {
		Items      []map[string]any `json:"items"`
		NextCursor string           `json:"next_cursor"`
	}
	if st := getJSON(t, base+"/api/v1/carers", officer, &carers); st != 200 || len(carers.Items) == 0 || carers.NextCursor == "" {
		t.Fatalf("carers: status %d, %d items", st, len(carers.Items))
	}
	var children struct {
		Items []map[string]any `json:"items"`
	}
	getJSON(t, base+"/api/v1/children?status=awaiting&limit=5", officer, &children)
	if st := getJSON(t, base+"/api/v1/children?limit=1", tokens["CARER"], nil); st != 403 {
		t.Fatalf("a carer listed children: %d", st)
	}
	if len(children.Items) == 0 {
		t.Fatal("no demo children awaiting")
	}
	var match map[string]any
	if st := getJSON(t, base+"/api/v1/children/"+children.Items[0]["id"].(string)+"/matches", officer, &match); st != 200 {
		t.Fatalf("matches status %d", st)
	}
	if ms, _ := match["matches"].([]any); len(ms) == 0 {
		t.Fatalf("demo child has no matches: %v", match["excluded_summary"])
	}
	if !strings.Contains(out.String(), "demo data loaded") {
		t.Fatalf("serve --demo did not report the demo:\n%s", out.String())
	}
	// The officer's desk is at the root: it leads to the demo sign-in, and the demo
	// officer signed in there sees the children awaiting.
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar}
	res, err := browser.Get(base + "/")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 || res.Request.URL.Path != "/sign-in/demo" {
		t.Fatalf("GET / ended at %s with %d, want the demo sign-in", res.Request.URL.Path, res.StatusCode)
	}
	req, _ := http.NewRequest(http.MethodPost, base+"/sign-in/demo", strings.NewReader("person=officer"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if res, err = browser.Do(req); err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || res.Request.URL.Path != "/queue" || !strings.Contains(string(body), "Children awaiting a placement") {
		t.Fatalf("after the demo sign-in: %s, %d", res.Request.URL.Path, res.StatusCode)
	}
	// The demo carer and provider are offered too, and land on their own pages.
	for person, want := range map[string]string{"carer": "Your household", "provider": "Your units"} {
		jar, _ := cookiejar.New(nil)
		browser := &http.Client{Jar: jar}
		req, _ := http.NewRequest(http.MethodPost, base+"/sign-in/demo", strings.NewReader("person="+person))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		res, err := browser.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || !strings.Contains(string(body), want) {
			t.Fatalf("the demo %s signed in: %s, %d", person, res.Request.URL.Path, res.StatusCode)
		}
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v\n%s", err, out.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("did not stop after SIGTERM")
	}
}

// wantIndexBuilt checks, on a server that has answered no search yet, that the
// candidate index holds providers (/metrics) and was built before it listened.
func wantIndexBuilt(t *testing.T, base, log string) {
	t.Helper()
	res, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	var providers float64
	var built, waiting, refused, writing bool
	for _, line := range strings.Split(string(body), "\n") {
		if line == "placematch_searches_waiting 0" {
			waiting = true
		}
		if line == "placematch_searches_refused_total 0" {
			refused = true
		}
		if line == "placematch_searches_writing 0" {
			writing = true
		}
		if v, ok := strings.CutPrefix(line, "placematch_candidate_index_providers "); ok {
			providers, _ = strconv.ParseFloat(v, 64)
		}
		if strings.HasPrefix(line, "placematch_candidate_index_build_seconds ") {
			built = true
		}
	}
	if providers < 1 || !built || !waiting || !refused || !writing {
		t.Fatalf("before the first search the index holds %v providers (build time shown: %v, no search waiting shown: %v, none refused shown: %v, none writing shown: %v)",
			providers, built, waiting, refused, writing)
	}
	at, listening := strings.Index(log, `"msg":"candidate index built"`), strings.Index(log, `"msg":"listening"`)
	if at < 0 || listening < 0 || at > listening || !strings.Contains(log[at:], `"took_ms":`) {
		t.Fatalf("the log does not say the index was built (and how long it took) before listening:\n%s", log)
	}
}

// syncBuffer collects a child process's output; the process writes from its own
// goroutines while the test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func runCLI(t *testing.T, bin, dir string, env []string, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = dir
	cmd.Env = append(append(os.Environ(), "DATABASE_URL="), env...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func TestCLICommands(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	db := "PLACEMATCH_SQLITE_PATH=" + filepath.Join(dir, "cli.db")

	out, err := runCLI(t, bin, dir, []string{db, "PLACEMATCH_ADDR=" + freeAddr(t)}, "serve")
	if err == nil || !strings.Contains(out, "no token verification configured") {
		t.Fatalf("serve with no token verification: %v\n%s", err, out)
	}
	secret := "PLACEMATCH_JWT_SECRET=0123456789abcdef0123456789abcdef"
	out, err = runCLI(t, bin, dir, []string{db, secret, "PLACEMATCH_MIGRATE_ON_START=false", "PLACEMATCH_ADDR=" + freeAddr(t)}, "serve")
	if err == nil || !strings.Contains(out, "schema is not current") {
		t.Fatalf("serve on a stale schema: %v\n%s", err, out)
	}
	out, err = runCLI(t, bin, dir, []string{secret}, "token", "--role", "placement_officer", "--sub", "officer-7")
	keys := &auth.HMAC{Secret: []byte("0123456789abcdef0123456789abcdef"), Issuer: "placematch", Audience: "placematch-api"}
	if p, verr := keys.Verify(context.Background(), strings.TrimSpace(out)); err != nil || verr != nil || p.Subject != "officer-7" {
		t.Fatalf("token: %v %v %q", err, verr, out)
	}
	if out, err = runCLI(t, bin, dir, []string{secret}, "token", "--role", "carer", "--sub", "c"); err == nil {
		t.Fatalf("carer token without --carer-id was minted: %s", out)
	}
	for range 2 {
		if out, err := runCLI(t, bin, dir, []string{db}, "migrate"); err != nil {
			t.Fatalf("migrate: %v\n%s", err, out)
		}
	}
	csv, _ := filepath.Abs("../../../shared/data/postcodes/norfolk_postcodes.csv")
	if _, err := os.Stat(csv); err != nil {
		t.Fatalf("real postcode data missing: %v", err)
	}
	for range 2 { // importing twice leaves one copy
		out, err = runCLI(t, bin, dir, []string{db}, "import-postcodes", csv)
		if err != nil || !strings.Contains(out, "30612 postcodes imported") {
			t.Fatalf("import-postcodes: %v\n%s", err, out)
		}
	}
	out, err = runCLI(t, bin, dir, []string{db}, "seed", "--demo", "--seed", "7")
	if err != nil || !strings.Contains(out, "demo loaded") {
		t.Fatalf("seed: %v\n%s", err, out)
	}
	if out, err = runCLI(t, bin, dir, []string{db}, "seed", "--demo"); err == nil {
		t.Fatalf("second seed into a full database was accepted:\n%s", out)
	}
	ofsted, _ := filepath.Abs("../../../shared/data/ofsted/ofsted_csc_providers_norfolk_and_neighbours_31mar2023.csv")
	for range 2 { // the demo's hubs carry URNs (and ratings) of that list: matched, already current
		out, err = runCLI(t, bin, dir, []string{db}, "import-ofsted", ofsted)
		if err != nil || !strings.Contains(out, "181 rows read: 0 invalid, 0 not yet rated; 2 URNs matched a unit or hub") ||
			!strings.Contains(out, "0 providers updated, 2 unchanged") {
			t.Fatalf("import-ofsted: %v\n%s", err, out)
		}
	}
	if out, err = runCLI(t, bin, dir, []string{db}, "import-ofsted"); err == nil {
		t.Fatalf("import-ofsted without a file was accepted:\n%s", out)
	}
	if out, err = runCLI(t, bin, dir, nil, "version"); err != nil || strings.TrimSpace(out) == "" {
		t.Fatalf("version: %v %q", err, out)
	}
	if out, err = runCLI(t, bin, dir, nil, "frobnicate"); err == nil || !strings.Contains(out, "usage") {
		t.Fatalf("unknown command: %v %q", err, out)
	}
}

func TestConfigMasksSecrets(t *testing.T) {
	got := maskURL("postgres://app:s3cret@db:5432/placematch?sslmode=disable&password=other")
	if strings.Contains(got, "s3cret") || strings.Contains(got, "other") {
		t.Fatalf("secret in %q", got)
	}
	t.Setenv("DATABASE_URL", "")
	f := filepath.Join(t.TempDir(), "url")
	if err := os.WriteFile(f, []byte("postgres://u:p@h/db\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("DATABASE_URL_FILE", f)
	cfg, err := loadConfig()
	if err != nil || cfg.DatabaseURL != "postgres://u:p@h/db" {
		t.Fatalf("DATABASE_URL_FILE: %v %q", err, cfg.DatabaseURL)
	}
	t.Setenv("PLACEMATCH_STALE_AFTER_DAYS", "soon")
	if _, err := loadConfig(); err == nil || !strings.Contains(err.Error(), "PLACEMATCH_STALE_AFTER_DAYS") {
		t.Fatalf("bad number accepted: %v", err)
	}
	t.Setenv("PLACEMATCH_STALE_AFTER_DAYS", "")
	for _, v := range [][2]string{{"PLACEMATCH_ALLOCATION_TIME_LIMIT", "0s"}, {"PLACEMATCH_HOLD_EMERGENCY_PLACES", "-1"},
		{"PLACEMATCH_SEARCH_CONCURRENCY", "-1"}, {"PLACEMATCH_SEARCH_CONCURRENCY", "many"}, {"PLACEMATCH_SEARCH_CONCURRENCY", "1025"},
		{"PLACEMATCH_SEARCH_QUEUE", "-1"}, {"PLACEMATCH_SEARCH_QUEUE", "lots"}, {"PLACEMATCH_SEARCH_QUEUE", "100001"}} {
		name, bad := v[0], v[1]
		t.Setenv(name, bad)
		if _, err := loadConfig(); err == nil || !strings.Contains(err.Error(), name) {
			t.Fatalf("%s=%s accepted: %v", name, bad, err)
		}
		t.Setenv(name, "")
	}
	t.Setenv("PLACEMATCH_ALLOCATION_TIME_LIMIT", "2s")
	t.Setenv("PLACEMATCH_HOLD_EMERGENCY_PLACES", "1")
	if cfg, err := loadConfig(); err != nil || cfg.AllocationTimeLimit != 2*time.Second || cfg.HoldEmergencyPlaces != 1 ||
		cfg.SearchConcurrency != 0 {
		t.Fatalf("allocation settings: %v %v %d %d", err, cfg.AllocationTimeLimit, cfg.HoldEmergencyPlaces, cfg.SearchConcurrency)
	}
	t.Setenv("PLACEMATCH_SEARCH_CONCURRENCY", "3")
	t.Setenv("PLACEMATCH_SEARCH_QUEUE", "40")
	if cfg, err := loadConfig(); err != nil || cfg.SearchConcurrency != 3 || cfg.SearchQueue != 40 {
		t.Fatalf("PLACEMATCH_SEARCH_CONCURRENCY=3, PLACEMATCH_SEARCH_QUEUE=40: %v %d %d", err, cfg.SearchConcurrency, cfg.SearchQueue)
	}
}

// The README's configuration table must list every variable the binary reads.
func TestReadmeListsEveryVariable(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range envSpecs {
		if !strings.Contains(string(readme), "`"+s.name+"`") {
			t.Errorf("README.md does not document %s", s.name)
		}
	}
	if !strings.Contains(string(readme), "bash scripts/test.sh") {
		t.Error("README.md lost the test command")
	}
	ci, err := os.ReadFile("../../.ci/run")
	if err != nil || !strings.Contains(string(ci), "bash scripts/test.sh") {
		t.Errorf(".ci/run must run the README's test command: %v", err)
	}
}
