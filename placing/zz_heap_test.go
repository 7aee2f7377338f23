package placing

import (
	"context"
	"os"
	"runtime"
	"runtime/pprof"
	"testing"
	"time"

	"placematch/store"
	"placematch/store/storetest"
)

func TestZZHeap(t *testing.T) {
	if os.Getenv("ZZ") == "" {
		t.Skip()
	}
	ctx := context.Background()
	db := storetest.Open(t, store.Postgres)
	db.Now = func() time.Time { return storetest.Clock }
	nationalRegister(&testing.B{}, db, 100_000)
	if _, err := (&Service{Store: db, Now: db.Now}).index.current(ctx, db, 0, db.Now()); err != nil {
		t.Fatal(err)
	}
	before := liveHeap()
	svc := &Service{Store: db, Now: db.Now}
	f, _ := os.Create("/tmp/warm.cpu")
	pprof.StartCPUProfile(f)
	for range 3 {
		svc = &Service{Store: db, Now: db.Now}
		start := time.Now()
		if _, err := svc.Warm(ctx); err != nil {
			t.Fatal(err)
		}
		t.Logf("warm %v", time.Since(start))
		if _, err := svc.index.current(ctx, db, 0, db.Now()); err != nil {
			t.Fatal(err)
		}
	}
	pprof.StopCPUProfile()
	t.Logf("live %.1f MB", float64(liveHeap()-before)/1e6)
	h, _ := os.Create("/tmp/warm.heap")
	runtime.GC()
	pprof.WriteHeapProfile(h)
	h.Close()
	runtime.KeepAlive(svc)
}
