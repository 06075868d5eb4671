-- +goose Up
-- Papers the desk draws up that belong to no one case: the register of
-- files (sổ theo dõi hồ sơ) of an agency for a period. Kept so that the
-- QR code on a printed register verifies like any issued document.
CREATE TABLE papers (
    id          TEXT PRIMARY KEY,
    agency      TEXT NOT NULL,
    name        TEXT NOT NULL,
    type        TEXT NOT NULL,
    size        BIGINT NOT NULL,
    sha256      TEXT NOT NULL,
    kind        TEXT NOT NULL,
    signature   TEXT NOT NULL,
    key_id      TEXT NOT NULL,
    issued_at   TIMESTAMPTZ NOT NULL,
    issued_by   JSONB NOT NULL
);
CREATE INDEX papers_agency ON papers (agency, issued_at);
-- The register lists the cases an agency received in a period.
CREATE INDEX cases_agency_received ON cases (agency, received_at);

-- +goose Down
DROP INDEX cases_agency_received;
DROP TABLE papers;
