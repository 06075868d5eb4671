package workflows_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"go.temporal.io/sdk/testsuite"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/calendar"
)

func vn(y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, calendar.Location)
}

func TestStandardHappyPath(t *testing.T) {
	p := procedure()
	p.CoAgencies = []motcua.CoAgency{{Agency: "STNMT", Days: 2}}
	h := newHarness(t)
	final := h.run(t, standardWF, input(p, motcua.DeliveryCounter), []move{
		{action: motcua.ActionReceive, actor: receiver},
		{action: motcua.ActionReview, actor: reviewer, note: "Hồ sơ hợp lệ"},
		{action: motcua.ActionCoReview, actor: coOff, data: `{"agree":true}`},
		{action: motcua.ActionApprove, actor: approver},
		{action: motcua.ActionConfirmPayment, actor: cashier, data: `{"receipt_no":"BL-0001"}`},
		{action: motcua.ActionIssue, actor: reviewer, data: `{"number":"4000123456"}`},
		{action: motcua.ActionDeliver, actor: receiver},
	})
	assertTimeline(t, final,
		"submit>submitted", "receive>received", "transferred>in_review", "receipt_issued>in_review", "review>in_review", "co_review_started>co_review", "co_review>awaiting_approval", "approve>awaiting_payment", "confirm_payment>awaiting_issue", "issue>result_ready", "result_signed>result_ready", "deliver>completed")
	if final.Status != motcua.StatusCompleted || final.ClosedAt == nil {
		t.Fatalf("final %s closed %v", final.Status, final.ClosedAt)
	}
	// Received Monday 3/3/2025 09:01: three working days after → Thursday 6/3 17:00.
	if want := vn(2025, 3, 6, 17, 0); !final.DueAt.Equal(want) {
		t.Fatalf("due %v, want %v", final.DueAt.In(calendar.Location), want)
	}
	if len(final.Payments) != 1 || final.Payments[0].Reference != "BL-0001" || final.Payments[0].Amount != 50000 {
		t.Fatalf("payments %+v", final.Payments)
	}
	if final.Result == nil || final.Result.Number != "4000123456" {
		t.Fatalf("result %+v", final.Result)
	}
	if op := final.Opinions; len(op) != 1 || op[0].Agree == nil || !*op[0].Agree || op[0].Answered == nil {
		t.Fatalf("opinions %+v", op)
	}
	// Each Update answered with the case as it then stood, next actions open.
	receiveView := h.outcomes[0].view
	if receiveView.Status != motcua.StatusInReview || !hasAction(receiveView, motcua.ActionReview, "SKHDT") {
		t.Fatalf("after receive: %s %v", receiveView.Status, receiveView.Actions)
	}
	if e := final.Timeline[1]; e.Actor.Subject != receiver.Subject || e.Actor.Role != motcua.RoleReceiver {
		t.Fatalf("receive actor %+v", e.Actor)
	}
}

// A record runs as a local activity from versionLocalRecords, and the SDK
// hands a local activity its arguments as they are while the workflow
// goes on changing the case: each record must still say, at the end, what
// it said when it was written (the apology's cut-off, say, is cleared by
// the apology).
func TestRecordsKeepWhatTheySaid(t *testing.T) {
	h := newHarness(t)
	h.run(t, standardWF, input(procedure(), motcua.DeliveryCounter), []move{
		{action: motcua.ActionReceive, actor: receiver},
		{action: motcua.ActionReschedule, actor: head, reason: "Xin lỗi ông/bà: chờ xác minh", data: `{"new_date":"2025-03-14"}`},
		{action: motcua.ActionReview, actor: reviewer},
		{action: motcua.ActionApprove, actor: approver},
		{action: motcua.ActionConfirmPayment, actor: cashier, data: `{"receipt_no":"BL-0002"}`},
		{action: motcua.ActionIssue, actor: reviewer},
		{action: motcua.ActionDeliver, actor: receiver},
	})
	if len(h.records) < 6 {
		t.Fatalf("%d records", len(h.records))
	}
	for i, r := range h.records {
		b, err := json.Marshal(r)
		if err != nil || !bytes.Equal(b, h.recordsAsWritten[i]) {
			t.Fatalf("record %d changed after it was written (%v):\nthen %s\nnow  %s", i, err, h.recordsAsWritten[i], b)
		}
	}
}

