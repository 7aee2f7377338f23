package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"time"
)

// The PostgreSQL / SQLite differences the nightly jobs need live here.
//
// Leader lock. Production runs several replicas on one PostgreSQL; each job must run
// on one of them at a time. A session advisory lock does that without a lease table
// to expire: it lives on one connection, so the connection is taken out of the pool
// and held for the run, and a process that dies loses the lock with its connection.
// The key includes the schema so that deployments (and parallel tests) sharing a
// database in different schemas never block each other. SQLite serves a single
// instance, and its writer lock already serialises writes, so the lock is always
// granted there; the in-process mutex of the scheduler and the job_runs_one_running
// index keep runs of one job from overlapping.

// JobLock is a held leader lock for one job.
type JobLock struct {
	conn *sql.Conn
	job  string
	// Exclusive is true when the lock excludes every other process (PostgreSQL):
	// then a run of this job still marked running must belong to a dead process.
	Exclusive bool
}

// TryJobLock takes the leader lock for job without waiting; ok is false when another
// process holds it. Release the lock when the run ends.
func (db *DB) TryJobLock(ctx context.Context, job string) (lock *JobLock, ok bool, err error) {
	if db.dialect != Postgres {
		return &JobLock{job: job}, true, nil
	}
	conn, err := db.sql.Conn(ctx)
	if err != nil {
		return nil, false, fmt.Errorf("store: job lock: %w", err)
	}
	err = conn.QueryRowContext(ctx, "SELECT pg_try_advisory_lock(hashtext(current_schema() || ':job:' || $1))", job).Scan(&ok)
	if err != nil || !ok {
		conn.Close()
		if err != nil {
			return nil, false, fmt.Errorf("store: job lock: %w", err)
		}
		return nil, false, nil
	}
	return &JobLock{conn: conn, job: job, Exclusive: true}, true, nil
}

// Release gives the lock back and returns the connection to the pool. It does not
// take a context: it must run even when the run's context has ended.
func (l *JobLock) Release() error {
	if l == nil || l.conn == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err := l.conn.ExecContext(ctx, "SELECT pg_advisory_unlock(hashtext(current_schema() || ':job:' || $1))", l.job)
	if err != nil {
		// Close alone would return the session, lock and all, to the pool: tell
		// database/sql the connection is bad so that it is closed for good, which
		// ends the session and its locks.
		_ = l.conn.Raw(func(any) error { return driver.ErrBadConn })
	}
	if cerr := l.conn.Close(); err == nil {
		err = cerr
	}
	l.conn = nil
	return err
}

// Case-insensitive filters. lower() folds every letter in PostgreSQL's default
// collation but only ASCII letters in SQLite; in the "C" collation PostgreSQL folds
// ASCII only too, so both engines match the same rows. The expressions are those of
// the indexes of migration 00005, which serve them.
func (db *DB) foldedEq(col string) string {
	if db.dialect == Postgres {
		return "lower(" + col + ` COLLATE "C") = ?`
	}
	return "lower(" + col + ") = ?"
}

// asciiLower folds A–Z to a–z and leaves every other character as it is, as the
// lower() of foldedEq does on both engines.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
