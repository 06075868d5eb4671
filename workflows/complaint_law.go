package workflows

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/calendar"
)

// Complaints and denunciations under their Laws, from versionLawClock on:
// the dialogue of a complaint, extensions of the time limit, and the
// outcomes in the Laws' words (docs/law/complaints-denunciations.md; the
// 2025 amendments, Law 136/2025/QH15, could not be read: chưa xác minh).

// Outcomes of a conclusion (Result.Outcome).
const (
	OutcomeUpheld       = "upheld"        // đúng
	OutcomePartlyUpheld = "partly_upheld" // đúng một phần
	OutcomeDismissed    = "dismissed"     // khiếu nại sai toàn bộ (Luật Khiếu nại Điều 40 khoản 2 điểm h)
	OutcomeUntrue       = "untrue"        // tố cáo sai sự thật (Luật Tố cáo 2018 Điều 35 khoản 1 điểm c)
)

// outcomesOf are the outcomes a shape's conclusion may have.
func outcomesOf(shape string) []string {
	if shape == motcua.ShapeDenunciation {
		return []string{OutcomeUpheld, OutcomePartlyUpheld, OutcomeUntrue}
	}
	return []string{OutcomeUpheld, OutcomePartlyUpheld, OutcomeDismissed}
}

func outcomeError(shape string) string {
	if shape == motcua.ShapeDenunciation {
		return "Kết luận tố cáo phải là: tố cáo đúng, tố cáo đúng một phần hoặc tố cáo sai sự thật (Luật Tố cáo 2018 Điều 35)."
	}
	return "Kết luận khiếu nại phải là: khiếu nại đúng, khiếu nại đúng một phần hoặc khiếu nại sai toàn bộ (Luật Khiếu nại 2011 Điều 40)."
}

// Measures a complaint's decision takes on the administrative decision or
// act complained of: Luật Khiếu nại 2011 Điều 31 khoản 2 điểm h.
var complaintMeasures = []string{"keep", "amend", "supplement", "annul_part", "annul", "stop_act"}

// Extensions of the time limit, in days (the Laws count days, not working
// days; the base limit in the definitions is in working days: docs/law A7).
const (
	// Luật Khiếu nại 2011 Điều 28: 30 days, complex up to 45; remote areas
	// 45, complex remote up to 60.
	complaintComplexDays       = 15
	complaintRemoteDays        = 15
	complaintRemoteComplexDays = 30
	// Luật Tố cáo 2018 Điều 30 khoản 2, 3: each extension up to 30 days.
	denunciationExtensionDays = 30
)

// Extension kinds.
const (
	ExtendComplex           = "complex"
	ExtendEspeciallyComplex = "especially_complex"
	ExtendRemote            = "remote"
	ExtendRemoteComplex     = "remote_complex"
)

// ExtendData asks to extend a complaint's or denunciation's time limit.
type ExtendData struct {
	Kind     string   `json:"kind"`     // complaints: complex, remote, remote_complex
	Criteria []string `json:"criteria"` // denunciations: NĐ 31/2019 Điều 3 khoản 2
	Days     int      `json:"days"`     // denunciations: at most 30
}

// DialogueData schedules or records a complaint's dialogue.
type DialogueData struct {
	Date     string `json:"date"` // YYYY-MM-DD
	Place    string `json:"place"`
	Attended *bool  `json:"attended"`
}

// VerifyData is a complaint's verification result.
type VerifyData struct {
	// Differs: the complainant's request and the verification result still
	// differ (Luật Khiếu nại 2011 Điều 30 khoản 1).
	Differs bool `json:"differs"`
}

// extendPermissions: the person resolving (the conclude step) may extend
// the time limit once the complaint or denunciation is accepted.
func (c *caseRun) extendPermissions() []motcua.Permission {
	if c.law == nil || !isComplaintShape(c.proc.Shape) || c.state.ReceivedAt == nil || c.state.Result != nil {
		return nil
	}
	if c.extensionRefused(motcua.ActionRequest{Action: motcua.ActionExtend}) != "" {
		return nil
	}
	return []motcua.Permission{c.perm(motcua.ActionExtend, motcua.StepConclude, motcua.RoleHead)}
}

func isComplaintShape(shape string) bool {
	return shape == motcua.ShapeComplaint || shape == motcua.ShapeDenunciation
}

// extensionRefused says why the time limit cannot be extended as req asks
// ("" if it can). A complaint's limit is extended once (a cap, Điều 28); a
// denunciation's once when complex, twice when especially complex (two
// criteria or more), 30 days at most each (Luật Tố cáo Điều 30; NĐ 31/2019
// Điều 3 khoản 3).
func (c *caseRun) extensionRefused(req motcua.ActionRequest) string {
	exts := c.state.Law.Extensions
	var d ExtendData
	_ = json.Unmarshal(req.Data, &d)
	if c.proc.Shape == motcua.ShapeDenunciation {
		criteria := len(d.Criteria)
		for _, e := range exts {
			criteria = max(criteria, len(e.Criteria))
		}
		allowed := 2
		if criteria == 1 {
			allowed = 1
		}
		if len(exts) >= allowed {
			return fmt.Sprintf("Đã gia hạn %d lần: vụ việc %s chỉ được gia hạn %d lần (Luật Tố cáo 2018 Điều 30).",
				len(exts), map[int]string{1: "phức tạp", 2: "đặc biệt phức tạp"}[allowed], allowed)
		}
		return ""
	}
	if len(exts) > 0 {
		return "Thời hạn giải quyết khiếu nại đã được kéo dài (Luật Khiếu nại 2011 Điều 28); không kéo dài thêm."
	}
	return ""
}

