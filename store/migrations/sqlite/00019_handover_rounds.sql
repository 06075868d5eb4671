-- +goose Up
-- A hand-over passes over the open cases again while a pass moves any
-- (cases the read model recorded late, cases that failed), and waits for
-- submissions not yet recorded: the pass it is in, and how many it waits
-- for. A new pass starts its failures afresh, so progress is ordered by
-- (round, cases handled), not by cases handled alone.
ALTER TABLE handovers ADD COLUMN round INTEGER NOT NULL DEFAULT 0;
ALTER TABLE handovers ADD COLUMN waiting INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE handovers DROP COLUMN waiting;
ALTER TABLE handovers DROP COLUMN round;
