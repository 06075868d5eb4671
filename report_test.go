package motcua

import (
	"testing"
	"time"
)

func TestReportPeriods(t *testing.T) {
	for _, tc := range []struct{ period, key, from, to string }{
		{PeriodMonth, "2026-02", "2026-02-01", "2026-02-28"},
		{PeriodMonth, "2024-02", "2024-02-01", "2024-02-29"},
		{PeriodQuarter, "2026-Q4", "2026-10-01", "2026-12-31"},
		{PeriodYear, "2025", "2025-01-01", "2025-12-31"},
	} {
		from, to, err := ReportRange(tc.period, tc.key)
		if err != nil || from.Format(time.DateOnly) != tc.from || to.Format(time.DateOnly) != tc.to {
			t.Errorf("%s %s: %s..%s %v", tc.period, tc.key, from, to, err)
		}
	}
	for _, bad := range [][2]string{{PeriodMonth, "2026-13"}, {PeriodMonth, "2026"}, {PeriodQuarter, "2026-Q5"}, {PeriodQuarter, "2026-Q1x"},
		{PeriodYear, "26"}, {"week", "2026-01"}} {
		if _, _, err := ReportRange(bad[0], bad[1]); err == nil || ErrorCode(err) != EINVALID {
			t.Errorf("%v: %v", bad, err)
		}
	}
	// 00:30 on 1 January in Vietnam is still 31 December in UTC.
	at := time.Date(2025, 12, 31, 17, 30, 0, 0, time.UTC)
	for period, want := range map[string]string{PeriodMonth: "2025-12", PeriodQuarter: "2025-Q4", PeriodYear: "2025"} {
		if got := PreviousReportPeriod(period, at); got != want {
			t.Errorf("%s before %s: %s, want %s", period, at, got, want)
		}
	}
	if got := PreviousReportPeriod(PeriodQuarter, time.Date(2026, 8, 15, 0, 0, 0, 0, vietnam)); got != "2026-Q2" {
		t.Errorf("quarter before mid-August: %s", got)
	}
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, vietnam)
	if ReportClosed(PeriodMonth, "2026-11", now) || !ReportClosed(PeriodMonth, "2026-10", now) || ReportClosed(PeriodYear, "2026", now) {
		t.Error("closed periods")
	}
}
