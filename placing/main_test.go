package placing_test

import (
	"io"
	"log/slog"
	"os"
	"testing"
)

// TestMain keeps the migration log out of test output; failures print what matters.
func TestMain(m *testing.M) {
	slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
	os.Exit(m.Run())
}
