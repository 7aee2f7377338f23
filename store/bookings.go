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
