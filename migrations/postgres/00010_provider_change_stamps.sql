-- +goose Up
-- Provider writes no longer queue on one counter row (provider_epoch), which made
-- every booking, update and feed wait for every other one, even on unrelated
-- providers. Instead every write stamps the row it writes with the id of its
-- transaction (change_xid, set by the trigger below, so no write path can forget).
-- A reader of the changes remembers the oldest transaction still running when it
-- last read (the xmin of that read's snapshot) and next time reads only the rows
-- stamped at or after it: a write the earlier read could not see belongs to a
-- transaction at or above that xmin, so no write is missed, whatever order the
-- writers commit in. change_seq stays as a number given to each row write in the
-- order writes are made (a sequence, which never blocks); it is informative only
-- on PostgreSQL and is not used to find changes.
ALTER TABLE providers ADD COLUMN change_xid xid8 NOT NULL DEFAULT '0';
CREATE INDEX providers_change_xid ON providers (change_xid);
DROP INDEX providers_change_seq;

CREATE SEQUENCE provider_change_seq;
SELECT setval('provider_change_seq', (SELECT seq FROM provider_epoch WHERE id = 1) + 1, false);

-- +goose StatementBegin
CREATE FUNCTION providers_stamp_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.change_xid := pg_current_xact_id();
    NEW.change_seq := nextval('provider_change_seq');
    RETURN NEW;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER providers_stamp_change BEFORE INSERT OR UPDATE ON providers
    FOR EACH ROW EXECUTE FUNCTION providers_stamp_change();

DROP TABLE provider_epoch;

-- +goose Down
CREATE TABLE provider_epoch (
    id  INTEGER PRIMARY KEY,
    seq BIGINT NOT NULL
);
INSERT INTO provider_epoch (id, seq) SELECT 1, COALESCE(MAX(change_seq), 0) FROM providers;
DROP TRIGGER providers_stamp_change ON providers;
DROP FUNCTION providers_stamp_change();
DROP SEQUENCE provider_change_seq;
CREATE INDEX providers_change_seq ON providers (change_seq);
DROP INDEX providers_change_xid;
ALTER TABLE providers DROP COLUMN change_xid;