func hasAction(c motcua.Case, a motcua.Action, agency string) bool {
	for _, p := range c.Actions {
		if p.Action == a && p.Agency == agency {
			return true
		}
	}
	return false
}

func TestOnlineDeliveryCompletesOnIssue(t *testing.T) {
	p := procedure()
	p.Fee = nil
	delete(p.Steps, motcua.StepApprove)
	delete(p.Steps, motcua.StepPayment)
	h := newHarness(t)
	final := h.run(t, standardWF, input(p, motcua.DeliveryOnline), []move{
		{action: motcua.ActionReceive, actor: receiver},
		{action: motcua.ActionReview, actor: reviewer},
		{action: motcua.ActionIssue, actor: reviewer},
	})
	assertTimeline(t, final, "submit>submitted", "receive>received", "transferred>in_review", "receipt_issued>in_review", "review>awaiting_issue", "issue>result_ready", "delivered>completed", "result_signed>completed")
}

func TestReturnAtReceptionThenSupplement(t *testing.T) {
	h := newHarness(t)
	final := h.run(t, standardWF, input(procedure(), motcua.DeliveryCounter), []move{
		{action: motcua.ActionReturn, actor: receiver, want: motcua.EINVALID}, // guidance is required
		{action: motcua.ActionReturn, actor: receiver, reason: "Thiếu bản sao CCCD"},
		{action: motcua.ActionReceive, actor: receiver, want: motcua.ECONFLICT},
		{action: motcua.ActionSupplement, actor: stranger, want: motcua.EFORBIDDEN},
		{action: motcua.ActionSupplement, actor: holder, note: "Đã bổ sung"},
		{action: motcua.ActionReceive, actor: receiver},
		{action: motcua.ActionReject, actor: reviewer, reason: "Ngành nghề cấm kinh doanh"},
	})
	assertTimeline(t, final, "submit>submitted", "return>awaiting_supplement", "slip_issued>awaiting_supplement", "supplement>submitted", "receive>received", "transferred>in_review", "receipt_issued>in_review", "reject>rejected", "slip_issued>rejected")
	if len(final.Pauses) != 0 {
		t.Fatalf("a return before reception must not pause a clock: %+v", final.Pauses)
	}
}

// The clock pauses while the applicant supplements; the due date moves by
// the working days spent waiting, per the fixed semantics.
// Before version 3 (a supplement restarts the clock from then on).
func TestRequestInfoPausesClock(t *testing.T) {
	h := newHarness(t)
	h.pin(2)
	final := h.run(t, standardWF, input(procedure(), motcua.DeliveryCounter), []move{
		{action: motcua.ActionReceive, actor: receiver},                                                       // Mon 3/3 09:01, due Thu 6/3
		{after: 24 * time.Hour, action: motcua.ActionRequestInfo, actor: reviewer, reason: "Bổ sung điều lệ"}, // Tue 4/3: counts
		{after: 72 * time.Hour, action: motcua.ActionSupplement, actor: citizen},                              // Fri 7/3: does not
		{action: motcua.ActionWithdraw, actor: citizen, reason: "Không còn nhu cầu"},
	})
	assertTimeline(t, final, "submit>submitted", "receive>received", "transferred>in_review", "receipt_issued>in_review", "request_info>awaiting_supplement", "supplement>in_review", "withdraw>withdrawn")
	// Used: Tue 4/3 (1 day). Remaining 2 working days after Fri 7/3: Mon 10, Tue 11.
	if want := vn(2025, 3, 11, 17, 0); !final.DueAt.Equal(want) {
		t.Fatalf("due %v, want %v", final.DueAt.In(calendar.Location), want)
	}
	if len(final.Pauses) != 1 || final.Pauses[0].To == nil || final.Paused {
		t.Fatalf("pauses %+v paused %v", final.Pauses, final.Paused)
	}
	// While paused the view said so and showed no overdue.
	if v := h.outcomes[1].view; !v.Paused || v.Overdue || v.Status != motcua.StatusAwaitingSupplement {
		t.Fatalf("paused view %+v", v)
	}
}

