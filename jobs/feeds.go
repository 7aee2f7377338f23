package jobs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"

	"placematch"
	"placematch/store"
)

// SecretEnvPrefix names the environment variables that hold feed secrets:
// PLACEMATCH_FEED_SECRET_<secret_name>.
const SecretEnvPrefix = "PLACEMATCH_FEED_SECRET_"

// ImportFeeds fetches every live feed and applies its valid rows, one transaction
// per feed. A feed that cannot be fetched or read as a whole fails alone and changes
// nothing; the run then fails, but the other feeds are applied.
type ImportFeeds struct {
	Store *store.DB
	Now   func() time.Time
	// Network says which addresses feeds may be fetched from; its zero value allows
	// public addresses only. Timeout bounds each attempt.
	Network NetPolicy
	Timeout time.Duration
	// MaxBytes caps a feed body (default 5 MiB); a larger feed fails.
	MaxBytes int64
	// MaxRejected is how many rejected rows of one feed the run lists (default
	// DefaultMaxRejected); the rest are counted in rows_rejected and one line.
	MaxRejected int
	// Attempts is how many times a fetch is tried (default 3); Backoff is the wait
	// before attempt n+1 (default 1s, 2s, 4s...).
	Attempts int
	Backoff  func(attempt int) time.Duration
	// Secret returns a named secret's value; nil reads SecretEnvPrefix+name.
	Secret func(name string) (string, bool)
}

// Name returns import-provider-feeds.
func (ImportFeeds) Name() string { return NameFeeds }

// Run imports every feed.
func (j ImportFeeds) Run(ctx context.Context) (Result, error) {
	feeds, err := j.Store.LiveFeeds(ctx)
	if err != nil {
		return Result{}, err
	}
	res := Result{Counts: map[string]int{"feeds": len(feeds), "feeds_failed": 0, "rows_applied": 0, "rows_rejected": 0}}
	for _, f := range feeds {
		fetched := clock(j.Now)
		applied, rejected, notes, err := j.importFeed(ctx, f)
		res.Counts["rows_applied"] += applied
		res.Counts["rows_rejected"] += rejected.total()
		res.Issues = append(append(res.Issues, notes...), rejected.issues()...)
		last := store.FeedFetch{FeedID: f.ID, FetchedAt: fetched, RowsApplied: applied, RowsRejected: rejected.total()}
		if err != nil {
			res.Counts["feeds_failed"]++
			res.Issues = append(res.Issues, placematch.RunIssue{Scope: f.Name, Message: err.Error()})
			last.Error = err.Error()
		}
		// What this feed's fetch did, for the admins' console; the rows applied
		// are already committed, so a failure to record it is a note, not a failure.
		if rerr := j.Store.RecordFeedFetch(context.WithoutCancel(ctx), last); rerr != nil {
			res.Issues = append(res.Issues, placematch.RunIssue{Scope: f.Name, Message: "the fetch could not be recorded for the console: " + rerr.Error()})
		}
		reportProgress(ctx, res)
		if ctx.Err() != nil {
			return res, ctx.Err()
		}
	}
	if n := res.Counts["feeds_failed"]; n > 0 {
		return res, fmt.Errorf("%d of %d feeds failed", n, len(feeds))
	}
	return res, nil
}

// importFeed fetches, parses and applies one feed. It returns the rows applied, the
// rows rejected (capped at MaxRejected) and notes about the feed as a whole.
func (j ImportFeeds) importFeed(ctx context.Context, f *placematch.Feed) (int, *issueList, []placematch.RunIssue, error) {
	none := newIssueList(f.Name, j.MaxRejected)
	if f.AuthHeader != "" {
		// Checked again here, not only at registration: the secret goes to its
		// bound host or nowhere.
		if err := j.Store.CheckFeedSecretHost(ctx, f); err != nil {
			if errors.Is(err, placematch.ErrInvalid) {
				return 0, none, nil, fmt.Errorf("secret %s%s is bound to another host and is not sent", SecretEnvPrefix, f.SecretName)
			}
			return 0, none, nil, err
		}
	}
	body, err := j.fetch(ctx, f)
	if err != nil {
		return 0, none, nil, err
	}
	p, err := parseFeed(f, body, clock(j.Now), j.MaxRejected)
	if err != nil {
		return 0, none, nil, err
	}
	applied, rejected, err := j.Store.ApplyFeed(ctx, f, p.reports)
	if err != nil {
		return 0, none, p.notes, errors.New("the rows could not be stored; nothing was applied")
	}
	for _, is := range rejected {
		p.rejected.add(is)
	}
	return applied, p.rejected, p.notes, nil
}

// errPermanent marks a fetch failure that a retry cannot cure.
type errPermanent struct{ error }

func (j ImportFeeds) fetch(ctx context.Context, f *placematch.Feed) ([]byte, error) {
	client := j.Network.client()
	defer client.CloseIdleConnections()
	attempts := max(j.Attempts, 1)
	if j.Attempts == 0 {
		attempts = 3
	}
	var err error
	for a := 1; a <= attempts; a++ {
		var body []byte
		if body, err = j.fetchOnce(ctx, client, f); err == nil {
			return body, nil
		}
		var perm errPermanent
		if errors.As(err, &perm) || a == attempts {
			break
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(j.backoff(a)):
		}
	}
	return nil, fmt.Errorf("fetch failed after %d attempt(s): %w", attempts, err)
}

func (j ImportFeeds) backoff(a int) time.Duration {
	if j.Backoff != nil {
		return j.Backoff(a)
	}
	return time.Second << (a - 1)
}

func (j ImportFeeds) fetchOnce(ctx context.Context, client *http.Client, f *placematch.Feed) ([]byte, error) {
	timeout := j.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, f.URL, nil)
	if err != nil {
		return nil, errPermanent{fmt.Errorf("bad URL: %w", err)}
	}
	if f.AuthHeader != "" {
		secret, ok := j.secret(f.SecretName)
		if !ok {
			// Only the variable's name is reported, never a value.
			return nil, errPermanent{fmt.Errorf("secret %s%s is not set", SecretEnvPrefix, f.SecretName)}
		}
		req.Header.Set(f.AuthHeader, secret)
	}
	resp, err := client.Do(req)
	if err != nil {
		if refusedDial(err) {
			// Said the same way whatever listens there: no port scanning by feed.
			return nil, errPermanent{ErrRefusedAddress}
		}
		if ctx.Err() != nil {
			return nil, fmt.Errorf("no answer within %s", timeout)
		}
		return nil, errors.New("unreachable")
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		err := fmt.Errorf("HTTP status %d", resp.StatusCode)
		if resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests {
			return nil, err
		}
		return nil, errPermanent{err}
	}
	limit := j.MaxBytes
	if limit <= 0 {
		limit = 5 << 20
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("no complete answer within %s", timeout)
		}
		return nil, errors.New("the body could not be read")
	}
	if int64(len(body)) > limit {
		return nil, errPermanent{fmt.Errorf("larger than %d bytes", limit)}
	}
	return body, nil
}

func (j ImportFeeds) secret(name string) (string, bool) {
	if j.Secret != nil {
		return j.Secret(name)
	}
	v, ok := os.LookupEnv(SecretEnvPrefix + name)
	return v, ok && v != ""
}

// noRedirects fetches feeds without following redirects: Go forwards custom headers
// (the feed's secret) to whatever host a redirect names, so a redirect is answered
// as a failure of the feed ("HTTP status 302") for its owner to fix.
var noRedirects = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error {
	return http.ErrUseLastResponse
}}
