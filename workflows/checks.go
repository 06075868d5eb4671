package workflows

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/motcua/motcua"
)

// Agency back-end checks named by a definition (checks:).

// runChecks calls the back-ends the definition names for step at and puts
// each answer on the timeline. A refusal is recorded for the officer to act
// on; before versionRefusalStops it does not stop the case. It returns the
// number a registration issued, if any, and the last refusal.
func (c *caseRun) runChecks(ctx workflow.Context, at string) (number string, refused string, err error) {
	if c.version < versionBackends {
		return "", "", nil
	}
	for _, chk := range c.proc.Checks {
		if chk.At != at {
			continue
		}
		req := CheckRequest{Kind: chk.Kind, CaseCode: c.state.Code, Applicant: c.state.Applicant, Form: c.state.Form, Field: chk.Field,
			IdempotencyKey: c.state.Code + "-" + chk.Kind}
		res, err := runCheck.run(ctx, req)
		data, _ := json.Marshal(map[string]any{"kind": chk.Kind, "ok": err == nil && res.OK, "result": res.Data})
		switch {
		case err == nil && !res.OK && at == motcua.AtReception && c.version >= versionRefusalStops:
			// The back-end answered no (the name is taken): a refusal,
			// which holds the case at the desk (receptionRefusal).
			refused = res.Summary
			c.append(ctx, motcua.Event{Action: motcua.EventCheckFailed, Actor: motcua.SystemActor.Ref(motcua.RoleSystem),
				Note: fmt.Sprintf("%s từ chối: %s", checkTitle(chk.Kind), refused), Data: data})
		case err == nil:
			c.append(ctx, motcua.Event{Action: motcua.EventCheck, Actor: motcua.SystemActor.Ref(motcua.RoleSystem), Note: res.Summary, Data: data})
			if res.Number != "" {
				number = res.Number
			}
		case rejection(err) != "":
			refused = rejection(err)
			c.append(ctx, motcua.Event{Action: motcua.EventCheckFailed, Actor: motcua.SystemActor.Ref(motcua.RoleSystem),
				Note: fmt.Sprintf("%s từ chối: %s", checkTitle(chk.Kind), refused), Data: data})
		case temporal.IsCanceledError(err):
			return "", "", err
		default:
			c.append(ctx, motcua.Event{Action: motcua.EventCheckFailed, Actor: motcua.SystemActor.Ref(motcua.RoleSystem),
				Note: fmt.Sprintf("%s không phản hồi sau nhiều lần thử; cán bộ kiểm tra thủ công.", checkTitle(chk.Kind)), Data: data})
			if chk.At == motcua.AtIssue {
				return "", "", fmt.Errorf("%s unavailable: %w", chk.Kind, err)
			}
		}
	}
	return number, refused, nil
}

// rejection returns the back-end's own words when it refused (a
// non-retryable application error), "" for any other failure.
func rejection(err error) string {
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) && appErr.NonRetryable() {
		return appErr.Message()
	}
	return ""
}

// checkTitle is how the timeline names the back-end behind a check.
func checkTitle(kind string) string {
	if spec, ok := motcua.CheckOf(kind); ok {
		return spec.Title
	}
	return kind
}

// Issue 16, finding 9: a back-end's refusal at reception (the business
// registry finds the name taken) used to let the case be received,
// approved and charged, then refunded at issue. From versionRefusalStops
// on, the receiver sees the reception checks' answers before accepting
// (they run when the case is filed), and `receive` waits for them: while a
// refusal stands the file is returned or rejected, or received with a
// reason saying why despite it (the receiver's override, on the timeline).
// No fee is asked before reception, so a case held at the desk costs the
// applicant nothing. Legal basis: at reception the desk checks that the
// file is accurate and complete, returns an incomplete one with guidance,
// and refuses one with the reasons on the refusal slip (Nghị định
// 118/2025/NĐ-CP, Điều 17 khoản 1 điểm c — docs/law/decree-118-2025.md).

// receptionRefusalError is receive's answer while a refusal stands and no
// reason overrides it.
func receptionRefusalError(refused string) error {
	msg := fmt.Sprintf("Cơ quan liên quan đã từ chối khi kiểm tra hồ sơ: %s Hãy trả lại để người nộp bổ sung, từ chối hồ sơ, "+
		"hoặc ghi lý do vẫn tiếp nhận.", refused)
	return temporal.NewApplicationError(msg, motcua.EINVALID,
		map[string]string{"reason": "Cần ghi lý do vẫn tiếp nhận dù cơ quan liên quan đã từ chối."})
}

// refusalHolds refuses receive while a reception refusal stands without a
// reason (nil while the checks still run: the step asks again).
func (c *caseRun) refusalHolds(req motcua.ActionRequest) error {
	if c.version < versionRefusalStops || req.Action != motcua.ActionReceive || !c.receptionChecked {
		return nil
	}
	if c.receptionRefusal != "" && strings.TrimSpace(req.Reason) == "" {
		return receptionRefusalError(c.receptionRefusal)
	}
	return nil
}

// holdAtReception is receive's check in the reception step: it waits for
// the reception checks, then refuses as refusalHolds does.
func (c *caseRun) holdAtReception(ctx workflow.Context, p *pendingAction) (held bool, err error) {
	if c.version < versionRefusalStops || !slices.ContainsFunc(c.proc.Checks, func(k motcua.Check) bool { return k.At == motcua.AtReception }) {
		return false, nil
	}
	if err := workflow.Await(ctx, func() bool { return c.receptionChecked }); err != nil {
		return false, err
	}
	if refusal := c.refusalHolds(p.req); refusal != nil {
		p.err, p.done = refusal, true
		return true, nil
	}
	return false, nil
}
