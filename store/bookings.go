package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/gorm"

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

// bookPostgres is Book on PostgreSQL in four round trips where the statement-by-
// statement transaction took eight: (1) BEGIN with the cited run's share lock and
// the unlocked read of the child that finds its siblings; (2) the group's children,
// locked in id order by one statement, and then the provider, locked; (3) the
// provider's filled raised (only within its places), the placements inserted and the
// children marked placed; (4) COMMIT, once every write is seen to have taken. The
// statements of a step travel together (a pgx batch, one network round trip) on one
// connection held for the transaction; a sibling group's discovery and the residents
// the hard-rule check reads run on the same connection between the steps. The rules
// are those of the SQLite path (planBooking, lockedGroup), judged on the locked rows.
func (db *DB) bookPostgres(ctx context.Context, req BookRequest) (out []*placematch.Placement, err error) {
	if req.MatchID != "" && !ValidID(req.MatchID) {
		return nil, placematch.Invalid("match_id", "no match run has this id")
	}
	conn, err := db.sql.Conn(ctx)
	if err != nil {
		return nil, translate(err)
	}
	defer conn.Close()
	begun := false
	defer func() {
		if begun && err != nil {
			rollbackPgx(conn)
		}
	}()

	// 1. Begin, share-lock the cited run, read the child.
	var (
		cited  []string
		firsts []childRow
	)
	err = batch(ctx, conn, func(b *pgx.Batch) {
		b.Queue("BEGIN")
		if req.MatchID != "" {
			b.Queue("SELECT id FROM match_runs WHERE id = $1 FOR SHARE", req.MatchID).Query(func(rows pgx.Rows) error {
				var err error
				cited, err = pgx.CollectRows(rows, pgx.RowTo[string])
				return err
			})
		}
		b.Queue("SELECT "+childColumns+" FROM children WHERE id = $1", req.ChildID).Query(func(rows pgx.Rows) error {
			var err error
			firsts, err = collectChildRows(rows)
			return err
		})
	})
	begun = true
	if err != nil {
		return nil, err
	}
	if req.MatchID != "" && len(cited) == 0 {
		return nil, placematch.Invalid("match_id", "no match run has this id (runs no placement cites expire)")
	}
	if len(firsts) == 0 {
		return nil, placematch.Invalid("child_id", "no child has this id")
	}
	first, err := firsts[0].toChild()
	if err != nil {
		return nil, err
	}
	onConn := db.gorm.WithContext(ctx).Session(&gorm.Session{NewDB: true})
	onConn.Statement.ConnPool = conn
	ids, behind, err := groupToLock(first, req.IncludeSiblings, func(ids []string) ([]*placematch.Child, error) {
		return childrenIn(onConn, ids)
	})
	if err != nil {
		return nil, err
	}

	// 2. Lock the children in id order, then the provider.
	var (
		lockedRows []childRow
		provRows   []providerRow
	)
	err = batch(ctx, conn, func(b *pgx.Batch) {
		b.Queue("SELECT "+childColumns+" FROM children WHERE id = ANY($1) ORDER BY id FOR UPDATE", ids).Query(func(rows pgx.Rows) error {
			var err error
			lockedRows, err = collectChildRows(rows)
			return err
		})
		b.Queue("SELECT "+providerColumns+" FROM providers WHERE id = $1 FOR UPDATE", req.Provider.ID).Query(func(rows pgx.Rows) error {
			var err error
			provRows, err = collectProviderRows(rows)
			return err
		})
	})
	if err != nil {
		return nil, err
	}
	locked := make(map[string]*placematch.Child, len(lockedRows))
	for i := range lockedRows {
		c, err := lockedRows[i].toChild()
		if err != nil {
			return nil, err
		}
		locked[c.ID] = c
	}
	for _, id := range ids {
		if locked[id] == nil {
			return nil, placematch.Errorf(placematch.ErrNotFound, "No child has id %q", id)
		}
	}
	group, split, err := lockedGroup(ids, locked, req.IncludeSiblings, behind)
	if err != nil {
		return nil, err
	}
	if err := checkSplit(req, split); err != nil {
		return nil, err
	}
	var row *providerRow
	readErr := placematch.Errorf(placematch.ErrNotFound, "No provider has id %q", req.Provider.ID)
	if len(provRows) == 1 {
		row, readErr = &provRows[0], nil
	}
	p, pls, err := db.planBooking(req, group, split, row, readErr, func(p *placematch.Provider) error {
		return db.fillResidents(ctx, onConn, []*placematch.Provider{p}, false)
	})
	if err != nil {
		return nil, err
	}

	// 3. Write. The trigger on providers stamps the change (change_xid, change_seq).
	n, now := len(group), pls[0].CreatedAt
	var took []int64
	err = batch(ctx, conn, func(b *pgx.Batch) {
		exec := func(sql string, args ...any) {
			b.Queue(sql, args...).Exec(func(tag pgconn.CommandTag) error {
				took = append(took, tag.RowsAffected())
				return nil
			})
		}
		exec("UPDATE providers SET filled = filled + $1, updated_at = $2, version = version + 1 WHERE id = $3 AND filled + $1 <= places",
			n, now, p.ID)
		for i, c := range group {
			r := toPlacementRow(pls[i])
			exec("INSERT INTO placements ("+placementColumns+") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)",
				r.ID, r.ChildID, r.ProviderID, r.ProviderKind, r.StartDate, r.EndDate, r.Status, r.EndReason, r.GroupID,
				r.MatchID, r.MatchRank, r.DecisionReason, r.AllocationID, r.SiblingsSplit, r.SplitReason, r.DistanceReason,
				r.OutsideTermsUntil, r.Wishes, r.CreatedAt, r.UpdatedAt, r.Version, r.ArchivedAt)
			exec("UPDATE children SET status = $1, version = version + 1, updated_at = $2 WHERE id = $3 AND version = $4",
				string(placematch.ChildPlaced), now, c.ID, c.Version)
		}
	})
	if err != nil {
		return nil, err
	}
	if took[0] != 1 {
		return nil, placematch.Errorf(placematch.ErrNoCapacity, "%s has no room for %d more", p.Name, n)
	}
	for i, c := range group {
		if took[2+2*i] != 1 {
			return nil, placematch.Errorf(placematch.ErrVersionMismatch, "Child %s changed underneath", c.ID)
		}
	}

	// 4. Commit.
	if err := batch(ctx, conn, func(b *pgx.Batch) { b.Queue("COMMIT") }); err != nil {
		return nil, err
	}
	begun = false
	for _, c := range group {
		c.Status, c.Version, c.UpdatedAt = placematch.ChildPlaced, c.Version+1, now
	}
	return pls, nil
}

