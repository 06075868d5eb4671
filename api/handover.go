package api

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/procedures"
	"github.com/motcua/motcua/workflows"
)

// Hand-over of open cases (chuyển giao hồ sơ đang giải quyết): an
// administrator names the unit that ceased or lost a competence, and
// optionally the procedures or fields that move (a split transfer); the API
// resolves, for each procedure, the successor competent on the hand-over's
// day, answers what would move (dry_run), or starts the hand-over workflow.

// handoverRequest is POST /handovers.
type handoverRequest struct {
	// ID names the hand-over; by default it is derived from what it
	// moves, so asking twice runs one hand-over.
	ID   string `json:"id"`
	From string `json:"from"`
	// Procedures and Fields narrow the hand-over (a split transfer); with
	// neither, every procedure whose competence left From moves.
	Procedures []string `json:"procedures"`
	Fields     []string `json:"fields"`
	// To, or Targets per procedure, names the receiving agency where the
	// competence went to several (the communes of a former district).
	To      string            `json:"to"`
	Targets map[string]string `json:"targets"`
	// Day is the day competence is read on (YYYY-MM-DD); today by default.
	Day    string `json:"day"`
	Basis  string `json:"basis"`
	DryRun bool   `json:"dry_run"`
	// PageSize and Concurrency tune the run (200 and 8 by default).
	PageSize    int `json:"page_size"`
	Concurrency int `json:"concurrency"`
}

// handoverLine is one procedure of a hand-over plan.
type handoverLine struct {
	Procedure string `json:"procedure"`
	Name      string `json:"name"`
	Open      int    `json:"open"`
	To        string `json:"to,omitempty"`
	ToName    string `json:"to_name,omitempty"`
	// Stays: From is still competent for it on the day; nothing moves.
	Stays bool `json:"stays,omitempty"`
	// Choices, when the competence went to several agencies and none was
	// named: each case goes to the one whose ward or commune its address
	// names (ByAddress); a case whose address names none fails and is
	// listed, for a target to be given.
	Choices   []competentAgency `json:"choices,omitempty"`
	ByAddress bool              `json:"by_address,omitempty"`
}

// handoverPlan is the dry run's answer: what would move where.
type handoverPlan struct {
	ID     string         `json:"id"`
	From   string         `json:"from"`
	Day    string         `json:"day"`
	Lines  []handoverLine `json:"procedures"`
	Moves  int            `json:"moves"`
	DryRun bool           `json:"dry_run"`
	// Targets are the procedures that move and where.
	Targets map[string]string `json:"targets"`
}

func (s *Server) requireAdmin(c *gin.Context) (motcua.Actor, bool) {
	a, ok := s.requireActor(c)
	if ok && a.Kind != motcua.KindAdmin {
		s.fail(c, motcua.Errorf(motcua.EFORBIDDEN, "Chỉ quản trị viên mới chuyển giao được hồ sơ."))
		return a, false
	}
	return a, ok
}

// startHandover answers POST /handovers: the plan (dry_run), or the
// hand-over started (202) with the plan and where to follow it.
func (s *Server) startHandover(c *gin.Context) {
	a, ok := s.requireAdmin(c)
	if !ok {
		return
	}
	var req handoverRequest
	if !s.decode(c, &req) {
		return
	}
	plan, err := s.PlanHandover(c.Request.Context(), req)
	if err != nil {
		s.fail(c, err)
		return
	}
	if req.DryRun {
		c.JSON(http.StatusOK, plan)
		return
	}
	var unresolved []string
	for _, l := range plan.Lines {
		if l.Open > 0 && len(l.Choices) > 0 && !l.ByAddress {
			unresolved = append(unresolved, l.Procedure)
		}
	}
	if len(unresolved) > 0 {
		s.fail(c, motcua.FieldErrors("Thẩm quyền đã chuyển cho nhiều cơ quan: cần chỉ định cơ quan nhận (targets) cho từng thủ tục được đánh dấu.",
			map[string]string{"targets": strings.Join(unresolved, ", ")}))
		return
	}
	if plan.Moves == 0 {
		s.fail(c, motcua.Errorf(motcua.ECONFLICT, "Không có hồ sơ đang giải quyết nào cần chuyển giao."))
		return
	}
	day, _ := time.ParseInLocation(time.DateOnly, plan.Day, vietnam)
	in := workflows.HandoverInput{ID: plan.ID, From: plan.From, Targets: plan.Targets, Day: day, Basis: req.Basis, By: a,
		PageSize: cmp.Or(req.PageSize, 200), Concurrency: cmp.Or(req.Concurrency, 8)}
	if err := s.runHandover(c.Request.Context(), in); err != nil {
		s.fail(c, err)
		return
	}
	s.log.Info("hand-over started", "handover", plan.ID, "from", plan.From, "moves", plan.Moves, "by", a.Subject)
	c.Header("Location", "/api/v1/handovers/"+plan.ID)
	c.JSON(http.StatusAccepted, plan)
}

var vietnam = time.FixedZone("ICT", 7*60*60)

