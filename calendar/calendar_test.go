package calendar

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// at is a wall-clock time in Vietnam.
func at(y int, m time.Month, d, hour, min int) time.Time {
	return time.Date(y, m, d, hour, min, 0, 0, Location)
}

// date is midnight of a Vietnamese civil date.
func date(y int, m time.Month, d int) time.Time { return at(y, m, d, 0, 0) }

// deadline is 17:00 of a Vietnamese civil date.
func deadline(y int, m time.Month, d int) time.Time { return at(y, m, d, 17, 0) }

func TestLocation(t *testing.T) {
	if got := Location.String(); got != "Asia/Ho_Chi_Minh" {
		t.Errorf("Location = %q, want Asia/Ho_Chi_Minh", got)
	}
}

func TestDefault(t *testing.T) {
	c := Default()
	if got, want := c.Years(), []int{2025, 2026, 2027}; !slices.Equal(got, want) {
		t.Errorf("Years() = %v, want %v", got, want)
	}
	if Default() != c {
		t.Error("Default() parsed the file twice")
	}
	for _, tc := range []struct {
		t    time.Time
		want bool
	}{
		{date(2024, 12, 31), false},
		{date(2025, 1, 1), true},
		{date(2027, 12, 31), true},
		{date(2028, 1, 1), false},
		// 2024-12-31 17:30 UTC is already 2025 in Vietnam.
		{time.Date(2024, 12, 31, 17, 30, 0, 0, time.UTC), true},
	} {
		if got := c.Covers(tc.t); got != tc.want {
			t.Errorf("Covers(%v) = %v, want %v", tc.t, got, tc.want)
		}
	}
}

func TestYearsIsACopy(t *testing.T) {
	c := Default()
	c.Years()[0] = 1999
	if got := c.Years()[0]; got != 2025 {
		t.Errorf("Years()[0] = %d after modifying a returned slice, want 2025", got)
	}
}

func TestIsWorkingDay(t *testing.T) {
	c := Default()
	tests := []struct {
		name string
		t    time.Time
		want bool
	}{
		{"plain Friday", date(2025, 3, 7), true},
		{"plain Saturday", date(2025, 3, 8), false},
		{"plain Sunday", date(2025, 3, 9), false},
		{"Tết Dương lịch 2025", date(2025, 1, 1), false},
		{"Tết 2025 first day (28 Chạp)", date(2025, 1, 27), false},
		{"Tết 2025 last day (mùng 3)", date(2025, 1, 31), false},
		{"after Tết 2025", date(2025, 2, 3), true},
		{"Giỗ Tổ 2025", date(2025, 4, 7), false},
		{"makeup Saturday 26/4/2025", date(2025, 4, 26), true},
		{"swapped Friday 2/5/2025", date(2025, 5, 2), false},
		{"Quốc khánh 2025 adjacent day", date(2025, 9, 1), false},
		{"Quốc khánh 2025", date(2025, 9, 2), false},
		{"day after Quốc khánh 2025", date(2025, 9, 3), true},
		{"swapped Friday 2/1/2026", date(2026, 1, 2), false},
		{"makeup Saturday 10/1/2026", date(2026, 1, 10), true},
		{"Tết 2026 29 Chạp", date(2026, 2, 16), false},
		{"Tết 2026 mùng 4", date(2026, 2, 20), false},
		{"after Tết 2026", date(2026, 2, 23), true},
		{"Giỗ Tổ 2026 on Sunday", date(2026, 4, 26), false},
		{"nghỉ bù Giỗ Tổ 2026", date(2026, 4, 27), false},
		{"makeup Saturday 22/8/2026", date(2026, 8, 22), true},
		{"swapped Monday 31/8/2026", date(2026, 8, 31), false},
		{"24/11/2026 is not (yet) a day off", date(2026, 11, 24), true},
		{"Tết 2027 29 Chạp", date(2027, 2, 5), false},
		{"nghỉ bù Tết 2027", date(2027, 2, 11), false},
		{"after Tết 2027", date(2027, 2, 12), true},
		{"nghỉ bù 1/5/2027", date(2027, 5, 3), false},
		{"Quốc khánh 2027 adjacent day", date(2027, 9, 3), false},
		{"outside coverage: holiday weekday counts", date(2024, 9, 2), true},
		{"outside coverage: Saturday", date(2028, 1, 1), false},
		{"outside coverage: Monday", date(2028, 1, 3), true},
		// Sunday 2/2/2025 in UTC, Monday 3/2/2025 in Vietnam.
		{"civil date in Vietnam", time.Date(2025, 2, 2, 20, 0, 0, 0, time.UTC), true},
		// Sunday 26/1/2025 in UTC, Monday 27/1/2025 (Tết) in Vietnam.
		{"holiday in Vietnam, weekday-agnostic zone", time.Date(2025, 1, 26, 18, 0, 0, 0, time.UTC), false},
		{"Friday 7/3/2025 late evening", at(2025, 3, 7, 23, 59), true},
	}
	for _, tc := range tests {
		if got := c.IsWorkingDay(tc.t); got != tc.want {
			t.Errorf("%s: IsWorkingDay(%v) = %v, want %v", tc.name, tc.t, got, tc.want)
		}
	}
}

