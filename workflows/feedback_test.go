package workflows_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/workflows"
)

var feedbackWF = workflowOf(motcua.ShapeFeedback)

// feedbackInput is a feedback about a case of SKHDT, filed Monday 3 March
// 2025 at 09:00.
func feedbackInput() workflows.CaseInput {
	p := motcua.Procedure{Code: motcua.ProcedureFeedback, Version: 1, Name: motcua.Text{Vi: "Phản ánh, kiến nghị", En: "Feedback"},
		Tier: motcua.TierProvince, Agencies: []string{"DN-TTPVHCC"}, Level: 4, Online: motcua.OnlineFull, Shape: motcua.ShapeFeedback,
		ProcessingDays: 15, Deadlines: map[string]int{workflows.DeadlineAnswer: 15},
		Steps:  motcua.Steps{motcua.StepAnswer: {Role: motcua.RoleHead}, motcua.StepOverdue: {Role: motcua.RoleHead}},
		Result: motcua.ResultSpec{Type: "answer", Name: "Văn bản trả lời phản ánh, kiến nghị"}, Delivery: []string{"online"}, Hash: "fb"}
	form, _ := json.Marshal(motcua.FeedbackForm{Kind: motcua.FeedbackReport, Content: "Quá hẹn không xin lỗi.",
		AboutCase: "SKHDT-250220-0001", AboutAgency: "SKHDT", Publish: true})
	in := input(p, motcua.DeliveryOnline)
	in.Code, in.Form = "SKHDT-250303-FB01", form
	return in
}

// A feedback is received on filing and waits for the head of the agency it
// is about, who alone answers it; its deadline is 15 working days from
// filing (Mon 3/3/2025 → Mon 24/3/2025 17:00), and an answer before then is
// on time: the case completes with the answer as its result.
func TestFeedbackAnsweredOnTime(t *testing.T) {
	otherHead := officer("STNMT", "giamdoc", motcua.RoleHead)
	h := newHarness(t)
	final := h.run(t, feedbackWF, feedbackInput(), []move{
		{action: motcua.ActionAnswer, actor: reviewer, data: `{"answer":"x"}`, want: motcua.EFORBIDDEN},
		{action: motcua.ActionAnswer, actor: otherHead, data: `{"answer":"x"}`, want: motcua.EFORBIDDEN},
		{action: motcua.ActionAnswer, actor: head, data: `{"answer":""}`, want: motcua.EINVALID},
		{action: motcua.ActionReceive, actor: receiver, want: motcua.ECONFLICT},
		{after: 5 * 24 * time.Hour, action: motcua.ActionAnswer, actor: head, data: `{"answer":"Sở đã chấn chỉnh bộ phận một cửa."}`},
	})
	assertTimeline(t, final, "submit>submitted", "transferred>awaiting_answer", "answer>completed")
	if want := vn(2025, 3, 24, 17, 0); final.DueAt == nil || !final.DueAt.Equal(want) {
		t.Fatalf("due %v, want %v", final.DueAt, want)
	}
	if final.ReceivedAt == nil || !final.ReceivedAt.Equal(start) {
		t.Fatalf("received %v, want the filing time", final.ReceivedAt)
	}
	if final.Result == nil || final.Result.Note != "Sở đã chấn chỉnh bộ phận một cửa." || final.Result.IssuedAt.After(*final.DueAt) {
		t.Fatalf("result %+v", final.Result)
	}
	if final.Overdue || final.Law == nil || final.Law.Late {
		t.Fatalf("an answer in time is on time: overdue %v law %+v", final.Overdue, final.Law)
	}
	// Waiting, the feedback offered the answer to the head of SKHDT only.
	v := h.records[0].Case
	if !hasAction(v, motcua.ActionAnswer, "SKHDT") || slices.ContainsFunc(v.Actions, func(p motcua.Permission) bool {
		return p.Action == motcua.ActionAnswer && (p.Agency != "SKHDT" || p.Role != motcua.RoleHead)
	}) {
		t.Fatalf("open actions %v", v.Actions)
	}
	// A feedback invites no rating or feedback on itself.
	for _, n := range h.backend.notifications {
		if len(n.Links) > 0 {
			t.Fatalf("feedback sent an invitation: %+v", n)
		}
	}
}

// Unanswered by its deadline, a feedback warns, then goes overdue (the
// head is told); answered after it, it stays late: the answer is issued
// after the due date (the read model counts it resolved late), and no
// apology can move the date (the one-stop rules do not apply to it).
func TestFeedbackAnsweredLateShowsLate(t *testing.T) {
	h := newHarness(t)
	final := h.run(t, feedbackWF, feedbackInput(), []move{
		{after: 22 * 24 * time.Hour, action: motcua.ActionReschedule, actor: head, reason: "Xin lỗi", data: `{"new_date":"2025-04-30"}`, want: motcua.ECONFLICT},
		{action: motcua.ActionAnswer, actor: head, data: `{"answer":"Trả lời muộn."}`},
	})
	assertTimeline(t, final, "submit>submitted", "transferred>awaiting_answer", "due_soon>awaiting_answer", "overdue>awaiting_answer", "answer>completed")
	if at := final.Timeline[3].At; !at.Equal(vn(2025, 3, 24, 17, 0)) {
		t.Fatalf("overdue at %v", at.In(calendar.Location))
	}
	if !final.Overdue || final.Law == nil || !final.Law.Late || final.Result == nil || !final.Result.IssuedAt.After(*final.DueAt) {
		t.Fatalf("late answer: overdue %v law %+v result %+v due %v", final.Overdue, final.Law, final.Result, final.DueAt)
	}
}

// From version 4 a case that ends invites its applicant, by the channels
// they chose, to rate it and give feedback, with the links to both; a case
// of version 3 does not.
func TestQualityInvitation(t *testing.T) {
	for _, v := range []int{3, workflows.CurrentVersion} {
		h := newHarness(t)
		if v != workflows.CurrentVersion {
			h.pin(v)
		}
		in := input(procedure(), motcua.DeliveryCounter)
		in.Notify, in.Applicant.Phone = []string{motcua.NotifySMS}, "0905123456"
		h.run(t, standardWF, in, []move{
			{action: motcua.ActionReceive, actor: receiver},
			{action: motcua.ActionWithdraw, actor: citizen, reason: "Nộp nhầm"},
		})
		var invites []workflows.Notification
		for _, n := range h.backend.notifications {
			if strings.HasSuffix(n.IdempotencyKey, "-quality") {
				invites = append(invites, n)
			}
		}
		if v < workflows.CurrentVersion {
			if len(invites) != 0 {
				t.Fatalf("v%d invited: %+v", v, invites)
			}
			continue
		}
		if len(invites) != 1 {
			t.Fatalf("v%d: %d invitations in %+v", v, len(invites), h.backend.notifications)
		}
		n := invites[0]
		want := []workflows.Link{{Label: "Đánh giá", Path: "/ho-so/SKHDT-250303-TEST01#rating"},
			{Label: "Phản ánh, kiến nghị", Path: "/ho-so/SKHDT-250303-TEST01/phan-anh"}}
		if !slices.Equal(n.Links, want) || n.Phone != "0905123456" || !slices.Equal(n.Channels, []string{motcua.NotifySMS}) {
			t.Fatalf("invitation %+v", n)
		}
	}
}
