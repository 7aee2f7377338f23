package store_test

import (
	"bytes"
	"fmt"
	"sync"
	"testing"
	"time"

	"placematch"
	"placematch/store"
	"placematch/store/storetest"
)

// BenchmarkBookConcurrent measures bookings per second with 1 and with 20 clients
// booking at once, each client into a provider of its own (plenty of places, a
// fresh awaiting child for every booking), on both engines. Bookings of different
// providers share no row, so on PostgreSQL they should not wait for each other.
func BenchmarkBookConcurrent(b *testing.B) {
	for _, d := range storetest.Dialects() {
		for _, clients := range []int{1, 20} {
			b.Run(fmt.Sprintf("%s/clients=%d", d, clients), func(b *testing.B) {
				db := storetest.Open(b, d)
				provs, kids := bookingLoad(b, db, clients, b.N)
				start := placematch.DateOf(storetest.Clock)
				b.ResetTimer()
				began := time.Now()
				runClients(b, clients, b.N, func(client, i int) error {
					_, err := db.Book(ctx, store.BookRequest{ChildID: kids[client][i].ID, Provider: provs[client].Ref(), StartDate: start})
					return err
				})
				b.ReportMetric(float64(b.N)/time.Since(began).Seconds(), "bookings/s")
			})
		}
	}
}

// BenchmarkChildUpdatesConcurrent is the control for BenchmarkBookConcurrent: child
// updates write one row each and never touched the provider change counter, so they
// show how far the engine itself lets unrelated writes run side by side here.
func BenchmarkChildUpdatesConcurrent(b *testing.B) {
	for _, d := range storetest.Dialects() {
		for _, clients := range []int{1, 20} {
			b.Run(fmt.Sprintf("%s/clients=%d", d, clients), func(b *testing.B) {
				db := storetest.Open(b, d)
				_, kids := bookingLoad(b, db, clients, 1)
				b.ResetTimer()
				began := time.Now()
				runClients(b, clients, b.N, func(client, i int) error {
					_, err := db.UpdateChild(ctx, kids[client][0].ID, 0, func(c *placematch.Child) error {
						c.Urgency = fmt.Sprint("u", i)
						return nil
					})
					return err
				})
				b.ReportMetric(float64(b.N)/time.Since(began).Seconds(), "updates/s")
			})
		}
	}
}

// bookingLoad stores one carer per client with room for every booking and, per
// client, enough awaiting children for n operations split across the clients.
func bookingLoad(b *testing.B, db *store.DB, clients, n int) ([]*placematch.Provider, [][]*placematch.Child) {
	b.Helper()
	per := (n + clients - 1) / clients
	var (
		provs []*placematch.Provider
		all   []*placematch.Child
	)
	for i := range clients {
		provs = append(provs, storetest.Carer(fmt.Sprintf("BENCH-P%d", i), func(p *placematch.Provider) {
			p.Carer.MaxChildren = per + 1
		}))
		for j := range per {
			all = append(all, storetest.Child(fmt.Sprintf("BENCH-C%d-%d", i, j)))
		}
	}
	if err := db.BulkImport(ctx, provs, all, nil); err != nil {
		b.Fatal(err)
	}
	kids := make([][]*placematch.Child, clients)
	for i := range clients {
		kids[i] = all[i*per : (i+1)*per]
	}
	return provs, kids
}

// runClients runs n operations split across clients goroutines; client c runs its
// share with i = 0, 1, ...
func runClients(b *testing.B, clients, n int, op func(client, i int) error) {
	b.Helper()
	per := (n + clients - 1) / clients
	var wg sync.WaitGroup
	errs := make(chan error, clients)
	for c := range clients {
		share := min(per, n-c*per)
		wg.Go(func() {
			for i := range share {
				if err := op(c, i); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
}

// BenchmarkProviderChangesFullLoad measures the candidate index's full load, a
// ProviderChanges read from the zero cursor, at 10,000 carers with 8,000 active
// placements (2,000 carers with two children, 4,000 with one, the rest none), on
// both engines. The load includes each provider's residents: one read of every
// active placement joined with its child.
func BenchmarkProviderChangesFullLoad(b *testing.B) {
	const providers, placed = 10_000, 8_000
	for _, d := range storetest.Dialects() {
		db := storetest.Open(b, d)
		provs := make([]*placematch.Provider, providers)
		for i := range provs {
			provs[i] = storetest.Carer(fmt.Sprintf("LOAD-P%d", i), func(p *placematch.Provider) {
				p.Location.Lat += float64(i%100) * 0.01
				p.Location.Lon += float64(i/100) * 0.01
			})
		}
		kids := make([]*placematch.Child, placed)
		pls := make([]store.BulkPlacement, placed)
		for j := range kids {
			kids[j] = storetest.Child(fmt.Sprintf("LOAD-C%d", j), func(c *placematch.Child) {
				c.DateOfBirth = c.DateOfBirth.AddDays(-(j % 3000))
				c.Needs = []string{"trauma", "education_support", "only_older_children"}
				c.Risks = []placematch.Risk{{Type: "going_missing", Level: "low"}, {Type: "physical_harm_to_others", Level: "medium"}}
			})
			pls[j] = store.BulkPlacement{Child: j, Provider: (j * 7919) % 6000, StartDate: placematch.DateOf(storetest.Clock)}
		}
		if err := db.BulkImport(ctx, provs, kids, pls); err != nil {
			b.Fatal(err)
		}
		b.Run(d, func(b *testing.B) {
			for b.Loop() {
				got, _, err := db.ProviderChanges(ctx, store.ChangeCursor{})
				if err != nil || len(got) != providers {
					b.Fatalf("%d providers, %v", len(got), err)
				}
			}
		})
	}
}

// BenchmarkSaveMatchRun stores a match run whose answer is about 40 KB of JSON, the
// size of a default answer (ten matches, no full "why not" list), on each engine.
// Run with -benchmem: compressing the answer must not allocate a compressor per run.
func BenchmarkSaveMatchRun(b *testing.B) {
	var shown bytes.Buffer
	shown.WriteString(`{"matches":[`)
	for i := range 400 {
		if i > 0 {
			shown.WriteByte(',')
		}
		fmt.Fprintf(&shown, `{"rank":%d,"provider":{"kind":"carer","id":"%032d"},"reasons":["Within 20 miles of home","Covers trauma"]}`, i+1, i)
	}
	shown.WriteString(`]}`)
	for _, d := range storetest.Dialects() {
		b.Run(d, func(b *testing.B) {
			db := storetest.Open(b, d)
			child := storetest.Child("BENCH")
			if err := db.CreateChild(ctx, child); err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(shown.Len()))
			for b.Loop() {
				run := &store.MatchRun{ChildID: child.ID, Group: []string{child.ID}, InputHash: "h", Result: shown.Bytes()}
				if err := db.SaveMatchRun(ctx, run); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
