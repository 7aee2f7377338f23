package store

import (
	"context"
	"fmt"
	"slices"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"placematch"
)

// ChildFilter selects children for a list; District and Reference match ignoring
// the case of ASCII letters.
type ChildFilter struct {
	Status        string
	District      string
	Urgency       string
	PlacementType string
	Reference     string
	// Changes narrows the list to records changed since an instant (and archived
	// ones, when asked).
	Changes Changes
	Limit   int
	Cursor  string
}

// CreateChild stores a new referral. Siblings must name existing children (a
// ValidationError naming "siblings[i]" otherwise), and the link is made both ways: each
// sibling lists the new child too.
func (db *DB) CreateChild(ctx context.Context, c *placematch.Child) error {
	now := db.now()
	c.ID, c.CreatedAt, c.UpdatedAt, c.Version, c.ArchivedAt = newID(), now, now, 1, nil
	if c.Status == "" {
		c.Status = placematch.ChildAwaiting
	}
	if c.Location != nil {
		c.District = db.district(*c.Location)
	}
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if err := db.checkSiblings(tx, c.ID, c.Siblings); err != nil {
			return err
		}
		row := toChildRow(c)
		q := tx
		if c.Wishes == nil {
			// Written without the column, as a release before wishes wrote a
			// referral: the migration tests write records that way on older schemas.
			q = tx.Omit("wishes")
		}
		if err := q.Create(&row).Error; err != nil {
			return translate(err)
		}
		return db.linkSiblings(tx, c.ID, nil, c.Siblings)
	})
	if err != nil {
		return fmt.Errorf("store: create child: %w", err)
	}
	return nil
}

// GetChild returns a child, archived or not; ErrNotFound when there is none, and a
// *placematch.UnreadableError naming it when a stored value cannot be read.
func (db *DB) GetChild(ctx context.Context, id string) (*placematch.Child, error) {
	c, err := db.getChild(db.gorm.WithContext(ctx), id, false)
	if err != nil {
		return nil, err
	}
	return c, nil
}

