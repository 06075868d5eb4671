-- +goose Up
-- Issued documents carry the agency's signature; applicants choose how
-- they hear of progress.
ALTER TABLE documents ADD COLUMN signature TEXT NOT NULL DEFAULT '';
ALTER TABLE documents ADD COLUMN key_id TEXT NOT NULL DEFAULT '';
ALTER TABLE payments ADD COLUMN pay_url TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN notify TEXT NOT NULL DEFAULT '[]';
-- The postal service's callbacks name the shipment, not the case.
ALTER TABLE cases ADD COLUMN tracking TEXT NOT NULL DEFAULT '';
CREATE INDEX cases_tracking ON cases (tracking) WHERE tracking <> '';
-- Officers look at their overdue cases first (quá hạn).
CREATE INDEX case_tasks_overdue ON case_tasks (agency, role, sort_at, case_code) WHERE overdue;

-- +goose Down
DROP INDEX case_tasks_overdue;
DROP INDEX cases_tracking;
ALTER TABLE cases DROP COLUMN tracking;
ALTER TABLE cases DROP COLUMN notify;
ALTER TABLE payments DROP COLUMN pay_url;
ALTER TABLE documents DROP COLUMN key_id;
ALTER TABLE documents DROP COLUMN signature;
