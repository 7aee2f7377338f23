package store

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"placematch"
)

// BookRequest asks for places for a child, and with IncludeSiblings for its siblings
// still awaiting, at one provider.
type BookRequest struct {
	ChildID         string
	Provider        placematch.ProviderRef
	StartDate       placematch.Date
	EndDate         placematch.Date
	IncludeSiblings bool
	MatchID         string
	MatchRank       int
	DecisionReason  string
	// AllocationID cites the allocation run the booking follows or departs from;
	// the use case checks it before booking.
	AllocationID string
	// SplitReason says why the booking leaves siblings awaiting behind. It is
	// required when the booking splits the group and refused when it splits none
	// (a ValidationError naming split_reason either way).
	SplitReason string
	// DistanceReason says why a home over 20 miles from home or outside the area
	// is booked; the use case judges when one is required.
	DistanceReason placematch.DistanceReason
	// Check, when set, runs inside the booking transaction on the current rows (the
	// group: the child first, then its siblings) and may refuse the booking; the API
	// passes the matching engine's hard rules here so that they are judged on the
	// same data that is booked.
	Check func(group []*placematch.Child, p *placematch.Provider) error
}

// Book takes places for the whole group in one transaction: either every child is
// placed or none is. The provider row is locked (PostgreSQL) or the database is
// (SQLite), vacancies are checked on it, and filled is raised by a conditional UPDATE
// that cannot pass places, so concurrent bookings never over-book. It returns
// ErrNoCapacity when the provider lacks the places, ErrConflict when a child is not
// awaiting or a record is archived, and a ValidationError naming child_id,
// provider.id or match_id when they name nothing, or split_reason when the booking
// leaves siblings awaiting behind without one (or gives one and splits nothing).
func (db *DB) Book(ctx context.Context, req BookRequest) ([]*placematch.Placement, error) {
	if db.dialect == Postgres {
		out, err := db.bookPostgres(ctx, req)
		if err != nil {
			return nil, fmt.Errorf("store: book: %w", err)
		}
		return out, nil
	}
	var out []*placematch.Placement
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if err := db.checkCitedRun(tx, req.MatchID); err != nil {
			return err
		}
		group, split, err := db.lockGroup(tx, req.ChildID, req.IncludeSiblings)
		if err != nil {
			return err
		}
		if err := checkSplit(req, split); err != nil {
			return err
		}
		row, err := db.lockProvider(tx, req.Provider.ID)
		p, pls, err := db.planBooking(req, group, split, row, err, func(p *placematch.Provider) error {
			return db.fillResidents(ctx, tx, []*placematch.Provider{p}, false)
		})
		if err != nil {
			return err
		}
		n := len(group)
		seq, err := db.nextChange(tx)
		if err != nil {
			return err
		}
		res := tx.Exec("UPDATE providers SET filled = filled + ?, change_seq = ?, updated_at = ?, version = version + 1 WHERE id = ? AND filled + ? <= places",
			n, seq, pls[0].CreatedAt, p.ID, n)
		if res.Error != nil {
			return translate(res.Error)
		}
		if res.RowsAffected != 1 {
			return placematch.Errorf(placematch.ErrNoCapacity, "%s has no room for %d more", p.Name, n)
		}
		for i, c := range group {
			row := toPlacementRow(pls[i])
			if err := tx.Create(&row).Error; err != nil {
				return translate(err)
			}
			c.Status = placematch.ChildPlaced
			if err := db.saveChild(tx, c); err != nil {
				return err
			}
		}
		out = pls
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: book: %w", err)
	}
	return out, nil
}

// checkSplit refuses a booking that splits the group without saying why, or says
// why and splits nothing.
func checkSplit(req BookRequest, split bool) error {
	if req.SplitReason != "" && !split {
		return placematch.Invalid("split_reason", "the booking places every sibling awaiting; there is no split to explain")
	}
	if split && req.SplitReason == "" {
		return placematch.Invalid("split_reason", "is required: the booking leaves siblings awaiting behind; book them together (include_siblings) or say why they are placed apart")
	}
	return nil
}