// getChild reads one child. With an unreadable stored value it returns the child,
// that value unset, and the *placematch.UnreadableError (see unreadable.go).
func (db *DB) getChild(tx *gorm.DB, id string, lock bool) (*placematch.Child, error) {
	if !ValidID(id) {
		return nil, placematch.Errorf(placematch.ErrNotFound, "No child has id %q", id)
	}
	q := tx
	if lock && db.dialect == Postgres {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	var row childRow
	if err := q.Where("id = ?", id).Take(&row).Error; err != nil {
		return nil, translate(err)
	}
	return row.toChild()
}

// ListChildren returns one page of live children in id order, or the page of
// changes f.Changes asks for.
func (db *DB) ListChildren(ctx context.Context, f ChildFilter) (Page[*placematch.Child], error) {
	q := f.Changes.live(db.gorm.WithContext(ctx).Model(&childRow{}), "children")
	for col, v := range map[string]string{"status": f.Status, "urgency": f.Urgency, "placement_type": f.PlacementType} {
		if v != "" {
			q = q.Where(col+" = ?", v)
		}
	}
	for col, v := range map[string]string{"district": f.District, "reference": f.Reference} {
		if v != "" { // case-insensitive: see foldedEq
			q = q.Where(db.foldedEq(col), asciiLower(v))
		}
	}
	q, limit, err := f.Changes.page(q, "children", "updated_at", f.Cursor, f.Limit)
	if err != nil {
		return Page[*placematch.Child]{}, err
	}
	var rows []childRow
	if err := q.Find(&rows).Error; err != nil {
		return Page[*placematch.Child]{}, translate(err)
	}
	return readPage(ctx, rows, limit, func(r *childRow) string { return f.Changes.cursor(r.ID, r.UpdatedAt) }, (*childRow).toChild)
}

// ChildrenByIDs returns the live children among ids, in id order.
func (db *DB) ChildrenByIDs(ctx context.Context, ids []string) ([]*placematch.Child, error) {
	return childrenIn(db.gorm.WithContext(ctx), ids)
}

// childrenIn reads the live children with the given ids on q (a transaction or the
// pool), in id order, without locking them.
func childrenIn(q *gorm.DB, ids []string) ([]*placematch.Child, error) {
	valid := slices.DeleteFunc(slices.Clone(ids), func(id string) bool { return !ValidID(id) })
	if len(valid) == 0 {
		return nil, nil
	}
	var rows []childRow
	if err := q.Where("id IN ? AND archived_at IS NULL", valid).Order("id").Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]*placematch.Child, 0, len(rows))
	for i := range rows {
		c, err := rows[i].toChild()
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// UpdateChild reads the child in a transaction, lets fn change it, and writes it back
// with a new version; see UpdateProvider for ifVersion and archived records. Changes
// to siblings are mirrored on the siblings.
func (db *DB) UpdateChild(ctx context.Context, id string, ifVersion int, fn func(c *placematch.Child) error) (*placematch.Child, error) {
	var out *placematch.Child
	err := db.tx(ctx, func(tx *gorm.DB) error {
		c, err := db.getChild(tx, id, true)
		if err != nil && !repairable(err) {
			return err
		}
		if err := checkWritable(c.Record, ifVersion); err != nil {
			return err
		}
		before := slices.Clone(c.Siblings)
		was := *c
		was.Risks, was.Needs = slices.Clone(c.Risks), slices.Clone(c.Needs)
		if err := fn(c); err != nil {
			return err
		}
		if err := db.checkSiblings(tx, c.ID, c.Siblings); err != nil {
			return err
		}
		c.District = ""
		if c.Location != nil {
			c.District = db.district(*c.Location)
		}
		if err := db.saveChild(tx, c); err != nil {
			return err
		}
		out = c
		if err := db.linkSiblings(tx, c.ID, before, c.Siblings); err != nil {
			return err
		}
		// Last, after every child it locks: the providers where the child lives
		// read it as a resident.
		if residentChanged(&was, c) {
			return db.stampResidence(tx, c.ID)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: update child: %w", err)
	}
	return out, nil
}

// ArchiveChild marks a child archived; placements and match runs stay.
func (db *DB) ArchiveChild(ctx context.Context, id string, ifVersion int) error {
	_, err := db.UpdateChild(ctx, id, ifVersion, func(c *placematch.Child) error {
		now := db.now()
		c.ArchivedAt = &now
		return nil
	})
	return err
}

// saveChild writes c with the next version, guarded by the version it was read at.
func (db *DB) saveChild(tx *gorm.DB, c *placematch.Child) error {
	prev := c.Version
	c.Version, c.UpdatedAt = c.Version+1, db.now()
	row := toChildRow(c)
	res := tx.Model(&childRow{}).Where("id = ? AND version = ?", c.ID, prev).Select("*").Omit("id", "created_at").Updates(&row)
	if res.Error != nil {
		return translate(res.Error)
	}
	if res.RowsAffected != 1 {
		return placematch.Errorf(placematch.ErrVersionMismatch, "Child %s changed underneath", c.ID)
	}
	return nil
}

// checkSiblings makes sure every sibling id names another existing child.
func (db *DB) checkSiblings(tx *gorm.DB, self string, ids []string) error {
	v := &placematch.ValidationError{}
	for i, id := range ids {
		field := fmt.Sprintf("siblings[%d]", i)
		switch {
		case id == self:
			v.Add(field, "a child cannot be its own sibling")
		case slices.Index(ids, id) < i:
			v.Add(field, "is listed twice")
		case !ValidID(id):
			v.Add(field, "is not a child id")
		default:
			var n int64
			if err := tx.Model(&childRow{}).Where("id = ?", id).Count(&n).Error; err != nil {
				return translate(err)
			}
			if n == 0 {
				v.Add(field, "no child has this id")
			}
		}
	}
	return v.Err()
}

// linkSiblings keeps sibling links symmetric: children added to self's list list
// self, children removed from it no longer do.
func (db *DB) linkSiblings(tx *gorm.DB, self string, before, after []string) error {
	for _, id := range before {
		if !slices.Contains(after, id) {
			if err := db.editSiblings(tx, id, func(s []string) []string {
				return slices.DeleteFunc(s, func(x string) bool { return x == self })
			}); err != nil {
				return err
			}
		}
	}
	for _, id := range after {
		if !slices.Contains(before, id) {
			if err := db.editSiblings(tx, id, func(s []string) []string {
				if slices.Contains(s, self) {
					return s
				}
				return append(s, self)
			}); err != nil {
				return err
			}
		}
	}
	return nil
}

func (db *DB) editSiblings(tx *gorm.DB, id string, edit func([]string) []string) error {
	c, err := db.getChild(tx, id, true)
	if err != nil {
		return err
	}
	next := edit(slices.Clone(c.Siblings))
	if slices.Equal(next, c.Siblings) {
		return nil
	}
	c.Siblings = next
	return db.saveChild(tx, c)
}
