package workflows_test

import (
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/workflows"
)

// A case nobody acts on warns one working day before its due date, becomes
// overdue at 17:00 on it, opens "reschedule" to the head, and stays overdue
// after the apology and new appointment.
// Before version 3 (cases in flight keep this path; lawclock_test.go has
// the rules of version 3).
func TestOverdueEscalatesAndReschedules(t *testing.T) {
	h := newHarness(t)
	h.pin(2)
	final := h.run(t, standardWF, input(procedure(), motcua.DeliveryCounter), []move{
		{action: motcua.ActionReceive, actor: receiver}, // Mon 3/3, due Thu 6/3 17:00
		{action: motcua.ActionReschedule, actor: head, reason: "x", data: `{"new_date":"2025-03-20"}`, want: motcua.ECONFLICT},
		{after: 4 * 24 * time.Hour, action: motcua.ActionReschedule, actor: reviewer, reason: "x", data: `{"new_date":"2025-03-20"}`, want: motcua.EFORBIDDEN},
		{action: motcua.ActionReschedule, actor: head, reason: "Xin lỗi ông/bà", data: `{"new_date":"2025-03-05"}`, want: motcua.EINVALID},
		{action: motcua.ActionReschedule, actor: head, reason: "Xin lỗi ông/bà vì chậm trễ", data: `{"new_date":"2025-03-12"}`},
		{action: motcua.ActionReview, actor: reviewer},
		{action: motcua.ActionReject, actor: approver, reason: "Không đủ điều kiện"},
	})
	assertTimeline(t, final, "submit>submitted", "receive>received", "transferred>in_review", "receipt_issued>in_review", "due_soon>in_review", "overdue>in_review", "reschedule>in_review", "review>awaiting_approval", "reject>rejected")
	if at := final.Timeline[4].At; !at.Equal(vn(2025, 3, 5, 17, 0)) {
		t.Fatalf("warned at %v", at.In(calendar.Location))
	}
	if at := final.Timeline[5].At; !at.Equal(vn(2025, 3, 6, 17, 0)) {
		t.Fatalf("overdue at %v", at.In(calendar.Location))
	}
	if !final.Overdue || final.RescheduledTo == nil || !final.RescheduledTo.Equal(vn(2025, 3, 12, 17, 0)) {
		t.Fatalf("overdue %v rescheduled %v", final.Overdue, final.RescheduledTo)
	}
	// The overdue view put the case in the head's hands.
	if v := h.outcomes[4].view; !hasAction(v, motcua.ActionReschedule, "SKHDT") {
		t.Fatalf("actions while overdue: %v", v.Actions)
	}
}

// Reception just before Tết 2025 (25/1–2/2): the due date skips the holiday.
func TestDueDateSkipsTet(t *testing.T) {
	h := newHarness(t)
	h.env.SetStartTime(time.Date(2025, 1, 23, 9, 0, 0, 0, calendar.Location)) // Thursday
	final := h.run(t, standardWF, input(procedure(), motcua.DeliveryCounter), []move{
		{action: motcua.ActionReceive, actor: receiver},
		{action: motcua.ActionWithdraw, actor: citizen},
	})
	// Fri 24/1, then Tết; Mon 3/2, Tue 4/2.
	if want := vn(2025, 2, 4, 17, 0); !final.DueAt.Equal(want) {
		t.Fatalf("due %v, want %v", final.DueAt.In(calendar.Location), want)
	}
	assertTimeline(t, final, "submit>submitted", "receive>received", "transferred>in_review", "receipt_issued>in_review", "withdraw>withdrawn")
}

// Each co-processing agency has its own sub-deadline; a late one is flagged
// on the timeline, and the lead goes on once every agency has answered.
func TestCoReviewSubDeadlines(t *testing.T) {
	p := procedure()
	p.CoAgencies = []motcua.CoAgency{{Agency: "STNMT", Days: 1}, {Agency: "CAT", Days: 3}}
	police := officer("CAT", "canbo", motcua.RoleReviewer)
	h := newHarness(t)
	final := h.run(t, standardWF, input(p, motcua.DeliveryCounter), []move{
		{action: motcua.ActionReceive, actor: receiver},
		{action: motcua.ActionReview, actor: reviewer},
		{action: motcua.ActionCoReview, actor: police, data: `{"agree":false}`, want: motcua.EINVALID},
		{action: motcua.ActionCoReview, actor: police, data: `{"agree":false}`, reason: "Có tiền án"},
		{action: motcua.ActionCoReview, actor: police, data: `{"agree":true}`, want: motcua.EFORBIDDEN},
		{after: 48 * time.Hour, action: motcua.ActionCoReview, actor: coOff, data: `{"agree":true}`},
		{action: motcua.ActionReject, actor: approver, reason: "Theo ý kiến Công an tỉnh"},
	})
	assertTimeline(t, final, "submit>submitted", "receive>received", "transferred>in_review", "receipt_issued>in_review", "review>in_review", "co_review_started>co_review", "co_review>co_review", "co_review_overdue>co_review", "co_review>awaiting_approval", "reject>rejected", "slip_issued>rejected")
	byAgency := map[string]motcua.Opinion{}
	for _, op := range final.Opinions {
		byAgency[op.Agency] = op
	}
	if op := byAgency["STNMT"]; !op.Overdue || op.DueAt == nil || !op.DueAt.Equal(vn(2025, 3, 4, 17, 0)) {
		t.Fatalf("STNMT opinion %+v", op)
	}
	if op := byAgency["CAT"]; op.Overdue || op.Agree == nil || *op.Agree || op.Note != "Có tiền án" {
		t.Fatalf("CAT opinion %+v", op)
	}
}

