package main

import (
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The binary served without --demo has no demo sign-in: its page and its form are
// not found, a demo person's sign-in sets no session, and the desk's address leads
// to the sign-in page, which offers no demo.
func TestServeWithoutDemoRefusesTheDemoSignIn(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	addr := freeAddr(t)
	cmd := exec.Command(bin, "serve")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "PLACEMATCH_ADDR="+addr, "DATABASE_URL=", "PLACEMATCH_SQLITE_PATH="+filepath.Join(dir, "plain.db"),
		"PLACEMATCH_JWT_SECRET=0123456789abcdef0123456789abcdef")
	out := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	base := "http://" + addr
	deadline := time.Now().Add(60 * time.Second)
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
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	read := func(res *http.Response, err error) (*http.Response, string) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res, string(b)
	}
	if res, _ := read(noRedirect.Get(base + "/sign-in/demo")); res.StatusCode != http.StatusNotFound {
		t.Fatalf("GET /sign-in/demo without --demo: %d", res.StatusCode)
	}
	req, _ := http.NewRequest(http.MethodPost, base+"/sign-in/demo", strings.NewReader(url.Values{"person": {"officer"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if res, _ := read(noRedirect.Do(req)); res.StatusCode != http.StatusNotFound || len(res.Cookies()) != 0 {
		t.Fatalf("POST /sign-in/demo without --demo: %d, cookies %v", res.StatusCode, res.Cookies())
	}
	if res, _ := read(noRedirect.Get(base + "/")); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") == "/sign-in/demo" {
		t.Fatalf("the desk's address: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	if res, body := read(noRedirect.Get(base + "/sign-in")); res.StatusCode != http.StatusOK || strings.Contains(body, "/sign-in/demo") {
		t.Fatalf("the sign-in page without --demo: %d, offers the demo: %v", res.StatusCode, strings.Contains(body, "/sign-in/demo"))
	}
	if strings.Contains(out.String(), "demo data loaded") {
		t.Fatal("serve without --demo loaded the demo")
	}
}
