-- +goose Up
-- Every action an officer or an administrator took, appended and never
-- changed: who, what, when and from where (issue 16). A trigger refuses
-- UPDATE and DELETE; retention, when a rule sets one, is a deliberate
-- operation by the database owner (drop the trigger, delete, recreate it).
CREATE TABLE audit_log (
    id         BIGSERIAL PRIMARY KEY,
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
CREATE FUNCTION audit_log_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

-- +goose Down
DROP TABLE audit_log;
DROP FUNCTION audit_log_append_only();
