package workflows_test

import (
	"fmt"
	"testing"
	"time"

	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/workflows"
)

// A hand-over moves a case of every version, pinned to its definition, to
// the successor agency: its officers take the open and later steps, the old
// unit's cannot, the due date stays, and the Update moves it once however
// often it is sent.
func TestHandoverMovesCaseOfEveryVersion(t *testing.T) {
	for _, v := range []workflow.Version{workflow.DefaultVersion, 1, 2, workflows.VersionLatest} {
		t.Run(fmt.Sprint("v", v), func(t *testing.T) {
			p := procedure()
			p.CoAgencies = []motcua.CoAgency{{Agency: "STNMT", Days: 2}}
			h := newHarness(t)
			h.env.OnGetVersion("level4", workflow.DefaultVersion, workflows.VersionLatest).Return(v)
			answers := map[string]workflows.HandoverAnswer{}
			handover := func(at time.Duration, id string) {
				h.env.RegisterDelayedCallback(func() {
					h.env.UpdateWorkflow(workflows.UpdateHandover, workflows.HandoverUpdateID(id, "x")+fmt.Sprint(at), &testsuite.TestUpdateCallback{
						OnAccept: func() {},
						OnReject: func(err error) { t.Errorf("hand-over %s rejected: %v", id, err) },
						OnComplete: func(res any, err error) {
							if err != nil {
								t.Errorf("hand-over %s: %v", id, err)
								return
							}
							answers[fmt.Sprint(id, at)] = res.(workflows.HandoverAnswer)
						},
					}, workflows.CaseHandover{Handover: id, From: "SKHDT", To: "STC", Basis: "NQ 01/NQ-HĐND"})
				}, at)
			}
			handover(90*time.Second, "h1")
			handover(100*time.Second, "h1") // the same hand-over again
			handover(110*time.Second, "h2") // another finds it no longer at SKHDT
			stc := func(subject string, r motcua.Role) motcua.Actor { return officer("STC", subject, r) }
			final := h.run(t, standardWF, input(p, motcua.DeliveryCounter), []move{
				{action: motcua.ActionReceive, actor: receiver},
				{action: motcua.ActionReview, actor: reviewer, want: motcua.EFORBIDDEN},
				{action: motcua.ActionReview, actor: stc("cv", motcua.RoleReviewer), note: "Hợp lệ"},
				{action: motcua.ActionCoReview, actor: coOff, data: `{"agree":true}`},
				{action: motcua.ActionApprove, actor: stc("gd", motcua.RoleApprover)},
				{action: motcua.ActionConfirmPayment, actor: stc("tq", motcua.RoleCashier), data: `{"receipt_no":"BL-1"}`},
				{action: motcua.ActionIssue, actor: stc("cv", motcua.RoleReviewer), data: `{"number":"1"}`},
				{action: motcua.ActionDeliver, actor: stc("tn", motcua.RoleReceiver)},
			})
			if final.Status != motcua.StatusCompleted || final.Agency != "STC" {
				t.Fatalf("final %s at %s", final.Status, final.Agency)
			}
			n := 0
			for _, e := range final.Timeline {
				if e.Action == motcua.EventHandedOver {
					n++
				}
			}
			if n != 1 {
				t.Fatalf("%d hand-over entries: %v", n, timeline(final))
			}
			if a := answers["h11m30s"]; !a.Moved || a.Agency != "STC" {
				t.Errorf("first: %+v", a)
			}
			if a := answers["h11m40s"]; !a.Moved {
				t.Errorf("again: %+v", a)
			}
			if a := answers["h21m50s"]; a.Moved || a.Reason != workflows.HandoverNotAtFrom {
				t.Errorf("another: %+v", a)
			}
			// Received Monday 3/3/2025 09:01: due Thursday 6/3 17:00, as
			// without the hand-over.
			if want := vn(2025, 3, 6, 17, 0); !final.DueAt.Equal(want) {
				t.Errorf("due %v, want %v", final.DueAt, want)
			}
		})
	}
}
