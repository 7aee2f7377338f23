// Command loadrun loads a national world into a database and drives a running
// placematch server with concurrent placement officers.
//
//	loadrun seed -database-url URL -providers 100000 -awaiting 1000 -ids ids.txt
//	loadrun run -url http://127.0.0.1:8090 -token T -ids ids.txt -clients 20 -duration 60s [-children] [-pid PID] [-trace FILE]
//
// seed stores storetest.NationalWorld with one store.BulkImport into a migrated
// database and writes the awaiting children's ids, one a line. run has each client
// ask GET /api/v1/children/{id}/matches?include_excluded=false for a child drawn at
// random from the ids (and, with -children, GET /api/v1/children/{id} for the same
// child), and reports throughput, latency percentiles, errors (any transport error or
// status other than 2xx; the first few printed) and, given the server's pid, its
// resident memory sampled from /proc every second. With -trace it also writes every
// request as a CSV line (when it started, in ms from the run's start; how long it
// took in ms; the endpoint; the child; the error, if any), to tell a tail made by
// pauses that every request in flight shares from one made by slow searches.
// scripts/load.sh runs both.
package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"placematch/store"
	"placematch/store/storetest"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: loadrun seed|run [flags]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "seed":
		err = seed(os.Args[2:])
	case "run":
		err = run(os.Args[2:], os.Stdout)
	default:
		err = fmt.Errorf("unknown command %q (seed or run)", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadrun:", err)
		os.Exit(1)
	}
}

func seed(args []string) error {
	fs := flag.NewFlagSet("seed", flag.ExitOnError)
	url := fs.String("database-url", os.Getenv("DATABASE_URL"), "PostgreSQL URL of a migrated database")
	providers := fs.Int("providers", 100_000, "providers to store")
	awaiting := fs.Int("awaiting", 1000, "children awaiting to store")
	seedN := fs.Uint64("seed", 10, "the world's random seed")
	outcodes := fs.String("outcodes", "../shared/data/postcodes/gb_outcode_centroids.csv", "outcode centroids CSV")
	ids := fs.String("ids", "awaiting-ids.txt", "file to write the awaiting children's ids to")
	_ = fs.Parse(args)
	if *url == "" {
		return errors.New("seed: -database-url (or DATABASE_URL) is required")
	}
	pts, err := storetest.ReadOutcodeCentroids(*outcodes)
	if err != nil {
		return err
	}
	ctx := context.Background()
	db, err := store.Open(ctx, store.Config{DatabaseURL: *url})
	if err != nil {
		return err
	}
	defer db.Close()
	w := storetest.NationalWorld(pts, *providers, *awaiting, *seedN)
	start := time.Now()
	if err := w.Import(ctx, db); err != nil {
		return err
	}
	fmt.Printf("seeded %d providers, %d children (%d awaiting, %d placed) in %.1f s\n", len(w.Providers),
		len(w.Children), len(w.Awaiting), len(w.Placements), time.Since(start).Seconds())
	return os.WriteFile(*ids, []byte(strings.Join(w.AwaitingIDs(), "\n")+"\n"), 0o644)
}

// result is one request: which endpoint, how long, and what went wrong if anything.
type result struct {
	endpoint int
	start    time.Time
	took     time.Duration
	child    string
	err      error
}

var endpointNames = []string{"matches", "children"}