func TestDue(t *testing.T) {
	c := Default()
	tests := []struct {
		name     string
		received time.Time
		days     int
		pauses   []Pause
		want     time.Time
	}{
		{"plain weekdays", at(2025, 3, 3, 10, 0), 3, nil, deadline(2025, 3, 6)},
		{"reception hour does not matter", at(2025, 3, 3, 23, 59), 3, nil, deadline(2025, 3, 6)},
		{"Friday reception skips the weekend", at(2025, 3, 7, 9, 0), 2, nil, deadline(2025, 3, 11)},
		{"Saturday reception", at(2025, 3, 8, 9, 0), 1, nil, deadline(2025, 3, 10)},
		{"Sunday reception", at(2025, 3, 9, 9, 0), 3, nil, deadline(2025, 3, 12)},
		{"reception on a holiday (Giỗ Tổ 2025)", at(2025, 4, 7, 9, 0), 1, nil, deadline(2025, 4, 8)},
		{"days = 0", at(2025, 3, 3, 9, 0), 0, nil, deadline(2025, 3, 4)},
		{"days = 0 on a Friday", at(2025, 3, 7, 9, 0), 0, nil, deadline(2025, 3, 10)},
		{"days < 0", at(2025, 3, 7, 9, 0), -2, nil, deadline(2025, 3, 10)},
		{"Tết 2025: received the Friday before", at(2025, 1, 24, 9, 0), 3, nil, deadline(2025, 2, 5)},
		{"Tết 2025: one day left before", at(2025, 1, 23, 9, 0), 2, nil, deadline(2025, 2, 3)},
		{"Tết 2026: received the Friday before", at(2026, 2, 13, 9, 0), 3, nil, deadline(2026, 2, 25)},
		{"Tết 2026: straddling", at(2026, 2, 11, 9, 0), 5, nil, deadline(2026, 2, 25)},
		{"Tết 2027 (projected) with nghỉ bù", at(2027, 2, 4, 9, 0), 2, nil, deadline(2027, 2, 15)},
		{"30/4 2025: makeup Saturday counts", at(2025, 4, 24, 9, 0), 3, nil, deadline(2025, 4, 28)},
		{"30/4 2025: due on the makeup Saturday", at(2025, 4, 25, 9, 0), 1, nil, deadline(2025, 4, 26)},
		{"30/4 2025: swapped 2/5 is off", at(2025, 4, 29, 9, 0), 2, nil, deadline(2025, 5, 6)},
		{"Quốc khánh 2025: four days off", at(2025, 8, 29, 9, 0), 1, nil, deadline(2025, 9, 3)},
		{"Quốc khánh 2026: five days off", at(2026, 8, 28, 9, 0), 1, nil, deadline(2026, 9, 3)},
		{"Quốc khánh 2026: makeup Saturday 22/8", at(2026, 8, 21, 9, 0), 3, nil, deadline(2026, 8, 25)},
		{"Tết Dương lịch 2026 across the year end", at(2025, 12, 31, 9, 0), 2, nil, deadline(2026, 1, 6)},
		{"consecutive holidays: Giỗ Tổ bù then 30/4–1/5 2026", at(2026, 4, 24, 9, 0), 4, nil, deadline(2026, 5, 5)},
		{"long processing time across Tết 2026", at(2026, 1, 30, 9, 0), 15, nil, deadline(2026, 2, 27)},
		{"outside coverage: plain Mon–Fri", at(2028, 2, 4, 9, 0), 3, nil, deadline(2028, 2, 9)},
		{"from coverage into 2028", at(2027, 12, 30, 9, 0), 3, nil, deadline(2028, 1, 4)},
		// 18:00 UTC on Sunday 2/3 is 01:00 on Monday 3/3 in Vietnam.
		{"reception in another zone", time.Date(2025, 3, 2, 18, 0, 0, 0, time.UTC), 1, nil, deadline(2025, 3, 4)},

		{"one pause", at(2025, 3, 3, 9, 0), 5,
			[]Pause{{at(2025, 3, 5, 10, 0), at(2025, 3, 10, 9, 0)}},
			deadline(2025, 3, 13)},
		{"two pauses, given out of order", at(2025, 3, 3, 9, 0), 5,
			[]Pause{
				{at(2025, 3, 7, 8, 0), at(2025, 3, 11, 16, 0)},
				{at(2025, 3, 4, 8, 0), at(2025, 3, 5, 8, 0)},
			},
			deadline(2025, 3, 13)},
		{"overlapping pauses", at(2025, 3, 3, 9, 0), 5,
			[]Pause{
				{at(2025, 3, 5, 8, 0), at(2025, 3, 10, 8, 0)},
				{at(2025, 3, 6, 8, 0), at(2025, 3, 7, 8, 0)},
			},
			deadline(2025, 3, 13)},
		{"pause starting and ending the same day costs nothing", at(2025, 3, 3, 9, 0), 3,
			[]Pause{{at(2025, 3, 4, 9, 0), at(2025, 3, 4, 15, 0)}},
			deadline(2025, 3, 6)},
		{"pause ending on a weekend", at(2025, 3, 3, 9, 0), 3,
			[]Pause{{at(2025, 3, 5, 9, 0), at(2025, 3, 8, 10, 0)}},
			deadline(2025, 3, 10)},
		{"pause across Tết 2025", at(2025, 1, 20, 9, 0), 5,
			[]Pause{{at(2025, 1, 22, 9, 0), at(2025, 2, 3, 9, 0)}},
			deadline(2025, 2, 6)},
		{"pause made on the due day", at(2025, 3, 3, 9, 0), 2,
			[]Pause{{at(2025, 3, 5, 9, 0), at(2025, 3, 10, 9, 0)}},
			deadline(2025, 3, 11)},
		{"pause made after the days were used up", at(2025, 3, 3, 9, 0), 2,
			[]Pause{{at(2025, 3, 7, 9, 0), at(2025, 3, 10, 9, 0)}},
			deadline(2025, 3, 11)},
		{"used-up pause whose supplement arrives on a Friday before Tết", at(2025, 1, 20, 9, 0), 1,
			[]Pause{{at(2025, 1, 21, 9, 0), at(2025, 1, 24, 9, 0)}},
			deadline(2025, 2, 3)},
		{"pause starting before reception", at(2025, 3, 3, 9, 0), 2,
			[]Pause{{at(2025, 2, 28, 9, 0), at(2025, 3, 4, 9, 0)}},
			deadline(2025, 3, 6)},
	}
	for _, tc := range tests {
		got, ok := c.Due(tc.received, tc.days, tc.pauses)
		if !ok || !got.Equal(tc.want) {
			t.Errorf("%s: Due(%v, %d, %v) = %v, %v; want %v, true",
				tc.name, tc.received, tc.days, tc.pauses, got, ok, tc.want)
		}
		if ok && got.Location() != Location {
			t.Errorf("%s: Due returned a time in %v, want %v", tc.name, got.Location(), Location)
		}
	}
}

