package store

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"placematch"
)

// The reads behind the sufficiency report and the providers map layer. They select
// only the columns a report needs and scan them straight into small structs: a
// national report reads 100k providers and 80k placements, and decoding every
// provider's details JSON through gorm would cost more than the aggregation itself.

// ReportProviders returns the providers that existed on date on: created by the end
// of that day and not archived by then, and also those archived by then that still
// hold a placement running on that day, with ArchivedAt set: an archived provider
// offers no places (it is not supply), but the children placed with it are still
// placed, and the report needs it to count them. Each has Kind, Name, Location, District,
// AgeMin, AgeMax, Places, Filled (the stored count, that is today's), Availability
// status, reported vacancies and, for carers, Carer.Status and Carer.PlacementTypes;
// Vacancies is computed at now. A hub's AgeMin and AgeMax are its beds' ages (the
// places it offers), not its outreach team's. Other fields are left empty.
func (db *DB) ReportProviders(ctx context.Context, on placematch.Date, now time.Time) ([]*placematch.Provider, error) {
	end := on.AddDays(1).Time()
	rows, err := db.gorm.WithContext(ctx).Raw(`SELECT id, kind, name, status, lat, lon, district, age_min, age_max,
		places, filled, placement_types, avail_status, reported_vacancies, reported_at, archived_at,
		CASE WHEN kind = 'hub' THEN details ELSE '' END FROM providers
		WHERE created_at < ? AND (archived_at IS NULL OR archived_at >= ?
		   OR id IN (SELECT provider_id FROM placements WHERE start_date <= ?
		             AND (status = 'active' OR (status = 'ended' AND end_date IS NOT NULL AND end_date > ?))))`,
		end, end, on.String(), on.String()).Rows()
	if err != nil {
		return nil, fmt.Errorf("store: report providers: %w", translate(err))
	}
	defer rows.Close()
	out := make([]*placematch.Provider, 0, 1024)
	for rows.Next() {
		var (
			p                     placematch.Provider
			status, types, avail  string
			reported              *int64
			reportedAt, archived  *time.Time
			kind, details         string
			ageMin, ageMax, pl, f int
		)
		if err := rows.Scan(&p.ID, &kind, &p.Name, &status, &p.Location.Lat, &p.Location.Lon, &p.District,
			&ageMin, &ageMax, &pl, &f, &types, &avail, &reported, &reportedAt, &archived, &details); err != nil {
			return nil, fmt.Errorf("store: report providers: %w", translate(err))
		}
		if kind == string(placematch.KindHub) {
			// Only the few hubs' details are decoded: their beds' ages.
			var d providerDetails
			if json.Unmarshal([]byte(details), &d) == nil {
				h := placematch.HubDetails{BedAgeMin: d.BedAgeMin, BedAgeMax: d.BedAgeMax}
				ageMin, ageMax = h.BedAges()
			}
		}
		p.Kind, p.AgeMin, p.AgeMax, p.Places, p.Filled = placematch.ProviderKind(kind), ageMin, ageMax, pl, f
		p.Availability.Status = placematch.AvailabilityStatus(avail)
		if reported != nil {
			n := int(*reported)
			p.ReportedVacancies, p.ReportedAt = &n, utcPtr(reportedAt)
		}
		if p.Kind == placematch.KindCarer {
			p.Carer = &placematch.CarerDetails{Status: placematch.CarerStatus(status), PlacementTypes: splitTypes(types)}
		}
		if archived != nil && archived.Before(end) {
			p.ArchivedAt = utcPtr(archived)
		}
		p.Vacancies = p.ComputeVacancies(now)
		out = append(out, &p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: report providers: %w", translate(err))
	}
	return out, nil
}

// splitTypes reads the ",a,b," list of the placement_types column.
func splitTypes(s string) []placematch.PlacementType {
	s = strings.Trim(s, ",")
	if s == "" {
		return nil
	}
	parts := strings.Split(s, ",")
	out := make([]placematch.PlacementType, len(parts))
	for i, p := range parts {
		out[i] = placematch.PlacementType(p)
	}
	return out
}

// ReportPlacement is what the sufficiency report needs of one placement: where the
// child was placed and, from the child's record, the home location, date of birth and
// placement type. It carries no id or reference of the child.
type ReportPlacement struct {
	ProviderID    string
	Home          *placematch.Point
	DateOfBirth   placematch.Date
	PlacementType placematch.PlacementType
	// SiblingsSplit is true when the booking left siblings awaiting behind.
	SiblingsSplit bool
}

// PlacementsActiveOn returns the placements running on date on: started on or before
// it, and either still active (an active placement's end_date is only planned; the
// nightly reconcile ends it) or ended after that day (end_date is the day the child
// left). Archived placements count for the days they ran, since archiving only tidies
// lists; cancelled ones never ran and count on no day.
func (db *DB) PlacementsActiveOn(ctx context.Context, on placematch.Date) ([]ReportPlacement, error) {
	d := on.String()
	// Dates are stored as YYYY-MM-DD text, which compares in date order on both engines.
	rows, err := db.gorm.WithContext(ctx).Raw(`SELECT p.provider_id, c.id, c.lat, c.lon, c.date_of_birth, c.placement_type,
		p.siblings_split FROM placements p JOIN children c ON c.id = p.child_id
		WHERE p.start_date <= ? AND (p.status = 'active' OR (p.status = 'ended' AND p.end_date IS NOT NULL AND p.end_date > ?))`, d, d).Rows()
	if err != nil {
		return nil, fmt.Errorf("store: active placements: %w", translate(err))
	}
	defer rows.Close()
	out := make([]ReportPlacement, 0, 1024)
	for rows.Next() {
		var (
			r           ReportPlacement
			lat, lon    *float64
			id, dob, pt string
		)
		if err := rows.Scan(&r.ProviderID, &id, &lat, &lon, &dob, &pt, &r.SiblingsSplit); err != nil {
			return nil, fmt.Errorf("store: active placements: %w", translate(err))
		}
		if lat != nil && lon != nil {
			r.Home = &placematch.Point{Lat: *lat, Lon: *lon}
		}
		if r.DateOfBirth, err = placematch.ParseDate(dob); err != nil {
			skipUnreadable(ctx, unreadable("child", id, "date_of_birth"))
			continue
		}
		r.PlacementType = placematch.PlacementType(pt)
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: active placements: %w", translate(err))
	}
	return out, nil
}

// AwaitingChild is what the sufficiency report needs of a child awaiting a placement:
// the home district (empty when outside every district or not known), whether the
// home is known at all, the date of birth and the placement type asked for. Child is
// the whole record, so that the report can judge which kinds of home could lawfully
// take the child and form sibling groups; it is nil when the record's details cannot
// be read (the child still counts, alone, on the fields above). The report keeps no
// child's id or reference in anything it writes.
type AwaitingChild struct {
	District      string
	HomeKnown     bool
	DateOfBirth   placematch.Date
	PlacementType placematch.PlacementType
	Child         *placematch.Child
}

// ChildrenAwaiting returns the live children now awaiting a placement. The store keeps
// no history of a child's status, so this is today's demand whatever date a report
// is for. A child whose date of birth cannot be read is left out (and logged).
func (db *DB) ChildrenAwaiting(ctx context.Context) ([]AwaitingChild, error) {
	var rows []childRow
	err := db.gorm.WithContext(ctx).Where("status = ? AND archived_at IS NULL", string(placematch.ChildAwaiting)).
		Order("id").Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("store: children awaiting: %w", translate(err))
	}
	out := make([]AwaitingChild, 0, len(rows))
	for i := range rows {
		r := &rows[i]
		dob, err := placematch.ParseDate(r.DateOfBirth)
		if err != nil {
			skipUnreadable(ctx, unreadable("child", r.ID, "date_of_birth"))
			continue
		}
		c := AwaitingChild{District: r.District, HomeKnown: r.Lat != nil && r.Lon != nil, DateOfBirth: dob,
			PlacementType: placematch.PlacementType(r.PlacementType)}
		full, err := r.toChild()
		switch {
		case err == nil:
			c.Child = full
		case full != nil && repairable(err):
			// Only a date the report does not read (required_from) is unreadable.
			c.Child = full
		default:
			skipUnreadable(ctx, err) // counted on its plain fields, alone
		}
		out = append(out, c)
	}
	return out, nil
}

