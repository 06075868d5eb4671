-- +goose Up
-- Ratings of closed cases (one per case, editable for 7 days from the
-- first). No person is named here: the case code is the only link.
CREATE TABLE case_ratings (
    case_code  TEXT PRIMARY KEY REFERENCES cases (code),
    overall    SMALLINT NOT NULL,
    time_kept  SMALLINT NOT NULL,
    attitude   SMALLINT NOT NULL,
    guidance   SMALLINT NOT NULL,
    fees       SMALLINT NOT NULL,
    comment    TEXT NOT NULL DEFAULT '',
    rated_at   TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

-- Statistics. stats_case holds what each case contributes now (its
-- facts); stats_daily and stats_monthly are the sums of those
-- contributions by day, agency, procedure and channel, kept by adding the
-- difference between a case's new and old facts in the transaction that
-- records the case, so a replayed or late record adds nothing.
CREATE TABLE stats_case (
    case_code      TEXT PRIMARY KEY,
    agency         TEXT NOT NULL,
    procedure_code TEXT NOT NULL,
    channel        TEXT NOT NULL,
    submitted_day  TEXT NOT NULL,
    closed_day     TEXT NOT NULL DEFAULT '',
    outcome        TEXT NOT NULL,
    days_taken     INTEGER NOT NULL,
    supplements    INTEGER NOT NULL,
    returns        INTEGER NOT NULL,
    paid           INTEGER NOT NULL,
    paid_online    INTEGER NOT NULL,
    overall        SMALLINT NOT NULL,
    time_kept      SMALLINT NOT NULL,
    attitude       SMALLINT NOT NULL,
    guidance       SMALLINT NOT NULL,
    fees           SMALLINT NOT NULL
);

CREATE TABLE stats_daily (
    day              TEXT NOT NULL,
    agency           TEXT NOT NULL,
    procedure_code   TEXT NOT NULL,
    channel          TEXT NOT NULL,
    received         BIGINT NOT NULL DEFAULT 0,
    resolved_on_time BIGINT NOT NULL DEFAULT 0,
    resolved_late    BIGINT NOT NULL DEFAULT 0,
    open_on_time     BIGINT NOT NULL DEFAULT 0,
    open_overdue     BIGINT NOT NULL DEFAULT 0,
    returned         BIGINT NOT NULL DEFAULT 0,
    rejected         BIGINT NOT NULL DEFAULT 0,
    withdrawn        BIGINT NOT NULL DEFAULT 0,
    cancelled        BIGINT NOT NULL DEFAULT 0,
    days_sum         BIGINT NOT NULL DEFAULT 0,
    supplements      BIGINT NOT NULL DEFAULT 0,
    paid             BIGINT NOT NULL DEFAULT 0,
    paid_online      BIGINT NOT NULL DEFAULT 0,
    rated            BIGINT NOT NULL DEFAULT 0,
    rated_1          BIGINT NOT NULL DEFAULT 0,
    rated_2          BIGINT NOT NULL DEFAULT 0,
    rated_3          BIGINT NOT NULL DEFAULT 0,
    rated_4          BIGINT NOT NULL DEFAULT 0,
    rated_5          BIGINT NOT NULL DEFAULT 0,
    overall_sum      BIGINT NOT NULL DEFAULT 0,
    time_kept_sum    BIGINT NOT NULL DEFAULT 0,
    attitude_sum     BIGINT NOT NULL DEFAULT 0,
    guidance_sum     BIGINT NOT NULL DEFAULT 0,
    fees_sum         BIGINT NOT NULL DEFAULT 0,
    -- Working days taken by the cases resolved: days_0 … days_40 one
    -- day each, days_41 41–60, days_42 61–90, days_43 more than 90.
    days_0              BIGINT NOT NULL DEFAULT 0,
    days_1              BIGINT NOT NULL DEFAULT 0,
    days_2              BIGINT NOT NULL DEFAULT 0,
    days_3              BIGINT NOT NULL DEFAULT 0,
    days_4              BIGINT NOT NULL DEFAULT 0,
    days_5              BIGINT NOT NULL DEFAULT 0,
    days_6              BIGINT NOT NULL DEFAULT 0,
    days_7              BIGINT NOT NULL DEFAULT 0,
    days_8              BIGINT NOT NULL DEFAULT 0,
    days_9              BIGINT NOT NULL DEFAULT 0,
    days_10             BIGINT NOT NULL DEFAULT 0,
    days_11             BIGINT NOT NULL DEFAULT 0,
    days_12             BIGINT NOT NULL DEFAULT 0,
    days_13             BIGINT NOT NULL DEFAULT 0,
    days_14             BIGINT NOT NULL DEFAULT 0,
    days_15             BIGINT NOT NULL DEFAULT 0,
    days_16             BIGINT NOT NULL DEFAULT 0,
    days_17             BIGINT NOT NULL DEFAULT 0,
    days_18             BIGINT NOT NULL DEFAULT 0,
    days_19             BIGINT NOT NULL DEFAULT 0,
    days_20             BIGINT NOT NULL DEFAULT 0,
    days_21             BIGINT NOT NULL DEFAULT 0,
    days_22             BIGINT NOT NULL DEFAULT 0,
    days_23             BIGINT NOT NULL DEFAULT 0,
    days_24             BIGINT NOT NULL DEFAULT 0,
    days_25             BIGINT NOT NULL DEFAULT 0,
    days_26             BIGINT NOT NULL DEFAULT 0,
    days_27             BIGINT NOT NULL DEFAULT 0,
    days_28             BIGINT NOT NULL DEFAULT 0,
    days_29             BIGINT NOT NULL DEFAULT 0,
    days_30             BIGINT NOT NULL DEFAULT 0,
    days_31             BIGINT NOT NULL DEFAULT 0,
    days_32             BIGINT NOT NULL DEFAULT 0,
    days_33             BIGINT NOT NULL DEFAULT 0,
    days_34             BIGINT NOT NULL DEFAULT 0,
    days_35             BIGINT NOT NULL DEFAULT 0,
    days_36             BIGINT NOT NULL DEFAULT 0,
    days_37             BIGINT NOT NULL DEFAULT 0,
    days_38             BIGINT NOT NULL DEFAULT 0,
    days_39             BIGINT NOT NULL DEFAULT 0,
    days_40             BIGINT NOT NULL DEFAULT 0,
    days_41             BIGINT NOT NULL DEFAULT 0,
    days_42             BIGINT NOT NULL DEFAULT 0,
    days_43             BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (day, agency, procedure_code, channel)
);

-- The same sums by month (day is the month's first), so that a year of a
-- busy province sums a few thousand rows, not a million.
CREATE TABLE stats_monthly (LIKE stats_daily INCLUDING ALL);

-- One agency's days and months (the officers' view, an agency's report).
CREATE INDEX stats_daily_agency ON stats_daily (agency, procedure_code, day);
CREATE INDEX stats_monthly_agency ON stats_monthly (agency, procedure_code, day);

-- +goose Down
DROP TABLE stats_monthly;
DROP TABLE stats_daily;
DROP TABLE stats_case;
DROP TABLE case_ratings;