func TestDueNotOK(t *testing.T) {
	c := Default()
	received := at(2025, 3, 3, 9, 0)
	tests := []struct {
		name   string
		pauses []Pause
	}{
		{"open pause", []Pause{{From: at(2025, 3, 4, 9, 0)}}},
		{"closed pause then open pause", []Pause{
			{at(2025, 3, 4, 9, 0), at(2025, 3, 5, 9, 0)},
			{From: at(2025, 3, 6, 9, 0)},
		}},
		{"pause ending before it starts", []Pause{{at(2025, 3, 5, 9, 0), at(2025, 3, 4, 9, 0)}}},
	}
	for _, tc := range tests {
		got, ok := c.Due(received, 5, tc.pauses)
		if ok || !got.IsZero() {
			t.Errorf("%s: Due = %v, %v; want zero time, false", tc.name, got, ok)
		}
	}
}

func TestDueDoesNotReorderCallerPauses(t *testing.T) {
	pauses := []Pause{
		{at(2025, 3, 7, 8, 0), at(2025, 3, 11, 16, 0)},
		{at(2025, 3, 4, 8, 0), at(2025, 3, 5, 8, 0)},
	}
	first := pauses[0]
	Default().Due(at(2025, 3, 3, 9, 0), 5, pauses)
	if pauses[0] != first {
		t.Error("Due reordered the caller's pauses")
	}
}