// SnapshotsBetween returns the sufficiency snapshots dated from from to to
// inclusive, ordered by date, district, kind and placement type.
func (db *DB) SnapshotsBetween(ctx context.Context, from, to placematch.Date) ([]Snapshot, error) {
	var rows []snapshotRow
	err := db.gorm.WithContext(ctx).Where("snapshot_date >= ? AND snapshot_date <= ?", from.String(), to.String()).
		Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("store: snapshots: %w", translate(err))
	}
	out := make([]Snapshot, len(rows))
	for i, r := range rows {
		d, err := placematch.ParseDate(r.SnapshotDate)
		if err != nil {
			return nil, fmt.Errorf("store: snapshots: stored date: %w", err)
		}
		out[i] = Snapshot{Date: d, District: r.District, Kind: placematch.ProviderKind(r.ProviderKind),
			PlacementType: placematch.PlacementType(r.PlacementType), Providers: r.Providers, Places: r.Places,
			Filled: r.Filled, Vacant: r.Vacant, Unavailable: r.Unavailable, ChildrenAwaiting: r.ChildrenAwaiting,
			GroupsAwaiting: r.GroupsAwaiting}
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Date != b.Date {
			return a.Date.Before(b.Date)
		}
		if a.District != b.District {
			return a.District < b.District
		}
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		return a.PlacementType < b.PlacementType
	})
	return out, nil
}
