package api

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/calendar"
)

// The audit trail: every request by which an officer or an administrator
// changes something (case actions, filing at the counter, re-issuing or
// revoking a secret, attaching working papers, administration), and every
// reading of the trail itself, is appended to the audit log with who, what,
// when and from where, whatever its outcome. Administrators read it at
// GET /api/v1/audit.

const (
	caseKey    = "motcua.case"    // the case a request is about, once known
	errCodeKey = "motcua.errcode" // the error code a request was answered with
)

// setCase names the case a request is about when its address does not
// (a filing, once its code is allocated).
func setCase(c *gin.Context, code string) { c.Set(caseKey, code) }

// caseOf is the case a request is about, "" if none.
func caseOf(c *gin.Context) string {
	if v, ok := c.Get(caseKey); ok {
		return v.(string)
	}
	return c.Param("code")
}

// auditAction names what a request does in the audit log.
func auditAction(c *gin.Context) string {
	switch route := c.Request.Method + " " + strings.TrimPrefix(c.FullPath(), "/api/v1"); route {
	case "POST /cases":
		return "case.file"
	case "POST /cases/:code/actions/:action":
		return c.Param("action")
	case "POST /cases/:code/secret":
		return "secret.reissue"
	case "DELETE /cases/:code/secret":
		return "secret.revoke"
	case "POST /cases/:code/documents":
		return "document.attach"
	case "GET /audit":
		return "audit.read"
	default:
		return route
	}
}

// audited says whether a request goes into the audit log: one that may
// change something, or that reads the log, by an officer or administrator.
func audited(c *gin.Context, a motcua.Actor) bool {
	if a.Kind != motcua.KindOfficer && a.Kind != motcua.KindAdmin {
		return false
	}
	switch c.Request.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return c.FullPath() == "/api/v1/audit"
	}
	return c.FullPath() != "/api/v1/dev/login"
}

// recordAudit appends the request to the audit log once it is answered.
func (s *Server) recordAudit(c *gin.Context) {
	c.Next()
	a, ok := actor(c)
	if !ok || !audited(c, a) || s.Audit == nil {
		return
	}
	outcome := "ok"
	if v, ok := c.Get(errCodeKey); ok {
		outcome = v.(string)
	} else if c.Writer.Status() >= 400 {
		outcome = http.StatusText(c.Writer.Status())
	}
	e := motcua.AuditEntry{At: s.Now().UTC(), Subject: a.Subject, Kind: a.Kind, Roles: a.Roles, Agency: a.Agency,
		Action: auditAction(c), Case: caseOf(c), Method: c.Request.Method, Path: c.Request.URL.Path,
		Status: c.Writer.Status(), Outcome: outcome, ClientIP: c.ClientIP(), UserAgent: c.Request.UserAgent()}
	// The answer is already sent: the entry is written even if the client
	// went away.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(c.Request.Context()), 10*time.Second)
	defer cancel()
	if err := s.Audit.AppendAudit(ctx, e); err != nil {
		// Not lost: the whole entry goes to the log.
		s.log.Error("audit entry not written", "case", e.Case, "subject", e.Subject, "action", e.Action, "outcome", e.Outcome,
			"status", e.Status, "client_ip", e.ClientIP, "user_agent", e.UserAgent, "err", err)
	}
}

type auditPage struct {
	Entries    []motcua.AuditEntry `json:"entries"`
	NextCursor string              `json:"next_cursor,omitempty"`
}

// audit lists the audit log, newest first, for administrators
// (GET /audit?subject=&agency=&case=&action=&outcome=&from=&to=&limit=&cursor=).
func (s *Server) audit(c *gin.Context) {
	a, ok := s.requireActor(c)
	if !ok {
		return
	}
	if a.Kind != motcua.KindAdmin || s.Audit == nil {
		s.fail(c, motcua.Errorf(motcua.EFORBIDDEN, "Nhật ký thao tác chỉ dành cho quản trị viên."))
		return
	}
	limit, ok := s.limitParam(c)
	if !ok {
		return
	}
	q := motcua.AuditQuery{Subject: c.Query("subject"), Agency: c.Query("agency"), Case: c.Query("case"), Action: c.Query("action"),
		Outcome: c.Query("outcome"), Limit: limit}
	fields := map[string]string{}
	for name, t := range map[string]*time.Time{"from": &q.From, "to": &q.To} {
		v := c.Query(name)
		if v == "" {
			continue
		}
		var err error
		if *t, err = time.Parse(time.RFC3339, v); err != nil {
			if *t, err = time.ParseInLocation(time.DateOnly, v, calendar.Location); err != nil {
				fields[name] = "Thời điểm dạng 2026-11-27 hoặc 2026-11-27T08:00:00+07:00."
			}
		}
	}
	if v := c.Query("cursor"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1 {
			fields["cursor"] = "Dùng next_cursor của trang trước."
		}
		q.Before = n
	}
	if len(fields) > 0 {
		s.fail(c, motcua.FieldErrors("Tham số không hợp lệ.", fields))
		return
	}
	entries, next, err := s.Audit.Audit(c.Request.Context(), q)
	if err != nil {
		s.fail(c, err)
		return
	}
	page := auditPage{Entries: entries}
	if page.Entries == nil {
		page.Entries = []motcua.AuditEntry{}
	}
	if next > 0 {
		page.NextCursor = strconv.FormatInt(next, 10)
	}
	c.JSON(http.StatusOK, page)
}
