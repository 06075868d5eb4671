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
ALTER TABLE case_tasks ADD COLUMN submitted_at TIMESTAMPTZ;
ALTER TABLE case_tasks ADD COLUMN received_at TIMESTAMPTZ;
ALTER TABLE case_tasks ADD COLUMN due_at TIMESTAMPTZ;
ALTER TABLE case_tasks ADD COLUMN paused BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE case_tasks ADD COLUMN reception_late BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE case_tasks ADD COLUMN case_actions TEXT NOT NULL DEFAULT '';
UPDATE case_tasks t SET procedure_version = c.procedure_version, procedure_hash = c.procedure_hash,
    procedure_name = c.procedure_name, shape = c.shape, level = c.level, case_agency = c.agency, step = c.step,
    channel = c.channel, applicant_name = COALESCE(c.applicant->>'name', ''), submitted_at = c.submitted_at,
    received_at = c.received_at, due_at = c.due_at, paused = c.paused,
    reception_late = COALESCE((c.law->>'reception_late')::boolean, false),
    case_actions = (SELECT string_agg(x.agency || chr(31) || x.role || chr(31) || x.subject || chr(31) || x.actions, chr(30)
        ORDER BY x.agency, x.role, x.subject) FROM case_tasks x WHERE x.case_code = c.code)
FROM cases c WHERE c.code = t.case_code;

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
