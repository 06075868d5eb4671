-- +goose Up
-- A denouncer's identity, sealed (AES-GCM by the API) and kept apart from
-- the case (Luật Tố cáo 2018 Điều 8 khoản 3, Điều 47 khoản 2): the case's
-- rows never hold it.
CREATE TABLE sealed_identities (
    code       TEXT PRIMARY KEY,
    sealed     BYTEA NOT NULL,
    created_at TIMESTAMP NOT NULL
);

-- The legal clock's record of a case (motcua.CaseLaw): apologies, extensions,
-- the dialogue, when the result was ready and whether on time.
ALTER TABLE cases ADD COLUMN law JSONB;

-- +goose Down
ALTER TABLE cases DROP COLUMN law;
DROP TABLE sealed_identities;
