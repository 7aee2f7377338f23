-- +goose Up
-- One counter that every write to a child bumps, by trigger, so no write path can
-- forget. SQLite runs one writer at a time, so the counter queues nothing that was
-- not queued already. A search asks whether it moved since it last formed the queue
-- of children awaiting, instead of reading the whole queue to fingerprint it.
CREATE TABLE children_epoch (
    id  INTEGER PRIMARY KEY,
    seq INTEGER NOT NULL
);
INSERT INTO children_epoch (id, seq) VALUES (1, 0);

-- +goose StatementBegin
CREATE TRIGGER children_insert_epoch AFTER INSERT ON children
BEGIN
    UPDATE children_epoch SET seq = seq + 1 WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER children_update_epoch AFTER UPDATE ON children
BEGIN
    UPDATE children_epoch SET seq = seq + 1 WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER children_delete_epoch AFTER DELETE ON children
BEGIN
    UPDATE children_epoch SET seq = seq + 1 WHERE id = 1;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER children_delete_epoch;
DROP TRIGGER children_update_epoch;
DROP TRIGGER children_insert_epoch;
DROP TABLE children_epoch;
