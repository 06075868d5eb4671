-- +goose Up
-- Each task row carries what the inbox shows of its case (api.caseSummary),
-- written with it on every record: a page is read from the tasks alone.
-- Joining the page's fifty cases and gathering each one's tasks was three
-- quarters of the page's PostgreSQL CPU at a million cases. case_actions
-- are all the case's open actions, as the case view lists them.
ALTER TABLE case_tasks ADD COLUMN procedure_version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE case_tasks ADD COLUMN procedure_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE case_tasks ADD COLUMN procedure_name TEXT NOT NULL DEFAULT '';
ALTER TABLE case_tasks ADD COLUMN shape TEXT NOT NULL DEFAULT '';
ALTER TABLE case_tasks ADD COLUMN level INTEGER NOT NULL DEFAULT 0;
ALTER TABLE case_tasks ADD COLUMN case_agency TEXT NOT NULL DEFAULT '';
ALTER TABLE case_tasks ADD COLUMN step TEXT NOT NULL DEFAULT '';
ALTER TABLE case_tasks ADD COLUMN channel TEXT NOT NULL DEFAULT '';
ALTER TABLE case_tasks ADD COLUMN applicant_name TEXT NOT NULL DEFAULT '';
ALTER TABLE case_tasks ADD COLUMN submitted_at DATETIME;
ALTER TABLE case_tasks ADD COLUMN received_at DATETIME;
ALTER TABLE case_tasks ADD COLUMN due_at DATETIME;
ALTER TABLE case_tasks ADD COLUMN paused BOOLEAN NOT NULL DEFAULT 0;
ALTER TABLE case_tasks ADD COLUMN reception_late BOOLEAN NOT NULL DEFAULT 0;
ALTER TABLE case_tasks ADD COLUMN case_actions TEXT NOT NULL DEFAULT '';
UPDATE case_tasks SET (procedure_version, procedure_hash, procedure_name, shape, level, case_agency, step, channel,
    applicant_name, submitted_at, received_at, due_at, paused, reception_late) =
    (SELECT c.procedure_version, c.procedure_hash, c.procedure_name, c.shape, c.level, c.agency, c.step, c.channel,
        COALESCE(json_extract(c.applicant, '$.name'), ''), c.submitted_at, c.received_at, c.due_at, c.paused,
        COALESCE(json_extract(c.law, '$.reception_late'), 0)
    FROM cases c WHERE c.code = case_tasks.case_code);
UPDATE case_tasks SET case_actions = (SELECT group_concat(x.agency || char(31) || x.role || char(31) || x.subject || char(31) || x.actions,
    char(30) ORDER BY x.agency, x.role, x.subject) FROM case_tasks x WHERE x.case_code = case_tasks.case_code);

-- +goose Down
ALTER TABLE case_tasks DROP COLUMN case_actions;
ALTER TABLE case_tasks DROP COLUMN reception_late;
ALTER TABLE case_tasks DROP COLUMN paused;
ALTER TABLE case_tasks DROP COLUMN due_at;
ALTER TABLE case_tasks DROP COLUMN received_at;
ALTER TABLE case_tasks DROP COLUMN submitted_at;
ALTER TABLE case_tasks DROP COLUMN applicant_name;
ALTER TABLE case_tasks DROP COLUMN channel;
ALTER TABLE case_tasks DROP COLUMN step;
ALTER TABLE case_tasks DROP COLUMN case_agency;
ALTER TABLE case_tasks DROP COLUMN level;
ALTER TABLE case_tasks DROP COLUMN shape;
ALTER TABLE case_tasks DROP COLUMN procedure_name;
ALTER TABLE case_tasks DROP COLUMN procedure_hash;
ALTER TABLE case_tasks DROP COLUMN procedure_version;