func TestWorkingDaysBetween(t *testing.T) {
	c := Default()
	tests := []struct {
		name     string
		from, to time.Time
		want     int
	}{
		{"across Tết 2025", date(2025, 1, 24), date(2025, 2, 3), 1},
		{"makeup Saturday 2025 counts", date(2025, 4, 24), date(2025, 4, 28), 3},
		{"times of day are ignored", at(2025, 3, 3, 16, 0), at(2025, 3, 4, 8, 0), 1},
		{"same day", at(2025, 3, 3, 8, 0), at(2025, 3, 3, 16, 0), 0},
		{"to before from", date(2025, 3, 10), date(2025, 3, 3), 0},
		{"whole of 2025", date(2025, 1, 1), date(2025, 12, 31), 250},
		{"whole of 2026", date(2025, 12, 31), date(2026, 12, 31), 250},
		{"whole of 2027 (projected)", date(2026, 12, 31), date(2027, 12, 31), 250},
		{"outside coverage: one plain week", date(2028, 3, 5), date(2028, 3, 12), 5},
		// 18:00 UTC on 2/2 and 3/2 are 3/2 and 4/2 in Vietnam.
		{"civil dates in Vietnam", time.Date(2025, 2, 2, 18, 0, 0, 0, time.UTC), time.Date(2025, 2, 3, 18, 0, 0, 0, time.UTC), 1},
	}
	for _, tc := range tests {
		if got := c.WorkingDaysBetween(tc.from, tc.to); got != tc.want {
			t.Errorf("%s: WorkingDaysBetween(%v, %v) = %d, want %d", tc.name, tc.from, tc.to, got, tc.want)
		}
	}
}

func TestAddWorkingDays(t *testing.T) {
	c := Default()
	tests := []struct {
		name string
		d    time.Time
		n    int
		want time.Time
	}{
		{"across Tết 2025", date(2025, 1, 24), 1, date(2025, 2, 3)},
		{"onto the makeup Saturday", at(2025, 4, 25, 15, 30), 1, date(2025, 4, 26)},
		{"across 30/4–1/5 2025", date(2025, 4, 29), 1, date(2025, 5, 5)},
		{"n = 0 keeps the date", at(2025, 3, 3, 15, 30), 0, date(2025, 3, 3)},
		{"n = 0 on a holiday keeps the date", date(2025, 1, 29), 0, date(2025, 1, 29)},
		{"backwards across Tết 2025", date(2025, 2, 3), -1, date(2025, 1, 24)},
		{"across Tết 2026", date(2026, 2, 12), 3, date(2026, 2, 24)},
		// 20:00 UTC on 23/1 is Friday 24/1 in Vietnam.
		{"civil date in Vietnam", time.Date(2025, 1, 23, 20, 0, 0, 0, time.UTC), 1, date(2025, 2, 3)},
	}
	for _, tc := range tests {
		got := c.AddWorkingDays(tc.d, tc.n)
		if !got.Equal(tc.want) || got.Location() != Location {
			t.Errorf("%s: AddWorkingDays(%v, %d) = %v, want %v", tc.name, tc.d, tc.n, got, tc.want)
		}
	}
}

