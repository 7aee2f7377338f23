package jobs

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"

	"placematch/store"
)

func TestNetPolicyRefusesInternalAddresses(t *testing.T) {
	var open NetPolicy
	for _, a := range []string{"127.0.0.1", "127.8.9.10", "::1", "169.254.169.254", "::ffff:169.254.169.254",
		"::ffff:127.0.0.1", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "fc00::1", "fd12:3456::1",
		"fe80::1", "fe80::1%eth0", "0.0.0.0", "::", "224.0.0.1", "ff02::1", "255.255.255.255", "100.64.0.1",
		"64:ff9b::a9fe:a9fe", "2002:7f00:1::", "::127.0.0.1"} {
		if open.AllowsAddr(netip.MustParseAddr(a)) {
			t.Errorf("%s allowed", a)
		}
	}
	for _, a := range []string{"93.184.215.14", "8.8.8.8", "2606:4700::1111", "::ffff:8.8.8.8", "172.32.0.1", "64:ff9b::808:808"} {
		if !open.AllowsAddr(netip.MustParseAddr(a)) {
			t.Errorf("%s refused", a)
		}
	}
	if !loopbackAllowed.AllowsAddr(netip.MustParseAddr("127.0.0.1")) || !loopbackAllowed.AllowsAddr(netip.MustParseAddr("::ffff:127.0.0.1")) {
		t.Error("an allowed network refused")
	}
	if loopbackAllowed.AllowsAddr(netip.MustParseAddr("127.0.0.2")) {
		t.Error("an address outside the allowed /32 allowed")
	}
}

func TestCheckURLRefusesInternalHosts(t *testing.T) {
	var open NetPolicy
	for _, u := range []string{"http://169.254.169.254/latest/meta-data/", "http://[::ffff:169.254.169.254]/",
		"http://0x7f000001:5432/", "http://localhost:22/", "http://LOCALHOST./", "http://db.localhost/",
		"http://2130706433/", "http://0177.0.0.1/", "http://0x7f.0x0.0x0.0x1/", "http://127.1/", "http://[::1]:8080/",
		"https://10.0.0.5/feed.csv", "http://[fe80::1%25eth0]/", "http://0.0.0.0:80/", "http://[fd00::1]/"} {
		if err := open.CheckURL(u); err == nil {
			t.Errorf("%s accepted", u)
		}
	}
	for _, u := range []string{"https://feeds.example.org/wensum.csv", "http://93.184.215.14/x", "https://[2606:4700::1111]/",
		"https://feeds.example.org:8443/0x7f"} {
		if err := open.CheckURL(u); err != nil {
			t.Errorf("%s refused: %v", u, err)
		}
	}
	if err := loopbackAllowed.CheckURL("http://127.0.0.1:8080/feed.csv"); err != nil {
		t.Errorf("allowed network refused: %v", err)
	}
	if err := loopbackAllowed.CheckURL("http://localhost:8080/feed.csv"); err != nil {
		t.Errorf("localhost refused although 127.0.0.1 is allowed: %v", err)
	}
}

func TestFeedDialRefusesLoopbackUnlessAllowed(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		w := newFeedWorld(t, db)
		var hits atomic.Int32
		url := serve(t, func(rw http.ResponseWriter, r *http.Request) {
			hits.Add(1)
			_, _ = rw.Write([]byte(csvHead + "U1,,1,2026-11-23\n"))
		})
		// A port with nothing listening: closed now that the listener is gone.
		l, err := net.Listen("tcp", "127.0.0.1:0")
		must(t, err)
		closed := "http://" + l.Addr().String() + "/feed.csv"
		must(t, l.Close())
		// Registered through the store, as a feed from before the policy, or a row
		// changed in the database; the name localhost is resolved by the dialer.
		w.feed(t, "open-port", url, "csv", w.u1)
		w.feed(t, "closed-port", closed, "csv", w.u1)
		w.feed(t, "by-name", strings.Replace(url, "127.0.0.1", "localhost", 1), "csv", w.u1)

		j := importer(db)
		j.Network = NetPolicy{}
		res, err := j.Run(ctx)
		if err == nil || res.Counts["feeds_failed"] != 3 || res.Counts["rows_applied"] != 0 {
			t.Fatalf("refused feeds: %+v, %v", res, err)
		}
		if hits.Load() != 0 {
			t.Fatalf("the loopback server was reached %d times", hits.Load())
		}
		msgs := map[string]string{}
		for _, is := range res.Issues {
			msgs[is.Scope] = is.Message
		}
		if msgs["open-port"] != msgs["closed-port"] || msgs["open-port"] != msgs["by-name"] ||
			!strings.Contains(msgs["open-port"], ErrRefusedAddress.Error()) {
			t.Fatalf("messages tell the feeds apart: %q", msgs)
		}
		if rep, _ := w.reported(t, w.u1); rep != nil {
			t.Fatalf("a refused feed set vacancies %d", *rep)
		}

		res, _ = importer(db).Run(ctx) // allowed: the open port is fetched
		if hits.Load() == 0 || res.Counts["rows_applied"] < 1 {
			t.Fatalf("allowed loopback not fetched: %+v", res)
		}
		if rep, _ := w.reported(t, w.u1); rep == nil || *rep != 1 {
			t.Fatalf("allowed feed not applied: %v", rep)
		}
	})
}
