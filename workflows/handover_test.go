package workflows_test

import (
	"context"
	"fmt"
	"slices"
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

// fakeHandover plays the read model for the hand-over workflow: cases
// appear in it late (Recorded after a number of pages listed), some fail
// to move once, and submissions wait unrecorded.
type fakeHandover struct {
	open     map[string]bool // code → at From and open
	late     map[string]int  // code → listed pages after which it appears
	failOnce map[string]bool
	pending  []int // PendingFilings answers, in turn (then 0)
	pages    int
	moves    map[string]int
}

func (f *fakeHandover) HandoverPage(_ context.Context, req workflows.HandoverPageRequest) ([]workflows.HandoverCase, error) {
	f.pages++
	for code, after := range f.late {
		if f.pages > after {
			f.open[code] = true
			delete(f.late, code)
		}
	}
	var codes []string
	for code, open := range f.open {
		if open && code > req.After {
			codes = append(codes, code)
		}
	}
	slices.Sort(codes)
	out := []workflows.HandoverCase{}
	for _, c := range codes[:min(len(codes), req.Limit)] {
		out = append(out, workflows.HandoverCase{Code: c, To: "STC"})
	}
	return out, nil
}

func (f *fakeHandover) MoveCases(_ context.Context, req workflows.MoveCasesRequest) ([]workflows.MoveOutcome, error) {
	var out []workflows.MoveOutcome
	for _, c := range req.Cases {
		if f.failOnce[c.Code] {
			delete(f.failOnce, c.Code)
			out = append(out, workflows.MoveOutcome{Case: c.Code, Failed: true, Reason: "busy"})
			continue
		}
		f.open[c.Code] = false
		f.moves[c.Code]++
		out = append(out, workflows.MoveOutcome{Case: c.Code, Moved: true})
	}
	return out, nil
}

func (f *fakeHandover) RecordHandover(context.Context, workflows.HandoverRecord) error { return nil }

func (f *fakeHandover) PendingFilings(context.Context, workflows.PendingFilingsRequest) (int, error) {
	if len(f.pending) == 0 {
		return 0, nil
	}
	n := f.pending[0]
	f.pending = f.pending[1:]
	return n, nil
}

// A hand-over does not end after one pass over the codes: cases the read
// model recorded after the pass went by their codes, cases that failed,
// and submissions not yet recorded are moved by further passes, each case
// once (issue 13: the 10,000-case benchmark moved 1,156 of 9,960 filed).
func TestHandoverPassesUntilNothingIsLeft(t *testing.T) {
	f := &fakeHandover{
		open:     map[string]bool{"SKHDT-250228-0002": true, "SKHDT-250228-0004": true, "SKHDT-250228-0005": true},
		late:     map[string]int{"SKHDT-250228-0001": 1, "SKHDT-250228-0003": 3, "SKHDT-250228-0009": 6},
		failOnce: map[string]bool{"SKHDT-250228-0004": true},
		pending:  []int{0, 0, 0, 1}, // the fourth pass ends with a submission not yet recorded
		moves:    map[string]int{},
	}
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	workflows.RegisterHandover(env, f)
	env.ExecuteWorkflow(workflows.HandoverWorkflowName, workflows.HandoverInput{ID: "h", From: "SKHDT",
		Targets: map[string]string{"dang-ky-thanh-lap-doanh-nghiep": "STC"}, PageSize: 2, Concurrency: 1})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	var p workflows.HandoverProgress
	if err := env.GetWorkflowResult(&p); err != nil {
		t.Fatal(err)
	}
	want := []string{"SKHDT-250228-0001", "SKHDT-250228-0002", "SKHDT-250228-0003", "SKHDT-250228-0004", "SKHDT-250228-0005",
		"SKHDT-250228-0009"}
	for _, code := range want {
		if f.moves[code] != 1 {
			t.Errorf("%s moved %d times, want once (moves %v)", code, f.moves[code], f.moves)
		}
	}
	if p.Status != workflows.HandoverDone || p.Moved != len(want) || p.Failed != 0 || len(p.Failures) != 0 || p.Round != 4 ||
		p.WaitedFor != 5*time.Second {
		t.Errorf("progress %+v", p)
	}
}

// Without the change, a hand-over recorded before it ends after one pass
// (its history replays: handover_done_v0.json); pinned to the default
// version here, the late case stays behind, which the passes fix.
func TestHandoverOnePassBeforeRounds(t *testing.T) {
	f := &fakeHandover{open: map[string]bool{"SKHDT-250228-0002": true}, late: map[string]int{"SKHDT-250228-0001": 1},
		moves: map[string]int{}}
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	workflows.RegisterHandover(env, f)
	env.OnGetVersion("handover-rounds", workflow.DefaultVersion, workflows.HandoverVersion).Return(workflow.DefaultVersion)
	env.ExecuteWorkflow(workflows.HandoverWorkflowName, workflows.HandoverInput{ID: "h", From: "SKHDT",
		Targets: map[string]string{"dang-ky-thanh-lap-doanh-nghiep": "STC"}, PageSize: 2, Concurrency: 1})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	if f.moves["SKHDT-250228-0001"] != 0 || f.moves["SKHDT-250228-0002"] != 1 {
		t.Errorf("moves %v", f.moves)
	}
}
