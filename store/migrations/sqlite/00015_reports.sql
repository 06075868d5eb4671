-- +goose Up
-- Periodic reports (báo cáo định kỳ): one per period (month 2026-10,
-- quarter 2026-Q3, year 2026) and scope (an agency's code, or '' for the
-- province), its PDF and CSV kept here so that every API process serves
-- them; regenerating a period overwrites its rows (csv_sha256 shows the
-- numbers stayed the same).
CREATE TABLE reports (
    period       TEXT NOT NULL,
    period_key   TEXT NOT NULL,
    agency       TEXT NOT NULL,
    from_day     TEXT NOT NULL,
    to_day       TEXT NOT NULL,
    received     INTEGER NOT NULL,
    resolved     INTEGER NOT NULL,
    late         INTEGER NOT NULL,
    overdue      INTEGER NOT NULL,
    csv_sha256   TEXT NOT NULL,
    pdf          BLOB NOT NULL,
    csv          BLOB NOT NULL,
    generations  INTEGER NOT NULL DEFAULT 1,
    generated_at DATETIME NOT NULL,
    PRIMARY KEY (period, period_key, agency)
);

-- An agency's late cases (the leader's drill-down): resolved late by the
-- day they ended, or still open and overdue.
CREATE INDEX stats_case_late ON stats_case (agency, outcome, closed_day);

-- +goose Down
DROP INDEX stats_case_late;
DROP TABLE reports;
