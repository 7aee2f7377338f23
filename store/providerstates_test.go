package store_test

import (
	"fmt"
	"sync"
	"testing"

	"placematch/store"
	"placematch/store/storetest"
)

// Processes that save the same provider states at once (replicas starting
// together) all succeed: on PostgreSQL they take the rows' locks in one order and
// do not deadlock.
func TestSavingTheSameStatesAtOnceSucceeds(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		states := map[string][]byte{}
		for i := range 20000 {
			states[fmt.Sprintf("%032x", i)] = fmt.Appendf(nil, `{"id":"%d"}`, i)
		}
		var wg sync.WaitGroup
		errs := make([]error, 4)
		for i := range errs {
			wg.Go(func() { errs[i] = db.SaveProviderStates(ctx, states) })
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Errorf("saver %d: %v", i, err)
			}
		}
		got, err := db.ProviderStates(ctx, []string{fmt.Sprintf("%032x", 2999)})
		if err != nil || string(got[fmt.Sprintf("%032x", 2999)]) != `{"id":"2999"}` {
			t.Errorf("state read back %q, %v", got, err)
		}
	})
}
