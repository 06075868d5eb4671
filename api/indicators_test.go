package api

import (
	"testing"
	"time"

	"github.com/motcua/motcua/calendar"
)

// TestParseIndicatorPeriod: a year, quarter or month, cut at today;
// what has not begun or is not a period is refused.
func TestParseIndicatorPeriod(t *testing.T) {
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, calendar.Location)
	for _, tt := range []struct {
		name, from, to string
		bad            bool
	}{
		{"", "2026-01-01", "2026-11-27", false},
		{"2025", "2025-01-01", "2025-12-31", false},
		{"2026-Q1", "2026-01-01", "2026-03-31", false},
		{"2025-Q4", "2025-10-01", "2025-12-31", false},
		{"2024-02", "2024-02-01", "2024-02-29", false},
		{"2026-11", "2026-11-01", "2026-11-27", false},
		{"2026-12", "", "", true}, // not begun
		{"2026-Q5", "", "", true},
		{"2026-13", "", "", true},
		{"26", "", "", true},
	} {
		p, err := ParseIndicatorPeriod(tt.name, now)
		if tt.bad {
			if err == nil {
				t.Errorf("%q: no error", tt.name)
			}
			continue
		}
		if err != nil || p.From.Format(time.DateOnly) != tt.from || p.To.Format(time.DateOnly) != tt.to {
			t.Errorf("%q: %s..%s, %v; want %s..%s", tt.name, p.From.Format(time.DateOnly), p.To.Format(time.DateOnly), err, tt.from, tt.to)
		}
	}
}
