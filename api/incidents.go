package api

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"

	"github.com/motcua/motcua"
)

// Incidents (issue 16, finding 1): a case whose workflow ended
// unexpectedly — terminated (its history grew past Temporal's limit, or an
// operator), timed out, failed — still shows open in the read model, with
// actions that would answer 409. The reconciler below and the next action
// on such a case record an incident; while it stands the case offers no
// action and says so; administrators list incidents and resolve them.

// incidentKind names how a run ended, "" for a normal end.
func incidentKind(st enumspb.WorkflowExecutionStatus) string {
	switch st {
	case enumspb.WORKFLOW_EXECUTION_STATUS_TERMINATED:
		return motcua.IncidentTerminated
	case enumspb.WORKFLOW_EXECUTION_STATUS_TIMED_OUT:
		return motcua.IncidentTimedOut
	case enumspb.WORKFLOW_EXECUTION_STATUS_FAILED:
		return motcua.IncidentFailed
	case enumspb.WORKFLOW_EXECUTION_STATUS_CANCELED:
		return motcua.IncidentCanceled
	}
	return ""
}

var incidentText = map[string]string{
	motcua.IncidentTerminated: "Tiến trình xử lý hồ sơ đã bị dừng",
	motcua.IncidentTimedOut:   "Tiến trình xử lý hồ sơ đã quá thời hạn chạy",
	motcua.IncidentFailed:     "Tiến trình xử lý hồ sơ gặp lỗi",
	motcua.IncidentCanceled:   "Tiến trình xử lý hồ sơ đã bị hủy",
}

// errIncident answers an action on a case with an open incident.
func errIncident(inc *motcua.Incident) error {
	return motcua.Errorf(motcua.ECONFLICT, "Hồ sơ %s đang gặp sự cố kỹ thuật (%s) và tạm ngừng nhận thao tác; quản trị viên đã được báo để xử lý.",
		inc.Code, strings.ToLower(incidentText[inc.Kind][:1])+incidentText[inc.Kind][1:])
}

// incidents is the store's incident book, nil if it keeps none.
func (s *Server) incidents() motcua.Incidents {
	inc, _ := s.Store.(motcua.Incidents)
	return inc
}

// openIncident is cs's open incident, nil if none (or none kept).
func (s *Server) openIncident(ctx context.Context, code string) *motcua.Incident {
	book := s.incidents()
	if book == nil {
		return nil
	}
	inc, err := book.OpenIncidentOf(ctx, code)
	if err != nil {
		s.log.Error("incident look-up", "case", code, "err", err)
		return nil
	}
	return inc
}

// withIncident puts cs's open incident on it; the case then offers no
// action.
func (s *Server) withIncident(ctx context.Context, cs *motcua.Case) {
	if cs.ClosedAt != nil {
		return
	}
	if inc := s.openIncident(ctx, cs.Code); inc != nil {
		cs.Incident = inc
		cs.Actions = []motcua.Permission{}
	}
}

// incidentRefusal refuses an action on a case with an open incident.
func (s *Server) incidentRefusal(ctx context.Context, cs *motcua.Case) error {
	if cs.ClosedAt != nil {
		return nil
	}
	if inc := s.openIncident(ctx, cs.Code); inc != nil {
		return errIncident(inc)
	}
	return nil
}

// closedCase explains why an open case's workflow took no action: it ended
// unexpectedly (an incident, recorded now) or normally (the case closed).
func (s *Server) closedCase(ctx context.Context, code string) error {
	inc, _, err := checkRun(ctx, s.Temporal, s.incidents(), code, s.Now())
	if err != nil {
		s.log.Error("incident check", "case", code, "err", err)
	}
	if inc != nil {
		return errIncident(inc)
	}
	return errCaseClosed
}

// checkRun records an incident when code's latest workflow run ended
// unexpectedly, returning it if unresolved (nil when the run runs or
// completed) and whether it is new.
func checkRun(ctx context.Context, tc client.Client, book motcua.Incidents, code string, now time.Time) (*motcua.Incident, bool, error) {
	if tc == nil || book == nil {
		return nil, false, nil
	}
	d, err := tc.DescribeWorkflowExecution(ctx, code, "")
	if err != nil {
		var nf *serviceerror.NotFound
		if errors.As(err, &nf) {
			return nil, false, nil
		}
		return nil, false, fmt.Errorf("describe %s: %w", code, err)
	}
	info := d.GetWorkflowExecutionInfo()
	kind := incidentKind(info.GetStatus())
	if kind == "" {
		return nil, false, nil
	}
	detail := incidentText[kind]
	if ct := info.GetCloseTime(); ct != nil {
		detail += " lúc " + ct.AsTime().UTC().Format(time.RFC3339)
	}
	detail += fmt.Sprintf(" (lượt chạy %s, %d sự kiện, %d byte lịch sử).", info.GetExecution().GetRunId(), info.GetHistoryLength(), info.GetHistorySizeBytes())
	inc, created, err := book.OpenIncident(ctx, motcua.Incident{Code: code, RunID: info.GetExecution().GetRunId(), Kind: kind, Detail: detail, OpenedAt: now})
	if err != nil {
		return nil, false, err
	}
	if inc.ResolvedAt != nil {
		return nil, false, nil // an administrator has dealt with this run
	}
	return &inc, created, nil
}

