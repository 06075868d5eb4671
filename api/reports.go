package api

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/workflows"
)

// Periodic reports: listed and downloaded by anyone (counts only, as the
// open data), regenerated for any closed period by an administrator or the
// head of an agency.

// ReportStore is what the report endpoints read.
type ReportStore interface {
	Reports(ctx context.Context, f motcua.ReportFilter) ([]motcua.Report, error)
	ReportFile(ctx context.Context, period, key, agency, format string) (motcua.Report, []byte, error)
}

// regenerateTimeout bounds the wait for a period's reports to be made.
const regenerateTimeout = 2 * time.Minute

func (s *Server) reportStore(c *gin.Context) (ReportStore, bool) {
	rs, ok := s.Store.(ReportStore)
	if !ok {
		s.fail(c, motcua.Errorf(motcua.EUNAVAILABLE, "Chưa có báo cáo định kỳ."))
	}
	return rs, ok
}

// listReports answers GET /reports?period=&key=&agency= (agency "-" for
// the province's only).
func (s *Server) listReports(c *gin.Context) {
	rs, ok := s.reportStore(c)
	if !ok {
		return
	}
	f := motcua.ReportFilter{Period: c.Query("period"), Key: c.Query("key"), Agency: c.Query("agency"), Limit: 500}
	if f.Period != "" {
		if _, _, err := motcua.ReportRange(f.Period, cmpKey(f.Period, f.Key)); err != nil {
			s.fail(c, err)
			return
		}
	}
	list, err := rs.Reports(c.Request.Context(), f)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"reports": list})
}

// cmpKey is key, or a valid key of period to check the period alone.
func cmpKey(period, key string) string {
	if key != "" {
		return key
	}
	return map[string]string{motcua.PeriodMonth: "2026-01", motcua.PeriodQuarter: "2026-Q1", motcua.PeriodYear: "2026"}[period]
}

// reportFile answers GET /reports/:period/:key/:format?agency=: the PDF
// or CSV of the province's report, or the agency's.
func (s *Server) reportFile(c *gin.Context) {
	rs, ok := s.reportStore(c)
	if !ok {
		return
	}
	period, key, format := c.Param("period"), c.Param("key"), c.Param("format")
	if _, _, err := motcua.ReportRange(period, key); err != nil {
		s.fail(c, err)
		return
	}
	_, data, err := rs.ReportFile(c.Request.Context(), period, key, c.Query("agency"), format)
	if err != nil {
		s.fail(c, err)
		return
	}
	name := "bao-cao-" + period + "-" + key
	if a := c.Query("agency"); a != "" {
		name += "-" + a
	}
	types := map[string]string{"pdf": "application/pdf", "csv": "text/csv; charset=utf-8"}
	c.Header("Content-Disposition", `attachment; filename="`+name+"."+format+`"`)
	c.Header("Cache-Control", "no-cache")
	c.Data(http.StatusOK, types[format], data)
}

// regenerateReports answers POST /reports/:period/:key/regenerate: makes
// the period's reports again (the same numbers) and answers them.
func (s *Server) regenerateReports(c *gin.Context) {
	a, ok := s.requireActor(c)
	if !ok {
		return
	}
	if a.Kind != motcua.KindAdmin && !(a.Kind == motcua.KindOfficer && a.HasRole(motcua.RoleHead)) {
		s.fail(c, motcua.Errorf(motcua.EFORBIDDEN, "Chỉ quản trị viên hoặc lãnh đạo cơ quan mới lập lại được báo cáo."))
		return
	}
	period, key := c.Param("period"), c.Param("key")
	if _, _, err := motcua.ReportRange(period, key); err != nil {
		s.fail(c, err)
		return
	}
	if !motcua.ReportClosed(period, key, s.Now()) {
		s.fail(c, motcua.Errorf(motcua.ECONFLICT, "Kỳ báo cáo %s chưa kết thúc.", key))
		return
	}
	ctx, cancel := context.WithTimeout(c.Request.Context(), regenerateTimeout)
	defer cancel()
	run, err := s.Temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID: workflows.ReportWorkflowID(period, key), TaskQueue: s.TaskQueue,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
		WorkflowIDReusePolicy:    enumspb.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE,
		WorkflowExecutionTimeout: workflows.ReportTimeout,
		StaticSummary:            "Lập lại báo cáo " + period + " " + key,
	}, workflows.ReportWorkflowName, workflows.ReportInput{Period: period, Key: key})
	if err != nil {
		s.fail(c, err)
		return
	}
	var res workflows.ReportResult
	if err := run.Get(ctx, &res); err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, res)
}

// LateCaseStore lists the cases behind an agency's late numbers.
type LateCaseStore interface {
	LateCases(ctx context.Context, agency, kind, from, to string, limit int) ([]motcua.LateCase, error)
}

// maxLateCases bounds one drill-down answer.
const maxLateCases = 500

// lateCases answers GET /stats/late?agency=&kind=overdue|resolved&from=&to=:
// the cases behind an agency's late numbers (open and overdue, by the day
// submitted; resolved late, by the day resolved), for the agency's officers
// and administrators. Unlike the open data it names cases, so it is not
// public.
func (s *Server) lateCases(c *gin.Context) {
	a, ok := s.requireActor(c)
	if !ok {
		return
	}
	q, ok := s.statsQuery(c)
	if !ok {
		return
	}
	if q.Agency == "" {
		s.fail(c, motcua.FieldErrors("Tham số thống kê chưa hợp lệ.", map[string]string{"agency": "Hãy chọn cơ quan."}))
		return
	}
	if a.Kind != motcua.KindAdmin && (a.Kind != motcua.KindOfficer || a.Agency != q.Agency) {
		s.fail(c, motcua.Errorf(motcua.EFORBIDDEN, "Chỉ cán bộ của cơ quan mới xem được danh sách hồ sơ trễ hạn."))
		return
	}
	ls, ok := s.Store.(LateCaseStore)
	if !ok {
		s.fail(c, motcua.Errorf(motcua.EUNAVAILABLE, "Chưa có số liệu thống kê."))
		return
	}
	kind := c.DefaultQuery("kind", motcua.LateOverdue)
	list, err := ls.LateCases(c.Request.Context(), q.Agency, kind, q.From.Format(time.DateOnly), q.To.Format(time.DateOnly), maxLateCases)
	if err != nil {
		s.fail(c, err)
		return
	}
	if list == nil {
		list = []motcua.LateCase{}
	}
	c.JSON(http.StatusOK, gin.H{"agency": q.Agency, "kind": kind, "from": q.From.Format(time.DateOnly), "to": q.To.Format(time.DateOnly), "cases": list})
}
