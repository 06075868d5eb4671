package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/motcua/motcua"
)

// caseSummary is a case in a list: enough to pick it, not its timeline.
type caseSummary struct {
	Code          string              `json:"code"`
	Procedure     motcua.ProcedureRef `json:"procedure"`
	Agency        string              `json:"agency"`
	Status        motcua.Status       `json:"status"`
	Step          string              `json:"step"`
	Channel       string              `json:"channel"`
	ApplicantName string              `json:"applicant_name"`
	SubmittedAt   time.Time           `json:"submitted_at"`
	ReceivedAt    *time.Time          `json:"received_at,omitempty"`
	DueAt         *time.Time          `json:"due_at,omitempty"`
	Overdue       bool                `json:"overdue"`
	Paused        bool                `json:"paused"`
	Actions       []motcua.Permission `json:"actions"`
	// ReceptionLate: an online filing the desk had not answered within
	// 08 working hours (Decree 118/2025 Điều 17 khoản 2 điểm c).
	ReceptionLate bool `json:"reception_late,omitempty"`
}

type casePage struct {
	Cases      []caseSummary `json:"cases"`
	NextCursor string        `json:"next_cursor,omitempty"`
}

func summarize(p *motcua.Page) casePage {
	out := casePage{Cases: make([]caseSummary, len(p.Cases)), NextCursor: p.Next}
	for i, c := range p.Cases {
		out.Cases[i] = caseSummary{Code: c.Code, Procedure: c.Procedure, Agency: c.Agency, Status: c.Status, Step: c.Step,
			Channel: c.Channel, ApplicantName: c.Applicant.Name, SubmittedAt: c.SubmittedAt, ReceivedAt: c.ReceivedAt,
			DueAt: c.DueAt, Overdue: c.Overdue, Paused: c.Paused, Actions: c.Actions,
			ReceptionLate: c.Law != nil && c.Law.ReceptionLate}
	}
	return out
}

// limitParam reads ?limit= (1–200, default 50).
func (s *Server) limitParam(c *gin.Context) (int, bool) {
	v := c.Query("limit")
	if v == "" {
		return 50, true
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 200 {
		s.fail(c, motcua.FieldErrors("Tham số không hợp lệ.", map[string]string{"limit": "Từ 1 đến 200."}))
		return 0, false
	}
	return n, true
}

// inbox lists the cases waiting for the signed-in officer (GET /inbox).
func (s *Server) inbox(c *gin.Context) {
	a, ok := s.requireActor(c)
	if !ok {
		return
	}
	if a.Kind != motcua.KindOfficer {
		s.fail(c, motcua.Errorf(motcua.EFORBIDDEN, "Hộp hồ sơ chỉ dành cho cán bộ."))
		return
	}
	limit, ok := s.limitParam(c)
	if !ok {
		return
	}
	q := motcua.InboxQuery{Agency: a.Agency, Subject: a.Subject, Roles: a.Roles, Status: c.Query("status"),
		Procedure: c.Query("procedure"), Limit: limit, Cursor: c.Query("cursor")}
	switch v := c.Query("overdue"); v {
	case "":
	case "true", "1", "false", "0":
		b := v == "true" || v == "1"
		q.Overdue = &b
	default:
		s.fail(c, motcua.FieldErrors("Tham số không hợp lệ.", map[string]string{"overdue": "true hoặc false."}))
		return
	}
	page, err := s.Store.Inbox(c.Request.Context(), q)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, summarize(page))
}

// listCases lists the signed-in citizen's own cases (GET /cases?mine=1).
func (s *Server) listCases(c *gin.Context) {
	a, ok := s.requireActor(c)
	if !ok {
		return
	}
	if a.Kind != motcua.KindCitizen {
		s.fail(c, motcua.Errorf(motcua.EFORBIDDEN, "Danh sách \"hồ sơ của tôi\" dành cho công dân; cán bộ dùng hộp hồ sơ (/inbox)."))
		return
	}
	if m := c.Query("mine"); m != "1" && m != "true" {
		s.fail(c, motcua.FieldErrors("Chỉ hỗ trợ liệt kê hồ sơ của chính mình.", map[string]string{"mine": "Dùng mine=1."}))
		return
	}
	limit, ok := s.limitParam(c)
	if !ok {
		return
	}
	page, err := s.Store.CasesByOwner(c.Request.Context(), a.Subject, limit, c.Query("cursor"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, summarize(page))
}