// PlanHandover resolves a hand-over request against the registry and the
// read model.
func (s *Server) PlanHandover(ctx context.Context, req handoverRequest) (*handoverPlan, error) {
	reg := s.Catalog.Agencies()
	bad := map[string]string{}
	from, ok := reg.Get(strings.TrimSpace(req.From))
	if !ok {
		bad["from"] = "Không có cơ quan này."
	}
	day := s.filingDay().In(vietnam)
	if req.Day != "" {
		d, err := time.ParseInLocation(time.DateOnly, req.Day, vietnam)
		if err != nil {
			bad["day"] = "Ngày theo dạng YYYY-MM-DD."
		}
		day = d
	}
	day = time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, vietnam)
	if p := textProblem(req.Basis, plainText); p != "" {
		bad["basis"] = p
	}
	named := map[string]bool{}
	for _, code := range req.Procedures {
		if _, ok := s.Catalog.Get(code); !ok {
			bad["procedures"] = "Không có thủ tục " + code + "."
		}
		named[code] = true
	}
	for _, f := range req.Fields {
		n := 0
		for _, p := range s.Catalog.All() {
			if p.Field == f {
				named[p.Code] = true
				n++
			}
		}
		if n == 0 {
			bad["fields"] = "Không có thủ tục nào thuộc lĩnh vực " + f + "."
		}
	}
	check := func(field, code string) {
		if code == "" || code == workflows.TargetByAddress {
			return
		}
		if ag, ok := reg.Get(code); !ok || !ag.Active(day) {
			bad[field] = "Cơ quan " + code + " không tồn tại vào ngày chuyển giao."
		}
	}
	check("to", req.To)
	for p, code := range req.Targets {
		check("targets."+p, code)
	}
	if len(bad) > 0 {
		return nil, motcua.FieldErrors("Yêu cầu chuyển giao chưa hợp lệ.", bad)
	}
	counts, err := s.handoverStore().OpenCaseCounts(ctx, from.Code)
	if err != nil {
		return nil, err
	}
	codes := slices.Sorted(maps.Keys(counts))
	if len(named) > 0 {
		codes = slices.Sorted(maps.Keys(named))
	}
	plan := &handoverPlan{From: from.Code, Day: day.Format(time.DateOnly), Lines: []handoverLine{}, DryRun: req.DryRun,
		Targets: map[string]string{}}
	for _, code := range codes {
		line := handoverLine{Procedure: code, Open: counts[code]}
		p, ok := s.Catalog.Get(code)
		if ok {
			line.Name = p.Name.Vi
		}
		to := cmp.Or(req.Targets[code], req.To)
		if to == workflows.TargetByAddress {
			to = "" // each case by its address, as when none is named
		}
		if ok && to == "" {
			to, line.Stays, line.Choices = successorFor(reg, p, from.Code, day)
			if to == "" && len(line.Choices) > 1 {
				line.ByAddress = true
				plan.Targets[code] = workflows.TargetByAddress
				plan.Moves += line.Open
			}
		}
		if ag, known := reg.Get(to); known && to != from.Code {
			line.To, line.ToName, line.Stays = to, ag.Name, false
			plan.Targets[code] = to
			plan.Moves += line.Open
		}
		plan.Lines = append(plan.Lines, line)
	}
	plan.ID = cmp.Or(strings.TrimSpace(req.ID), handoverID(plan))
	return plan, nil
}

// successorFor is where cases of p held by from go on day: from itself when
// it is still competent (stays), the one competent agency that holds from's
// competence, or the one competent agency; otherwise the choices.
func successorFor(reg *procedures.Agencies, p *motcua.Procedure, from string, day time.Time) (string, bool, []competentAgency) {
	comp := reg.Competent(p, day)
	if slices.ContainsFunc(comp, func(a *procedures.Agency) bool { return a.Code == from }) {
		return from, true, nil
	}
	var holding []*procedures.Agency
	for _, h := range reg.Holders(from, day) {
		if slices.Contains(comp, h) {
			holding = append(holding, h)
		}
	}
	switch {
	case len(holding) == 1:
		return holding[0].Code, false, nil
	case len(comp) == 1:
		return comp[0].Code, false, nil
	}
	choices := holding
	if len(choices) == 0 {
		choices = comp
	}
	out := make([]competentAgency, len(choices))
	for i, a := range choices {
		out[i] = competentAgency{Code: a.Code, Name: a.Name, NameEn: a.NameEn, Tier: a.Tier}
	}
	return "", false, out
}

// handoverID names a hand-over after what it moves and when: asking again
// for the same moves joins the same hand-over.
func handoverID(p *handoverPlan) string {
	h := sha256.New()
	h.Write([]byte(p.From + "\x00" + p.Day))
	for _, code := range slices.Sorted(maps.Keys(p.Targets)) {
		h.Write([]byte("\x00" + code + "=" + p.Targets[code]))
	}
	return strings.ToLower(p.From) + "-" + strings.ReplaceAll(p.Day, "-", "") + "-" + hex.EncodeToString(h.Sum(nil))[:8]
}

