-- +goose Up
-- A match run's result, replay record and excluded set are given to PostgreSQL as
-- they are (store.SaveMatchRun) rather than gzip'd by the service, and TOAST
-- compresses the large ones. lz4 does so at a fraction of pglz's cost; a server
-- built without lz4 keeps pglz, and both read the same. Values stored before keep
-- the compression they were stored with, and runs gzip'd by the service are still
-- read as they are.
-- +goose StatementBegin
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_settings
               WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)) THEN
        ALTER TABLE match_runs
            ALTER COLUMN result SET COMPRESSION lz4,
            ALTER COLUMN replay SET COMPRESSION lz4,
            ALTER COLUMN excluded SET COMPRESSION lz4;
    END IF;
END
$$;
-- +goose StatementEnd

-- +goose Down
-- The columns go back to the server's default compression. The runs stored raw stay
-- raw: only a release that reads them (this one or later) can read them.
-- +goose StatementBegin
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression') THEN
        ALTER TABLE match_runs
            ALTER COLUMN result SET COMPRESSION default,
            ALTER COLUMN replay SET COMPRESSION default,
            ALTER COLUMN excluded SET COMPRESSION default;
    END IF;
END
$$;
-- +goose StatementEnd
