-- +goose Up
-- Every write to a child stamps the row with the id of its transaction (change_xid,
-- set by the trigger below, so no write path can forget), as providers are stamped
-- (00010). A search asks whether any child was written since it last formed the
-- queue of children awaiting, reading only the rows stamped at or after the xmin of
-- its previous read's snapshot, instead of reading the whole queue to fingerprint it.
-- A child is archived, never deleted (nothing in the service deletes one), so the
-- stamp of the last write is never lost with its row.
ALTER TABLE children ADD COLUMN change_xid xid8 NOT NULL DEFAULT '0';
CREATE INDEX children_change_xid ON children (change_xid);

-- +goose StatementBegin
CREATE FUNCTION children_stamp_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.change_xid := pg_current_xact_id();
    RETURN NEW;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER children_stamp_change BEFORE INSERT OR UPDATE ON children
    FOR EACH ROW EXECUTE FUNCTION children_stamp_change();

-- +goose Down
DROP TRIGGER children_stamp_change ON children;
DROP FUNCTION children_stamp_change();
DROP INDEX children_change_xid;
ALTER TABLE children DROP COLUMN change_xid;