// Eight working hours counted as one working day: the same clock time on
// the next working day; from 17:00 when filed after it or on a day off.
func TestSameTimeAfter(t *testing.T) {
	c := Default()
	tests := []struct {
		name string
		t    time.Time
		want time.Time
	}{
		{"a working morning: the next morning", at(2025, 3, 3, 9, 30), at(2025, 3, 4, 9, 30)},
		{"Friday afternoon: Monday afternoon", at(2025, 3, 7, 16, 59), at(2025, 3, 10, 16, 59)},
		{"after 17:00: the end of the next working day", at(2025, 3, 7, 17, 1), at(2025, 3, 10, 17, 0)},
		{"a Saturday: the end of Monday", at(2025, 3, 8, 10, 0), at(2025, 3, 10, 17, 0)},
		{"before 30/4–1/5 2025: across the holidays", at(2025, 4, 29, 8, 0), at(2025, 5, 5, 8, 0)},
		{"during Tết 2025: the end of the first working day", at(2025, 1, 29, 9, 0), at(2025, 2, 3, 17, 0)},
	}
	for _, tc := range tests {
		if got := c.SameTimeAfter(tc.t, 1); !got.Equal(tc.want) {
			t.Errorf("%s: SameTimeAfter(%v, 1) = %v, want %v", tc.name, tc.t, got, tc.want)
		}
	}
}

// Without pauses the three counting functions must agree on every day.
func TestCountingAgrees(t *testing.T) {
	c := Default()
	for d := date(2024, 12, 1); d.Before(date(2028, 2, 1)); d = d.AddDate(0, 0, 1) {
		for n := 1; n <= 12; n++ {
			add := c.AddWorkingDays(d, n)
			due, ok := c.Due(d, n, nil)
			if !ok || !due.Equal(add.Add(17*time.Hour)) {
				t.Fatalf("Due(%v, %d) = %v, AddWorkingDays = %v", d, n, due, add)
			}
			if got := c.WorkingDaysBetween(d, add); got != n {
				t.Fatalf("WorkingDaysBetween(%v, AddWorkingDays(%d)) = %d", d, n, got)
			}
			if !c.IsWorkingDay(add) {
				t.Fatalf("AddWorkingDays(%v, %d) = %v is not a working day", d, n, add)
			}
		}
	}
}

const validYAML = `
years:
  2025:
    status: official
    source: "test"
    holidays:
      - {date: 2025-01-01, name: "Tết Dương lịch"}
    compensatory:
      - {date: 2025-01-02, note: "bù"}
    makeup_workdays:
      - {date: 2025-01-04, note: "làm bù"}
`

func TestLoad(t *testing.T) {
	c, err := Load(strings.NewReader(validYAML))
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Years(); !slices.Equal(got, []int{2025}) {
		t.Errorf("Years() = %v, want [2025]", got)
	}
	for _, tc := range []struct {
		t    time.Time
		want bool
	}{
		{date(2025, 1, 1), false},
		{date(2025, 1, 2), false},
		{date(2025, 1, 3), true},
		{date(2025, 1, 4), true},
		{date(2025, 1, 5), false},
	} {
		if got := c.IsWorkingDay(tc.t); got != tc.want {
			t.Errorf("IsWorkingDay(%v) = %v, want %v", tc.t, got, tc.want)
		}
	}
}

