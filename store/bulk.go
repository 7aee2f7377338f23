package store

import (
	"context"
	"fmt"
	"log/slog"

	"gorm.io/gorm"

	"placematch"
)

// sqliteBulkRows is the rows per multi-row insert of a BulkImport on SQLite.
var sqliteBulkRows = 20

// BulkPlacement places the child at index Child of a BulkImport's children with the
// provider at index Provider of its providers.
type BulkPlacement struct {
	Child, Provider int
	StartDate       placematch.Date
}

// BulkImport stores providers, children and active placements in one transaction,
// with multi-row inserts. It is for loading a council's existing records in one go
// (and for benchmarks at national scale), where booking one placement at a time would
// take minutes. It sets ids and bookkeeping like the Create methods, derives places
// and districts, sets each provider's filled from the placements given, and marks
// those children placed; on SQLite it takes one provider change number for the whole
// load. It does not apply the matching engine's rules: the caller vouches for the
// data, but a provider given more placements than places is still refused with
// ErrNoCapacity. On PostgreSQL it then analyzes the three tables (a failure to is
// logged: the import stands).
func (db *DB) BulkImport(ctx context.Context, providers []*placematch.Provider, children []*placematch.Child,
	placements []BulkPlacement) error {
	now := db.now()
	filled := make([]int, len(providers))
	placed := make([]bool, len(children))
	for _, pl := range placements {
		if pl.Provider < 0 || pl.Provider >= len(providers) || pl.Child < 0 || pl.Child >= len(children) {
			return fmt.Errorf("store: bulk import: placement names no record: %w", placematch.ErrInvalid)
		}
		if pl.StartDate.IsZero() {
			return placematch.Invalid("start_date", "every placement needs a start date")
		}
		filled[pl.Provider]++
		placed[pl.Child] = true
	}
	err := db.tx(ctx, func(tx *gorm.DB) error {
		seq, err := db.nextChange(tx)
		if err != nil {
			return err
		}
		prows := make([]providerRow, len(providers))
		for i, p := range providers {
			p.ID, p.CreatedAt, p.UpdatedAt, p.Version, p.ArchivedAt = newID(), now, now, 1, nil
			p.Places, p.Filled = p.ComputePlaces(), filled[i]
			p.ReportedVacancies, p.ReportedAt = nil, nil // only a feed sets these
			if p.Filled > p.Places {
				return placematch.Errorf(placematch.ErrNoCapacity, "%s has %d places for %d placements",
					p.Name, p.Places, p.Filled)
			}
			p.District = db.district(p.Location)
			p.Vacancies = p.ComputeVacancies(now)
			prows[i] = toProviderRow(p)
			prows[i].ChangeSeq = seq
		}
		crows := make([]childRow, len(children))
		for i, c := range children {
			c.ID, c.CreatedAt, c.UpdatedAt, c.Version, c.ArchivedAt = newID(), now, now, 1, nil
			switch {
			case placed[i]:
				c.Status = placematch.ChildPlaced
			case c.Status == "":
				c.Status = placematch.ChildAwaiting
			}
			if c.Location != nil {
				c.District = db.district(*c.Location)
			}
			crows[i] = toChildRow(c)
		}
		plrows := make([]placementRow, len(placements))
		for i, bp := range placements {
			p := providers[bp.Provider]
			pl := &placematch.Placement{
				Record:  placematch.Record{ID: newID(), CreatedAt: now, UpdatedAt: now, Version: 1},
				ChildID: children[bp.Child].ID, Provider: p.Ref(), StartDate: bp.StartDate,
				Status: placematch.PlacementActive, GroupID: newID(),
			}
			plrows[i] = toPlacementRow(pl)
		}
		// Batches stay under SQLite's and PostgreSQL's bound-parameter limits (the
		// widest row has about 30 columns). On SQLite they are small: its driver
		// binds each parameter by scanning every argument of the statement, so a
		// statement costs the square of its parameters (at 100,000 providers, 500
		// rows a statement spent 61 s of CPU, 20 rows 13 s).
		size := 500
		if db.dialect == SQLite {
			size = sqliteBulkRows
		}
		for _, batch := range []struct {
			rows any
			n    int
		}{{prows, len(prows)}, {crows, len(crows)}, {plrows, len(plrows)}} {
			if batch.n == 0 {
				continue
			}
			if err := tx.CreateInBatches(batch.rows, size).Error; err != nil {
				return translate(err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: bulk import: %w", err)
	}
	if db.dialect == Postgres {
		// Leave the planner statistics of what was loaded, as after a restore,
		// rather than the guesses it makes of a table it has not sampled until
		// autovacuum comes round: the change reads, for one, would plan a full
		// scan until then.
		// The records are in: a failure here is logged, not returned, so that
		// nobody imports them twice; autovacuum analyzes the tables in time.
		if err := db.gorm.WithContext(ctx).Exec("ANALYZE providers, children, placements").Error; err != nil {
			slog.WarnContext(ctx, "store: bulk import: the tables were not analyzed", "error", err)
		}
	}
	return nil
}
