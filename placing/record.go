package placing

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"time"

	"placematch"
	"placematch/matching"
	"placematch/store"
)

// A run records what it ranked so that it can be replayed (see docs/replay.md for
// the sizes that chose this shape). Each provider's state is the provider exactly
// as the candidate index holds it — the stored record as read for matching,
// residents and derived vacancies included — encoded as JSON, so a field added to
// the provider is recorded without being listed here. States are stored once per
// distinct content, keyed by their hash. Each new candidate set the index builds is
// named by a candidate manifest: the hash of every provider's state (a full
// manifest) or only the hashes changed since the previous manifest (a delta), so a
// run costs one short row whatever the number of providers.

// maxManifestDepth bounds the deltas since the last full manifest: rebuilding a
// run's providers reads at most this many manifests (index.maxDepth, when set,
// replaces it).
const maxManifestDepth = 256

// stateOf returns a provider's state as recorded and its hash.
func stateOf(p *placematch.Provider) ([]byte, string, error) {
	b, err := json.Marshal(p)
	if err != nil {
		return nil, "", fmt.Errorf("placing: provider %s state: %w", p.ID, err)
	}
	sum := sha256.Sum256(b)
	return b, hex.EncodeToString(sum[:16]), nil
}

// record stores the manifest of a set the index has just built from byID, given
// the providers changed since the last set (removed: ids no longer held). It
// stores their states first, then the manifest, and only then updates the index's
// own bookkeeping, so a failed write leaves the index as it was. x.mu is held.
func (x *index) record(ctx context.Context, db *store.DB, changed []*placematch.Provider, removed []string) (string, error) {
	delta, states := map[string]string{}, map[string][]byte{}
	sums := make([]string, len(changed))
	encoded := make([][]byte, len(changed))
	errs := make([]error, len(changed))
	parallel(len(changed), func(lo, hi int) {
		for i := lo; i < hi; i++ {
			encoded[i], sums[i], errs[i] = stateOf(changed[i])
		}
	})
	for i, p := range changed {
		if errs[i] != nil {
			return "", errs[i]
		}
		if x.hashes[p.ID] != sums[i] {
			delta[p.ID] = sums[i]
			states[sums[i]] = encoded[i]
		}
	}
	for _, id := range removed {
		if _, ok := x.hashes[id]; ok {
			delta[id] = ""
		}
	}
	if x.manifest != "" && len(delta) == 0 {
		return x.manifest, nil // the same providers in the same states
	}
	if err := db.SaveProviderStates(ctx, states); err != nil {
		return "", err
	}
	m := &store.Manifest{ID: store.NewManifestID(), Parent: x.manifest, Depth: x.depth + 1}
	entries := delta
	limit := maxManifestDepth
	if x.maxDepth > 0 {
		limit = x.maxDepth
	}
	if x.manifest == "" || m.Depth >= limit {
		entries = maps.Clone(x.hashes)
		apply(entries, delta)
		m.Parent, m.Depth = "", 0
	}
	var err error
	if m.Entries, err = json.Marshal(entries); err != nil {
		return "", err
	}
	if err := db.SaveManifest(ctx, m); err != nil {
		return "", err
	}
	apply(x.hashes, delta)
	x.manifest, x.depth = m.ID, m.Depth
	return m.ID, nil
}

// resume starts the index's bookkeeping from the manifest stored last (by this
// process before it restarted, or by another replica), so that a full load
// records only the providers whose states differ from it, as a delta, rather than
// every state and a full manifest again. Its states are stored (states are saved
// before their manifest), so a delta on it replays like one on a manifest of this
// index's own. With none stored the index starts empty. x.mu is held.
func (x *index) resume(ctx context.Context, db *store.DB) error {
	id, err := db.LatestManifest(ctx)
	if err != nil {
		return err
	}
	hashes, depth := map[string]string{}, 0
	if id != "" {
		if hashes, depth, err = hashesAt(ctx, db, id); err != nil {
			return err
		}
	}
	x.hashes, x.manifest, x.depth = hashes, id, depth
	return nil
}

// hashesAt returns the state hash of every provider a manifest names, and the
// manifest's depth.
func hashesAt(ctx context.Context, db *store.DB, manifest string) (map[string]string, int, error) {
	var chain []*store.Manifest
	for id := manifest; id != ""; {
		m, err := db.GetManifest(ctx, id)
		if err != nil {
			return nil, 0, fmt.Errorf("placing: manifest %s: %w", id, err)
		}
		chain = append(chain, m)
		id = m.Parent
	}
	hashes := map[string]string{}
	for i := len(chain) - 1; i >= 0; i-- {
		var entries map[string]string
		if err := json.Unmarshal(chain[i].Entries, &entries); err != nil {
			return nil, 0, fmt.Errorf("placing: manifest %s: %w", chain[i].ID, err)
		}
		apply(hashes, entries)
	}
	return hashes, chain[0].Depth, nil
}

// apply applies a manifest's entries to a map of hashes by id ("" removes one).
func apply(hashes, entries map[string]string) {
	for id, h := range entries {
		if h == "" {
			delete(hashes, id)
		} else {
			hashes[id] = h
		}
	}
}

// providersAt rebuilds the providers a manifest names, as the index held them.
func providersAt(ctx context.Context, db *store.DB, manifest string) (map[string]*placematch.Provider, map[string]string, error) {
	hashes, _, err := hashesAt(ctx, db, manifest)
	if err != nil {
		return nil, nil, err
	}
	want := make([]string, 0, len(hashes))
	for _, h := range hashes {
		want = append(want, h)
	}
	states, err := db.ProviderStates(ctx, want)
	if err != nil {
		return nil, nil, err
	}
	byID := make(map[string]*placematch.Provider, len(hashes))
	for id, h := range hashes {
		b, ok := states[h]
		if !ok {
			return nil, nil, fmt.Errorf("placing: manifest %s: provider %s state %s is not stored", manifest, id, h)
		}
		p := new(placematch.Provider)
		if err := json.Unmarshal(b, p); err != nil {
			return nil, nil, fmt.Errorf("placing: provider %s state %s: %w", id, h, err)
		}
		byID[id] = p
	}
	return byID, hashes, nil
}

// replayRecord is what a run records beside its result so that it can be computed
// again: the providers (a manifest), the children as matching saw them, the options
// and weights in force, and the clock.
type replayRecord struct {
	Manifest string              `json:"manifest"`
	Now      time.Time           `json:"now"`
	Today    placematch.Date     `json:"today"`
	Child    string              `json:"child"`
	Group    []*placematch.Child `json:"group"`
	Options  matching.Options    `json:"options"` // Hubs left out: they are the manifest's hubs
	Weights  recordedWeights     `json:"weights"`
	Query    string              `json:"query"`
	// Scarce are the run's scarce-place sentences by provider id: they were
	// judged from the queue of the moment, which no manifest keeps, so a replay
	// shows them as the run did.
	Scarce map[string]string `json:"scarce,omitempty"`
}

// recordedWeights are matching.Weights with the version kept.
type recordedWeights struct {
	Version string             `json:"version"`
	Values  map[string]float64 `json:"values"`
}

func (w recordedWeights) weights() matching.Weights {
	return matching.Weights{Version: w.Version, Values: w.Values}
}
