package store

import (
	"context"
	"fmt"
	"slices"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"placematch"
)

// ProviderFilter selects providers of one kind for a list.
type ProviderFilter struct {
	Kind placematch.ProviderKind
	// Status is a carer's status or a unit's registration status.
	Status string
	// District and Reference match ignoring the case of ASCII letters.
	District           string
	PlacementType      string
	AvailabilityStatus string
	Reference          string
	// Sector, when set, keeps the providers of that sector.
	Sector placematch.Sector
	// IDs, when not nil, restricts the list to these providers (a provider's own units).
	IDs []string
	// Changes narrows the list to records changed since an instant (and archived
	// ones, when asked).
	Changes Changes
	Limit   int
	Cursor  string
}

// CreateProvider stores a new provider. It sets the id, bookkeeping, district,
// places and vacancies; Filled starts at zero whatever p says. A reference already
// used by a provider of the same kind is ErrConflict.
func (db *DB) CreateProvider(ctx context.Context, p *placematch.Provider) error {
	now := db.now()
	p.ID, p.CreatedAt, p.UpdatedAt, p.Version, p.ArchivedAt = newID(), now, now, 1, nil
	p.Filled, p.ReportedVacancies, p.ReportedAt = 0, nil, nil
	p.Places = p.ComputePlaces()
	p.District = db.district(p.Location)
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if err := checkExemptionChildren(tx, p); err != nil {
			return err
		}
		if err := checkConnected(tx, p); err != nil {
			return err
		}
		seq, err := db.nextChange(tx)
		if err != nil {
			return err
		}
		row := toProviderRow(p)
		row.ChangeSeq = seq
		q := tx
		if row.Sector == nil {
			// Written without the column, as a release before sectors wrote a
			// provider: the migration tests write records that way on older schemas.
			q = tx.Omit("sector")
		}
		return translate(q.Create(&row).Error)
	})
	if err != nil {
		return fmt.Errorf("store: create provider: %w", err)
	}
	p.Vacancies = p.ComputeVacancies(now)
	return nil
}

// GetProvider returns a provider of the given kind, archived or not; ErrNotFound when
// there is none.
func (db *DB) GetProvider(ctx context.Context, kind placematch.ProviderKind, id string) (*placematch.Provider, error) {
	if !ValidID(id) {
		return nil, placematch.Errorf(placematch.ErrNotFound, "No provider has id %q", id)
	}
	var row providerRow
	err := db.gorm.WithContext(ctx).Where("id = ? AND kind = ?", id, string(kind)).Take(&row).Error
	if err != nil {
		return nil, translate(err)
	}
	p, err := row.toProvider(db.now())
	if err != nil {
		return nil, err
	}
	return p, nil
}

// ListProviders returns one page of live (not archived) providers in id order, or
// the page of changes f.Changes asks for.
func (db *DB) ListProviders(ctx context.Context, f ProviderFilter) (Page[*placematch.Provider], error) {
	q := f.Changes.live(db.gorm.WithContext(ctx).Model(&providerRow{}).Where("kind = ?", string(f.Kind)), "providers")
	for col, v := range map[string]string{"status": f.Status, "avail_status": f.AvailabilityStatus} {
		if v != "" {
			q = q.Where(col+" = ?", v)
		}
	}
	for col, v := range map[string]string{"district": f.District, "reference": f.Reference} {
		if v != "" { // case-insensitive: see foldedEq
			q = q.Where(db.foldedEq(col), asciiLower(v))
		}
	}
	if f.PlacementType != "" {
		q = q.Where(`placement_types LIKE ? ESCAPE '\'`, "%,"+likeEscape(f.PlacementType)+",%")
	}
	if f.Sector != "" {
		q = q.Where("sector = ?", string(f.Sector))
	}
	if f.IDs != nil {
		q = q.Where("id IN ?", f.IDs)
	}
	q, limit, err := f.Changes.page(q, "providers", "updated_at", f.Cursor, f.Limit)
	if err != nil {
		return Page[*placematch.Provider]{}, err
	}
	var rows []providerRow
	if err := q.Find(&rows).Error; err != nil {
		return Page[*placematch.Provider]{}, translate(err)
	}
	now := db.now()
	return readPage(ctx, rows, limit, func(r *providerRow) string { return f.Changes.cursor(r.ID, r.UpdatedAt) },
		func(r *providerRow) (*placematch.Provider, error) { return r.toProvider(now) })
}

