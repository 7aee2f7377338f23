package placing

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/google/uuid"

	"placematch"
	"placematch/store/storetest"
)

// nationalCarers returns n carers as the candidate index holds them, with the
// residents and skills a national register would show.
func nationalCarers(n int) []*placematch.Provider {
	rng := rand.New(rand.NewPCG(1, 2))
	out := make([]*placematch.Provider, n)
	for i := range out {
		p := storetest.Carer(fmt.Sprintf("C%06d", i))
		p.ID = uuid.Must(uuid.NewV7()).String()
		p.Location = placematch.Point{Lat: 50.5 + rng.Float64()*4.5, Lon: -3 + rng.Float64()*4.5}
		p.Postcode = fmt.Sprintf("NR%d %dAB", rng.IntN(30), rng.IntN(9))
		p.Places, p.Filled = 3, rng.IntN(3)
		p.Vacancies = p.Places - p.Filled
		for r := range p.Filled {
			p.Residents = append(p.Residents, placematch.Resident{Reference: fmt.Sprintf("R%07d-%d", i, r),
				Age: rng.IntN(18), Needs: []string{"trauma"}, Risks: []placematch.Risk{{Type: "going_missing", Level: "low"}}})
		}
		p.Carer.Household.OtherChildrenAges = []int{rng.IntN(18)}
		out[i] = p
	}
	return out
}

func gzLen(b []byte) int {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	zw.Write(b)
	zw.Close()
	return buf.Len()
}

// BenchmarkReplayRecordSizes measures, at 100k providers, what each way of
// recording what a run ranked would store: every state per run, a hash per
// provider per run, or (the one chosen) a full manifest now and then and a delta
// per changed candidate set. ns/op is hashing every provider once (a full load).
func BenchmarkReplayRecordSizes(b *testing.B) {
	const n = 100_000
	ps := nationalCarers(n)
	hashes := make(map[string]string, n)
	var stateGz int
	for i, p := range ps {
		s, h, err := stateOf(p)
		if err != nil {
			b.Fatal(err)
		}
		hashes[p.ID] = h
		if i < 1000 {
			stateGz += gzLen(s)
		}
	}
	full, _ := json.Marshal(hashes)
	delta, _ := json.Marshal(map[string]string{ps[0].ID: hashes[ps[1].ID]})
	b.ResetTimer()
	for b.Loop() {
		for _, p := range ps {
			if _, _, err := stateOf(p); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(stateGz)/1000, "state-gz-B/provider")
	b.ReportMetric(float64(stateGz)/1000*n/1e6, "all-states-gz-MB/run")
	b.ReportMetric(float64(gzLen(full))/1e6, "full-manifest-gz-MB")
	b.ReportMetric(float64(gzLen(delta)), "delta-gz-B")
}
