package motcua

import (
	"fmt"
	"strconv"
	"time"
)

// Reports (báo cáo định kỳ): the statistics of a closed month, quarter or
// year, for the province and for each agency, rendered as PDF and CSV,
// stored, listed for download and mailed to the province's office.

// ReportPeriods are the kinds of period a report covers.
var ReportPeriods = []string{PeriodMonth, PeriodQuarter, PeriodYear}

// Report describes one stored report: Scope is the agency's code, or ""
// for the province. Digest is the SHA-256 of its CSV, so a regenerated
// report shows it gives the same numbers.
type Report struct {
	Period      string    `json:"period"`
	Key         string    `json:"key"`
	Agency      string    `json:"agency,omitempty"`
	From        string    `json:"from"`
	To          string    `json:"to"`
	Received    int64     `json:"received"`
	Resolved    int64     `json:"resolved"`
	Late        int64     `json:"resolved_late"`
	Overdue     int64     `json:"open_overdue"`
	Digest      string    `json:"csv_sha256"`
	Generations int       `json:"generations"`
	GeneratedAt time.Time `json:"generated_at"`
}

// vietnam is the province's time: reports are cut at its midnights (no
// daylight saving).
var vietnam = time.FixedZone("ICT", 7*3600)

// ReportRange is the first and last day of the period key names
// (2026-10, 2026-Q3 or 2026), at midnight in Vietnam.
func ReportRange(period, key string) (from, to time.Time, err error) {
	bad := Errorf(EINVALID, "Kỳ báo cáo %q không hợp lệ với loại %q (tháng YYYY-MM, quý YYYY-Qn, năm YYYY).", key, period)
	switch period {
	case PeriodMonth:
		t, perr := time.ParseInLocation("2006-01", key, vietnam)
		if perr != nil {
			return from, to, bad
		}
		return t, t.AddDate(0, 1, -1), nil
	case PeriodQuarter:
		var y, q int
		if n, _ := fmt.Sscanf(key, "%4d-Q%1d", &y, &q); n != 2 || q < 1 || q > 4 || len(key) != 7 {
			return from, to, bad
		}
		t := time.Date(y, time.Month(3*q-2), 1, 0, 0, 0, 0, vietnam)
		return t, t.AddDate(0, 3, -1), nil
	case PeriodYear:
		y, perr := strconv.Atoi(key)
		if perr != nil || len(key) != 4 {
			return from, to, bad
		}
		t := time.Date(y, 1, 1, 0, 0, 0, 0, vietnam)
		return t, t.AddDate(1, 0, -1), nil
	}
	return from, to, Errorf(EINVALID, "Loại kỳ báo cáo %q không hợp lệ (month, quarter, year).", period)
}

// PreviousReportPeriod is the key of the last period of its kind that
// ended before at (Vietnam time): what a schedule firing at at reports on.
func PreviousReportPeriod(period string, at time.Time) string {
	t := at.In(vietnam)
	switch period {
	case PeriodMonth:
		return time.Date(t.Year(), t.Month()-1, 1, 0, 0, 0, 0, vietnam).Format("2006-01")
	case PeriodQuarter:
		first := time.Date(t.Year(), t.Month()-(t.Month()-1)%3, 1, 0, 0, 0, 0, vietnam).AddDate(0, -3, 0)
		return fmt.Sprintf("%d-Q%d", first.Year(), (int(first.Month())+2)/3)
	}
	return strconv.Itoa(t.Year() - 1)
}

// ReportClosed reports whether the period ended before now: only closed
// periods are reported.
func ReportClosed(period, key string, now time.Time) bool {
	_, to, err := ReportRange(period, key)
	return err == nil && now.After(to.AddDate(0, 0, 1))
}

// ReportFilter narrows a list of reports; Agency "-" is the province's.
type ReportFilter struct {
	Period, Key, Agency string
	Limit               int
}

// Kinds of late case (the leader's drill-down).
const (
	LateOverdue  = "overdue"  // in progress past its due date
	LateResolved = "resolved" // result issued after its due date
)

// LateCase is one case behind an agency's late numbers.
type LateCase struct {
	Code          string     `json:"code"`
	ProcedureCode string     `json:"procedure"`
	ProcedureName string     `json:"procedure_name"`
	Status        string     `json:"status"`
	SubmittedAt   time.Time  `json:"submitted_at"`
	DueAt         *time.Time `json:"due_at,omitempty"`
	ClosedAt      *time.Time `json:"closed_at,omitempty"`
}
