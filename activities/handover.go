package activities

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/procedures"
	"github.com/motcua/motcua/store"
	"github.com/motcua/motcua/workflows"
)

// Handover runs the hand-over's activities: it lists open cases from the
// read model, sends each its hand-over Update, and records progress.
type Handover struct {
	DB     *store.DB
	Client client.Client
	// Catalog resolves a case's commune from its address (TargetByAddress).
	Catalog *procedures.Catalog
	// CaseTimeout bounds the wait for one case to apply its move (a case
	// busy with slow work applies it when it next waits).
	CaseTimeout time.Duration
}

// HandoverPage lists the next open cases of req.From whose procedure the
// hand-over moves, with where each goes.
func (h *Handover) HandoverPage(ctx context.Context, req workflows.HandoverPageRequest) ([]workflows.HandoverCase, error) {
	procs := slices.Sorted(maps.Keys(req.Targets))
	open, err := h.DB.OpenCases(ctx, req.From, procs, req.After, req.Limit)
	if err != nil {
		return nil, err
	}
	out := make([]workflows.HandoverCase, len(open))
	for i, c := range open {
		out[i] = workflows.HandoverCase{Code: c.Code, To: req.Targets[c.Procedure]}
		if out[i].To == workflows.TargetByAddress {
			out[i].To, out[i].Reason = h.byAddress(req, c)
		}
	}
	return out, nil
}

// byAddress finds the successor of req.From competent for the case's
// procedure on req.Day whose ward or commune the case's address names.
func (h *Handover) byAddress(req workflows.HandoverPageRequest, c store.OpenCase) (to, reason string) {
	p, ok := h.Catalog.Get(c.Procedure)
	if !ok {
		return "", "Không còn thủ tục " + c.Procedure + " trong danh mục."
	}
	reg := h.Catalog.Agencies()
	comp := reg.Competent(p, req.Day)
	among := slices.DeleteFunc(reg.Holders(req.From, req.Day), func(a *procedures.Agency) bool { return !slices.Contains(comp, a) })
	if len(among) == 0 {
		among = comp // the unit's competence went to agencies that do not succeed it
	}
	address := procedures.LocalityAddress(p, c.Form, c.Applicant)
	if ag := reg.Serving(address, among); ag != nil {
		return ag.Code, ""
	}
	if strings.TrimSpace(address) == "" {
		return "", "Hồ sơ không ghi địa chỉ để xác định phường, xã nhận; chỉ định cơ quan nhận cho hồ sơ này."
	}
	return "", fmt.Sprintf("Địa chỉ “%s” không cho biết thuộc phường, xã nào nhận; chỉ định cơ quan nhận cho hồ sơ này.", address)
}

// MoveCases sends each case its hand-over Update, req.Concurrency at once,
// heartbeating as cases finish. A case's failure is its outcome, not the
// activity's: the hand-over lists it and goes on. The Update ID makes a
// retried page move nothing twice.
func (h *Handover) MoveCases(ctx context.Context, req workflows.MoveCasesRequest) ([]workflows.MoveOutcome, error) {
	out := make([]workflows.MoveOutcome, len(req.Cases))
	sem := make(chan struct{}, max(req.Concurrency, 1))
	var wg sync.WaitGroup
	var mu sync.Mutex
	done := 0
	for i, c := range req.Cases {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			wg.Wait()
			return nil, ctx.Err()
		}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			o := h.move(ctx, req, c)
			mu.Lock()
			out[i] = o
			done++
			activity.RecordHeartbeat(ctx, done)
			mu.Unlock()
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err // cancelled or timed out: the page is retried whole
	}
	return out, nil
}

func (h *Handover) move(ctx context.Context, req workflows.MoveCasesRequest, c workflows.HandoverCase) workflows.MoveOutcome {
	o := workflows.MoveOutcome{Case: c.Code}
	if c.To == "" {
		o.Failed, o.Reason = true, cmp.Or(c.Reason, "Thủ tục không có cơ quan nhận vào ngày chuyển giao.")
		return o
	}
	timeout := h.CaseTimeout
	if timeout <= 0 {
		timeout = time.Minute
	}
	var ans workflows.HandoverAnswer
	var err error
	for attempt := range 3 {
		cctx, cancel := context.WithTimeout(ctx, timeout)
		var handle client.WorkflowUpdateHandle
		handle, err = h.Client.UpdateWorkflow(cctx, client.UpdateWorkflowOptions{
			UpdateID: workflows.HandoverUpdateID(req.Handover, c.Code), WorkflowID: c.Code,
			UpdateName: workflows.UpdateHandover, WaitForStage: client.WorkflowUpdateStageCompleted,
			Args: []any{workflows.CaseHandover{Handover: req.Handover, From: req.From, To: c.To, Basis: req.Basis, By: req.By}},
		})
		if err == nil {
			err = handle.Get(cctx, &ans)
		}
		cancel()
		if err == nil || !retryable(err) || ctx.Err() != nil {
			break
		}
		time.Sleep(time.Duration(attempt+1) * 500 * time.Millisecond)
	}
	var notFound *serviceerror.NotFound
	switch {
	case err == nil && ans.Moved:
		o.Moved = true
	case err == nil:
		o.Reason = ans.Reason
	case errors.As(err, &notFound):
		o.Reason = workflows.HandoverClosed // the case's workflow has ended
	default:
		o.Failed, o.Reason = true, fmt.Sprint(err)
	}
	return o
}

// retryable: the case did not answer in time or the service was busy; an
// application error (the case refused) is final.
func retryable(err error) bool {
	var app *temporal.ApplicationError
	var notFound *serviceerror.NotFound
	return !errors.As(err, &app) && !errors.As(err, &notFound)
}

// RecordHandover writes the hand-over's progress to the read model.
func (h *Handover) RecordHandover(ctx context.Context, rec workflows.HandoverRecord) error {
	p := rec.Progress
	return h.DB.RecordHandover(ctx, &motcua.Handover{ID: rec.Input.ID, From: rec.Input.From, Targets: rec.Input.Targets,
		Day: rec.Input.Day, Basis: rec.Input.Basis, StartedBy: rec.Input.By.Subject, Status: p.Status, Moved: p.Moved,
		Skipped: p.Skipped, Failed: p.Failed, Failures: p.Failures, After: p.After, Round: p.Round, Waiting: p.Waiting, StartedAt: p.StartedAt,
		EndedAt: p.EndedAt})
}

// PendingFilings counts From's submissions not yet in the read model.
func (h *Handover) PendingFilings(ctx context.Context, req workflows.PendingFilingsRequest) (int, error) {
	return h.DB.PendingFilings(ctx, req.From, req.Since)
}
