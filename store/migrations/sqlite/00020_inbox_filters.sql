-- +goose Up
-- The inbox filtered by status or by procedure (the officer's page offers
-- both) reads one ordered range of each role's tasks, from the cursor on,
-- instead of the role's whole workload filtered: at a million cases an
-- agency with a few thousand open ones spent 2 ms finding a page of a rare
-- status. Overdue has its partial index (00002).
CREATE INDEX case_tasks_inbox_status ON case_tasks (agency, role, status, sort_at, case_code);
CREATE INDEX case_tasks_inbox_procedure ON case_tasks (agency, role, procedure_code, sort_at, case_code);
-- The inbox page's counts per status (a case once, whatever roles of the
-- officer it waits for) read this index alone, in (status, case) order,
-- instead of sorting the agency's tasks: 15-20 ms for the head of an agency
-- with 8,600 open cases, 4-6 ms with it (psql, a loaded machine).
CREATE INDEX case_tasks_counts ON case_tasks (agency, status, case_code, role, subject);

-- +goose Down
DROP INDEX case_tasks_counts;
DROP INDEX case_tasks_inbox_procedure;
DROP INDEX case_tasks_inbox_status;