// Reconciler compares the read model with the workflows: each open case
// whose workflow run ended unexpectedly becomes an incident. It asks
// Temporal's visibility for runs on the task queue that closed so since
// the last pass, so a pass costs what went wrong, not what is open.
type Reconciler struct {
	Temporal  client.Client
	Namespace string
	TaskQueue string
	Store     motcua.ReadModel
	Logger    *slog.Logger
	Now       motcua.Clock
	// since is where the next pass starts.
	since time.Time
}

// Pass reconciles once and returns the incidents it opened.
func (r *Reconciler) Pass(ctx context.Context) (opened int, err error) {
	book, ok := r.Store.(motcua.Incidents)
	if !ok {
		return 0, nil
	}
	now := r.Now()
	since := r.since
	if since.IsZero() {
		since = now.Add(-7 * 24 * time.Hour)
	}
	query := fmt.Sprintf("TaskQueue = '%s' AND ExecutionStatus IN ('Terminated', 'TimedOut', 'Failed', 'Canceled') AND CloseTime >= '%s'",
		strings.ReplaceAll(r.TaskQueue, "'", ""), since.UTC().Format(time.RFC3339))
	var token []byte
	for {
		res, err := r.Temporal.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{Namespace: r.Namespace, Query: query, NextPageToken: token})
		if err != nil {
			return opened, fmt.Errorf("list ended workflows: %w", err)
		}
		for _, ex := range res.GetExecutions() {
			code := ex.GetExecution().GetWorkflowId()
			cs, err := r.Store.Case(ctx, code)
			if err != nil || cs.ClosedAt != nil {
				continue // not a case of this read model, or closed as planned
			}
			inc, created, err := checkRun(ctx, r.Temporal, book, code, now)
			if err != nil {
				return opened, err
			}
			if created {
				opened++
				r.Logger.Warn("case incident", "case", code, "kind", inc.Kind, "detail", inc.Detail)
			}
		}
		if token = res.GetNextPageToken(); len(token) == 0 {
			break
		}
	}
	// Visibility trails a run's close a little: the next pass looks back.
	r.since = now.Add(-time.Minute)
	return opened, nil
}

// Run passes every interval until ctx ends.
func (r *Reconciler) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if _, err := r.Pass(ctx); err != nil && ctx.Err() == nil {
			r.Logger.Error("reconcile incidents", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// listIncidents lists incidents for administrators (GET /incidents;
// ?all=1 includes resolved ones).
func (s *Server) listIncidents(c *gin.Context) {
	book, ok := s.adminIncidents(c)
	if !ok {
		return
	}
	list, err := book.ListIncidents(c.Request.Context(), c.Query("all") == "1", 200)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"incidents": list})
}

// resolveIncident records how an administrator dealt with an incident
// (POST /incidents/{id}/resolve {"resolution": "..."}).
func (s *Server) resolveIncident(c *gin.Context) {
	book, ok := s.adminIncidents(c)
	if !ok {
		return
	}
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		s.fail(c, motcua.Errorf(motcua.ENOTFOUND, "Không có sự cố %q.", c.Param("id")))
		return
	}
	var body struct {
		Resolution string `json:"resolution"`
	}
	if !s.decode(c, &body) {
		return
	}
	body.Resolution = strings.TrimSpace(body.Resolution)
	if body.Resolution == "" {
		s.fail(c, motcua.FieldErrors("Cần ghi cách đã xử lý sự cố.", map[string]string{"resolution": "Bắt buộc."}))
		return
	}
	a, _ := actor(c)
	inc, err := book.ResolveIncident(c.Request.Context(), id, a.Subject, body.Resolution, s.Now())
	if err != nil {
		s.fail(c, err)
		return
	}
	s.log.Info("case incident resolved", "case", inc.Code, "incident", inc.ID, "by", a.Subject)
	c.JSON(http.StatusOK, inc)
}

func (s *Server) adminIncidents(c *gin.Context) (motcua.Incidents, bool) {
	a, ok := s.requireActor(c)
	if !ok {
		return nil, false
	}
	if a.Kind != motcua.KindAdmin {
		s.fail(c, motcua.Errorf(motcua.EFORBIDDEN, "Chỉ quản trị viên xem và xử lý sự cố."))
		return nil, false
	}
	book := s.incidents()
	if book == nil {
		s.fail(c, motcua.Errorf(motcua.EUNAVAILABLE, "Chưa xem được sự cố, vui lòng thử lại sau."))
		return nil, false
	}
	return book, true
}
