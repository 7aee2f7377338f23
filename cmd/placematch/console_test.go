package main

import (
	"bytes"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// The binary served with --demo: the API reference at /docs is public, renders
// the document the API serves at /openapi.yaml, and every problem type it links
// is a page the API serves; the demo admin's console lists the scheduler's own
// jobs (those GET /api/v1/jobs lists) and "run now" starts a manual run of one,
// which the API then shows as its last run.
func TestServeDemoConsoleAndReference(t *testing.T) {
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
	admin := ""
	for _, line := range strings.Split(out.String(), "\n") {
		if tok, ok := strings.CutPrefix(line, "export ADMIN_TOKEN="); ok {
			admin = tok
		}
	}
	if admin == "" {
		t.Fatalf("serve --demo printed no admin token:\n%s", out.String())
	}
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar}
	read := func(c *http.Client, req *http.Request) (*http.Response, string) {
		t.Helper()
		res, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res, string(b)
	}
	get := func(path string) (*http.Response, string) {
		req, _ := http.NewRequest(http.MethodGet, base+path, nil)
		return read(browser, req)
	}

	res, docs := get("/docs")
	if res.StatusCode != 200 || !strings.Contains(docs, `id="swagger-ui"`) {
		t.Fatalf("GET /docs not signed in: %d", res.StatusCode)
	}
	_, spec := get("/openapi.yaml")
	if _, shown := get("/docs/openapi.yaml"); shown != spec || !strings.HasPrefix(spec, "openapi:") {
		t.Fatal("the reference renders another document than the API serves")
	}
	links := regexp.MustCompile(`href="(/problems/[a-z0-9-]+)"`).FindAllStringSubmatch(docs, -1)
	if len(links) < 10 {
		t.Fatalf("the reference links %d problem types", len(links))
	}
	for _, l := range links {
		if res, body := get(l[1]); res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") ||
			!strings.Contains(body, "<h1>") {
			t.Errorf("%s: %d %s", l[1], res.StatusCode, res.Header.Get("Content-Type"))
		}
	}

	form := func(path string, v url.Values) *http.Response {
		req, _ := http.NewRequest(http.MethodPost, base+path, strings.NewReader(v.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		res, _ := read(browser, req)
		return res
	}
	if res := form("/sign-in/demo", url.Values{"person": {"admin"}}); res.StatusCode != 200 {
		t.Fatalf("demo admin sign-in: %d", res.StatusCode)
	}
	var jobs struct {
		Items []struct {
			Name    string `json:"name"`
			LastRun *struct {
				ID      string `json:"id"`
				Trigger string `json:"trigger"`
			} `json:"last_run"`
		} `json:"items"`
	}
	if st := getJSON(t, base+"/api/v1/jobs", admin, &jobs); st != 200 || len(jobs.Items) < 4 {
		t.Fatalf("GET /api/v1/jobs: %d, %d jobs", st, len(jobs.Items))
	}
	res, console := get("/console/jobs")
	if res.StatusCode != 200 {
		t.Fatalf("GET /console/jobs: %d", res.StatusCode)
	}
	for _, j := range jobs.Items {
		if !strings.Contains(console, `id="run-`+j.Name+`"`) {
			t.Errorf("the console offers no run of %s", j.Name)
		}
	}
	res = form("/console/jobs/flag-stale-availability/run", nil)
	if res.StatusCode != 200 || res.Request.URL.Path != "/console/jobs" || res.Request.URL.Query().Get("started") == "" {
		t.Fatalf("run now: %d at %s", res.StatusCode, res.Request.URL)
	}
	started := res.Request.URL.Query().Get("started")
	if st := getJSON(t, base+"/api/v1/jobs", admin, &jobs); st != 200 {
		t.Fatalf("GET /api/v1/jobs: %d", st)
	}
	for _, j := range jobs.Items {
		if j.Name == "flag-stale-availability" && (j.LastRun == nil || j.LastRun.ID != started || j.LastRun.Trigger != "manual") {
			t.Fatalf("the API's last run of %s is %+v, want the console's manual run %s", j.Name, j.LastRun, started)
		}
	}
	if bytes.Contains([]byte(out.String()), []byte("panic")) {
		t.Fatalf("the server panicked:\n%s", out.String())
	}
}