// planBooking judges the booking on the locked rows, the group (locked, checked by
// lockedGroup) and the provider row read for update with the error of that read,
// and returns the provider and the placements to write, one per child of the group
// in its order. residents fills the provider's residents for req.Check. Both engines'
// bookings run it, so the rules are the same whatever the round trips.
func (db *DB) planBooking(req BookRequest, group []*placematch.Child, split bool, row *providerRow, readErr error,
	residents func(p *placematch.Provider) error) (*placematch.Provider, []*placematch.Placement, error) {
	if errors.Is(readErr, placematch.ErrNotFound) || (readErr == nil && row.Kind != string(req.Provider.Kind)) {
		return nil, nil, placematch.Invalid("provider.id", "no %s has this id", req.Provider.Kind)
	}
	if readErr != nil {
		return nil, nil, readErr
	}
	now := db.now()
	p, err := row.toProvider(now)
	if err != nil {
		return nil, nil, err
	}
	if p.ArchivedAt != nil {
		return nil, nil, placematch.Errorf(placematch.ErrConflict, "Provider %s is archived", p.ID)
	}
	n := len(group)
	full := func() error {
		return placematch.Errorf(placematch.ErrNoCapacity, "%s has %d vacant place(s); the booking needs %d", p.Name, p.Vacancies, n)
	}
	// A carer that may not take a child at all (in assessment, suspended) has no
	// vacancies because of it: the rule it breaks is the answer, not that it
	// is full, so the check runs first; capacity is still refused after it.
	if p.Vacancies < n && (req.Check == nil || p.Approved()) {
		return nil, nil, full()
	}
	if req.Check != nil {
		// The check sees who lives there now; the provider row is locked, and
		// every write that changes its residents writes that row too.
		if err := residents(p); err != nil {
			return nil, nil, err
		}
		if err := req.Check(group, p); err != nil {
			return nil, nil, err
		}
	}
	if p.Vacancies < n {
		return nil, nil, full()
	}
	groupID := newID()
	out := make([]*placematch.Placement, 0, n)
	for _, c := range group {
		pl := &placematch.Placement{
			Record:  placematch.Record{ID: newID(), CreatedAt: now, UpdatedAt: now, Version: 1},
			ChildID: c.ID, Provider: p.Ref(), StartDate: req.StartDate, EndDate: req.EndDate,
			Status: placematch.PlacementActive, GroupID: groupID, MatchID: req.MatchID,
			MatchRank: req.MatchRank, DecisionReason: req.DecisionReason, AllocationID: req.AllocationID,
			SiblingsSplit: split, SplitReason: req.SplitReason, DistanceReason: req.DistanceReason, Wishes: c.Wishes,
		}
		if placematch.OutsideTerms(c, p) {
			// reg 23: the last permitted day is recorded with the booking, for the
			// nightly reconcile to flag a placement that runs past it.
			until, err := placematch.NthWorkingDay(req.StartDate, placematch.EmergencyOutsideTermsDays)
			if err != nil {
				return nil, nil, placematch.Errorf(placematch.ErrConflict, "The 6-working-day limit of an emergency placement outside the carer's terms cannot be worked out: %v", err)
			}
			pl.OutsideTermsUntil = until
		}
		out = append(out, pl)
	}
	return p, out, nil
}

// lockGroup reads and locks the child and, when asked, its siblings still awaiting
// (every linked sibling, through other siblings: placematch.Siblings), and says
// whether the booking leaves a live sibling awaiting behind (it splits the group).
// Rows are locked in id order, so two bookings of the same siblings from either side
// queue instead of deadlocking.
func (db *DB) lockGroup(tx *gorm.DB, childID string, siblings bool) ([]*placematch.Child, bool, error) {
	first, err := db.getChild(tx, childID, false)
	if errors.Is(err, placematch.ErrNotFound) {
		return nil, false, placematch.Invalid("child_id", "no child has this id")
	}
	if err != nil {
		return nil, false, err
	}
	ids, behind, err := groupToLock(first, siblings, func(ids []string) ([]*placematch.Child, error) { return childrenIn(tx, ids) })
	if err != nil {
		return nil, false, err
	}
	locked := map[string]*placematch.Child{}
	for _, id := range slices.Sorted(slices.Values(ids)) {
		c, err := db.getChild(tx, id, true)
		if err != nil {
			return nil, false, err
		}
		locked[id] = c
	}
	return lockedGroup(ids, locked, siblings, behind)
}

// groupToLock returns the ids of the children a booking of first locks, first
// first: first and, with siblings, its linked siblings still awaiting (read with
// read, unlocked); behind says whether a linked sibling is awaiting at all.
func groupToLock(first *placematch.Child, siblings bool, read func(ids []string) ([]*placematch.Child, error)) ([]string, bool, error) {
	linked, err := placematch.Siblings(first, read)
	if err != nil {
		return nil, false, err
	}
	awaiting := placematch.AwaitingGroup(first, linked)[1:]
	ids := []string{first.ID}
	if siblings {
		for _, s := range awaiting {
			ids = append(ids, s.ID)
		}
	}
	return ids, len(awaiting) > 0, nil
}

