-- +goose Up
-- record_clock orders a case's records by the workflow task that made them
-- (the history length when it started), so that a record written in a
-- workflow task a crash lost is replaced by the one that follows it
-- (store.RecordCaseAt). revision counts the row's writes: caches and ETags
-- key on it, as a correction can keep the version and change the content.
-- Until now every write raised the version: starting from it keeps the
-- ETags clients hold valid.
ALTER TABLE cases ADD COLUMN record_clock BIGINT NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN revision BIGINT NOT NULL DEFAULT 0;
UPDATE cases SET revision = version;

-- +goose Down
ALTER TABLE cases DROP COLUMN revision;
ALTER TABLE cases DROP COLUMN record_clock;