// extend lengthens the time limit by decision of the person resolving.
func (c *caseRun) extend(ctx workflow.Context, p *pendingAction) error {
	var d ExtendData
	_ = json.Unmarshal(p.req.Data, &d)
	e := motcua.Extension{Kind: d.Kind, Criteria: d.Criteria, Reason: p.req.Reason, At: workflow.Now(ctx), By: p.req.Actor.Ref(c.roleFor(p.req))}
	if c.proc.Shape == motcua.ShapeDenunciation {
		e.Kind = ExtendComplex
		if len(d.Criteria) >= 2 {
			e.Kind = ExtendEspeciallyComplex
		}
		e.Days = min(cmpOr(d.Days, denunciationExtensionDays), denunciationExtensionDays)
	} else {
		e.Days = c.complaintExtensionDays(d.Kind)
	}
	c.state.Law.Extensions = append(c.state.Law.Extensions, e)
	c.state.Law.ExtendedDays += e.Days
	if err := c.recomputeDue(ctx); err != nil {
		return err
	}
	c.state.Overdue = false
	c.act(ctx, p, "")
	c.notify(ctx, "Gia hạn thời hạn giải quyết", fmt.Sprintf("Thời hạn giải quyết đơn %s được kéo dài %d ngày, đến %s. Lý do: %s",
		c.state.Code, e.Days, c.state.DueAt.In(calendar.Location).Format("02/01/2006"), p.req.Reason))
	return nil
}

func cmpOr(a, b int) int {
	if a != 0 {
		return a
	}
	return b
}

// dialogue holds a complaint's dialogue when the Law requires it: the
// person resolving gives written notice at least 5 days before (NĐ
// 124/2020 Điều 28 as amended by NĐ 155/2026 Điều 11 khoản 1, secondary
// copy), then records the minutes (Luật Khiếu nại Điều 30 khoản 4); a
// complainant who does not come without good reason does not stop the case
// (NĐ 155/2026 Điều 11 khoản 5).
func (c *caseRun) dialogue(ctx workflow.Context, differs bool) error {
	rule := c.law.rules.Dialogue
	required := rule == motcua.DialogueAlways || rule == motcua.DialogueWhenDiffers && differs
	if !required {
		return nil
	}
	c.state.Law.Dialogue = &motcua.Dialogue{Required: true}
	s := motcua.StepConclude
	for {
		actions := []motcua.Permission{c.perm(motcua.ActionScheduleDialogue, s, motcua.RoleHead)}
		if c.state.Law.Dialogue.Scheduled != nil {
			actions = append(actions, c.perm(motcua.ActionRecordDialogue, s, motcua.RoleHead))
		}
		p, _, err := c.await(ctx, stage{status: motcua.StatusDialogue, step: "dialogue", actions: actions})
		if err != nil {
			return err
		}
		var d DialogueData
		_ = json.Unmarshal(p.req.Data, &d)
		switch p.req.Action {
		case motcua.ActionScheduleDialogue:
			day, _ := time.ParseInLocation(time.DateOnly, d.Date, calendar.Location)
			c.state.Law.Dialogue.Scheduled, c.state.Law.Dialogue.Place = &day, d.Place
			c.act(ctx, p, "")
			c.notify(ctx, "Thông báo tổ chức đối thoại", fmt.Sprintf("Mời ông/bà tham dự đối thoại về đơn %s ngày %s tại %s.",
				c.state.Code, day.Format("02/01/2006"), d.Place))
		case motcua.ActionRecordDialogue:
			now := workflow.Now(ctx)
			c.state.Law.Dialogue.Held, c.state.Law.Dialogue.Attended, c.state.Law.Dialogue.Record = &now, d.Attended, p.req.Note
			c.act(ctx, p, "")
			return nil
		}
	}
}

// dialogueDateError checks a dialogue's date: at least 5 days after the
// notice (today).
func dialogueDateError(req motcua.ActionRequest, now time.Time) map[string]string {
	var d DialogueData
	if json.Unmarshal(req.Data, &d) != nil {
		return nil
	}
	day, err := time.ParseInLocation(time.DateOnly, d.Date, calendar.Location)
	if err == nil && day.Before(calendar.StartOfDay(now).AddDate(0, 0, 5)) {
		return map[string]string{"data.date": "Ngày đối thoại phải cách ngày thông báo ít nhất 05 ngày (NĐ 155/2026/NĐ-CP Điều 11)."}
	}
	return nil
}

// concluded records a complaint's measure with its conclusion.
func (c *caseRun) concluded(p *pendingAction) {
	if c.law == nil {
		return
	}
	var d ConcludeData
	_ = json.Unmarshal(p.req.Data, &d)
	if slices.Contains(complaintMeasures, d.Measure) {
		c.state.Law.Measure = d.Measure
	}
}

// lastData is the data of the newest event of action a.
func (c *caseRun) lastData(a motcua.Action) json.RawMessage {
	for i := len(c.state.Timeline) - 1; i >= 0; i-- {
		if c.state.Timeline[i].Action == a {
			return c.state.Timeline[i].Data
		}
	}
	return nil
}