func TestLoadErrors(t *testing.T) {
	// section builds a one-year file from the year's list lines.
	section := func(year int, lists string) string {
		return fmt.Sprintf("years:\n  %d:\n    status: official\n    source: test\n%s", year, lists)
	}
	tests := []struct {
		name string
		yaml string
		want []string // substrings of the error
	}{
		{"date listed twice in holidays", section(2025, `
    holidays:
      - {date: 2025-01-01, name: a}
      - {date: 2025-01-01, name: b}
`), []string{"year 2025", "holidays[1] 2025-01-01", "listed twice", "holidays[0]"}},
		{"date listed as holiday and compensatory", section(2025, `
    holidays:
      - {date: 2025-01-02, name: a}
    compensatory:
      - {date: 2025-01-02, note: b}
`), []string{"year 2025", "compensatory[0] 2025-01-02", "listed twice"}},
		{"date listed as holiday and makeup workday", section(2025, `
    holidays:
      - {date: 2025-01-04, name: a}
    makeup_workdays:
      - {date: 2025-01-04, note: b}
`), []string{"year 2025", "makeup_workdays[0] 2025-01-04", "listed twice"}},
		{"makeup workday on a Friday", section(2025, `
    makeup_workdays:
      - {date: 2025-04-25, note: a}
`), []string{"year 2025", "makeup_workdays[0] 2025-04-25", "Saturday or Sunday", "Friday"}},
		{"compensatory day on a Sunday", section(2026, `
    compensatory:
      - {date: 2026-04-26, note: a}
`), []string{"year 2026", "compensatory[0] 2026-04-26", "weekday", "Sunday"}},
		{"holiday in the wrong year section", section(2025, `
    holidays:
      - {date: 2025-12-31, name: a}
      - {date: 2026-01-01, name: b}
`), []string{"year 2025", "holidays[1] 2026-01-01", "not in 2025"}},
		{"compensatory in the wrong year section", section(2026, `
    compensatory:
      - {date: 2025-09-03, note: a}
`), []string{"year 2026", "compensatory[0] 2025-09-03", "not in 2026"}},
		{"makeup workday in the wrong year section", section(2026, `
    makeup_workdays:
      - {date: 2025-04-26, note: a}
`), []string{"year 2026", "makeup_workdays[0] 2025-04-26", "not in 2026"}},
		{"impossible date", section(2025, `
    holidays:
      - {date: 2025-02-30, name: a}
`), []string{"year 2025", `holidays[0] "2025-02-30"`, "malformed"}},
		{"Vietnamese date order", section(2025, `
    holidays:
      - {date: "01/01/2025", name: a}
`), []string{"year 2025", `holidays[0] "01/01/2025"`, "malformed"}},
		{"unpadded date", section(2025, `
    compensatory:
      - {date: 2025-1-2, note: a}
`), []string{"year 2025", `compensatory[0] "2025-1-2"`, "malformed"}},
		{"missing date", section(2025, `
    holidays:
      - {name: a}
`), []string{"year 2025", `holidays[0] ""`, "malformed"}},
		{"missing name", section(2025, `
    holidays:
      - {date: 2025-01-01}
`), []string{"year 2025", "holidays[0] 2025-01-01", "missing name"}},
		{"unknown key in a year", section(2025, `
    holiday:
      - {date: 2025-01-01, name: a}
`), []string{"holiday not found"}},
		{"note on a holiday", section(2025, `
    holidays:
      - {date: 2025-01-01, note: a}
`), []string{"note not found"}},
		{"unknown top-level key", "year:\n  2025: {}\n", []string{"year not found"}},
		{"year that is not a number", "years:\n  next: {status: official, source: x}\n", []string{"next"}},
		{"bad status", "years:\n  2025: {status: draft, source: x}\n", []string{"year 2025", `status "draft"`}},
		{"empty source", "years:\n  2025: {status: projected}\n", []string{"year 2025", "source is empty"}},
		{"no years", "years: {}\n", []string{"no years"}},
		{"empty file", "", []string{"empty file"}},
	}
	for _, tc := range tests {
		_, err := Load(strings.NewReader(tc.yaml))
		if err == nil {
			t.Errorf("%s: Load succeeded, want an error", tc.name)
			continue
		}
		for _, w := range append(tc.want, "calendar: ") {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q does not contain %q", tc.name, err, w)
			}
		}
	}
}

func TestLoadFile(t *testing.T) {
	dir := t.TempDir()

	good := filepath.Join(dir, "vn.yaml")
	if err := os.WriteFile(good, vnYAML, 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := LoadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.Years(), Default().Years(); !slices.Equal(got, want) {
		t.Errorf("Years() = %v, want %v", got, want)
	}

	bad := filepath.Join(dir, "tinh.yaml")
	dup := "years:\n  2025:\n    status: official\n    source: x\n    holidays:\n" +
		"      - {date: 2025-09-02, name: a}\n      - {date: 2025-09-02, name: b}\n"
	if err := os.WriteFile(bad, []byte(dup), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = LoadFile(bad)
	if err == nil {
		t.Fatal("LoadFile succeeded on a duplicate date")
	}
	for _, w := range []string{bad, "year 2025", "holidays[1] 2025-09-02", "listed twice"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q does not contain %q", err, w)
		}
	}

	missing := filepath.Join(dir, "missing.yaml")
	if _, err := LoadFile(missing); err == nil || !strings.Contains(err.Error(), missing) {
		t.Errorf("LoadFile(missing) error = %v, want one naming %s", err, missing)
	}
}

func ExampleCalendar_Due() {
	c := Default()
	// Received on the Friday before Tết Ất Tỵ; 3 working days to process.
	received := time.Date(2025, 1, 24, 9, 30, 0, 0, Location)
	due, ok := c.Due(received, 3, nil)
	fmt.Println(due.Format("Mon 02/01/2006 15:04"), ok)
	// Output: Wed 05/02/2025 17:00 true
}
