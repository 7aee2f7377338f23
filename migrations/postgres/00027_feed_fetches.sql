-- +goose Up
-- What the feed import last did with each provider feed: when it fetched it, the
-- rows it applied and rejected, and why the feed failed as a whole ('' when it did
-- not). One row per feed, replaced at each fetch; the admins' console shows it.
CREATE TABLE feed_fetches (
    feed_id TEXT PRIMARY KEY,
    fetched_at TIMESTAMPTZ NOT NULL,
    rows_applied INTEGER NOT NULL,
    rows_rejected INTEGER NOT NULL,
    error TEXT NOT NULL DEFAULT ''
);

-- +goose Down
DROP TABLE feed_fetches;