func TestWithdrawDuringCoReview(t *testing.T) {
	p := procedure()
	p.CoAgencies = []motcua.CoAgency{{Agency: "STNMT", Days: 2}}
	h := newHarness(t)
	final := h.run(t, standardWF, input(p, motcua.DeliveryCounter), []move{
		{action: motcua.ActionReceive, actor: receiver},
		{action: motcua.ActionReview, actor: reviewer},
		{action: motcua.ActionWithdraw, actor: holder, reason: "Nộp nhầm", want: motcua.EFORBIDDEN}, // the receipt's secret does not end a case
		{action: motcua.ActionWithdraw, actor: citizen, reason: "Nộp nhầm"},
	})
	if final.Status != motcua.StatusWithdrawn || final.Timeline[len(final.Timeline)-1].Reason != "Nộp nhầm" {
		t.Fatalf("final %s %+v", final.Status, final.Timeline)
	}
}

func TestComplaintShape(t *testing.T) {
	p := procedure()
	p.Code, p.Shape, p.Agencies, p.Fee = "giai-quyet-khieu-nai", motcua.ShapeComplaint, []string{"TTT"}, nil
	p.Deadlines = map[string]int{workflows.DeadlineAccept: 10, workflows.DeadlineResolve: 30}
	p.Steps = motcua.Steps{
		motcua.StepReceive: {Role: motcua.RoleReceiver}, motcua.StepAssign: {Role: motcua.RoleHead},
		motcua.StepReview: {Role: motcua.RoleReviewer}, motcua.StepConclude: {Role: motcua.RoleHead},
		motcua.StepDeliver: {Role: motcua.RoleReceiver},
	}
	in := input(p, motcua.DeliveryOnline)
	in.Agency = "TTT"
	desk := officer("TTT", "tiepdan", motcua.RoleReceiver)
	chief := officer("TTT", "chanhthanhtra", motcua.RoleHead)
	inv := officer("TTT", "thanhtravien", motcua.RoleReviewer)
	otherInv := officer("TTT", "thanhtravien2", motcua.RoleReviewer)
	h := newHarness(t)
	final := h.run(t, complaintWF, in, []move{
		{action: motcua.ActionReceive, actor: desk},
		{action: motcua.ActionAssign, actor: chief, data: `{"investigator":""}`, want: motcua.EINVALID},
		{action: motcua.ActionAssign, actor: chief, data: `{"investigator":"thanhtravien"}`},
		{action: motcua.ActionVerify, actor: otherInv, note: "x", want: motcua.EFORBIDDEN},
		{action: motcua.ActionRequestInfo, actor: inv, reason: "Cung cấp biên bản"},
		{action: motcua.ActionSupplement, actor: citizen},
		{action: motcua.ActionVerify, actor: inv, note: "Đã xác minh tại hiện trường"},
		{action: motcua.ActionConclude, actor: chief, data: `{"decision":"partly_upheld"}`, note: "Khiếu nại đúng một phần"},
	})
	assertTimeline(t, final, "submit>submitted", "receive>awaiting_assignment", "receipt_issued>awaiting_assignment", "assign>investigating", "request_info>awaiting_supplement", "supplement>investigating", "verify>awaiting_conclusion", "conclude>result_ready", "delivered>completed", "result_signed>completed")
	if final.Result == nil || final.Result.Outcome != "partly_upheld" {
		t.Fatalf("result %+v", final.Result)
	}
	// Accepted Mon 3/3; 30 working days later, plus the pause of one day
	// that cost none (same-day supplement): Tue 15/4 (Hùng Kings 7/4 off).
	if want := vn(2025, 4, 15, 17, 0); !final.DueAt.Equal(want) {
		t.Fatalf("due %v, want %v", final.DueAt.In(calendar.Location), want)
	}
}
