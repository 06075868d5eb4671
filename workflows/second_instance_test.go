package workflows_test

import (
	"strings"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/workflows"
)

// Second-instance complaints (workflows/second_instance.go, version 4): the
// dialogue is always held, the time limit extends by Điều 37's caps, and
// the decision's measure goes with its conclusion (Điều 40 khoản 2 điểm h).
func TestSecondInstanceUnderTheLaw(t *testing.T) {
	accepted := []move{
		{action: motcua.ActionReceive, actor: desk},
		{action: motcua.ActionAssign, actor: chief, data: `{"investigator":"thanhtravien"}`},
	}
	// The request and the verification agree: at the first instance
	// there would be no dialogue (Điều 30 khoản 1).
	dialogue := []move{
		{action: motcua.ActionVerify, actor: inv, note: "Đã xác minh"},
		{action: motcua.ActionConclude, actor: chief, note: "x", data: `{"decision":"dismissed","measure":"keep"}`, want: motcua.ECONFLICT},
		{action: motcua.ActionScheduleDialogue, actor: chief, data: `{"date":"2025-03-10","place":"Trụ sở Ủy ban nhân dân"}`},
		{action: motcua.ActionRecordDialogue, actor: chief, note: "Hai bên giữ ý kiến", data: `{"attended":true}`},
	}
	moves := func(extend string, conclude ...move) []move {
		m := append([]move{}, accepted...)
		if extend != "" {
			m = append(m, move{action: motcua.ActionExtend, actor: chief, reason: "Vụ việc phức tạp", data: `{"kind":"` + extend + `"}`})
		}
		return append(append(m, dialogue...), conclude...)
	}
	for _, tc := range []struct {
		name, basis string
		version     int
		moves       []move
		days        int
		measure     string
	}{
		{name: "complex: up to 60 days", basis: "Luật Khiếu nại 2011 Điều 37 (45 → 60)", version: 4,
			moves: moves(workflows.ExtendComplex, move{action: motcua.ActionConclude, actor: chief, note: "Khiếu nại sai toàn bộ", data: `{"decision":"dismissed","measure":"keep"}`}),
			days:  15, measure: "keep"},
		{name: "remote area: 60 days", basis: "Luật Khiếu nại 2011 Điều 37 (vùng sâu, vùng xa 60)", version: 4,
			moves: moves(workflows.ExtendRemote, move{action: motcua.ActionConclude, actor: chief, note: "Khiếu nại đúng", data: `{"decision":"upheld","measure":"annul"}`}),
			days:  15, measure: "annul"},
		{name: "remote and complex: up to 70 days", basis: "Luật Khiếu nại 2011 Điều 37 (vùng sâu, vùng xa, phức tạp 70)", version: 4,
			moves: moves(workflows.ExtendRemoteComplex, move{action: motcua.ActionConclude, actor: chief, note: "Đúng một phần", data: `{"decision":"partly_upheld","measure":"annul_part"}`}),
			days:  25, measure: "annul_part"},
		{name: "wholly wrong: the decision is kept, nothing annulled", basis: "Luật Khiếu nại 2011 Điều 40 khoản 2 điểm h", version: 4,
			moves: moves("",
				move{action: motcua.ActionConclude, actor: chief, note: "x", data: `{"decision":"dismissed","measure":"annul"}`, want: motcua.EINVALID},
				move{action: motcua.ActionConclude, actor: chief, note: "x", data: `{"decision":"dismissed"}`, want: motcua.EINVALID},
				move{action: motcua.ActionConclude, actor: chief, note: "Khiếu nại sai toàn bộ", data: `{"decision":"dismissed","measure":"keep"}`}),
			measure: "keep"},
		{name: "right: amended, annulled or stopped, not kept", basis: "Luật Khiếu nại 2011 Điều 40 khoản 2 điểm h", version: 4,
			moves: moves("",
				move{action: motcua.ActionConclude, actor: chief, note: "x", data: `{"decision":"upheld","measure":"keep"}`, want: motcua.EINVALID},
				move{action: motcua.ActionConclude, actor: chief, note: "x", data: `{"decision":"partly_upheld","measure":"supplement"}`, want: motcua.EINVALID},
				move{action: motcua.ActionConclude, actor: chief, note: "Khiếu nại đúng", data: `{"decision":"upheld","measure":"stop_act"}`}),
			measure: "stop_act"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := complaintProcedure(motcua.ShapeComplaint)
			p.Code, p.FirstInstance = "giai-quyet-khieu-nai-lan-hai", "giai-quyet-complaint"
			p.Deadlines = map[string]int{workflows.DeadlineAccept: 10, workflows.DeadlineResolve: 45}
			in := input(p, motcua.DeliveryOnline)
			in.Agency, in.FirstInstance = "TTT", "TTT-250301-0001"
			h := newHarness(t)
			h.pin(tc.version)
			final := h.run(t, complaintWF, in, tc.moves)
			if final.Law.FirstInstance != in.FirstInstance || !strings.Contains(final.Timeline[0].Note, in.FirstInstance) {
				t.Fatalf("%s: the first instance is not recorded: law %+v, filing %q", tc.basis, final.Law, final.Timeline[0].Note)
			}
			if final.Law.Dialogue == nil || final.Law.Dialogue.Held == nil {
				t.Fatalf("Luật Khiếu nại 2011 Điều 39: no dialogue held: %+v", final.Law.Dialogue)
			}
			if final.Law.ExtendedDays != tc.days || final.Law.Measure != tc.measure || final.Status != motcua.StatusCompleted {
				t.Fatalf("%s: status %s, extended %d days (want %d), measure %q (want %q)", tc.basis, final.Status,
					final.Law.ExtendedDays, tc.days, final.Law.Measure, tc.measure)
			}
		})
	}

	// A case that started before version 4 keeps its path: the first
	// instance's rules, whatever its input says.
	t.Run("version 3 keeps the first instance's path", func(t *testing.T) {
		in := input(complaintProcedure(motcua.ShapeComplaint), motcua.DeliveryOnline)
		in.Agency, in.FirstInstance = "TTT", "TTT-250301-0001"
		h := newHarness(t)
		h.pin(3)
		final := h.run(t, complaintWF, in, append(append([]move{}, accepted...),
			move{action: motcua.ActionExtend, actor: chief, reason: "Vùng sâu, phức tạp", data: `{"kind":"remote_complex"}`},
			move{action: motcua.ActionVerify, actor: inv, note: "Đã xác minh"},
			move{action: motcua.ActionConclude, actor: chief, note: "Khiếu nại đúng", data: `{"decision":"upheld","measure":"keep"}`}))
		if final.Law.FirstInstance != "" || final.Law.Dialogue != nil || final.Law.ExtendedDays != 30 || final.Timeline[0].Note != "" {
			t.Fatalf("v3 case took the second instance's rules: %+v", final.Law)
		}
	})
}