// UpdateProvider reads the provider in a transaction, lets fn change it, and writes
// it back with a new version. ifVersion > 0 demands the stored version still be that
// one (ErrVersionMismatch otherwise). Places are recomputed; cutting them below the
// children already placed is ErrConflict. An archived provider cannot be changed
// (ErrConflict). An error from fn is returned as it is and nothing is written.
func (db *DB) UpdateProvider(ctx context.Context, kind placematch.ProviderKind, id string, ifVersion int,
	fn func(p *placematch.Provider) error) (*placematch.Provider, error) {
	if !ValidID(id) {
		return nil, placematch.Errorf(placematch.ErrNotFound, "No provider has id %q", id)
	}
	var out *placematch.Provider
	err := db.tx(ctx, func(tx *gorm.DB) error {
		row, err := db.lockProvider(tx, id)
		if err != nil {
			return err
		}
		if row.Kind != string(kind) {
			return placematch.Errorf(placematch.ErrNotFound, "No provider has id %q", id)
		}
		now := db.now()
		p, err := row.toProvider(now)
		if err != nil && !repairable(err) {
			return err
		}
		if err := checkWritable(p.Record, ifVersion); err != nil {
			return err
		}
		if err := fn(p); err != nil {
			return err
		}
		if err := checkConnected(tx, p); err != nil {
			return err
		}
		p.Places = p.ComputePlaces()
		if p.Places < p.Filled {
			return placematch.Errorf(placematch.ErrConflict, "%d children are placed here, more than the %d places asked for", p.Filled, p.Places)
		}
		if err := checkExemptionChildren(tx, p); err != nil {
			return err
		}
		p.District = db.district(p.Location)
		p.Version, p.UpdatedAt = p.Version+1, now
		if out, err = db.saveProvider(tx, p, row.Version); err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: update provider: %w", err)
	}
	return out, nil
}

// ArchiveProvider marks a provider archived: it leaves lists and matching but keeps
// its placements and history.
func (db *DB) ArchiveProvider(ctx context.Context, kind placematch.ProviderKind, id string, ifVersion int) error {
	_, err := db.UpdateProvider(ctx, kind, id, ifVersion, func(p *placematch.Provider) error {
		now := db.now()
		p.ArchivedAt = &now
		return nil
	})
	return err
}

// UnknownVersion is an ifVersion that no stored record has: the API passes it for an
// If-Match entity tag this service never issued, so the change fails with
// ErrVersionMismatch (412) like any other stale tag. 0 means no precondition.
const UnknownVersion = -1

// checkWritable refuses changes to archived records and to versions that moved on;
// any ifVersion but 0 must equal the stored version.
func checkWritable(r placematch.Record, ifVersion int) error { return r.Writable(ifVersion) }

// lockProvider reads a provider row for update inside tx. On PostgreSQL the row is
// locked (FOR UPDATE); SQLite has one writer at a time, so the transaction itself
// is the lock.
func (db *DB) lockProvider(tx *gorm.DB, id string) (*providerRow, error) {
	q := tx
	if db.dialect == Postgres {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	var row providerRow
	if err := q.Where("id = ?", id).Take(&row).Error; err != nil {
		return nil, translate(err)
	}
	return &row, nil
}

// saveProvider writes p over the row at version prev, as a change the candidate
// index will read (see ProviderChanges).
func (db *DB) saveProvider(tx *gorm.DB, p *placematch.Provider, prev int) (*placematch.Provider, error) {
	seq, err := db.nextChange(tx)
	if err != nil {
		return nil, err
	}
	row := toProviderRow(p)
	row.ChangeSeq = seq
	res := tx.Model(&providerRow{}).Where("id = ? AND version = ?", p.ID, prev).Select("*").Omit("id", "created_at").Updates(&row)
	if res.Error != nil {
		return nil, translate(res.Error)
	}
	if res.RowsAffected != 1 {
		return nil, placematch.Errorf(placematch.ErrVersionMismatch, "Provider %s changed underneath", p.ID)
	}
	p.Vacancies = p.ComputeVacancies(db.now())
	return p, nil
}

// checkExemptionChildren makes sure every child a carer's fostering-limit exemption
// names is a child on record (archived ones included: an exemption outlives a
// closed referral), so that an exemption cannot name a child that does not exist.
// The error names approval.exemptions[i].children[j], as the API's fields do.
func checkExemptionChildren(tx *gorm.DB, p *placematch.Provider) error {
	if p.Carer == nil {
		return nil
	}
	var ids []string
	for _, e := range p.Carer.Exemptions {
		ids = append(ids, e.Children...)
	}
	if len(ids) == 0 {
		return nil
	}
	var found []string
	if err := tx.Model(&childRow{}).Where("id IN ?", ids).Pluck("id", &found).Error; err != nil {
		return translate(err)
	}
	v := &placematch.ValidationError{}
	for i, e := range p.Carer.Exemptions {
		for j, id := range e.Children {
			if !slices.Contains(found, id) {
				v.Add(fmt.Sprintf("approval.exemptions[%d].children[%d]", i, j), "no child has this id")
			}
		}
	}
	return v.Err()
}

// checkConnected makes sure every child a connected-person carer is connected to
// exists and is named once. The fields are those of the API's carer body.
func checkConnected(tx *gorm.DB, p *placematch.Provider) error {
	if p.Carer == nil || len(p.Carer.ConnectedTo) == 0 {
		return nil
	}
	v := &placematch.ValidationError{}
	cs := p.Carer.ConnectedTo
	for i, c := range cs {
		field := fmt.Sprintf("approval.connected_to[%d]", i)
		switch {
		case !ValidID(c.ChildID):
			v.Add(field, "is not a child id")
		case slices.IndexFunc(cs, func(o placematch.Connection) bool { return o.ChildID == c.ChildID }) < i:
			v.Add(field, "names a child listed before")
		default:
			var n int64
			if err := tx.Model(&childRow{}).Where("id = ?", c.ChildID).Count(&n).Error; err != nil {
				return translate(err)
			}
			if n == 0 {
				v.Add(field, "no child has this id")
			}
		}
	}
	return v.Err()
}