// runHandover starts the hand-over workflow, or joins it if it runs. One
// that ended may run again: it finds only the cases still at From.
func (s *Server) runHandover(ctx context.Context, in workflows.HandoverInput) error {
	now := time.Now()
	if err := s.handoverStore().RecordHandover(ctx, &motcua.Handover{ID: in.ID, From: in.From, Targets: in.Targets, Day: in.Day,
		Basis: in.Basis, StartedBy: in.By.Subject, Status: workflows.HandoverRunning, StartedAt: now}); err != nil {
		return err
	}
	_, err := s.Temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID: workflows.HandoverWorkflowID(in.ID), TaskQueue: s.TaskQueue,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
		WorkflowIDReusePolicy:    enumspb.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE,
		StaticSummary:            "Chuyển giao hồ sơ của " + in.From,
	}, workflows.HandoverWorkflowName, in)
	var started *serviceerror.WorkflowExecutionAlreadyStarted
	if errors.As(err, &started) {
		return nil
	}
	return err
}

// getHandover answers GET /handovers/{id}: the hand-over's progress.
func (s *Server) getHandover(c *gin.Context) {
	if _, ok := s.requireAdmin(c); !ok {
		return
	}
	h, err := s.handoverStore().Handover(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, h)
}

// listHandovers answers GET /handovers: the latest hand-overs.
func (s *Server) listHandovers(c *gin.Context) {
	if _, ok := s.requireAdmin(c); !ok {
		return
	}
	hs, err := s.handoverStore().Handovers(c.Request.Context(), 50)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": hs})
}

// HandoverStore is what hand-overs need of the read model.
type HandoverStore interface {
	OpenCaseCounts(ctx context.Context, agency string) (map[string]int, error)
	RecordHandover(ctx context.Context, h *motcua.Handover) error
	Handover(ctx context.Context, id string) (*motcua.Handover, error)
	Handovers(ctx context.Context, limit int) ([]motcua.Handover, error)
}

func (s *Server) handoverStore() HandoverStore {
	if hs, ok := s.Store.(HandoverStore); ok {
		return hs
	}
	return noHandovers{}
}

type noHandovers struct{}

var errNoHandovers = motcua.Errorf(motcua.EUNAVAILABLE, "Kho dữ liệu không hỗ trợ chuyển giao hồ sơ.")

func (noHandovers) OpenCaseCounts(context.Context, string) (map[string]int, error) {
	return nil, errNoHandovers
}
func (noHandovers) RecordHandover(context.Context, *motcua.Handover) error { return errNoHandovers }
func (noHandovers) Handover(context.Context, string) (*motcua.Handover, error) {
	return nil, errNoHandovers
}
func (noHandovers) Handovers(context.Context, int) ([]motcua.Handover, error) {
	return nil, errNoHandovers
}

// agencyNotActive says why officers cannot act for ag today (it ended, or
// does not exist yet), naming who holds its competence; "" when it exists.
func (s *Server) agencyNotActive(ag *procedures.Agency) string {
	day := s.filingDay()
	if ag.Active(day) {
		return ""
	}
	if day.Before(ag.ValidFrom) {
		return "Cơ quan này chưa thành lập (từ " + ag.ValidFrom.Format("02/01/2006") + ")."
	}
	var names []string
	for _, h := range s.Catalog.Agencies().Holders(ag.Code, day) {
		names = append(names, h.Code)
	}
	if len(names) == 0 {
		return "Cơ quan này đã chấm dứt hoạt động."
	}
	if len(names) > 5 {
		names = append(names[:5], "…")
	}
	return "Cơ quan này đã chấm dứt hoạt động; cơ quan kế thừa: " + strings.Join(names, ", ") + "."
}

// coAgenciesOn is p with its co-processing agencies and the agencies its
// steps name resolved to who holds their competence on the filing day: a
// definition written before a reform names units that have since ended
// (Công an tỉnh Quảng Nam for the criminal-record search). A unit that ended
// without one successor stays as written (the registry lacks its
// successor; a hand-over can move it later).
func (s *Server) coAgenciesOn(p motcua.Procedure) motcua.Procedure {
	reg, day := s.Catalog.Agencies(), s.filingDay()
	current := func(code string) string {
		if hs := reg.Holders(code, day); len(hs) == 1 {
			return hs[0].Code
		}
		return code
	}
	if len(p.CoAgencies) > 0 {
		p.CoAgencies = slices.Clone(p.CoAgencies)
		for i := range p.CoAgencies {
			p.CoAgencies[i].Agency = current(p.CoAgencies[i].Agency)
		}
	}
	if len(p.Steps) > 0 {
		steps := make(motcua.Steps, len(p.Steps))
		for name, st := range p.Steps {
			if st != nil && st.Agency != "" {
				moved := *st
				moved.Agency = current(st.Agency)
				st = &moved
			}
			steps[name] = st
		}
		p.Steps = steps
	}
	return p
}
