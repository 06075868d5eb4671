-- +goose Up
-- The lines that make up a case's fee (motcua.FeeLine: name, amount, legal
-- basis, why that rate), quoted from the definition's fee schedule when the
-- case was filed. Cases filed before have none: their fee is the one amount.
ALTER TABLE cases ADD COLUMN fee_lines TEXT;

-- +goose Down
ALTER TABLE cases DROP COLUMN fee_lines;
