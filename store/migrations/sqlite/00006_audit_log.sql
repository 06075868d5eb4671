-- +goose Up
-- Every action an officer or an administrator took, appended and never
-- changed: who, what, when and from where (issue 16). Triggers refuse
-- UPDATE and DELETE.
CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    at         TIMESTAMP NOT NULL,
    subject    TEXT NOT NULL,
    kind       TEXT NOT NULL,
    roles      TEXT NOT NULL,
    agency     TEXT NOT NULL,
    action     TEXT NOT NULL,
    case_code  TEXT NOT NULL,
    method     TEXT NOT NULL,
    path       TEXT NOT NULL,
    status     INTEGER NOT NULL,
    outcome    TEXT NOT NULL,
    client_ip  TEXT NOT NULL,
    user_agent TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_case ON audit_log (case_code, id);
CREATE INDEX audit_log_subject ON audit_log (subject, id);
CREATE INDEX audit_log_agency ON audit_log (agency, id);

-- +goose StatementBegin
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
-- +goose StatementEnd

-- +goose Down
DROP TABLE audit_log;
