-- +goose Up
-- The answers of requests by their Idempotency-Key (hashed with the
-- subject), kept a day so that a retry gets its original answer. status 0
-- is a request in progress, holding the key until expires_at (a lease);
-- an answered request keeps it until expires_at (a day). expires_at is in
-- Unix milliseconds: expired rows are free and purged by it.
CREATE TABLE idempotency_keys (
    idem_key     TEXT PRIMARY KEY,
    request_hash TEXT NOT NULL,
    status       INTEGER NOT NULL,
    body         BLOB,
    created_at   DATETIME NOT NULL,
    expires_at   BIGINT NOT NULL
);
CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at);

-- +goose Down
DROP TABLE idempotency_keys;
