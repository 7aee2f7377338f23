package placing

import (
	"context"
	"time"
)

// IndexState is what the candidate index holds: how many live providers are
// prepared for ranking, and when they were last read in full; Ready is false until
// the first build.
type IndexState struct {
	Ready     bool
	Providers int
	LoadedAt  time.Time
}

// Warm builds the candidate index now, so that the first search does not pay for
// it, and returns what it holds. The binary calls it before serving. The index's
// manifest (the record of what it holds, for replays) is written in the
// background after Warm returns; a search made before it is written waits for it.
func (s *Service) Warm(ctx context.Context) (IndexState, error) {
	if err := s.index.warm(ctx, s.Store, s.FullReloadAfter, s.now()); err != nil {
		return IndexState{}, err
	}
	return s.Index(), nil
}

// Index says what the candidate index holds now.
func (s *Service) Index() IndexState {
	x := &s.index
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.snapshot == nil {
		return IndexState{}
	}
	return IndexState{Ready: true, Providers: len(x.snapshot.all), LoadedAt: x.loadedAt}
}

// Recorded reports whether the candidate index's manifest is stored: false from
// Warm until the record it leaves to the background is written (or has failed).
// A search made before then waits for it, so readiness waits too: a server
// reports ready only once a search will not wait.
func (s *Service) Recorded() bool { return !s.index.recording.Load() }
