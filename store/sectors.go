package store

import (
	"context"
	"fmt"

	"placematch"
)

// ProviderSectors returns the sector of every provider whose sector is recorded, by
// id, archived providers included (their placements still count in reports). A
// provider missing from the map has none recorded. It reads two columns, so that a
// report can split its figures by sector without reading the providers again.
func (db *DB) ProviderSectors(ctx context.Context) (map[string]placematch.Sector, error) {
	rows, err := db.gorm.WithContext(ctx).Raw(`SELECT id, sector FROM providers WHERE sector IS NOT NULL`).Rows()
	if err != nil {
		return nil, fmt.Errorf("store: provider sectors: %w", translate(err))
	}
	defer rows.Close()
	out := map[string]placematch.Sector{}
	for rows.Next() {
		var id, s string
		if err := rows.Scan(&id, &s); err != nil {
			return nil, fmt.Errorf("store: provider sectors: %w", translate(err))
		}
		out[id] = placematch.Sector(s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: provider sectors: %w", translate(err))
	}
	return out, nil
}