// lockedGroup checks the group on its locked rows (by id) and returns it, the
// child first, with whether the booking splits it.
func lockedGroup(ids []string, locked map[string]*placematch.Child, siblings, behind bool) ([]*placematch.Child, bool, error) {
	c := locked[ids[0]]
	if c.ArchivedAt != nil {
		return nil, false, placematch.Errorf(placematch.ErrConflict, "Child %s is archived", c.ID)
	}
	if c.Status != placematch.ChildAwaiting {
		return nil, false, placematch.Errorf(placematch.ErrConflict, "Child %s is %s, not awaiting a placement", c.ID, c.Status)
	}
	sibs := make([]*placematch.Child, 0, len(ids)-1)
	for _, id := range ids[1:] {
		sibs = append(sibs, locked[id])
	}
	return placematch.AwaitingGroup(c, sibs), !siblings && behind, nil
}

// PlacementFilter selects placements for a list.
type PlacementFilter struct {
	ChildID    string
	ProviderID string
	// MatchID keeps the placements booked citing that match run.
	MatchID string
	Status  string
	// Changes narrows the list to records changed since an instant (and archived
	// ones, when asked).
	Changes Changes
	Limit   int
	Cursor  string
}

// GetPlacement returns a placement; ErrNotFound when there is none, and a
// *placematch.UnreadableError naming it when a stored value cannot be read.
func (db *DB) GetPlacement(ctx context.Context, id string) (*placematch.Placement, error) {
	p, err := db.getPlacement(db.gorm.WithContext(ctx), id, false)
	if err != nil {
		return nil, err
	}
	return p, nil
}

func (db *DB) getPlacement(tx *gorm.DB, id string, lock bool) (*placematch.Placement, error) {
	if !ValidID(id) {
		return nil, placematch.Errorf(placematch.ErrNotFound, "No placement has id %q", id)
	}
	q := tx.Table("placements").Select("placements.*, providers.name AS provider_name").
		Joins("JOIN providers ON providers.id = placements.provider_id")
	if lock && db.dialect == Postgres {
		q = q.Clauses(clause.Locking{Strength: "UPDATE", Table: clause.Table{Name: "placements"}})
	}
	var row placementRow
	if err := q.Where("placements.id = ?", id).Take(&row).Error; err != nil {
		return nil, translate(err)
	}
	return row.toPlacement()
}

// ListPlacements returns one page of live placements in id order, or the page of
// changes f.Changes asks for.
func (db *DB) ListPlacements(ctx context.Context, f PlacementFilter) (Page[*placematch.Placement], error) {
	q := db.gorm.WithContext(ctx).Table("placements").Select("placements.*, providers.name AS provider_name").
		Joins("JOIN providers ON providers.id = placements.provider_id")
	q = f.Changes.live(q, "placements")
	for col, v := range map[string]string{"placements.child_id": f.ChildID, "placements.provider_id": f.ProviderID,
		"placements.status": f.Status, "placements.match_id": f.MatchID} {
		if v != "" {
			q = q.Where(col+" = ?", v)
		}
	}
	q, limit, err := f.Changes.page(q, "placements", "updated_at", f.Cursor, f.Limit)
	if err != nil {
		return Page[*placematch.Placement]{}, err
	}
	var rows []placementRow
	if err := q.Find(&rows).Error; err != nil {
		return Page[*placematch.Placement]{}, translate(err)
	}
	return readPage(ctx, rows, limit, func(r *placementRow) string { return f.Changes.cursor(r.ID, r.UpdatedAt) },
		(*placementRow).toPlacement)
}

