package workflows_test

import (
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
)

// Decree 118/2025/NĐ-CP rules of workflow version 5 beyond the closure of
// an incomplete file (lawclock_test.go); docs/law/decree-118-2025.md quotes
// the clauses.

// at is the delay after a move made at from (the harness adds a minute to
// every move without one) that makes the next move fall at t.
func at(t, from time.Time) time.Duration { return t.Sub(from) }

// The apology and new appointment: "Đối với hồ sơ dự kiến quá hạn giải
// quyết, trong thời hạn chậm nhất 01 ngày trước ngày hết hạn, cơ quan, đơn
// vị có thẩm quyền giải quyết hồ sơ phải ... gửi văn bản xin lỗi" (Điều 19
// khoản 6). From version 5 one that comes after 17:00 of the working day
// before the due date is accepted, so the case gets its new date, but
// marked tardy with a timeline entry naming the clause; a version 4 case
// keeps the old path (only AfterDue).
func TestDecree118TardyApology(t *testing.T) {
	received := start.Add(time.Minute) // Mon 3/3 09:01: due Thu 6/3 17:00
	cutOff := vn(2025, 3, 5, 17, 0)    // Wed 5/3 17:00
	for _, tc := range []struct {
		name, basis     string
		version         int
		apologyAt       time.Time
		tardy, afterDue bool
		apologyBy       *time.Time // on the case before the apology
	}{
		{name: "the day before the due date, before 17:00: in time", basis: "NĐ 118/2025 Điều 19 khoản 6",
			apologyAt: vn(2025, 3, 5, 16, 0), apologyBy: &cutOff},
		{name: "the day before the due date, after 17:00: tardy", basis: "NĐ 118/2025 Điều 19 khoản 6",
			apologyAt: vn(2025, 3, 5, 17, 30), tardy: true, apologyBy: &cutOff},
		{name: "on the due date: tardy", basis: "NĐ 118/2025 Điều 19 khoản 6",
			apologyAt: vn(2025, 3, 6, 9, 0), tardy: true, apologyBy: &cutOff},
		{name: "after the due date: tardy and after due", basis: "NĐ 118/2025 Điều 19 khoản 6",
			apologyAt: vn(2025, 3, 7, 9, 0), tardy: true, afterDue: true, apologyBy: &cutOff},
		{name: "version 4: not marked", basis: "before versionTardyApology", version: 4,
			apologyAt: vn(2025, 3, 6, 9, 0)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			if tc.version != 0 {
				h.pin(tc.version)
			}
			final := h.run(t, standardWF, input(procedure(), motcua.DeliveryCounter), []move{
				{action: motcua.ActionReceive, actor: receiver},
				{after: at(tc.apologyAt, received), action: motcua.ActionReschedule, actor: head,
					reason: "Xin lỗi ông/bà: chờ kết quả xác minh của cơ quan thuế", data: `{"new_date":"2025-03-14"}`},
				{action: motcua.ActionWithdraw, actor: citizen},
			})
			if by := h.outcomes[0].view.Law.ApologyBy; (by == nil) != (tc.apologyBy == nil) || by != nil && !by.Equal(*tc.apologyBy) {
				t.Fatalf("%s: apology due by %v before the apology, want %v", tc.basis, by, tc.apologyBy)
			}
			law := final.Law
			if len(law.Apologies) != 1 || law.ApologyBy != nil {
				t.Fatalf("%s: law %+v (one apology allowed, none left to be due)", tc.basis, law)
			}
			a := law.Apologies[0]
			if !a.At.Equal(tc.apologyAt) || a.Tardy != tc.tardy || a.AfterDue != tc.afterDue || !final.DueAt.Equal(vn(2025, 3, 14, 17, 0)) {
				t.Fatalf("%s: apology %+v, due %v; want tardy %v after due %v", tc.basis, a, final.DueAt, tc.tardy, tc.afterDue)
			}
			i := eventIndex(final, motcua.ActionReschedule)
			e, ok := has(final, motcua.EventApologyTardy)
			if ok != tc.tardy || ok && (final.Timeline[i+1].Action != motcua.EventApologyTardy || !e.At.Equal(tc.apologyAt) ||
				!strings.Contains(e.Note, "Điều 19 khoản 6") || !strings.Contains(e.Note, "17:00 05/03/2025")) {
				t.Fatalf("%s: tardy event %v %+v: %v", tc.basis, ok, e, timeline(final))
			}
		})
	}
}