// Before version 3 (from then on only where a text allows it).
func TestSupplementDeadlineCancels(t *testing.T) {
	h := newHarness(t)
	h.pin(2)
	final := h.run(t, standardWF, input(procedure(), motcua.DeliveryCounter), []move{
		{action: motcua.ActionReceive, actor: receiver},
		{action: motcua.ActionRequestInfo, actor: reviewer, reason: "Bổ sung"},
	})
	assertTimeline(t, final, "submit>submitted", "receive>received", "transferred>in_review", "receipt_issued>in_review", "request_info>awaiting_supplement", "supplement_expired>cancelled")
	// Requested Mon 3/3 09:02; 5 working days → Mon 10/3 17:00.
	if got, want := final.ClosedAt, vn(2025, 3, 10, 17, 0); !got.Equal(want) {
		t.Fatalf("cancelled at %v, want %v", got.In(calendar.Location), want)
	}
}

func TestAuthorizationAndConflicts(t *testing.T) {
	h := newHarness(t)
	final := h.run(t, standardWF, input(procedure(), motcua.DeliveryCounter), []move{
		{action: motcua.ActionReceive, actor: reviewer, want: motcua.EFORBIDDEN},                                 // wrong role
		{action: motcua.ActionReceive, actor: officer("SXD", "x", motcua.RoleReceiver), want: motcua.EFORBIDDEN}, // wrong agency
		{action: motcua.ActionReceive, actor: citizen, want: motcua.EFORBIDDEN},
		{action: motcua.ActionApprove, actor: approver, want: motcua.ECONFLICT}, // not now
		{action: motcua.ActionWithdraw, actor: stranger, want: motcua.EFORBIDDEN},
		{action: motcua.ActionReceive, actor: receiver},
		{action: motcua.ActionReview, actor: otherRev, want: motcua.EFORBIDDEN},
		{action: motcua.ActionReview, actor: reviewer},
		{action: motcua.ActionReject, actor: approver, want: motcua.EINVALID}, // reason required
		{action: motcua.ActionApprove, actor: approver},
		{action: motcua.ActionConfirmPayment, actor: cashier, data: `{}`, want: motcua.EINVALID},
		{action: motcua.ActionConfirmPayment, actor: cashier, data: `{"receipt_no":"1"}`},
		{action: motcua.ActionIssue, actor: reviewer},
		{action: motcua.ActionWithdraw, actor: citizen, want: motcua.ECONFLICT}, // result issued
		{action: motcua.ActionDeliver, actor: cashier, want: motcua.EFORBIDDEN},
		{action: motcua.ActionDeliver, actor: receiver},
	})
	if final.Status != motcua.StatusCompleted {
		t.Fatalf("status %s", final.Status)
	}
	// Rejected Updates leave no trace: the timeline holds only accepted ones.
	assertTimeline(t, final, "submit>submitted", "receive>received", "transferred>in_review", "receipt_issued>in_review", "review>awaiting_approval", "approve>awaiting_payment", "confirm_payment>awaiting_issue", "issue>result_ready", "result_signed>result_ready", "deliver>completed")
}

// Two actions sent together: the first (closing the case) wins, the second
// is refused, and the case completes.
func TestSimultaneousActions(t *testing.T) {
	h := newHarness(t)
	var results []string
	h.env.RegisterDelayedCallback(func() {
		for i, m := range []struct {
			a     motcua.Action
			actor motcua.Actor
		}{{motcua.ActionWithdraw, citizen}, {motcua.ActionReceive, receiver}} {
			h.env.UpdateWorkflow(string(m.a), fmt.Sprint("same-time-", i), &testsuite.TestUpdateCallback{
				OnAccept: func() {},
				OnReject: func(err error) { results = append(results, string(m.a)+":rejected") },
				OnComplete: func(_ any, err error) {
					if err != nil {
						results = append(results, string(m.a)+":failed")
					} else {
						results = append(results, string(m.a)+":ok")
					}
				},
			}, motcua.ActionRequest{Actor: m.actor})
		}
	}, time.Minute)
	h.env.ExecuteWorkflow(standardWF, input(procedure(), motcua.DeliveryCounter))
	if !h.env.IsWorkflowCompleted() || h.env.GetWorkflowError() != nil {
		t.Fatalf("workflow: completed=%v err=%v", h.env.IsWorkflowCompleted(), h.env.GetWorkflowError())
	}
	slices.Sort(results)
	if len(results) != 2 || results[1] != "withdraw:ok" || results[0] == "receive:ok" {
		t.Fatalf("results %v", results)
	}
}