// batch sends the statements fill queues as one pgx batch on conn's connection
// and reads every result; the error is translated.
func batch(ctx context.Context, conn *sql.Conn, fill func(b *pgx.Batch)) error {
	return translate(conn.Raw(func(dc any) error {
		pc := dc.(*stdlib.Conn).Conn()
		b := &pgx.Batch{}
		fill(b)
		return pc.SendBatch(ctx, b).Close()
	}))
}

// rollbackPgx ends the transaction left open on conn by a booking that failed. A
// connection whose transaction cannot be rolled back (it broke, or the context
// ended) is closed, so that the pool never hands out a connection inside a
// transaction.
func rollbackPgx(conn *sql.Conn) {
	_ = conn.Raw(func(dc any) error {
		pc := dc.(*stdlib.Conn).Conn()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if _, err := pc.Exec(ctx, "ROLLBACK"); err != nil || pc.PgConn().TxStatus() != 'I' {
			_ = pc.Close(ctx)
			return driver.ErrBadConn
		}
		return nil
	})
}

// The columns read and written by bookPostgres (beside providerColumns), in the
// order of the fields below;
// TestBookReadsTheStoredRecords checks them against the records gorm reads.
const (
	childColumns = "id, reference, date_of_birth, sex, lat, lon, postcode, district, school_lat, school_lon, needs, risks, " +
		"languages, wheelchair_user, placement_type, urgency, required_from, siblings, avoid_areas, max_distance_km, status, " +
		"wishes, created_at, updated_at, version, archived_at"
	placementColumns = "id, child_id, provider_id, provider_kind, start_date, end_date, status, end_reason, group_id, " +
		"match_id, match_rank, decision_reason, allocation_id, siblings_split, split_reason, distance_reason, " +
		"outside_terms_until, wishes, created_at, updated_at, version, archived_at"
)

func collectChildRows(rows pgx.Rows) ([]childRow, error) {
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (childRow, error) {
		var r childRow
		err := row.Scan(&r.ID, &r.Reference, &r.DateOfBirth, &r.Sex, &r.Lat, &r.Lon, &r.Postcode, &r.District,
			&r.SchoolLat, &r.SchoolLon, &r.Needs, &r.Risks, &r.Languages, &r.WheelchairUser, &r.PlacementType,
			&r.Urgency, &r.RequiredFrom, &r.Siblings, &r.AvoidAreas, &r.MaxDistanceKM, &r.Status, &r.Wishes,
			&r.CreatedAt, &r.UpdatedAt, &r.Version, &r.ArchivedAt)
		return r, err
	})
}

func collectProviderRows(rows pgx.Rows) ([]providerRow, error) {
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (providerRow, error) {
		var r providerRow
		err := row.Scan(&r.ID, &r.Kind, &r.Reference, &r.Name, &r.Status, &r.Lat, &r.Lon, &r.Postcode, &r.District,
			&r.AgeMin, &r.AgeMax, &r.Places, &r.Filled, &r.PlacementTypes, &r.AvailStatus, &r.AvailFrom, &r.AvailNote,
			&r.AvailConfirmedAt, &r.AvailSource, &r.ReportedVacancies, &r.ReportedAt, &r.Details, &r.ChangeSeq,
			&r.CreatedAt, &r.UpdatedAt, &r.Version, &r.ArchivedAt, &r.Sector)
		return r, err
	})
}