// An online filing: "Cán bộ ... tại Bộ phận Một cửa thông báo về việc tiếp
// nhận chính thức hoặc yêu cầu chỉnh sửa, bổ sung hồ sơ ... không muộn hơn
// 08 (tám) giờ làm việc kể từ khi Hệ thống ... tiếp nhận hồ sơ" (Điều 17
// khoản 2 điểm c), counted as one working day: the same clock time on the
// next working day, from 17:00 for a file that came after it or on a day
// off. From version 5 the desk's reply is due then and, if it has not come,
// the reception is marked late on the case and the timeline; the desk still
// answers. Counter filings, complaints and version 4 cases have no such
// time.
func TestDecree118OnlineReception(t *testing.T) {
	for _, tc := range []struct {
		name, basis string
		version     int
		filed       time.Time // the start, when not Monday 3/3 09:00
		channel     string
		complaint   bool
		moves       []move
		want        []string
		due         time.Time // the reply's due time, if any
		late        bool
	}{
		{name: "received the same day", basis: "NĐ 118/2025 Điều 17 khoản 2 điểm c",
			moves: []move{{after: time.Hour, action: motcua.ActionReceive, actor: receiver}, {action: motcua.ActionWithdraw, actor: citizen}},
			want:  []string{"submit>submitted", "receive>received", "transferred>in_review", "receipt_issued>in_review", "withdraw>withdrawn"},
			due:   vn(2025, 3, 4, 9, 0)},
		{name: "received the next working day, after the same hour: late", basis: "NĐ 118/2025 Điều 17 khoản 2 điểm c",
			moves: []move{{after: 24*time.Hour + 30*time.Minute, action: motcua.ActionReceive, actor: receiver}, {action: motcua.ActionWithdraw, actor: citizen}},
			want: []string{"submit>submitted", "reception_late>submitted", "receive>received", "transferred>in_review", "receipt_issued>in_review",
				"withdraw>withdrawn"},
			due: vn(2025, 3, 4, 9, 0), late: true},
		{name: "returned for corrections in time, received days later: not late", basis: "NĐ 118/2025 Điều 17 khoản 2 điểm a, c",
			moves: []move{
				{after: 6 * time.Hour, action: motcua.ActionReturn, actor: receiver, reason: "Thiếu bản sao căn cước"},
				{after: 72 * time.Hour, action: motcua.ActionSupplement, actor: citizen},
				{after: 48 * time.Hour, action: motcua.ActionReceive, actor: receiver},
				{action: motcua.ActionWithdraw, actor: citizen},
			},
			want: []string{"submit>submitted", "return>awaiting_supplement", "slip_issued>awaiting_supplement", "supplement>submitted",
				"receive>received", "transferred>in_review", "receipt_issued>in_review", "withdraw>withdrawn"},
			due: vn(2025, 3, 4, 9, 0)},
		{name: "filed on a Saturday: due at the end of Monday", basis: "NĐ 118/2025 Điều 17 khoản 2 điểm c (giờ làm việc)",
			filed: vn(2025, 3, 8, 10, 0),
			moves: []move{{after: 54 * time.Hour, action: motcua.ActionReceive, actor: receiver}, {action: motcua.ActionWithdraw, actor: citizen}},
			want:  []string{"submit>submitted", "receive>received", "transferred>in_review", "receipt_issued>in_review", "withdraw>withdrawn"},
			due:   vn(2025, 3, 10, 17, 0)},
		{name: "filed at the counter: no such time", basis: "NĐ 118/2025 Điều 17 khoản 1 (tại quầy)", channel: motcua.ChannelCounter,
			moves: []move{{after: 48 * time.Hour, action: motcua.ActionReceive, actor: receiver}, {action: motcua.ActionWithdraw, actor: citizen}},
			want:  []string{"submit>submitted", "receive>received", "transferred>in_review", "receipt_issued>in_review", "withdraw>withdrawn"}},
		{name: "a complaint: not an administrative procedure", basis: "NĐ 118/2025 Điều 1", complaint: true,
			moves: []move{{after: 48 * time.Hour, action: motcua.ActionReceive, actor: desk}, {action: motcua.ActionWithdraw, actor: citizen}},
			want:  []string{"submit>submitted", "receive>awaiting_assignment", "receipt_issued>awaiting_assignment", "withdraw>withdrawn"}},
		{name: "version 4: no such time", basis: "before versionOnlineReception", version: 4,
			moves: []move{{after: 48 * time.Hour, action: motcua.ActionReceive, actor: receiver}, {action: motcua.ActionWithdraw, actor: citizen}},
			want:  []string{"submit>submitted", "receive>received", "transferred>in_review", "receipt_issued>in_review", "withdraw>withdrawn"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			if !tc.filed.IsZero() {
				h.env.SetStartTime(tc.filed)
			}
			if tc.version != 0 {
				h.pin(tc.version)
			}
			wf, in := standardWF, input(procedure(), motcua.DeliveryCounter)
			if tc.complaint {
				wf, in = complaintWF, input(complaintProcedure(motcua.ShapeComplaint), motcua.DeliveryCounter)
				in.Agency = "TTT"
			}
			if tc.channel != "" {
				in.Channel = tc.channel
			}
			final := h.run(t, wf, in, tc.moves)
			assertTimeline(t, final, tc.want...)
			var due *time.Time
			late := false
			if final.Law != nil {
				due, late = final.Law.ReceptionDueAt, final.Law.ReceptionLate
			}
			if (due == nil) != tc.due.IsZero() || due != nil && !due.Equal(tc.due) || late != tc.late {
				t.Fatalf("%s: reply due %v late %v, want %v %v", tc.basis, due, late, tc.due, tc.late)
			}
			e, ok := has(final, motcua.EventReceptionLate)
			if ok && (!e.At.Equal(tc.due) || !strings.Contains(e.Note, "Điều 17 khoản 2 điểm c")) {
				t.Fatalf("%s: late event %+v", tc.basis, e)
			}
			// The desk's inbox shows it while the file waits: the
			// record written with the event says so.
			for _, r := range h.records {
				for _, ev := range r.Events {
					if ev.Action == motcua.EventReceptionLate && (r.Case.Status != motcua.StatusSubmitted || !r.Case.Law.ReceptionLate) {
						t.Fatalf("%s: the record of the late reception shows status %s law %+v", tc.basis, r.Case.Status, r.Case.Law)
					}
				}
			}
		})
	}
}

func eventIndex(c motcua.Case, a motcua.Action) int {
	for i, e := range c.Timeline {
		if e.Action == a {
			return i
		}
	}
	return -1
}
