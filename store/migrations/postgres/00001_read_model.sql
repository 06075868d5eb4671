-- +goose Up
CREATE TABLE agencies (
    code       TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    name_en    TEXT NOT NULL DEFAULT '',
    tier       TEXT NOT NULL,
    parent     TEXT NOT NULL DEFAULT '',
    successor  TEXT NOT NULL DEFAULT '',
    valid_from DATE,
    valid_to   DATE
);

-- The catalogue index: one row per procedure code, the version now offered.
CREATE TABLE procedures (
    code            TEXT PRIMARY KEY,
    version         INTEGER NOT NULL,
    hash            TEXT NOT NULL,
    name            TEXT NOT NULL,
    name_en         TEXT NOT NULL,
    name_fold       TEXT NOT NULL,
    tier            TEXT NOT NULL,
    agencies        TEXT NOT NULL,
    level           INTEGER NOT NULL,
    online          TEXT NOT NULL,
    fee             BIGINT NOT NULL,
    processing_days INTEGER NOT NULL,
    shape           TEXT NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);

CREATE TABLE cases (
    code              TEXT PRIMARY KEY,
    procedure_code    TEXT NOT NULL,
    procedure_version INTEGER NOT NULL,
    procedure_hash    TEXT NOT NULL,
    procedure_name    TEXT NOT NULL,
    shape             TEXT NOT NULL,
    level             INTEGER NOT NULL,
    agency            TEXT NOT NULL,
    agencies          JSONB NOT NULL,
    status            TEXT NOT NULL,
    step              TEXT NOT NULL,
    channel           TEXT NOT NULL,
    owner             TEXT NOT NULL,
    applicant         JSONB NOT NULL,
    delivery          JSONB NOT NULL,
    form              JSONB,
    fee               BIGINT NOT NULL,
    submitted_at      TIMESTAMPTZ NOT NULL,
    received_at       TIMESTAMPTZ,
    due_at            TIMESTAMPTZ,
    paused            BOOLEAN NOT NULL,
    overdue           BOOLEAN NOT NULL,
    rescheduled_to    TIMESTAMPTZ,
    closed_at         TIMESTAMPTZ,
    pauses            JSONB NOT NULL,
    opinions          JSONB NOT NULL,
    result            JSONB,
    version           INTEGER NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL
);
CREATE INDEX cases_owner ON cases (owner, submitted_at DESC, code);
CREATE INDEX cases_agency_status ON cases (agency, status);
CREATE INDEX cases_procedure ON cases (procedure_code, submitted_at);

-- The timeline: one row per event, written once.
CREATE TABLE case_events (
    case_code TEXT NOT NULL REFERENCES cases (code),
    seq       INTEGER NOT NULL,
    at        TIMESTAMPTZ NOT NULL,
    action    TEXT NOT NULL,
    status    TEXT NOT NULL,
    actor     JSONB NOT NULL,
    note      TEXT NOT NULL DEFAULT '',
    reason    TEXT NOT NULL DEFAULT '',
    data      JSONB,
    PRIMARY KEY (case_code, seq)
);

-- Who is expected to act on an open case: the inbox. Rows are replaced on
-- every transition and deleted when the case closes, so the table stays the
-- size of the open work, not of the archive.
CREATE TABLE case_tasks (
    case_code      TEXT NOT NULL REFERENCES cases (code),
    agency         TEXT NOT NULL,
    role           TEXT NOT NULL,
    subject        TEXT NOT NULL DEFAULT '',
    actions        TEXT NOT NULL,
    sort_at        TIMESTAMPTZ NOT NULL,
    status         TEXT NOT NULL,
    procedure_code TEXT NOT NULL,
    overdue        BOOLEAN NOT NULL,
    PRIMARY KEY (case_code, agency, role, subject)
);
CREATE INDEX case_tasks_inbox ON case_tasks (agency, role, sort_at, case_code);

CREATE TABLE documents (
    id          TEXT PRIMARY KEY,
    case_code   TEXT NOT NULL REFERENCES cases (code),
    name        TEXT NOT NULL,
    type        TEXT NOT NULL,
    size        BIGINT NOT NULL,
    sha256      TEXT NOT NULL,
    kind        TEXT NOT NULL,
    uploaded_at TIMESTAMPTZ NOT NULL,
    uploaded_by JSONB NOT NULL
);
CREATE INDEX documents_case ON documents (case_code, uploaded_at);

CREATE TABLE payments (
    id         TEXT PRIMARY KEY,
    case_code  TEXT NOT NULL REFERENCES cases (code),
    amount     BIGINT NOT NULL,
    method     TEXT NOT NULL,
    reference  TEXT NOT NULL,
    status     TEXT NOT NULL,
    at         TIMESTAMPTZ NOT NULL
);
CREATE INDEX payments_case ON payments (case_code, at);

-- Case codes: agency, day, then a sequence per agency and day, as on the
-- receipts citizens already know (SKHDT-261126-0042).
CREATE TABLE case_counters (
    agency TEXT NOT NULL,
    day    TEXT NOT NULL,
    last   INTEGER NOT NULL,
    PRIMARY KEY (agency, day)
);

-- One row per accepted submission: the idempotency key (hashed with the
-- submitter) and the code it was given, so a retried submission gets the
-- same case.
CREATE TABLE submissions (
    submit_key TEXT PRIMARY KEY,
    code       TEXT NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE submissions;
DROP TABLE case_counters;
DROP TABLE payments;
DROP TABLE documents;
DROP TABLE case_tasks;
DROP TABLE case_events;
DROP TABLE cases;
DROP TABLE procedures;
DROP TABLE agencies;
