package api

import (
	"container/list"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// RateLimit is a token bucket per client: Requests per Per on average, in bursts of
// up to Requests. The zero value is no limit.
type RateLimit struct {
	Requests int
	Per      time.Duration
}

// Off reports whether the limit is "no limit".
func (l RateLimit) Off() bool { return l.Requests <= 0 || l.Per <= 0 }

func (l RateLimit) String() string {
	if l.Off() {
		return "off"
	}
	return fmt.Sprintf("%d/%s", l.Requests, l.Per)
}

// ParseRateLimit reads "N/DURATION" (e.g. "600/1m": 600 requests a minute, bursts of
// up to 600), a bare "N" (N a minute) or "off".
func ParseRateLimit(s string) (RateLimit, error) {
	s = strings.TrimSpace(s)
	if s == "off" {
		return RateLimit{}, nil
	}
	n, per, ok := strings.Cut(s, "/")
	if !ok {
		per = "1m"
	}
	req, err := strconv.Atoi(strings.TrimSpace(n))
	if err != nil || req < 1 {
		return RateLimit{}, fmt.Errorf("%q: want requests/duration such as 600/1m (the number a whole number, at least 1), or off", s)
	}
	d, err := time.ParseDuration(strings.TrimSpace(per))
	if err != nil || d < time.Second {
		return RateLimit{}, fmt.Errorf("%q: the period must be a duration of at least 1s, such as 1m", s)
	}
	return RateLimit{Requests: req, Per: d}, nil
}

// PerClient returns l as a budget per client key (such as an address), bounded
// like the API's own: allow takes one request from key's bucket at now, or says
// how long until one would be allowed. The web pages cap their sign-ins with it.
// An Off limit allows everything.
func (l RateLimit) PerClient() func(key string, now time.Time) (bool, time.Duration) {
	return newLimiters(l, maxClients).allow
}

// maxClients bounds how many clients' buckets are held. Past it the least recently
// seen client is forgotten (it starts again with a full bucket), so a flood of
// invented addresses or subjects costs at most this many entries (a few MB).
const maxClients = 20000

// limiters holds one golang.org/x/time/rate bucket per client key, least recently
// seen last. A bucket idle for a whole period is full again, so forgetting it changes
// nothing; those are evicted as requests come, without a goroutine of their own.
type limiters struct {
	limit rate.Limit
	burst int
	idle  time.Duration
	max   int

	mu    sync.Mutex
	order *list.List // of *bucket, most recent first
	byKey map[string]*list.Element
}

type bucket struct {
	key  string
	lim  *rate.Limiter
	seen time.Time
}

func newLimiters(l RateLimit, max int) *limiters {
	if l.Off() {
		return nil
	}
	return &limiters{limit: rate.Limit(float64(l.Requests) / l.Per.Seconds()), burst: l.Requests, idle: l.Per,
		max: max, order: list.New(), byKey: map[string]*list.Element{}}
}

// allow takes one request from key's bucket at now. When the bucket is empty it
// takes nothing and says how long until one request would be allowed.
func (ls *limiters) allow(key string, now time.Time) (bool, time.Duration) {
	if ls == nil {
		return true, 0
	}
	ls.mu.Lock()
	defer ls.mu.Unlock()
	for back := ls.order.Back(); back != nil && now.Sub(back.Value.(*bucket).seen) > ls.idle; back = ls.order.Back() {
		ls.remove(back)
	}
	el, ok := ls.byKey[key]
	if ok {
		ls.order.MoveToFront(el)
	} else {
		el = ls.order.PushFront(&bucket{key: key, lim: rate.NewLimiter(ls.limit, ls.burst)})
		ls.byKey[key] = el
		if ls.order.Len() > ls.max {
			ls.remove(ls.order.Back())
		}
	}
	b := el.Value.(*bucket)
	b.seen = now
	r := b.lim.ReserveN(now, 1)
	if !r.OK() {
		return false, ls.idle
	}
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now) // a refused request uses no token
		return false, d
	}
	return true, 0
}

func (ls *limiters) remove(el *list.Element) {
	ls.order.Remove(el)
	delete(ls.byKey, el.Value.(*bucket).key)
}

// size is how many clients are held (for tests).
func (ls *limiters) size() int {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	return ls.order.Len()
}
