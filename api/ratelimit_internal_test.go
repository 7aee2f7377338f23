package api

import (
	"testing"
	"time"
)

// The bucket map cannot grow past its bound, forgets clients idle for a whole
// period (their bucket is full again), and a refused request takes no token.
func TestLimitersAreBoundedAndForgetIdleClients(t *testing.T) {
	ls := newLimiters(RateLimit{Requests: 2, Per: time.Minute}, 3)
	t0 := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	for _, k := range []string{"a", "a"} {
		if ok, _ := ls.allow(k, t0); !ok {
			t.Fatal("within the burst refused")
		}
	}
	ok, wait := ls.allow("a", t0)
	if ok || wait <= 0 || wait > 30*time.Second {
		t.Fatalf("past the burst: %v, retry after %v", ok, wait)
	}
	// One token comes back every 30 s; the refusal above took none.
	if ok, _ := ls.allow("a", t0.Add(30*time.Second)); !ok {
		t.Fatal("a refused request used a token")
	}
	for i, k := range []string{"b", "c", "d", "e"} {
		ls.allow(k, t0.Add(31*time.Second+time.Duration(i)*time.Millisecond))
	}
	if n := ls.size(); n != 3 {
		t.Fatalf("%d clients held, bound 3", n)
	}
	if _, held := ls.byKey["a"]; held {
		t.Fatal("the least recently seen client was kept past the bound")
	}
	ls.allow("z", t0.Add(31*time.Second+2*time.Minute))
	if n := ls.size(); n != 1 {
		t.Fatalf("%d clients held after every other was idle for a period", n)
	}
	if ok, _ := newLimiters(RateLimit{}, 3).allow("x", t0); !ok {
		t.Fatal("no limit refused a request")
	}
}

func TestParseRateLimit(t *testing.T) {
	for in, want := range map[string]RateLimit{"600/1m": {600, time.Minute}, " 5 / 1s ": {5, time.Second}, "off": {}, "5": {5, time.Minute}} {
		got, err := ParseRateLimit(in)
		if err != nil || got != want {
			t.Errorf("%q: %v %v", in, got, err)
		}
	}
	for _, bad := range []string{"", "0/1m", "5/", "-1/1m", "ten/1m", "5/1ms", "5/soon"} {
		if _, err := ParseRateLimit(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
