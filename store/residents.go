package store

import (
	"cmp"
	"context"
	"encoding/json"
	"slices"

	"gorm.io/gorm"

	"placematch"
)

// Residents. The household rules need the children placed with a provider now
// (Provider.Residents). Like Vacancies they are derived when the provider is read,
// from its active placements joined with the children, for the two readers that
// judge hard rules: ProviderChanges (the candidate index) and Book (req.Check, on
// the locked provider). GetProvider and ListProviders leave them empty.
//
// The index reloads a provider only when its row is stamped, so every write that
// changes what a resident looks like stamps the provider row in the same
// transaction: booking, ending or cancelling a placement already update the
// provider's filled places; a placed child's own record change stamps the providers
// of its active placements (stampResidence). Archiving an ended or cancelled
// placement changes no resident, and an active one cannot be archived.
//
// The residents are read after the provider rows, in a statement of their own. A
// write that commits in between is then seen early, never lost: its stamp is above
// the read's cursor, so the next read returns the provider again.

// residentChunk bounds the ids in one IN list, far below the engines' parameter
// limits (SQLite 32,766, PostgreSQL 65,535).
const residentChunk = 500

// residentsOf returns, for each provider that has any, the children of its active
// placements on the store's today, in residentOrder. With ids nil it reads every
// active placement in one query (a full load); otherwise only those of the
// providers named, residentChunk ids a query. Only the columns a resident shows are
// read, with database/sql's Scan rather than gorm's reflection: a full load reads
// one row per child placed. A child whose stored date of birth, needs or risks
// cannot be read is logged and left out, as bulk reads do, so that one bad record
// does not stop matching.
func (db *DB) residentsOf(ctx context.Context, tx *gorm.DB, ids []string) (map[string][]placematch.Resident, error) {
	today := placematch.DateOf(db.now())
	out := map[string][]placematch.Resident{}
	read := func(chunk []string) error {
		q := `SELECT placements.provider_id, children.id, children.reference, children.date_of_birth,
			children.needs, children.risks, children.siblings
			FROM placements JOIN children ON children.id = placements.child_id
			WHERE placements.status = ?`
		args := []any{string(placematch.PlacementActive)}
		if chunk != nil {
			q += " AND placements.provider_id IN ?"
			args = append(args, chunk)
		}
		rows, err := tx.Raw(q, args...).Rows()
		if err != nil {
			return translate(err)
		}
		defer rows.Close()
		for rows.Next() {
			var providerID, childID, dob, needs, risks, sibs string
			var r placematch.Resident
			if err := rows.Scan(&providerID, &childID, &r.Reference, &dob, &needs, &risks, &sibs); err != nil {
				return translate(err)
			}
			if err := readResident(&r, childID, dob, needs, risks, sibs, today); err != nil {
				if skipUnreadable(ctx, err) {
					continue
				}
				return err
			}
			out[providerID] = append(out[providerID], r)
		}
		return translate(rows.Err())
	}
	if ids == nil {
		if err := read(nil); err != nil {
			return nil, err
		}
	}
	for chunk := range slices.Chunk(ids, residentChunk) {
		if err := read(chunk); err != nil {
			return nil, err
		}
	}
	for _, rs := range out {
		slices.SortFunc(rs, residentOrder)
	}
	return out, nil
}

// readResident completes r from a child's stored date of birth, needs, risks and
// sibling links, as childRow.toChild reads them.
func readResident(r *placematch.Resident, childID, dob, needs, risks, sibs string, today placematch.Date) error {
	born, err := placematch.ParseDate(dob)
	if err != nil {
		return unreadable("child", childID, "date_of_birth")
	}
	r.ChildID = childID
	if jsonList(needs, &r.Needs) != nil || jsonList(risks, &r.Risks) != nil || jsonList(sibs, &r.Siblings) != nil {
		return unreadable("child", childID, "details")
	}
	r.ChildID, r.Age = childID, born.YearsOn(today)
	return nil
}

// jsonList decodes a stored JSON list into v, reading the empty list most
// residents have for one or other of them without the decoder: as it would, it
// gives an empty list, not none.
func jsonList[T any](stored string, v *[]T) error {
	if stored == "[]" {
		*v = []T{}
		return nil
	}
	return json.Unmarshal([]byte(stored), v)
}

// residentOrder: the eldest first, then by case reference (unique among children).
func residentOrder(a, b placematch.Resident) int {
	return cmp.Or(cmp.Compare(b.Age, a.Age), cmp.Compare(a.Reference, b.Reference))
}

// residentChanged reports whether a change of a child's record from before to
// after changes the child as a resident: the fields residentsOf reads. A field
// added there must be compared here too.
func residentChanged(before, after *placematch.Child) bool {
	return before.Reference != after.Reference || before.DateOfBirth.String() != after.DateOfBirth.String() ||
		!slices.Equal(before.Risks, after.Risks) || !slices.Equal(before.Needs, after.Needs) ||
		!slices.Equal(before.Siblings, after.Siblings)
}

// fillResidents sets Residents on each provider of ps: with full, from one read of
// every active placement; otherwise from the placements of these providers.
func (db *DB) fillResidents(ctx context.Context, tx *gorm.DB, ps []*placematch.Provider, full bool) error {
	if len(ps) == 0 {
		return nil
	}
	var ids []string
	if !full {
		ids = make([]string, len(ps))
		for i, p := range ps {
			ids[i] = p.ID
		}
	}
	byProvider, err := db.residentsOf(ctx, tx, ids)
	if err != nil {
		return err
	}
	for _, p := range ps {
		p.Residents = byProvider[p.ID]
	}
	return nil
}

// stampResidence marks as changed, inside tx, the providers where the child is
// placed now, so that the candidate index reloads them with the child's new record.
// The provider rows are written without a new version (their record did not
// change): on PostgreSQL the UPDATE fires the trigger that stamps change_xid; on
// SQLite it takes the next change number. It runs after the child (and any sibling)
// is locked and takes the providers in id order, the lock order of store.go.
func (db *DB) stampResidence(tx *gorm.DB, childID string) error {
	var ids []string
	err := tx.Model(&placementRow{}).Where("child_id = ? AND status = ?", childID, string(placematch.PlacementActive)).
		Distinct("provider_id").Order("provider_id").Pluck("provider_id", &ids).Error
	if err != nil {
		return translate(err)
	}
	if len(ids) == 0 {
		return nil
	}
	seq, err := db.nextChange(tx)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if err := tx.Exec("UPDATE providers SET change_seq = ? WHERE id = ?", seq, id).Error; err != nil {
			return translate(err)
		}
	}
	return nil
}
