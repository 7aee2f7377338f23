package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"placematch"
)

// ApplyFeed applies a feed's valid rows in one transaction. A row is rejected (and
// listed with its reason) when it names no unit of f.UnitIDs, names an archived unit,
// sets more vacancies than the unit has beds, or is older than the report already
// stored; every other row sets the unit's reported vacancies and counts as the
// provider confirming its availability (an unconfirmed unit becomes available again).
// An error rolls back every row of the feed.
func (db *DB) ApplyFeed(ctx context.Context, f *placematch.Feed, reports []placematch.FeedReport) (int, []placematch.RunIssue, error) {
	var (
		applied int
		issues  []placematch.RunIssue
	)
	err := db.tx(ctx, func(tx *gorm.DB) error {
		applied, issues = 0, nil
		units, err := db.lockUnits(tx, f.UnitIDs)
		if err != nil {
			return err
		}
		byRef, byURN := map[string]*providerRow{}, map[string][]*providerRow{}
		for _, u := range units {
			byRef[u.Reference] = u
		}
		now := db.now()
		provs := map[string]*placematch.Provider{}
		for _, u := range units {
			p, err := u.toProvider(now)
			if err != nil && !repairable(err) { // a feed's write repairs a bad date, as an update does
				return err
			}
			provs[u.ID] = p
			if urn := p.Unit.OfstedURN; urn != "" {
				byURN[urn] = append(byURN[urn], u)
			}
		}
		var seq int64
		for _, r := range reports {
			reject := func(format string, args ...any) {
				issues = append(issues, placematch.RunIssue{Scope: f.Name, Row: r.Row, Unit: firstOf(r.UnitReference, r.OfstedURN),
					Message: fmt.Sprintf(format, args...)})
			}
			row, why := resolveUnit(r, byRef, byURN)
			if row == nil {
				reject("%s", why)
				continue
			}
			p := provs[row.ID]
			switch {
			case p.ArchivedAt != nil:
				reject("unit %s is archived", p.Reference)
				continue
			case r.Vacancies > p.Unit.Beds:
				reject("vacancies %d is more than the unit's %d beds", r.Vacancies, p.Unit.Beds)
				continue
			case p.ReportedAt != nil && r.AsOf.Before(*p.ReportedAt):
				reject("as_of %s is older than the report already applied (%s)", r.AsOf.Format(time.RFC3339),
					p.ReportedAt.Format(time.RFC3339))
				continue
			}
			if seq == 0 {
				if seq, err = db.nextChange(tx); err != nil {
					return err
				}
			}
			v, asOf := r.Vacancies, r.AsOf.UTC().Truncate(time.Microsecond)
			p.ReportedVacancies, p.ReportedAt = &v, &asOf
			if c := p.Availability.ConfirmedAt; c == nil || asOf.After(*c) {
				p.Availability.ConfirmedAt, p.Availability.Source = &asOf, placematch.SourceFeed
			}
			// Only a recent report is a confirmation: an old row must not make a
			// unit the nightly job flagged unconfirmed look available again.
			if p.Availability.Status == placematch.Unconfirmed && now.Sub(asOf) <= placematch.ReportFreshFor {
				p.Availability.Status = placematch.Available
			}
			p.Version, p.UpdatedAt = p.Version+1, now
			nr := toProviderRow(p)
			nr.ChangeSeq = seq
			if err := tx.Model(&providerRow{}).Where("id = ?", p.ID).Select("*").Omit("id", "created_at").Updates(&nr).Error; err != nil {
				return translate(err)
			}
			applied++
		}
		return nil
	})
	if err != nil {
		return 0, nil, fmt.Errorf("store: apply feed %s: %w", f.Name, err)
	}
	return applied, issues, nil
}

// resolveUnit finds the feed's unit a row names, or says why it cannot.
func resolveUnit(r placematch.FeedReport, byRef map[string]*providerRow, byURN map[string][]*providerRow) (*providerRow, string) {
	var row *providerRow
	if r.UnitReference != "" {
		if row = byRef[r.UnitReference]; row == nil {
			return nil, fmt.Sprintf("unit_reference %q is not one of this feed's units", r.UnitReference)
		}
	}
	if r.OfstedURN != "" {
		m := byURN[r.OfstedURN]
		switch {
		case len(m) == 0:
			return nil, fmt.Sprintf("ofsted_urn %q is not one of this feed's units", r.OfstedURN)
		case row != nil:
			for _, u := range m {
				if u == row {
					return row, ""
				}
			}
			return nil, "unit_reference and ofsted_urn name different units"
		case len(m) > 1:
			return nil, fmt.Sprintf("ofsted_urn %q names %d of this feed's units; give unit_reference", r.OfstedURN, len(m))
		}
		row = m[0]
	}
	return row, ""
}

func firstOf(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// lockUnits reads the units with ids inside tx, locked on PostgreSQL (in id order,
// so two writers never deadlock) and by the transaction itself on SQLite.
func (db *DB) lockUnits(tx *gorm.DB, ids []string) ([]*providerRow, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	q := tx.Where("id IN ? AND kind = ?", ids, string(placematch.KindUnit)).Order("id")
	if db.dialect == Postgres {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	var rows []providerRow
	if err := q.Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]*providerRow, len(rows))
	for i := range rows {
		out[i] = &rows[i]
	}
	return out, nil
}

// FlagStaleAvailability marks every live provider whose availability is available
// but was last confirmed before cutoff (or never) as unconfirmed, and returns how
// many changed. Nothing is deleted: matching shows unconfirmed providers flagged.
// The condition is placematch.Availability.StaleBy(cutoff), written as SQL
// (TestFlagStaleAvailabilityIsTheDomainRule holds the two together).
func (db *DB) FlagStaleAvailability(ctx context.Context, cutoff time.Time) (int, error) {
	var n int64
	err := db.tx(ctx, func(tx *gorm.DB) error {
		seq, err := db.nextChange(tx)
		if err != nil {
			return err
		}
		const stale = "archived_at IS NULL AND avail_status = ? AND (avail_confirmed_at IS NULL OR avail_confirmed_at < ?)"
		args := []any{string(placematch.Available), cutoff.UTC().Truncate(time.Microsecond)}
		q := tx.Model(&providerRow{}).Where(stale, args...)
		if db.dialect == Postgres {
			// Lock the rows in id order first, as every writer of several
			// providers does (see the lock order in store.go); an UPDATE alone
			// would lock them in whatever order it scans them.
			locked := tx.Model(&providerRow{}).Select("id").Where(stale, args...).Order("id").
				Clauses(clause.Locking{Strength: "UPDATE"})
			q = tx.Model(&providerRow{}).Where("id IN (?)", locked).Where(stale, args...)
		}
		res := q.
			Updates(map[string]any{"avail_status": string(placematch.Unconfirmed), "change_seq": seq,
				"updated_at": db.now(), "version": gorm.Expr("version + 1")})
		n = res.RowsAffected
		return translate(res.Error)
	})
	if err != nil {
		return 0, fmt.Errorf("store: flag stale availability: %w", err)
	}
	return int(n), nil
}
