-- +goose Up
-- Each timeline entry names the agency that handled the case then, so a
-- case handed over keeps each part attributed to who did it. Entries
-- written before this column name none (the case's agency then is its
-- first agency, the code's prefix).
ALTER TABLE case_events ADD COLUMN agency TEXT NOT NULL DEFAULT '';

-- Hand-overs of open cases (chuyển giao hồ sơ) and their progress, written
-- by the hand-over workflow after each page of cases.
CREATE TABLE handovers (
    id          TEXT PRIMARY KEY,
    from_agency TEXT NOT NULL,
    targets     TEXT NOT NULL,
    day         DATETIME NOT NULL,
    basis       TEXT NOT NULL DEFAULT '',
    started_by  TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL,
    moved       INTEGER NOT NULL,
    skipped     INTEGER NOT NULL,
    failed      INTEGER NOT NULL,
    failures    TEXT NOT NULL,
    after_code  TEXT NOT NULL DEFAULT '',
    started_at  DATETIME NOT NULL,
    ended_at    DATETIME,
    updated_at  DATETIME NOT NULL
);
CREATE INDEX handovers_started ON handovers (started_at DESC, id);

-- +goose Down
DROP TABLE handovers;
ALTER TABLE case_events DROP COLUMN agency;
