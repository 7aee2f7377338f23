package api

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"placematch/store"
)

// maxSummaries bounds the clients whose refusals are being counted at once; past it
// the rest are counted together under overflowAddr, so a flood from many addresses
// still writes a bounded number of rows.
const maxSummaries = 10000

const overflowAddr = "(other clients)"

// refusals counts rate-limited requests per client and writes one audit row per
// client per period with the count: refusals stay visible in the trail without a
// row per request (a flood would otherwise fill an append-only table). The first
// refusal of a client opens its period; a timer writes the row when it ends, so no
// goroutine runs while nothing is refused.
type refusals struct {
	every  time.Duration
	max    int // clients counted apart; maxSummaries
	append func(ctx context.Context, e *store.AuditEvent) error
	failed func()

	mu      sync.Mutex
	pending map[refusalKey]*refusalCount
}

type refusalKey struct{ subject, role, addr string }

type refusalCount struct {
	n         int
	requestID string // the first refused request's, to find it in the access log
	timer     *time.Timer
}

func newRefusals(every time.Duration, appendFn func(context.Context, *store.AuditEvent) error, failed func()) *refusals {
	if every <= 0 {
		every = time.Minute
	}
	return &refusals{every: every, max: maxSummaries, append: appendFn, failed: failed, pending: map[refusalKey]*refusalCount{}}
}

// add counts one refused request of the client.
func (r *refusals) add(subject, role, addr, requestID string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	k := refusalKey{subject, role, addr}
	if _, ok := r.pending[k]; !ok && len(r.pending) >= r.max {
		k = refusalKey{addr: overflowAddr}
	}
	if p, ok := r.pending[k]; ok {
		p.n++
		return
	}
	p := &refusalCount{n: 1, requestID: requestID}
	p.timer = time.AfterFunc(r.every, func() { r.write(k) })
	r.pending[k] = p
}

// write records the client's count and ends its period.
func (r *refusals) write(k refusalKey) {
	r.mu.Lock()
	p, ok := r.pending[k]
	delete(r.pending, k)
	r.mu.Unlock()
	if !ok {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), auditTimeout)
	defer cancel()
	e := &store.AuditEvent{Subject: k.subject, Role: k.role, Action: "rate_limited", Outcome: "refused",
		Status: http.StatusTooManyRequests, RequestID: p.requestID, ClientAddr: k.addr, Count: p.n}
	if err := r.append(ctx, e); err != nil {
		r.failed()
		slog.ErrorContext(ctx, "audit write failed", "action", e.Action, "client_addr", e.ClientAddr, "count", e.Count,
			"error", err.Error())
	}
}

// flush writes every open period now (at shutdown, so no count is lost).
func (r *refusals) flush() {
	r.mu.Lock()
	keys := make([]refusalKey, 0, len(r.pending))
	for k, p := range r.pending {
		p.timer.Stop()
		keys = append(keys, k)
	}
	r.mu.Unlock()
	for _, k := range keys {
		r.write(k)
	}
}
