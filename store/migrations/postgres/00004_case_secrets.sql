-- +goose Up
-- Where a case's look-up secret stands once its owner or the desk re-issued
-- or revoked it: the secret itself is derived from the code and the
-- generation, never stored. A case without a row has its receipt's secret.
CREATE TABLE case_secrets (
    code       TEXT PRIMARY KEY,
    generation INTEGER NOT NULL,
    revoked    BOOLEAN NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- +goose Down
DROP TABLE case_secrets;
