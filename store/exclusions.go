package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"placematch"
)

// Exclusion is one provider a match run excluded, kept with the run for "why not":
// the provider, its reference as the run's candidates held it, every rule it broke
// (codes) and, when it broke exactly one rule a change could meet, what would have
// to change.
type Exclusion struct {
	Provider  placematch.ProviderRef `json:"provider"`
	Reference string                 `json:"reference,omitempty"`
	Reasons   []string               `json:"reasons"`
	NearMiss  string                 `json:"near_miss,omitempty"`
}

// ExclusionFilter chooses a page of a run's exclusions: those that broke Reason
// (a code; any when empty) and whose name or reference contains Query (ignoring
// case; any when empty), in provider id order, after Cursor. A run never changes:
// with Since set, a run stored before it has none to show.
type ExclusionFilter struct {
	Reason string
	Query  string
	Since  time.Time
	Limit  int
	Cursor string
}

// encodeExclusions is a run's exclusions as stored: JSON, compressed with a
// pooled writer as the JSON is written, so that the list is never held twice;
// nil (NULL) for a run that kept none apart (its result is then the list).
func encodeExclusions(ex []Exclusion) ([]byte, error) {
	if ex == nil {
		return nil, nil
	}
	z := compressors.Get().(*compressor)
	defer compressors.Put(z)
	z.buf.Reset()
	z.zw.Reset(&z.buf)
	if err := json.NewEncoder(z.zw).Encode(ex); err != nil {
		return nil, err
	}
	if err := z.zw.Close(); err != nil {
		return nil, err
	}
	return bytes.Clone(z.buf.Bytes()), nil
}

// ExcludedSet is a run's exclusions kept compactly: for every provider of the
// run's candidate set (the providers its manifest names, in id order), its reason
// mask, bit i naming Codes[i]; 0 for a provider the run did not exclude. The
// providers, their names and references and the near-miss sentences are read
// from the manifest when the list is asked for.
//
// A Derived set keeps no masks: the run's replay record (its manifest, records,
// options, weights and clock) determines them, and they are ranked again from it
// when the list is asked for, so that a run over 100,000 providers stores a few
// bytes for its exclusions rather than one mask for each.
type ExcludedSet struct {
	Codes   []string
	Masks   []uint32
	Derived bool
}

// keptFormat starts a stored ExcludedSet. Before it the column held the list as
// JSON, which starts with '[' or 'n'; both are stored compressed the same way.
const keptFormat = 1

// derivedFormat is the whole of a stored Derived set.
const derivedFormat = 2

// encodeKept returns an excluded set encoded: the format byte, the codes (count,
// then each length and bytes), the number of providers, then for each excluded
// provider the providers skipped since the last one and its mask, all as
// uvarints. The result is the compressor's scratch buffer, valid until the
// compressor is used again.
func (z *compressor) encodeKept(k *ExcludedSet) []byte {
	if k.Derived {
		z.raw = append(z.raw[:0], derivedFormat)
		return z.raw
	}
	b := append(z.raw[:0], keptFormat)
	b = binary.AppendUvarint(b, uint64(len(k.Codes)))
	for _, c := range k.Codes {
		b = binary.AppendUvarint(b, uint64(len(c)))
		b = append(b, c...)
	}
	b = binary.AppendUvarint(b, uint64(len(k.Masks)))
	next := 0
	for i, m := range k.Masks {
		if m != 0 {
			b = binary.AppendUvarint(b, uint64(i-next))
			b = binary.AppendUvarint(b, uint64(m))
			next = i + 1
		}
	}
	z.raw = b
	return b
}

// decodeKept decodes what encodeKept encoded (after the format byte).
func decodeKept(b []byte) (*ExcludedSet, error) {
	bad := errors.New("store: excluded set is malformed")
	next := func() (uint64, error) {
		v, n := binary.Uvarint(b)
		if n <= 0 {
			return 0, bad
		}
		b = b[n:]
		return v, nil
	}
	n, err := next()
	if err != nil || n > 64 {
		return nil, bad
	}
	k := &ExcludedSet{Codes: make([]string, n)}
	for i := range k.Codes {
		l, err := next()
		if err != nil || l > uint64(len(b)) {
			return nil, bad
		}
		k.Codes[i], b = string(b[:l]), b[l:]
	}
	size, err := next()
	if err != nil || size > 1<<26 {
		return nil, bad
	}
	k.Masks = make([]uint32, size)
	for pos := uint64(0); len(b) > 0; pos++ {
		gap, err := next()
		if err != nil {
			return nil, err
		}
		m, err := next()
		if err != nil || m == 0 || m > math.MaxUint32 || gap >= size-pos {
			return nil, bad
		}
		pos += gap
		k.Masks[pos] = uint32(m)
	}
	return k, nil
}

