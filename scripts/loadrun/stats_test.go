package main

import (
	"math/rand/v2"
	"testing"
	"time"
)

func TestPercentileNearestRank(t *testing.T) {
	// 1..100 ms in random order: the p-th percentile is p ms.
	lat := make([]time.Duration, 100)
	for i := range lat {
		lat[i] = time.Duration(i+1) * time.Millisecond
	}
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(lat), func(i, j int) { lat[i], lat[j] = lat[j], lat[i] })
	s := Summarise(lat)
	if s.N != 100 || s.P50 != 50*time.Millisecond || s.P90 != 90*time.Millisecond ||
		s.P99 != 99*time.Millisecond || s.Max != 100*time.Millisecond {
		t.Errorf("Summarise(1..100 ms) = %+v", s)
	}
	if lat[0] == time.Millisecond && lat[99] == 100*time.Millisecond {
		t.Error("Summarise sorted its argument in place")
	}
}

func TestPercentileSmallRuns(t *testing.T) {
	ms := func(xs ...int) []time.Duration {
		out := make([]time.Duration, len(xs))
		for i, x := range xs {
			out[i] = time.Duration(x) * time.Millisecond
		}
		return out
	}
	for _, c := range []struct {
		sorted []time.Duration
		p      float64
		want   time.Duration
	}{
		{ms(7), 50, 7 * time.Millisecond},
		{ms(7), 99, 7 * time.Millisecond},
		{ms(1, 2), 50, 1 * time.Millisecond}, // rank ⌈1⌉
		{ms(1, 2), 51, 2 * time.Millisecond}, // rank ⌈1.02⌉
		{ms(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 90, 9 * time.Millisecond},
		{ms(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 99, 10 * time.Millisecond}, // rank ⌈9.9⌉
		{ms(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 100, 10 * time.Millisecond},
	} {
		if got := Percentile(c.sorted, c.p); got != c.want {
			t.Errorf("Percentile(%v, %v) = %v, want %v", c.sorted, c.p, got, c.want)
		}
	}
	if s := Summarise(nil); s != (Summary{}) {
		t.Errorf("Summarise(nil) = %+v", s)
	}
}

func TestParseRSS(t *testing.T) {
	got, err := parseRSS("Name:\tplacematch\nVmPeak:\t  900000 kB\nVmRSS:\t  302116 kB\nThreads:\t9\n")
	if err != nil || got != 302116 {
		t.Errorf("parseRSS = %d, %v; want 302116", got, err)
	}
	if _, err := parseRSS("Name:\tx\n"); err == nil {
		t.Error("parseRSS without VmRSS: no error")
	}
}
