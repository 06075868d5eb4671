// Package calendar counts working days of the Vietnamese civil-servant calendar
// (lịch làm việc của cán bộ, công chức, viên chức), in which legal processing
// times are expressed.
//
// The calendar is data: vn.yaml lists, per year, the days off, the nghỉ bù days
// and the làm bù weekend days. A province loads its own edited copy with
// LoadFile; Default is the copy embedded in the binary. A Calendar is immutable
// and safe for concurrent use.
package calendar

import (
	"bytes"
	_ "embed"
	"fmt"
	"io"
	"os"
	"slices"
	"sync"
	"time"

	_ "time/tzdata" // the deadline must not depend on the host having tzdata
)

// Location is Asia/Ho_Chi_Minh. Every date computation happens on civil dates
// in this zone, whatever the zone of the time passed in.
var Location = loadLocation()

func loadLocation() *time.Location {
	if loc, err := time.LoadLocation("Asia/Ho_Chi_Minh"); err == nil {
		return loc
	}
	return time.FixedZone("ICT", 7*60*60)
}

// dueHour is the end of the working day, when a deadline expires.
const dueHour = 17

//go:embed vn.yaml
var vnYAML []byte

var defaultCalendar = sync.OnceValue(func() *Calendar {
	c, err := Load(bytes.NewReader(vnYAML))
	if err != nil {
		panic("calendar: embedded vn.yaml: " + err.Error())
	}
	return c
})

// Calendar is a working-day calendar covering a set of years.
type Calendar struct {
	years []int
	off   map[day]bool // holidays and compensatory days
	work  map[day]bool // weekend days that are working days
}

// Default returns the embedded Vietnamese calendar.
func Default() *Calendar { return defaultCalendar() }

// Load reads a calendar in the format of vn.yaml.
func Load(r io.Reader) (*Calendar, error) {
	c, err := parse(r)
	if err != nil {
		return nil, fmt.Errorf("calendar: %w", err)
	}
	return c, nil
}

// LoadFile is Load on the file at path.
func LoadFile(path string) (*Calendar, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("calendar: %w", err)
	}
	defer f.Close()
	c, err := parse(f)
	if err != nil {
		return nil, fmt.Errorf("calendar: %s: %w", path, err)
	}
	return c, nil
}

// Years returns the years the calendar covers, ascending.
func (c *Calendar) Years() []int { return slices.Clone(c.years) }

// Covers reports whether t's year (in Location) is in the calendar. Outside
// it the calendar knows no holidays, so callers should warn about deadlines
// computed there.
func (c *Calendar) Covers(t time.Time) bool {
	_, found := slices.BinarySearch(c.years, t.In(Location).Year())
	return found
}

// IsWorkingDay reports whether t's civil date in Location is a working day.
func (c *Calendar) IsWorkingDay(t time.Time) bool { return c.working(dayOf(t)) }

func (c *Calendar) working(d day) bool {
	if c.off[d] {
		return false
	}
	if c.work[d] {
		return true
	}
	wd := d.weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// WorkingDaysBetween counts the working days d with from's date < d <= to's date.
// It is 0 when to's date is not after from's date.
func (c *Calendar) WorkingDaysBetween(from, to time.Time) int {
	return c.count(dayOf(from), dayOf(to))
}

// count counts the working days in (from, to].
func (c *Calendar) count(from, to day) int {
	n := 0
	for d := from + 1; d <= to; d++ {
		if c.working(d) {
			n++
		}
	}
	return n
}

// AddWorkingDays returns 00:00 (Location) of the n-th working day after t's
// date; n == 0 returns t's date and n < 0 counts backwards.
func (c *Calendar) AddWorkingDays(t time.Time, n int) time.Time {
	d, step := dayOf(t), day(1)
	if n < 0 {
		n, step = -n, -1
	}
	for ; n > 0; n-- {
		d += step
		for !c.working(d) {
			d += step
		}
	}
	return d.at(0)
}

// StartOfDay is 00:00 (Location) of t's date.
func StartOfDay(t time.Time) time.Time { return dayOf(t).at(0) }

// EndOfDay is when a deadline falling on t's date expires: 17:00 (Location),
// the end of the civil servant's working day.
func EndOfDay(t time.Time) time.Time { return dayOf(t).at(dueHour) }

// After is the deadline n working days after t's date: 17:00 on that day.
func (c *Calendar) After(t time.Time, n int) time.Time { return EndOfDay(c.AddWorkingDays(t, n)) }

// SameTimeAfter is the same clock time as t on the n-th working day after
// t's date; a t after 17:00 or on a day off counts from 17:00 (the working
// day is over, or has not begun). It measures periods the law gives in
// working hours, taking a working day for 8 working hours: the calendar
// knows working days, not office hours.
func (c *Calendar) SameTimeAfter(t time.Time, n int) time.Time {
	d := dayOf(t)
	clock := t.Sub(d.at(0))
	if end := time.Duration(dueHour) * time.Hour; !c.working(d) || clock > end {
		clock = end
	}
	return c.AddWorkingDays(t, n).Add(clock)
}

// Warn is when a case due at due warns that its due date nears: the end of
// the working day days working days before it; zero when days is 0.
func (c *Calendar) Warn(due time.Time, days int) time.Time {
	if days <= 0 {
		return time.Time{}
	}
	return c.After(due, -days)
}

// Pause is an interval during which the legal clock stops while the case waits
// for the citizen's supplement (yêu cầu bổ sung hồ sơ). From is when the request
// was made, To when the supplement arrived; a zero To means still waiting.
type Pause struct {
	From, To time.Time
}

// Due returns the deadline, 17:00 Location time, of a case received at
// received with a processing time of days working days.
//
// The deadline is the days-th working day after the reception day, which never
// counts itself; days <= 0 means the first working day after reception.
// For each pause, the day the request is made counts, while the working days
// after it up to and including the day the supplement arrives do not. When the
// processing time was already used up by the day a pause starts, the agency
// still gets one working day after the supplement arrives.
//
// ok is false, and due zero, when a pause is still open (zero To) or ends on an
// earlier date than it starts. Outside the covered years weekdays count as
// working days; use Covers to detect that.
func (c *Calendar) Due(received time.Time, days int, pauses []Pause) (due time.Time, ok bool) {
	need := max(days, 1)
	ps := slices.Clone(pauses)
	for _, p := range ps {
		if p.To.IsZero() || dayOf(p.To) < dayOf(p.From) {
			return time.Time{}, false
		}
	}
	slices.SortFunc(ps, func(a, b Pause) int { return a.From.Compare(b.From) })

	cur, used := dayOf(received), 0 // days up to cur are accounted for
	for _, p := range ps {
		from, to := max(dayOf(p.From), cur), max(dayOf(p.To), cur)
		used = min(used+c.count(cur, from), need-1)
		cur = max(cur, to)
	}
	for used < need {
		cur++
		if c.working(cur) {
			used++
		}
	}
	return cur.at(dueHour), true
}

// day is a civil date, as days since 1970-01-01.
type day int

func dayOf(t time.Time) day {
	y, m, d := t.In(Location).Date()
	return dayFromDate(y, m, d)
}

func dayFromDate(y int, m time.Month, d int) day {
	return day(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / (24 * 60 * 60))
}

func (d day) utc() time.Time { return time.Unix(int64(d)*24*60*60, 0).UTC() }

func (d day) weekday() time.Weekday { return d.utc().Weekday() }

// at returns hour:00 of d in Location.
func (d day) at(hour int) time.Time {
	y, m, dd := d.utc().Date()
	return time.Date(y, m, dd, hour, 0, 0, 0, Location)
}
