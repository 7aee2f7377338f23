package placing

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"placematch"
	"placematch/matching"
	"placematch/store"
	"placematch/store/storetest"
)

// state is the turns free, the callers queued and the turns given so far, read
// together.
func (t *turns) state() (free, queued int, given uint64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.free, len(t.queue), t.given
}

// oneCarerOneChild opens a store on dialect d holding one carer and one child
// awaiting, with the references given.
func oneCarerOneChild(t *testing.T, d, carer, child string) (*store.DB, store.Config, *placematch.Child) {
	t.Helper()
	db, cfg := storetest.OpenConfig(t, d)
	must(t, db.CreateProvider(context.Background(), storetest.Carer(carer)))
	c := storetest.Child(child)
	must(t, db.CreateChild(context.Background(), c))
	return db, cfg, c
}

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
	waitFor(t, "free again", func() bool { free, _, _ := tu.state(); return free == 1 })
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
		if free, queued, _ := tu.state(); free != 1 || queued != 0 {
			t.Fatalf("given as it leaves %v: %d free, %d queued after; want 1 and 0", givenAsItLeaves, free, queued)
		}
	}
}

// Past max callers waiting, one more is refused at once (ErrBusy), and the queue
// is unchanged; once it shortens, callers wait again.
func TestTurnsRefusedWhenTheQueueIsFull(t *testing.T) {
	tu := &turns{free: 1, max: 2}
	if err := tu.take(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := make(chan error, 2)
	for i := range 2 {
		go func() { got <- tu.take(context.Background()) }()
		waitFor(t, "queued", func() bool { return tu.waiting() == i+1 })
	}
	short, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	err := tu.take(short) // refused at once, or, were it queued, ended by the deadline
	if !errors.Is(err, placematch.ErrBusy) || !strings.Contains(err.Error(), "Too many searches are waiting already (2)") {
		t.Fatalf("a third waiter behind two: %v", err)
	}
	if tu.waiting() != 2 || tu.refused != 1 {
		t.Fatalf("%d waiting and %d refused after the refusal", tu.waiting(), tu.refused)
	}
	tu.give() // to the first waiter: one left waiting
	if err := <-got; err != nil {
		t.Fatal(err)
	}
	queued := make(chan error, 1)
	go func() { queued <- tu.take(context.Background()) }()
	waitFor(t, "queued again", func() bool { return tu.waiting() == 2 })
	tu.give() // to the second waiter
	if err := <-got; err != nil {
		t.Fatal(err)
	}
	tu.give() // to the one queued after the refusal
	if err := <-queued; err != nil {
		t.Fatal(err)
	}
}

// A search holds its turn while it reads and ranks: here it is held in its turn by
// a manifest write (a provider changed since the index was built) that cannot be
// made. With one turn a second search waits, and leaves when cancelled; with two
// it takes the other.
func TestSearchesTakeTurns(t *testing.T) {
	ctx := context.Background()
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			db, cfg, child := oneCarerOneChild(t, d, "T1", "TURN")
			for _, searches := range []int{1, 2} {
				s := &Service{Store: db, Now: db.Now, Searches: searches}
				req := MatchRequest{ChildID: child.ID, Options: matching.Options{Limit: matching.DefaultLimit}}
				if _, err := s.Match(ctx, req); err != nil { // builds the index
					t.Fatal(err)
				}
				must(t, db.CreateProvider(ctx, storetest.Carer(fmt.Sprintf("T%d", searches+1))))
				release := storetest.HoldWrites(t, cfg, "provider_states")
				first := make(chan error, 1)
				go func() {
					_, err := s.Match(ctx, req)
					first <- err
				}()
				waitFor(t, "holding its turn", func() bool {
					free, _, _ := s.turns.state()
					return free == searches-1
				})
				short, cancel := context.WithCancel(ctx)
				second := make(chan error, 1)
				go func() {
					_, err := s.Match(short, req)
					second <- err
				}()
				if searches == 1 {
					waitFor(t, "shown waiting", func() bool { return s.SearchesWaiting() == 1 })
					cancel()
					err := <-second
					if err == nil || !strings.Contains(err.Error(), "waiting for a turn to search") ||
						!errors.Is(err, context.Canceled) {
						t.Fatalf("a search cancelled while it waited: %v", err)
					}
				} else {
					// The second has the other turn (and waits for the index the
					// first is refreshing): none free, nobody waiting.
					waitFor(t, "both holding a turn", func() bool {
						free, queued, _ := s.turns.state()
						return free == 0 && queued == 0
					})
				}
				release()
				if err := <-first; err != nil {
					t.Fatalf("Searches %d: the held search, let go: %v", searches, err)
				}
				if searches == 2 {
					if err := <-second; err != nil {
						t.Fatalf("Searches 2: the second search, let go: %v", err)
					}
				}
				cancel()
				if _, err := s.Match(ctx, req); err != nil {
					t.Fatalf("Searches %d: a search after: %v", searches, err)
				}
				if free, w, _ := s.turns.state(); w != 0 || free != searches {
					t.Fatalf("Searches %d: %d waiting, %d free after", searches, w, free)
				}
			}
		})
	}
}

// Writing the run waits for the database, not for a processor, so a search gives
// its turn back before it writes: with one turn and the runs' table held, three
// searches all have their turn and wait at their writes, none for a turn. On
// SQLite the store's one connection is held by the waiting write, so the others
// would wait for it, turn or not: there one search shows it.
func TestTurnGivenBackBeforeTheRunIsWritten(t *testing.T) {
	ctx := context.Background()
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			db, cfg, child := oneCarerOneChild(t, d, "W1", "WRITE")
			s := &Service{Store: db, Now: db.Now, Searches: 1}
			req := MatchRequest{ChildID: child.ID, Options: matching.Options{Limit: matching.DefaultLimit}}
			if _, err := s.Match(ctx, req); err != nil { // builds the index
				t.Fatal(err)
			}
			before := s.turns.given
			release := storetest.HoldWrites(t, cfg, "match_runs")
			n := 3
			if d == store.SQLite {
				n = 1
			}
			done := make(chan error, n)
			for range n {
				go func() {
					_, err := s.Match(ctx, req)
					done <- err
				}()
			}
			waitFor(t, "every search past its turn, writing", func() bool {
				free, queued, given := s.turns.state()
				return given == before+uint64(n) && free == 1 && queued == 0 && s.SearchesWriting() == n
			})
			var stored int64
			raw := storetest.Raw(t, cfg)
			if err := raw.QueryRow("SELECT COUNT(*) FROM match_runs").Scan(&stored); err != nil {
				t.Fatal(err)
			}
			if stored != 1 {
				t.Fatalf("%d runs stored while the table is held, want the first only", stored)
			}
			release()
			for range n {
				if err := <-done; err != nil {
					t.Fatalf("a search whose write was held, let go: %v", err)
				}
			}
			if err := raw.QueryRow("SELECT COUNT(*) FROM match_runs").Scan(&stored); err != nil {
				t.Fatal(err)
			}
			if stored != int64(1+n) || s.SearchesWriting() != 0 {
				t.Fatalf("%d runs stored (want %d), %d writing after", stored, 1+n, s.SearchesWriting())
			}
		})
	}
}
