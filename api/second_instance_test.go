package api

import (
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/workflows"
)

// The right to a second-instance complaint, Luật Khiếu nại 2011 Điều 33
// khoản 1: within 30 days (45 in remote areas) of receiving the
// first-instance decision, or of the first instance's time limit running
// out unresolved; never before either.
func TestSecondInstanceRight(t *testing.T) {
	at := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 10, 0, 0, 0, calendar.Location) }
	ptr := func(t time.Time) *time.Time { return &t }
	received, due := at(3, 2), at(4, 15)
	decided := func(issued time.Time, delivered *time.Time, remote bool) *motcua.Case {
		c := &motcua.Case{Status: motcua.StatusCompleted, ReceivedAt: &received, DueAt: &due, Law: &motcua.CaseLaw{},
			Result: &motcua.Result{Outcome: workflows.OutcomeDismissed, IssuedAt: issued}}
		if delivered != nil {
			c.Timeline = append(c.Timeline, motcua.Event{Action: motcua.ActionDeliver, At: *delivered})
		}
		if remote {
			c.Law.Extensions = []motcua.Extension{{Kind: workflows.ExtendRemote}}
		}
		return c
	}
	pending := &motcua.Case{Status: motcua.StatusInvestigating, ReceivedAt: &received, DueAt: &due, Law: &motcua.CaseLaw{}}
	for _, tc := range []struct {
		name    string
		first   *motcua.Case
		now     time.Time
		until   time.Time // zero: refused
		refusal string
	}{
		{"decided: 30 days from the decision", decided(at(4, 1), nil, false), at(4, 20), calendar.EndOfDay(at(5, 1)), ""},
		{"decided: the last day", decided(at(4, 1), nil, false), calendar.EndOfDay(at(5, 1)).Add(-time.Minute), calendar.EndOfDay(at(5, 1)), ""},
		{"decided: a day late", decided(at(4, 1), nil, false), at(5, 2), time.Time{}, "Đã quá thời hạn khiếu nại lần hai: 30 ngày kể từ ngày nhận được quyết định"},
		{"decided, received later: counted from receipt", decided(at(4, 1), ptr(at(4, 10)), false), at(5, 8), calendar.EndOfDay(at(5, 10)), ""},
		{"remote area: 45 days", decided(at(4, 1), nil, true), at(5, 10), calendar.EndOfDay(at(5, 16)), ""},
		{"remote area: a day late", decided(at(4, 1), nil, true), at(5, 17), time.Time{}, "45 ngày"},
		{"unresolved, time limit running", pending, at(4, 15), time.Time{}, "thời hạn giải quyết lần đầu chưa hết (đến ngày 15/04/2026)"},
		{"unresolved past the time limit: 30 days from it", pending, at(4, 16), calendar.EndOfDay(at(5, 15)), ""},
		{"unresolved, too late", pending, at(5, 16), time.Time{}, "kể từ ngày hết thời hạn giải quyết lần đầu"},
		{"not accepted", &motcua.Case{Status: motcua.StatusSubmitted, DueAt: &due}, at(6, 1), time.Time{}, "chưa được thụ lý"},
		{"not accepted for handling (Điều 27)", &motcua.Case{Status: motcua.StatusRejected}, at(4, 1), time.Time{}, "không được thụ lý hoặc đã được rút"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			until, refusal := secondInstanceRight(tc.first, tc.now)
			if tc.refusal != "" {
				if !strings.Contains(refusal, tc.refusal) || !strings.Contains(refusal, "Điều 33 khoản 1") {
					t.Fatalf("refusal %q, want it to say %q and cite Điều 33 khoản 1", refusal, tc.refusal)
				}
				return
			}
			if refusal != "" || !until.Equal(tc.until) {
				t.Fatalf("until %v refusal %q, want until %v", until, refusal, tc.until)
			}
		})
	}
}
