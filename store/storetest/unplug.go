package storetest

import (
	"context"
	"io"
	"net"
	"net/url"
	"sync"
	"testing"
	"time"

	"placematch/store"
)

// OpenUnpluggable returns a fresh migrated store on dialect and a function that
// makes its database unreachable for good, the way an outage does: on SQLite the
// store's pool is closed; on PostgreSQL the store talks to the real server through
// a loopback relay, and unplugging terminates the store's server sessions
// (pg_terminate_backend) and closes the relay, so open connections break and new
// ones are refused.
func OpenUnpluggable(t testing.TB, dialect string) (*store.DB, func()) {
	t.Helper()
	cfg := Config(t, dialect)
	var unplug func()
	if dialect == store.Postgres {
		cfg.DatabaseURL, unplug = relay(t, cfg.DatabaseURL)
	}
	db, err := store.Open(context.Background(), cfg)
	if err != nil {
		t.Fatalf("open %s: %v", dialect, err)
	}
	t.Cleanup(func() { db.Close() })
	db.Now = func() time.Time { return Clock }
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatalf("migrate %s: %v", dialect, err)
	}
	if unplug == nil {
		unplug = func() { db.Close() }
	}
	return db, unplug
}

// relay starts a TCP relay to the PostgreSQL server of rawURL and returns the URL
// through it and the function that cuts it.
func relay(t testing.TB, rawURL string) (string, func()) {
	t.Helper()
	u, err := url.Parse(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	target := u.Host
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	app := "unplug_" + ln.Addr().(*net.TCPAddr).String()
	var (
		mu    sync.Mutex
		conns []net.Conn
	)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s, err := net.Dial("tcp", target)
			if err != nil {
				c.Close()
				continue
			}
			mu.Lock()
			conns = append(conns, c, s)
			mu.Unlock()
			go func() { _, _ = io.Copy(s, c); s.Close() }()
			go func() { _, _ = io.Copy(c, s); c.Close() }()
		}
	}()
	var once sync.Once
	cut := func() {
		once.Do(func() {
			if a, err := adminDB(); err == nil {
				_, _ = a.Exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1", app)
			}
			ln.Close()
			mu.Lock()
			defer mu.Unlock()
			for _, c := range conns {
				c.Close()
			}
		})
	}
	t.Cleanup(cut)
	u.Host = ln.Addr().String()
	q := u.Query()
	q.Set("application_name", app)
	u.RawQuery = q.Encode()
	return u.String(), cut
}
