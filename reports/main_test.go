package reports_test

import (
	"io"
	"log/slog"
	"os"
	"testing"
)

// TestMain keeps migration logs out of test output.
func TestMain(m *testing.M) {
	slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
	os.Exit(m.Run())
}
