package workflows

import (
	"fmt"
	"slices"

	"github.com/motcua/motcua"
)

// Second-instance complaints (khiếu nại lần hai), from versionSecondInstance
// on. The complainant files one against a first-instance decision, or when
// the first instance's time limit passed unresolved, within 30 days (45 in
// remote areas; Luật Khiếu nại 2011 Điều 33 khoản 1): the API checks that
// right (api/second_instance.go) and starts the complaint with
// CaseInput.FirstInstance. It runs on the complaint shape with the second
// instance's own rules, here: its definition gives the time limits (thụ lý
// 10 days, Điều 36; 45 days from acceptance, Điều 37).

// Caps of a second-instance complaint's time limit, in days beyond the 45
// of Luật Khiếu nại 2011 Điều 37: complex up to 60; remote areas 60,
// complex remote up to 70.
const (
	secondComplexDays       = 15
	secondRemoteDays        = 15
	secondRemoteComplexDays = 25
)

// Measures a second-instance decision may take with each conclusion (Luật
// Khiếu nại 2011 Điều 40 khoản 2 điểm h): a complaint found right, in whole
// or in part, makes the author amend or annul the decision, in part or in
// whole, or stop the act; one found wholly wrong makes the complainant
// comply with it (the decision is kept).
var secondInstanceMeasures = map[string][]string{
	OutcomeUpheld:       {"amend", "annul_part", "annul", "stop_act"},
	OutcomePartlyUpheld: {"amend", "annul_part", "annul", "stop_act"},
	OutcomeDismissed:    {"keep"},
}

// initSecondInstance records the first case of a second-instance complaint
// and makes its dialogue mandatory (Luật Khiếu nại 2011 Điều 39).
func (c *caseRun) initSecondInstance() {
	if c.version < versionSecondInstance || c.in.FirstInstance == "" || c.proc.Shape != motcua.ShapeComplaint {
		return
	}
	c.state.Law.FirstInstance = c.in.FirstInstance
	c.law.rules.Dialogue = motcua.DialogueAlways
}

func (c *caseRun) secondInstance() bool {
	return c.state.Law != nil && c.state.Law.FirstInstance != ""
}

// secondInstanceNote is what the filing of a second-instance complaint
// says on its timeline.
func (c *caseRun) secondInstanceNote() string {
	if !c.secondInstance() {
		return ""
	}
	return fmt.Sprintf("Khiếu nại lần hai đối với việc giải quyết lần đầu của hồ sơ %s (Luật Khiếu nại 2011 Điều 33).", c.state.Law.FirstInstance)
}

// complaintExtensionDays is how far a complaint's time limit goes beyond
// its base for kind: Điều 28 at the first instance, Điều 37 at the second.
func (c *caseRun) complaintExtensionDays(kind string) int {
	if c.secondInstance() {
		return map[string]int{ExtendComplex: secondComplexDays, ExtendRemote: secondRemoteDays,
			ExtendRemoteComplex: secondRemoteComplexDays}[kind]
	}
	return map[string]int{ExtendComplex: complaintComplexDays, ExtendRemote: complaintRemoteDays,
		ExtendRemoteComplex: complaintRemoteComplexDays}[kind]
}

// secondInstanceMeasureError says why a second-instance conclusion's
// measure does not go with its conclusion ("" if it does).
func (c *caseRun) secondInstanceMeasureError(d ConcludeData) string {
	allowed, ok := secondInstanceMeasures[d.Decision]
	if !c.secondInstance() || !ok || slices.Contains(allowed, d.Measure) {
		return ""
	}
	if d.Decision == OutcomeDismissed {
		return "Khiếu nại sai toàn bộ: quyết định giải quyết lần hai yêu cầu thực hiện nghiêm chỉnh quyết định, hành vi hành chính — chọn “Giữ nguyên” (Luật Khiếu nại 2011 Điều 40 khoản 2 điểm h)."
	}
	return "Khiếu nại đúng hoặc đúng một phần: quyết định giải quyết lần hai yêu cầu sửa đổi, hủy bỏ một phần hay toàn bộ quyết định hành chính hoặc chấm dứt hành vi hành chính — chọn một trong các biện pháp đó (Luật Khiếu nại 2011 Điều 40 khoản 2 điểm h)."
}
