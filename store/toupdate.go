package store

import (
	"context"

	"placematch"
)

// ProviderToUpdate reads a provider as an update starts from, outside any
// transaction: like GetProvider, except that a stored value an update may repair
// is left unset instead of refusing the read (see unreadable.go). A caller that
// decides a change from it writes the change with UpdateProvider guarded by the
// version read, so that the change is never written over another.
func (db *DB) ProviderToUpdate(ctx context.Context, kind placematch.ProviderKind, id string) (*placematch.Provider, error) {
	if !ValidID(id) {
		return nil, placematch.Errorf(placematch.ErrNotFound, "No provider has id %q", id)
	}
	var row providerRow
	if err := db.gorm.WithContext(ctx).Where("id = ? AND kind = ?", id, string(kind)).Take(&row).Error; err != nil {
		return nil, translate(err)
	}
	p, err := row.toProvider(db.now())
	if err != nil && !repairable(err) {
		return nil, err
	}
	return p, nil
}

// ChildToUpdate reads a child as an update starts from, as ProviderToUpdate does a
// provider; the change is written with UpdateChild guarded by the version read.
func (db *DB) ChildToUpdate(ctx context.Context, id string) (*placematch.Child, error) {
	c, err := db.getChild(db.gorm.WithContext(ctx), id, false)
	if err != nil && !repairable(err) {
		return nil, err
	}
	return c, nil
}
