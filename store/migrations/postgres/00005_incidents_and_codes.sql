-- +goose Up
-- Incidents: a case whose workflow run ended unexpectedly (terminated,
-- timed out, failed) while the read model shows it open. One incident per
-- run: an administrator resolves it (a reset starts a new run).
CREATE TABLE case_incidents (
    id          BIGSERIAL PRIMARY KEY,
    code        TEXT NOT NULL,
    run_id      TEXT NOT NULL,
    kind        TEXT NOT NULL,
    detail      TEXT NOT NULL,
    opened_at   TIMESTAMPTZ NOT NULL,
    resolved_at TIMESTAMPTZ,
    resolved_by TEXT NOT NULL DEFAULT '',
    resolution  TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX case_incidents_run ON case_incidents (code, run_id);
CREATE INDEX case_incidents_open ON case_incidents (code) WHERE resolved_at IS NULL;
CREATE INDEX case_incidents_opened ON case_incidents (opened_at);

-- One-time codes sent to the applicant's phone or e-mail so that a holder of
-- the receipt's secret may withdraw or pay: only a hash is kept, with its
-- expiry (Unix milliseconds) and the attempts spent; one per case and
-- purpose, replaced when a new one is sent.
CREATE TABLE case_one_time_codes (
    code       TEXT NOT NULL,
    purpose    TEXT NOT NULL,
    code_hash  TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    attempts   INTEGER NOT NULL,
    sent_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (code, purpose)
);

-- +goose Down
DROP TABLE case_one_time_codes;
DROP TABLE case_incidents;
