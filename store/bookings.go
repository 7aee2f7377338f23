package store

import (
	"context"
	"fmt"
	"time"

	"placematch"
)

// ReportBooking is what the unmet-demand report needs of one placement booked:
// when it was booked and when the child's referral was recorded, the child's
// urgency, date of birth and home, where the home booked lies, and the distance
// reason given. It carries no id or reference of the child.
type ReportBooking struct {
	BookedAt time.Time
	// ReferralAt is when the child's record was created; PreviousEnd is the end
	// date of the child's latest placement ended before this booking (zero when
	// none), from when a child placed again has waited.
	ReferralAt       time.Time
	PreviousEnd      placematch.Date
	Urgency          string
	DateOfBirth      placematch.Date
	Home             *placematch.Point
	ProviderLocation placematch.Point
	ProviderDistrict string
	DistanceReason   placematch.DistanceReason
}

// BookingsBetween returns the placements booked (created) from from (inclusive)
// to to (exclusive), oldest first. Cancelled bookings are left out: they never
// ran, and the child's wait goes on to the booking that did.
func (db *DB) BookingsBetween(ctx context.Context, from, to time.Time) ([]ReportBooking, error) {
	rows, err := db.gorm.WithContext(ctx).Raw(`SELECT p.created_at, c.created_at, c.urgency, c.date_of_birth, c.lat, c.lon,
		v.lat, v.lon, v.district, p.distance_reason, c.id,
		(SELECT MAX(q.end_date) FROM placements q WHERE q.child_id = p.child_id AND q.status = 'ended'
		   AND q.end_date IS NOT NULL AND q.created_at < p.created_at)
		FROM placements p JOIN children c ON c.id = p.child_id JOIN providers v ON v.id = p.provider_id
		WHERE p.created_at >= ? AND p.created_at < ? AND p.status <> 'cancelled'
		ORDER BY p.created_at, p.id`, from.UTC(), to.UTC()).Rows()
	if err != nil {
		return nil, fmt.Errorf("store: bookings between: %w", translate(err))
	}
	defer rows.Close()
	var out []ReportBooking
	for rows.Next() {
		var (
			b                  ReportBooking
			lat, lon           *float64
			dob, reason, id    string
			prev               *string
			booked, referralAt time.Time
		)
		if err := rows.Scan(&booked, &referralAt, &b.Urgency, &dob, &lat, &lon, &b.ProviderLocation.Lat, &b.ProviderLocation.Lon,
			&b.ProviderDistrict, &reason, &id, &prev); err != nil {
			return nil, fmt.Errorf("store: bookings between: %w", translate(err))
		}
		b.BookedAt, b.ReferralAt, b.DistanceReason = booked.UTC(), referralAt.UTC(), placematch.DistanceReason(reason)
		if lat != nil && lon != nil {
			b.Home = &placematch.Point{Lat: *lat, Lon: *lon}
		}
		if b.DateOfBirth, err = placematch.ParseDate(dob); err != nil {
			skipUnreadable(ctx, unreadable("child", id, "date_of_birth"))
			continue
		}
		if prev != nil {
			if b.PreviousEnd, err = placematch.ParseDate(*prev); err != nil {
				b.PreviousEnd = placematch.Date{} // unreadable: counted from the referral
			}
		}
		out = append(out, b)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: bookings between: %w", translate(err))
	}
	return out, nil
}

// ReportStay is one placement as the forecast counts it: when it started and, if
// it has, ended, the child's date of birth and the placement type referred for,
// and the kind and district of the home.
type ReportStay struct {
	Start, End       placematch.Date
	DateOfBirth      placematch.Date
	PlacementType    placematch.PlacementType
	ProviderKind     placematch.ProviderKind
	ProviderDistrict string
}

// StaysSince returns the placements that ran on some day from from on: started by
// then or later, and still active or ended after from. Cancelled placements never
// ran and are left out. An active placement's End is zero (a planned end date is
// not an end).
func (db *DB) StaysSince(ctx context.Context, from placematch.Date) ([]ReportStay, error) {
	rows, err := db.gorm.WithContext(ctx).Raw(`SELECT p.start_date, p.end_date, p.status, c.id, c.date_of_birth, c.placement_type,
		v.kind, v.district FROM placements p JOIN children c ON c.id = p.child_id JOIN providers v ON v.id = p.provider_id
		WHERE p.status = 'active' OR (p.status = 'ended' AND p.end_date IS NOT NULL AND p.end_date >= ?)
		ORDER BY p.start_date, p.id`, from.String()).Rows()
	if err != nil {
		return nil, fmt.Errorf("store: stays since: %w", translate(err))
	}
	defer rows.Close()
	var out []ReportStay
	for rows.Next() {
		var (
			s                              ReportStay
			start, status, id, dob, pt, kd string
			end                            *string
		)
		if err := rows.Scan(&start, &end, &status, &id, &dob, &pt, &kd, &s.ProviderDistrict); err != nil {
			return nil, fmt.Errorf("store: stays since: %w", translate(err))
		}
		var e1, e2 error
		s.Start, e1 = placematch.ParseDate(start)
		s.DateOfBirth, e2 = placematch.ParseDate(dob)
		if e1 != nil || e2 != nil {
			skipUnreadable(ctx, unreadable("placement of child", id, "start_date or date_of_birth"))
			continue
		}
		if status == string(placematch.PlacementEnded) && end != nil {
			if s.End, err = placematch.ParseDate(*end); err != nil {
				skipUnreadable(ctx, unreadable("placement of child", id, "end_date"))
				continue
			}
		}
		s.PlacementType, s.ProviderKind = placematch.PlacementType(pt), placematch.ProviderKind(kd)
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: stays since: %w", translate(err))
	}
	return out, nil
}
