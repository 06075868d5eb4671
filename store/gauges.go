package store

import (
	"context"
	"fmt"
	"time"
)

// OpenCases counts the open cases of one agency in one status, for the
// metrics operators alert on.
type OpenCases struct {
	Agency  string
	Status  string
	Open    int
	Overdue int
	// OldestUpdate is when the least recently changed of them last changed.
	OldestUpdate time.Time
}

// OpenCaseGauges counts the open cases by agency and status.
func (db *DB) OpenCaseGauges(ctx context.Context) ([]OpenCases, error) {
	rows, err := db.gorm.WithContext(ctx).Raw(`SELECT agency, status, COUNT(*), SUM(CASE WHEN overdue THEN 1 ELSE 0 END), MIN(updated_at)
		FROM cases WHERE closed_at IS NULL GROUP BY agency, status`).Rows()
	if err != nil {
		return nil, fmt.Errorf("count open cases: %w", err)
	}
	defer rows.Close()
	var out []OpenCases
	for rows.Next() {
		var c OpenCases
		var oldest anyTime
		if err := rows.Scan(&c.Agency, &c.Status, &c.Open, &c.Overdue, &oldest); err != nil {
			return nil, fmt.Errorf("count open cases: %w", err)
		}
		c.OldestUpdate = oldest.t
		out = append(out, c)
	}
	return out, rows.Err()
}

// anyTime scans a timestamp an aggregate returns: PostgreSQL gives a time,
// SQLite the text it stored.
type anyTime struct{ t time.Time }

func (a *anyTime) Scan(v any) error {
	switch x := v.(type) {
	case time.Time:
		a.t = x
		return nil
	case string:
		return a.parse(x)
	case []byte:
		return a.parse(string(x))
	case nil:
		return nil
	}
	return fmt.Errorf("timestamp of type %T", v)
}

func (a *anyTime) parse(s string) error {
	for _, layout := range []string{"2006-01-02 15:04:05.999999999-07:00", time.RFC3339Nano, "2006-01-02 15:04:05.999999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			a.t = t
			return nil
		}
	}
	return fmt.Errorf("timestamp %q", s)
}
