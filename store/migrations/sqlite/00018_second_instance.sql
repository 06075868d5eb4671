-- +goose Up
-- A second-instance complaint names its first-instance case (Luật Khiếu nại
-- 2011 Điều 33); the first case's view finds it by this column.
ALTER TABLE cases ADD COLUMN first_instance TEXT NOT NULL DEFAULT '';
CREATE INDEX cases_first_instance ON cases (first_instance) WHERE first_instance <> '';

-- +goose Down
DROP INDEX cases_first_instance;
ALTER TABLE cases DROP COLUMN first_instance;
