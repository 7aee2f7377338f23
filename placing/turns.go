package placing

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"sync"

	"placematch"
)

// DefaultWaitingPerTurn is how many searches may wait for a turn, for each turn,
// when Service.SearchQueue is zero: a search takes a few milliseconds, so a full
// queue is waited out in well under a second.
const DefaultWaitingPerTurn = 16

// DefaultSearchesPerProcessor is how many searches run at once for each processor
// (runtime.GOMAXPROCS) when Service.Searches is zero: a search is mostly the
// processor's work, with a few waits on the database between.
const DefaultSearchesPerProcessor = 2

// turns lets at most n callers hold a turn at once and hands the turns out in the
// order they were asked for. A search that runs beside every other one in flight
// shares the processors with all of them, so that under load each takes as long
// as the slowest mix; taking turns, each waits for those before it and then runs
// at nearly full speed, and the slowest answers come sooner (docs/benchmarks.md).
type turns struct {
	once sync.Once
	mu   sync.Mutex
	free int
	// max bounds the queue: a caller who would wait behind max others is refused
	// (ErrBusy) at once. Zero is no bound (the service always sets one; tests of
	// the queue alone may not).
	max int
	// queue are the callers waiting, first come first: each channel is closed
	// when its caller is given a turn.
	queue []chan struct{}
	// given counts the turns taken since the start, refused the callers
	// refused because the queue was full.
	given, refused uint64
}

// searchTurn waits for a turn to search and returns the function that gives it
// back; the turn is not taken if ctx ends first, nor when the queue is full
// (ErrBusy).
func (s *Service) searchTurn(ctx context.Context) (release func(), err error) {
	s.turns.once.Do(func() {
		n := s.Searches
		if n <= 0 {
			n = DefaultSearchesPerProcessor * runtime.GOMAXPROCS(0)
		}
		s.turns.free = n
		s.turns.max = s.SearchQueue
		if s.turns.max <= 0 {
			s.turns.max = DefaultWaitingPerTurn * n
		}
	})
	if err := s.turns.take(ctx); err != nil {
		return nil, fmt.Errorf("placing: waiting for a turn to search: %w", err)
	}
	return s.turns.give, nil
}

// SearchesWaiting is how many searches are waiting for a turn now.
func (s *Service) SearchesWaiting() int { return s.turns.waiting() }

// SearchesWriting is how many searches are writing their runs now: they have
// given their turns back, and SearchQueue does not count them.
func (s *Service) SearchesWriting() int { return int(s.writing.Load()) }

// SearchesRefused is how many searches were refused since the start because
// SearchQueue searches were waiting already.
func (s *Service) SearchesRefused() uint64 {
	s.turns.mu.Lock()
	defer s.turns.mu.Unlock()
	return s.turns.refused
}

// take waits for a turn until ctx ends, or refuses one at once (ErrBusy) when max
// callers are waiting already.
func (t *turns) take(ctx context.Context) error {
	t.mu.Lock()
	if t.free > 0 && len(t.queue) == 0 {
		t.free--
		t.given++
		t.mu.Unlock()
		return nil
	}
	if t.max > 0 && len(t.queue) >= t.max {
		n := len(t.queue)
		t.refused++
		t.mu.Unlock()
		return placematch.Errorf(placematch.ErrBusy, "Too many searches are waiting already (%d); nothing was done. Try again in a moment.", n)
	}
	ch := make(chan struct{})
	t.queue = append(t.queue, ch)
	t.mu.Unlock()
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		t.mu.Lock()
		defer t.mu.Unlock()
		if i := slices.Index(t.queue, ch); i >= 0 {
			t.queue = slices.Delete(t.queue, i, i+1)
			return ctx.Err()
		}
		// Given a turn as ctx ended: it passes to the next in the queue.
		t.given--
		t.passLocked()
		return ctx.Err()
	}
}

// give returns a turn, to the first caller waiting if there is one.
func (t *turns) give() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.passLocked()
}

func (t *turns) passLocked() {
	if len(t.queue) == 0 {
		t.free++
		return
	}
	close(t.queue[0])
	t.queue = slices.Delete(t.queue, 0, 1)
	t.given++
}

// waiting is how many callers are waiting for a turn.
func (t *turns) waiting() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.queue)
}