// UpdatePlacement reads the placement in a transaction, lets fn change it, and writes
// it back with a new version. The change of status must be one CheckTransition allows
// on the store's today (ErrConflict otherwise): a change from active to ended, or to
// cancelled before the start date, frees the place and puts the child back to
// awaiting.
func (db *DB) UpdatePlacement(ctx context.Context, id string, ifVersion int, fn func(p *placematch.Placement) error) (*placematch.Placement, error) {
	var out *placematch.Placement
	err := db.tx(ctx, func(tx *gorm.DB) error {
		p, err := db.getPlacement(tx, id, true)
		if err != nil && !repairable(err) {
			return err
		}
		if err := checkWritable(p.Record, ifVersion); err != nil {
			return err
		}
		was := p.Status
		if err := fn(p); err != nil {
			return err
		}
		if err := p.CheckTransition(was, placematch.DateOf(db.now())); err != nil {
			return err
		}
		switch {
		case was == placematch.PlacementActive && p.Status != placematch.PlacementActive:
			// Ended or cancelled: either way the place is free again.
			if err := db.freePlace(tx, p); err != nil {
				return err
			}
		case p.ArchivedAt != nil && p.Status == placematch.PlacementActive:
			return placematch.Errorf(placematch.ErrConflict, "Placement %s is active; end it before archiving", p.ID)
		}
		prev := p.Version
		p.Version, p.UpdatedAt = p.Version+1, db.now()
		row := toPlacementRow(p)
		res := tx.Model(&placementRow{}).Where("id = ? AND version = ?", p.ID, prev).Select("*").
			Omit("id", "created_at", "provider_name").Updates(&row)
		if res.Error != nil {
			return translate(res.Error)
		}
		if res.RowsAffected != 1 {
			return placematch.Errorf(placematch.ErrVersionMismatch, "Placement %s changed underneath", p.ID)
		}
		out = p
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: update placement: %w", err)
	}
	return out, nil
}

// ArchivePlacement marks an ended or cancelled placement archived.
func (db *DB) ArchivePlacement(ctx context.Context, id string, ifVersion int) error {
	_, err := db.UpdatePlacement(ctx, id, ifVersion, func(p *placematch.Placement) error {
		now := db.now()
		p.ArchivedAt = &now
		return nil
	})
	return err
}

// freePlace gives the place back to the provider and puts the child back to
// awaiting, inside the transaction that ends the placement.
// The child is locked before the provider, the order Book takes them in (see the
// lock order in store.go), so an ending and a booking of the child's siblings never
// deadlock.
func (db *DB) freePlace(tx *gorm.DB, p *placematch.Placement) error {
	c, err := db.getChild(tx, p.ChildID, true)
	if err != nil {
		return err
	}
	seq, err := db.nextChange(tx)
	if err != nil {
		return err
	}
	if err := tx.Exec("UPDATE providers SET filled = filled - 1, change_seq = ?, updated_at = ?, version = version + 1 WHERE id = ? AND filled > 0",
		seq, db.now(), p.Provider.ID).Error; err != nil {
		return translate(err)
	}
	if c.Status == placematch.ChildPlaced {
		c.Status = placematch.ChildAwaiting
		return db.saveChild(tx, c)
	}
	return nil
}

func toPlacementRow(p *placematch.Placement) placementRow {
	r := placementRow{
		ID: p.ID, ChildID: p.ChildID, ProviderID: p.Provider.ID, ProviderKind: string(p.Provider.Kind),
		StartDate: p.StartDate.String(), Status: string(p.Status), EndReason: p.EndReason, GroupID: p.GroupID,
		MatchID: p.MatchID, MatchRank: p.MatchRank, DecisionReason: p.DecisionReason, AllocationID: p.AllocationID,
		SiblingsSplit: p.SiblingsSplit, SplitReason: p.SplitReason, DistanceReason: string(p.DistanceReason),
		Wishes:    wishesText(p.Wishes),
		CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt, Version: p.Version, ArchivedAt: p.ArchivedAt,
	}
	if !p.EndDate.IsZero() {
		s := p.EndDate.String()
		r.EndDate = &s
	}
	if !p.OutsideTermsUntil.IsZero() {
		s := p.OutsideTermsUntil.String()
		r.OutsideTermsUntil = &s
	}
	return r
}

// PlacementsPastEmergencyLimit returns the active placements whose emergency outside
// the carer's terms of approval has run past its last permitted day (before today),
// oldest limit first: the nightly reconcile flags them. A placement whose carer's
// terms include emergency care now is inside them and is not returned: the limit
// was the carer's terms at booking, and the terms are read again here.
func (db *DB) PlacementsPastEmergencyLimit(ctx context.Context, today placematch.Date) ([]*placematch.Placement, error) {
	var rows []placementRow
	err := db.gorm.WithContext(ctx).Where("status = ? AND outside_terms_until IS NOT NULL AND outside_terms_until < ? AND archived_at IS NULL",
		string(placematch.PlacementActive), today.String()).Order("outside_terms_until, id").Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("store: placements past the emergency limit: %w", translate(err))
	}
	out := make([]*placematch.Placement, 0, len(rows))
	for i := range rows {
		p, err := rows[i].toPlacement()
		if err != nil {
			if skipUnreadable(ctx, err) {
				continue
			}
			return nil, err
		}
		inside, err := db.emergencyInsideTerms(ctx, p.Provider.ID)
		if err != nil {
			return nil, err
		}
		if !inside {
			out = append(out, p)
		}
	}
	return out, nil
}

// emergencyInsideTerms reports whether the carer's current terms of approval
// include emergency care. A carer that cannot be read is taken as still outside
// its terms, so that its placement stays flagged.
func (db *DB) emergencyInsideTerms(ctx context.Context, carerID string) (bool, error) {
	c, err := db.GetProvider(ctx, placematch.KindCarer, carerID)
	switch {
	case errors.Is(err, placematch.ErrNotFound) || err != nil && skipUnreadable(ctx, err):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("store: the terms of carer %s: %w", carerID, err)
	}
	return c.Carer != nil && slices.Contains(c.Carer.PlacementTypes, placematch.PlacementEmergency), nil
}
