-- +goose Up
-- Periodic reports (báo cáo định kỳ): one per period (month 2026-10,
-- quarter 2026-Q3, year 2026) and scope (an agency's code, or '' for the
-- province), its PDF and CSV kept here so that every API process serves
-- them; regenerating a period overwrites its rows (csv_sha256 shows the
-- numbers stayed the same).
CREATE TABLE reports (
    period       TEXT NOT NULL,
    period_key   TEXT NOT NULL,
    agency       TEXT NOT NULL,
    from_day     TEXT NOT NULL,
    to_day       TEXT NOT NULL,
    received     BIGINT NOT NULL,
    resolved     BIGINT NOT NULL,
    late         BIGINT NOT NULL,
    overdue      BIGINT NOT NULL,
    csv_sha256   TEXT NOT NULL,
    pdf          BYTEA NOT NULL,
    csv          BYTEA NOT NULL,
    generations  INTEGER NOT NULL DEFAULT 1,
    generated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (period, period_key, agency)
);

-- An agency's late cases (the leader's drill-down): resolved late by the
-- day they ended, or still open and overdue.
CREATE INDEX stats_case_late ON stats_case (agency, outcome, closed_day);

-- The sums by quarter too (day is the quarter's first), so that a year by
-- procedure sums a third of the monthly rows: the work of a statistics
-- query is its rows times its 68 sums. Filled from the monthly sums.
CREATE TABLE stats_quarterly (LIKE stats_daily INCLUDING ALL);
INSERT INTO stats_quarterly (day, agency, procedure_code, channel, received, resolved_on_time, resolved_late, open_on_time, open_overdue, returned, rejected, withdrawn, cancelled, days_sum, supplements, paid, paid_online, rated, rated_1, rated_2, rated_3, rated_4, rated_5, overall_sum, time_kept_sum, attitude_sum, guidance_sum, fees_sum, days_0, days_1, days_2, days_3, days_4, days_5, days_6, days_7, days_8, days_9, days_10, days_11, days_12, days_13, days_14, days_15, days_16, days_17, days_18, days_19, days_20, days_21, days_22, days_23, days_24, days_25, days_26, days_27, days_28, days_29, days_30, days_31, days_32, days_33, days_34, days_35, days_36, days_37, days_38, days_39, days_40, days_41, days_42, days_43)
SELECT substr(day, 1, 5) || lpad(CAST((CAST(substr(day, 6, 2) AS INTEGER) - 1) / 3 * 3 + 1 AS TEXT), 2, '0') || '-01', agency, procedure_code, channel, SUM(received), SUM(resolved_on_time), SUM(resolved_late), SUM(open_on_time), SUM(open_overdue), SUM(returned), SUM(rejected), SUM(withdrawn), SUM(cancelled), SUM(days_sum), SUM(supplements), SUM(paid), SUM(paid_online), SUM(rated), SUM(rated_1), SUM(rated_2), SUM(rated_3), SUM(rated_4), SUM(rated_5), SUM(overall_sum), SUM(time_kept_sum), SUM(attitude_sum), SUM(guidance_sum), SUM(fees_sum), SUM(days_0), SUM(days_1), SUM(days_2), SUM(days_3), SUM(days_4), SUM(days_5), SUM(days_6), SUM(days_7), SUM(days_8), SUM(days_9), SUM(days_10), SUM(days_11), SUM(days_12), SUM(days_13), SUM(days_14), SUM(days_15), SUM(days_16), SUM(days_17), SUM(days_18), SUM(days_19), SUM(days_20), SUM(days_21), SUM(days_22), SUM(days_23), SUM(days_24), SUM(days_25), SUM(days_26), SUM(days_27), SUM(days_28), SUM(days_29), SUM(days_30), SUM(days_31), SUM(days_32), SUM(days_33), SUM(days_34), SUM(days_35), SUM(days_36), SUM(days_37), SUM(days_38), SUM(days_39), SUM(days_40), SUM(days_41), SUM(days_42), SUM(days_43)
FROM stats_monthly GROUP BY 1, 2, 3, 4;

-- +goose Down
DROP TABLE stats_quarterly;
DROP INDEX stats_case_late;
DROP TABLE reports;