// KeptExclusions are what a stored run kept of its exclusions: the excluded set
// with the run's replay record (which names its manifest), or, for a run stored
// before runs kept the set, the list in provider id order.
type KeptExclusions struct {
	CreatedAt time.Time
	Set       *ExcludedSet
	Replay    []byte
	List      []Exclusion
}

// MatchRunExcluded returns what a stored run kept of its exclusions; ErrNotFound
// when there is no such run. A run stored before runs kept their exclusions apart
// answers the list its result carried (without references), which is empty when
// it was asked without them.
func (db *DB) MatchRunExcluded(ctx context.Context, id string) (*KeptExclusions, error) {
	if !ValidID(id) {
		return nil, placematch.Errorf(placematch.ErrNotFound, "No match run has id %q", id)
	}
	var row struct {
		Excluded  []byte
		Result    []byte
		Replay    []byte
		CreatedAt time.Time
	}
	err := db.gorm.WithContext(ctx).Model(&matchRunRow{}).Select("excluded", "result", "replay", "created_at").Where("id = ?", id).Take(&row).Error
	if err != nil {
		return nil, translate(err)
	}
	k := &KeptExclusions{CreatedAt: row.CreatedAt.UTC()}
	if row.Excluded != nil {
		b, err := decompress(row.Excluded)
		if err != nil {
			return nil, fmt.Errorf("store: match run %s exclusions: %w", id, err)
		}
		if len(b) > 0 && (b[0] == keptFormat || b[0] == derivedFormat) {
			if row.Replay == nil {
				return nil, fmt.Errorf("store: match run %s keeps an excluded set without a replay record", id)
			}
			if b[0] == derivedFormat && len(b) == 1 {
				k.Set = &ExcludedSet{Derived: true}
			} else if k.Set, err = decodeKept(b[1:]); err != nil || b[0] != keptFormat {
				return nil, fmt.Errorf("store: match run %s exclusions: %w", id, errors.Join(err, errors.New("unknown format")))
			}
			if k.Replay, err = decompress(row.Replay); err != nil {
				return nil, fmt.Errorf("store: match run %s: %w", id, err)
			}
			return k, nil
		}
	}
	if k.List, err = decodeExclusions(row.Excluded, row.Result); err != nil {
		return nil, fmt.Errorf("store: match run %s exclusions: %w", id, err)
	}
	return k, nil
}

// ExclusionCursor is the provider id a cursor of a page of exclusions names.
func ExclusionCursor(cursor string) (string, error) {
	if cursor == "" {
		return "", nil
	}
	return decodeCursor(cursor)
}

// PageExclusions is the page of all (in provider id order) that f chooses. all
// may hold only the exclusions after the cursor that f chooses, one more than a
// page when there are more: the page is then cut with its next cursor.
func PageExclusions(all []Exclusion, f ExclusionFilter) (Page[Exclusion], error) {
	after, err := ExclusionCursor(f.Cursor)
	if err != nil {
		return Page[Exclusion]{}, err
	}
	limit := f.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	q := strings.ToLower(strings.TrimSpace(f.Query))
	start, _ := slices.BinarySearchFunc(all, after, func(e Exclusion, id string) int { return strings.Compare(e.Provider.ID, id) })
	out := make([]Exclusion, 0, min(limit+1, len(all)-start))
	for _, e := range all[start:] {
		if after != "" && e.Provider.ID <= after {
			continue
		}
		if f.Reason != "" && !slices.Contains(e.Reasons, f.Reason) {
			continue
		}
		if q != "" && !MatchesQuery(q, e.Provider.Name, e.Reference) {
			continue
		}
		if out = append(out, e); len(out) > limit {
			break
		}
	}
	return cut(out, limit, func(e Exclusion) string { return encodeCursor(e.Provider.ID) }), nil
}

// MatchesQuery says whether a provider's name or reference contains q, which is
// lower case already, ignoring case.
func MatchesQuery(q, name, reference string) bool {
	return strings.Contains(strings.ToLower(name), q) || strings.Contains(strings.ToLower(reference), q)
}

// decodeExclusions decodes a run's stored exclusions, or those its result carried
// when it stored none apart, in provider id order.
func decodeExclusions(stored, result []byte) ([]Exclusion, error) {
	var out []Exclusion
	if stored != nil {
		b, err := decompress(stored)
		if err != nil {
			return nil, err
		}
		if err := json.Unmarshal(b, &out); err != nil {
			return nil, err
		}
	} else {
		b, err := decompress(result)
		if err != nil {
			return nil, err
		}
		var shown struct {
			Excluded []Exclusion `json:"excluded"`
		}
		if err := json.Unmarshal(b, &shown); err != nil {
			return nil, err
		}
		out = shown.Excluded
	}
	slices.SortFunc(out, func(a, b Exclusion) int { return strings.Compare(a.Provider.ID, b.Provider.ID) })
	return out, nil
}