func run(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("run", flag.ExitOnError)
	base := fs.String("url", "http://127.0.0.1:8090", "server address")
	token := fs.String("token", os.Getenv("PLACEMATCH_TOKEN"), "a placement officer's bearer token")
	idsFile := fs.String("ids", "awaiting-ids.txt", "awaiting children's ids, one a line")
	clients := fs.Int("clients", 20, "concurrent officers")
	duration := fs.Duration("duration", 60*time.Second, "how long to run")
	children := fs.Bool("children", false, "also GET /api/v1/children/{id} after each match")
	pid := fs.Int("pid", 0, "server process id, to sample its resident memory (0: none)")
	seedN := fs.Uint64("seed", 1, "random seed of the children drawn")
	trace := fs.String("trace", "", "write every request to this CSV file")
	_ = fs.Parse(args)
	ids, err := readIDs(*idsFile)
	if err != nil {
		return err
	}
	if *token == "" {
		return errors.New("run: -token (or PLACEMATCH_TOKEN) is required")
	}
	if *trace != "" { // a file that cannot be written is found now, not after the run
		f, err := os.Create(*trace)
		if err != nil {
			return err
		}
		f.Close()
	}
	var rss *rssSampler
	if *pid > 0 {
		rss = sampleRSS(*pid, time.Second)
	}
	results := make([][]result, *clients)
	deadline := time.Now().Add(*duration)
	start := time.Now()
	var wg sync.WaitGroup
	for c := range *clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(*seedN, uint64(c)))
			client := &http.Client{Timeout: 30 * time.Second}
			for time.Now().Before(deadline) {
				id := ids[r.IntN(len(ids))]
				results[c] = append(results[c], get(client, *base+"/api/v1/children/"+id+"/matches?include_excluded=false", *token, 0, id))
				if *children {
					results[c] = append(results[c], get(client, *base+"/api/v1/children/"+id, *token, 1, id))
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	var mem []int64
	if rss != nil {
		mem = rss.stop()
	}
	report(out, results, elapsed, *clients, mem)
	if *trace != "" {
		return writeTrace(*trace, results, start)
	}
	return nil
}

// writeTrace writes every request of results to path as CSV, in the order they
// started.
func writeTrace(path string, results [][]result, start time.Time) error {
	var all []result
	for _, rs := range results {
		all = append(all, rs...)
	}
	slices.SortFunc(all, func(a, b result) int { return a.start.Compare(b.start) })
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	_ = w.Write([]string{"start_ms", "took_ms", "endpoint", "child", "error"})
	for _, r := range all {
		msg := ""
		if r.err != nil {
			msg = r.err.Error()
		}
		_ = w.Write([]string{strconv.FormatFloat(float64(r.start.Sub(start))/1e6, 'f', 3, 64),
			strconv.FormatFloat(float64(r.took)/1e6, 'f', 3, 64), endpointNames[r.endpoint], r.child, msg})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func readIDs(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var ids []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if s := strings.TrimSpace(sc.Text()); s != "" {
			ids = append(ids, s)
		}
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("%s: no ids", path)
	}
	return ids, sc.Err()
}

func get(client *http.Client, url, token string, endpoint int, child string) result {
	t0 := time.Now()
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		return result{endpoint, t0, 0, child, err}
	}
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := client.Do(req)
	if err != nil {
		return result{endpoint, t0, time.Since(t0), child, err}
	}
	_, err = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	took := time.Since(t0)
	if err == nil && (res.StatusCode < 200 || res.StatusCode > 299) {
		err = fmt.Errorf("GET %s: status %d", url, res.StatusCode)
	}
	return result{endpoint, t0, took, child, err}
}

func report(out io.Writer, results [][]result, elapsed time.Duration, clients int, mem []int64) {
	fmt.Fprintf(out, "%d clients for %.1f s\n", clients, elapsed.Seconds())
	for e, name := range endpointNames {
		var lat []time.Duration
		var errs []error
		for _, rs := range results {
			for _, r := range rs {
				if r.endpoint != e {
					continue
				}
				if r.err != nil {
					errs = append(errs, r.err)
					continue
				}
				lat = append(lat, r.took)
			}
		}
		if len(lat)+len(errs) == 0 {
			continue
		}
		s := Summarise(lat)
		fmt.Fprintf(out, "%-8s %7d ok %5d errors  %8.1f req/s  p50 %s  p90 %s  p99 %s  max %s\n", name, len(lat),
			len(errs), float64(len(lat))/elapsed.Seconds(), ms(s.P50), ms(s.P90), ms(s.P99), ms(s.Max))
		for _, err := range errs[:min(len(errs), 5)] {
			fmt.Fprintf(out, "  error: %v\n", err)
		}
	}
	if len(mem) > 0 {
		var top int64
		for _, m := range mem {
			top = max(top, m)
		}
		fmt.Fprintf(out, "server RSS: start %.1f MB, max %.1f MB, end %.1f MB (%d samples)\n",
			mb(mem[0]), mb(top), mb(mem[len(mem)-1]), len(mem))
	}
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond)) }
func mb(kb int64) float64       { return float64(kb) / 1024 }

// rssSampler reads a process's VmRSS every period until stopped.
type rssSampler struct {
	done    chan struct{}
	mu      sync.Mutex
	samples []int64
	wg      sync.WaitGroup
	pid     int
}

func sampleRSS(pid int, period time.Duration) *rssSampler {
	s := &rssSampler{done: make(chan struct{}), pid: pid}
	s.take()
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		t := time.NewTicker(period)
		defer t.Stop()
		for {
			select {
			case <-s.done:
				return
			case <-t.C:
				s.take()
			}
		}
	}()
	return s
}

func (s *rssSampler) take() {
	kb, err := readRSS(s.pid)
	if err != nil {
		return
	}
	s.mu.Lock()
	s.samples = append(s.samples, kb)
	s.mu.Unlock()
}

// stop takes a last sample and returns them all, in kB.
func (s *rssSampler) stop() []int64 {
	close(s.done)
	s.wg.Wait()
	s.take()
	return s.samples
}

// readRSS is the VmRSS line of /proc/PID/status, in kB.
func readRSS(pid int) (int64, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, err
	}
	return parseRSS(string(b))
}

func parseRSS(status string) (int64, error) {
	for line := range strings.SplitSeq(status, "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			f := strings.Fields(rest)
			if len(f) == 0 {
				break
			}
			return strconv.ParseInt(f[0], 10, 64)
		}
	}
	return 0, errors.New("no VmRSS line")
}
