package main

import (
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

// The trace lists every request of every client once, in the order they started,
// with its time from the run's start, its latency and its error.
func TestWriteTrace(t *testing.T) {
	start := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	at := func(ms int) time.Time { return start.Add(time.Duration(ms) * time.Millisecond) }
	results := [][]result{
		{{0, at(0), 12500 * time.Microsecond, "c1", nil}, {0, at(30), 4 * time.Millisecond, "c2", nil}},
		{{0, at(10), 61 * time.Millisecond, "c3", errors.New("GET /x: status 500")}, {1, at(72), time.Millisecond, "c3", nil}},
	}
	path := filepath.Join(t.TempDir(), "trace.csv")
	if err := writeTrace(path, results, start); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"start_ms", "took_ms", "endpoint", "child", "error"},
		{"0.000", "12.500", "matches", "c1", ""},
		{"10.000", "61.000", "matches", "c3", "GET /x: status 500"},
		{"30.000", "4.000", "matches", "c2", ""},
		{"72.000", "1.000", "children", "c3", ""},
	}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("trace =\n%q\nwant\n%q", rows, want)
	}
}
