package activities_test

import (
	"context"
	"testing"
	"time"

	"github.com/motcua/motcua/activities"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/workflows"
)

// The calendar's answers the Decree 118 rules of workflow version 5 use:
// the latest time of an apology (Điều 19 khoản 6: "chậm nhất 01 ngày trước
// ngày hết hạn", 17:00 of the working day before the due date) and the
// reply to an online filing (Điều 17 khoản 2 điểm c: 08 working hours,
// counted as one working day).
func TestDeadlineDecree118(t *testing.T) {
	d := &activities.Deadlines{Calendar: calendar.Default(), WarnDays: 1}
	vn := func(m time.Month, day, h, min int) time.Time {
		return time.Date(2025, m, day, h, min, 0, 0, calendar.Location)
	}
	for _, tc := range []struct {
		name, basis string
		req         workflows.DeadlineRequest
		at, by      time.Time
	}{
		{name: "due Thursday: apology by Wednesday 17:00", basis: "Điều 19 khoản 6",
			req: workflows.DeadlineRequest{Kind: workflows.DeadlineDue, From: vn(3, 3, 9, 0), Days: 3},
			at:  vn(3, 6, 17, 0), by: vn(3, 5, 17, 0)},
		{name: "a new appointment on Monday 5/5: apology by Tuesday 29/4 (holidays between)", basis: "Điều 19 khoản 6",
			req: workflows.DeadlineRequest{Kind: workflows.DeadlineWarn, From: vn(5, 5, 17, 0)},
			at:  vn(5, 5, 17, 0), by: vn(4, 29, 17, 0)},
		{name: "online filing on Friday 10:15: reply by Monday 10:15", basis: "Điều 17 khoản 2 điểm c",
			req: workflows.DeadlineRequest{Kind: workflows.DeadlineSameTime, From: vn(3, 7, 10, 15), Days: 1},
			at:  vn(3, 10, 10, 15)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := d.Deadline(context.Background(), tc.req)
			if err != nil {
				t.Fatal(err)
			}
			if !got.At.Equal(tc.at) || !got.ApologyBy.Equal(tc.by) {
				t.Fatalf("%s: at %v apology by %v, want %v, %v", tc.basis, got.At, got.ApologyBy, tc.at, tc.by)
			}
		})
	}
}
