package workflows

import (
	"encoding/json"
	"errors"
	"fmt"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/motcua/motcua"
)

// Agency back-end checks named by a definition (checks:).

// runChecks calls the back-ends the definition names for step at and puts
// each answer on the timeline. A refusal is recorded for the officer to act
// on; it does not stop the case. It returns the number a registration
// issued, if any.
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
