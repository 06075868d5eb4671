-- +goose Up
-- The inbox filtered by status or by procedure (the officer's page offers
-- both) reads one ordered range of each role's tasks, from the cursor on,
-- instead of the role's whole workload filtered: at a million cases an
-- agency with a few thousand open ones spent 2 ms finding a page of a rare
-- status. Overdue has its partial index (00002).
CREATE INDEX case_tasks_inbox_status ON case_tasks (agency, role, status, sort_at, case_code);
CREATE INDEX case_tasks_inbox_procedure ON case_tasks (agency, role, procedure_code, sort_at, case_code);

-- +goose Down
DROP INDEX case_tasks_inbox_procedure;
DROP INDEX case_tasks_inbox_status;
