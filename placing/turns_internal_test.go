package placing

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"placematch/matching"
	"placematch/store/storetest"
)

// waitFor polls cond for up to five seconds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("still not %s after 5 s", what)
		}
	}
}

// Turns go to the waiting callers one at a time, in the order they came.
func TestTurnsInOrder(t *testing.T) {
	tu := &turns{free: 1}
	if err := tu.take(context.Background()); err != nil {
		t.Fatal(err)
	}
	const n = 4
	got := make(chan int, n)
	done := make([]chan struct{}, n)
	for i := range n {
		done[i] = make(chan struct{})
		go func() {
			if err := tu.take(context.Background()); err != nil {
				t.Error(err)
				return
			}
			got <- i
			<-done[i]
			tu.give()
		}()
		waitFor(t, "queued", func() bool { return tu.waiting() == i+1 })
	}
	tu.give()
	for want := range n {
		select {
		case i := <-got:
			if i != want {
				t.Fatalf("turn %d went to caller %d", want, i)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("turn %d never given", want)
		}
		select {
		case i := <-got:
			t.Fatalf("caller %d has a turn while caller %d holds the only one", i, want)
		case <-time.After(20 * time.Millisecond):
		}
		close(done[want])
	}
	waitFor(t, "free again", func() bool { tu.mu.Lock(); defer tu.mu.Unlock(); return tu.free == 1 })
}

// A caller whose context ends while it waits leaves the queue without a turn, and
// no turn is lost, also when one is given to it after its context ended but before
// it left the queue (here the queue's lock is held across both).
func TestTurnsLeftWhenCancelled(t *testing.T) {
	for _, givenAsItLeaves := range []bool{false, true} {
		tu := &turns{free: 0} // the one turn is held here
		ctx, cancel := context.WithCancel(context.Background())
		res := make(chan error, 1)
		go func() { res <- tu.take(ctx) }()
		waitFor(t, "queued", func() bool { return tu.waiting() == 1 })
		time.Sleep(10 * time.Millisecond) // long enough, nearly always, to be in its select
		if givenAsItLeaves {
			tu.mu.Lock()
			cancel()
			time.Sleep(10 * time.Millisecond) // the waiter wakes for ctx, and waits for the lock
			tu.passLocked()
			tu.mu.Unlock()
		} else {
			cancel()
		}
		switch err := <-res; {
		case err == nil && givenAsItLeaves:
			// The waiter came to its select only after both had happened, and
			// took the turn it was given: it gives it back.
			tu.give()
		case !errors.Is(err, context.Canceled):
			t.Fatalf("given as it leaves %v: %v", givenAsItLeaves, err)
		}
		if !givenAsItLeaves {
			tu.give()
		}
		tu.mu.Lock()
		free, queued := tu.free, len(tu.queue)
		tu.mu.Unlock()
		if free != 1 || queued != 0 {
			t.Fatalf("given as it leaves %v: %d free, %d queued after; want 1 and 0", givenAsItLeaves, free, queued)
		}
	}
}

// With Searches 1, a second search waits while the first is held (its run's write
// is held by another connection) and gives up when its request is cancelled, before
// it reads anything; once the first is let go, both it and a later search run. With
// Searches 2 the second search has a turn, and meets the held write instead.
func TestSearchesTakeTurns(t *testing.T) {
	ctx := context.Background()
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			db, cfg := storetest.OpenConfig(t, d)
			must(t, db.CreateProvider(ctx, storetest.Carer("T1")))
			child := storetest.Child("TURN")
			must(t, db.CreateChild(ctx, child))
			for _, searches := range []int{1, 2} {
				s := &Service{Store: db, Now: db.Now, Searches: searches}
				req := MatchRequest{ChildID: child.ID, Options: matching.Options{Limit: matching.DefaultLimit}}
				if _, err := s.Match(ctx, req); err != nil { // builds the index
					t.Fatal(err)
				}
				release := storetest.HoldWrites(t, cfg, "match_runs")
				first := make(chan error, 1)
				go func() {
					_, err := s.Match(ctx, req)
					first <- err
				}()
				waitFor(t, "holding its turn", func() bool {
					s.turns.mu.Lock()
					defer s.turns.mu.Unlock()
					return s.turns.free == searches-1
				})
				// With one turn the second search is cancelled once it is seen
				// waiting; with two it meets the held write, and its deadline.
				var short context.Context
				var cancel context.CancelFunc
				if searches == 1 {
					short, cancel = context.WithCancel(ctx)
				} else {
					short, cancel = context.WithTimeout(ctx, 500*time.Millisecond)
				}
				second := make(chan error, 1)
				go func() {
					_, err := s.Match(short, req)
					second <- err
				}()
				if searches == 1 {
					waitFor(t, "shown waiting", func() bool { return s.SearchesWaiting() == 1 })
					cancel()
				}
				err := <-second
				cancel()
				waiting := err != nil && strings.Contains(err.Error(), "waiting for a turn to search")
				if err == nil || waiting != (searches == 1) {
					t.Fatalf("Searches %d: the second search while the first is held: %v", searches, err)
				}
				if waiting && !errors.Is(err, context.Canceled) {
					t.Fatalf("a search cancelled while it waited: %v", err)
				}
				release()
				if err := <-first; err != nil {
					t.Fatalf("Searches %d: the held search, let go: %v", searches, err)
				}
				if _, err := s.Match(ctx, req); err != nil {
					t.Fatalf("Searches %d: a search after: %v", searches, err)
				}
				if w := s.turns.waiting(); w != 0 || s.turns.free != searches {
					t.Fatalf("Searches %d: %d waiting, %d free after", searches, w, s.turns.free)
				}
			}
		})
	}
}
