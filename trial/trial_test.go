package trial_test

import (
	"slices"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/procedures"
	"github.com/motcua/motcua/trial"
)

// Every definition that takes cases runs every scenario to its end: the
// happy path and the supplement round complete, the late case is
// rescheduled and completes, the refusal is rejected.
func TestEveryDefinitionEveryScenario(t *testing.T) {
	cat, err := procedures.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	from := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	ran := 0
	for _, p := range cat.All() {
		if p.Level < 3 {
			continue
		}
		ran++
		t.Run(p.Code, func(t *testing.T) {
			for _, sc := range trial.Scenarios {
				if p.Shape == motcua.ShapeFeedback && sc != trial.Happy {
					// A feedback has no supplement, refusal or new
					// appointment: its late answer is tested with the
					// shape (workflows.TestFeedbackAnsweredLateShowsLate).
					continue
				}
				res, err := trial.Run(p, sc, from)
				if err != nil {
					t.Fatalf("%s: %v", sc, err)
				}
				want := motcua.StatusCompleted
				if sc == trial.Refusal {
					want = motcua.StatusRejected
				}
				if res.Final.Status != want {
					t.Fatalf("%s: ended %s, want %s: %v", sc, res.Final.Status, want, actions(res))
				}
				for _, st := range res.Steps {
					if st.Actor.Kind == motcua.KindOfficer && !atDesk(st.At) {
						t.Errorf("%s: %s by an officer on %s, when no desk is open", sc, st.Action, st.At.In(calendar.Location).Format("Mon 2 Jan 2006 15:04"))
					}
				}
				has := func(a motcua.Action) bool { return slices.Contains(actions(res), a) }
				switch sc {
				case trial.Supplement:
					if !has(motcua.ActionRequestInfo) || !has(motcua.ActionSupplement) || len(res.Final.Pauses) == 0 {
						t.Errorf("supplement: %v pauses %v", actions(res), res.Final.Pauses)
					}
				case trial.Late:
					// The apology comes before the due date when the agency
					// sees it will be late (version 3) or after it (before).
					// Complaints and denunciations have their time limit extended instead.
					delayed := has(motcua.ActionReschedule) && res.Final.RescheduledTo != nil || has(motcua.ActionExtend)
					if !delayed || !(has(motcua.EventOverdue) || has(motcua.EventDueSoon)) {
						t.Errorf("late: %v", actions(res))
					}
				case trial.Happy:
					if has(motcua.EventOverdue) || res.Final.DueAt == nil || res.Final.Result == nil {
						t.Errorf("happy: %v due %v result %v", actions(res), res.Final.DueAt, res.Final.Result)
					}
				}
			}
		})
	}
	if ran < 50 {
		t.Fatalf("only %d definitions ran", ran)
	}
}

// atDesk says whether t falls on a working day of the province, 8:00–17:00.
func atDesk(t time.Time) bool {
	t = t.In(calendar.Location)
	return calendar.Default().IsWorkingDay(t) && t.Hour() >= 8 && t.Hour() < 17
}

func actions(r *trial.Result) []motcua.Action {
	var out []motcua.Action
	for _, s := range r.Steps {
		out = append(out, s.Action)
	}
	return out
}
