package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/workflows"
)

// Second-instance complaints (khiếu nại lần hai; Luật Khiếu nại 2011 Điều
// 33 khoản 1): "Trường hợp người khiếu nại không đồng ý với quyết định giải
// quyết lần đầu hoặc quá thời hạn quy định mà khiếu nại không được giải
// quyết thì có quyền khiếu nại lần hai" within 30 days of the first
// instance's time limit running out, or of receiving its decision; 45 days
// in remote areas hard to travel in. The complainant files it from the first
// case (POST /cases/{code}/second-instance); the second case names the
// first, and the first's view names the second.

// Days to file a second-instance complaint (Điều 33 khoản 1): the Law
// counts days, not working days.
const (
	secondInstanceDays       = 30
	secondInstanceRemoteDays = 45
)

// secondInstanceRequest is what the complainant adds to the first case.
type secondInstanceRequest struct {
	Reason        string `json:"reason"`
	Request       string `json:"request"`
	FirstDecision string `json:"first_decision"`
	NotInCourt    bool   `json:"not_in_court"`
}

// secondInstanceInput is the schema of secondInstanceRequest, for the
// pages' form.
var secondInstanceInput = json.RawMessage(`{"type": "object", "additionalProperties": false,
 "required": ["reason", "request", "not_in_court"],
 "properties": {
  "reason": {"type": "string", "minLength": 1, "maxLength": 10000,
   "title": "Lý do không đồng ý với việc giải quyết lần đầu", "x-title-en": "Why you disagree with the first instance",
   "x-error": "Cần ghi lý do không đồng ý với việc giải quyết lần đầu."},
  "request": {"type": "string", "minLength": 1, "maxLength": 2000,
   "title": "Yêu cầu của người khiếu nại", "x-title-en": "What you ask for",
   "x-error": "Cần ghi yêu cầu giải quyết."},
  "first_decision": {"type": "string", "maxLength": 200,
   "title": "Số, ngày quyết định giải quyết lần đầu (nếu đã có)", "x-title-en": "Number and date of the first-instance decision (if any)"},
  "not_in_court": {"type": "boolean", "const": true,
   "title": "Tôi cam đoan chưa khởi kiện vụ án hành chính tại Tòa án về cùng nội dung khiếu nại",
   "x-title-en": "I have not brought an administrative action in court on the same matter",
   "x-error": "Cần cam đoan chưa khởi kiện vụ án hành chính tại Tòa án (Luật Khiếu nại 2011 Điều 33 khoản 1)."}
 }}`)

// secondInstanceOffer tells the first case's viewer whether a
// second-instance complaint may be filed now: until when, or why not.
type secondInstanceOffer struct {
	Procedure string          `json:"procedure"`
	Until     *time.Time      `json:"until,omitempty"`
	Refusal   string          `json:"refusal,omitempty"`
	Input     json.RawMessage `json:"input,omitempty"`
}

// secondInstanceRight says until when the complainant of first may file a
// second-instance complaint at now, or why they may not (Luật Khiếu nại
// 2011 Điều 33 khoản 1). The time runs from the decision's receipt (its
// delivery, or its issue when it was not delivered apart), or from the end
// of the first instance's time limit when no decision came; remote areas
// are those where the first instance was extended as such (Điều 28).
func secondInstanceRight(first *motcua.Case, now time.Time) (until time.Time, refusal string) {
	days := secondInstanceDays
	if first.Law != nil && slices.ContainsFunc(first.Law.Extensions, func(e motcua.Extension) bool {
		return e.Kind == workflows.ExtendRemote || e.Kind == workflows.ExtendRemoteComplex
	}) {
		days = secondInstanceRemoteDays
	}
	day := func(t time.Time) string { return t.In(calendar.Location).Format("02/01/2006") }
	var from time.Time
	var since string
	switch {
	case first.Result != nil && first.Result.Outcome != "":
		from = first.Result.IssuedAt
		for _, e := range first.Timeline {
			if e.Action == motcua.ActionDeliver {
				from = e.At
			}
		}
		since = "kể từ ngày nhận được quyết định giải quyết lần đầu (" + day(from) + ")"
	case first.Status == motcua.StatusRejected || first.Status == motcua.StatusWithdrawn || first.Status == motcua.StatusCancelled:
		return time.Time{}, "Khiếu nại lần đầu không được thụ lý hoặc đã được rút, nên không có việc giải quyết lần đầu để khiếu nại lần hai (Luật Khiếu nại 2011 Điều 33 khoản 1)."
	case first.ReceivedAt == nil || first.DueAt == nil:
		return time.Time{}, "Khiếu nại lần đầu chưa được thụ lý: chưa thể khiếu nại lần hai. Khiếu nại lần hai được gửi khi đã có quyết định giải quyết lần đầu hoặc khi hết thời hạn giải quyết lần đầu mà khiếu nại không được giải quyết (Luật Khiếu nại 2011 Điều 33 khoản 1)."
	case !now.After(*first.DueAt):
		return time.Time{}, fmt.Sprintf("Chưa có quyết định giải quyết lần đầu và thời hạn giải quyết lần đầu chưa hết (đến ngày %s): chưa thể khiếu nại lần hai (Luật Khiếu nại 2011 Điều 33 khoản 1).", day(*first.DueAt))
	default:
		from = *first.DueAt
		since = "kể từ ngày hết thời hạn giải quyết lần đầu (" + day(from) + ") mà khiếu nại không được giải quyết"
	}
	until = calendar.EndOfDay(from.In(calendar.Location).AddDate(0, 0, days))
	if now.After(until) {
		return until, fmt.Sprintf("Đã quá thời hạn khiếu nại lần hai: %d ngày %s, hết ngày %s (Luật Khiếu nại 2011 Điều 33 khoản 1).", days, since, day(until))
	}
	return until, ""
}

// secondInstanceProcedure is the catalogue's second-instance procedure for
// complaints of first's procedure, if any.
func (s *Server) secondInstanceProcedure(first *motcua.Case) (*motcua.Procedure, bool) {
	if first.Procedure.Shape != motcua.ShapeComplaint {
		return nil, false
	}
	for _, p := range s.Catalog.All() {
		if p.FirstInstance == first.Procedure.Code {
			return p, true
		}
	}
	return nil, false
}

// linkInstances fills in the view's links between the instances of a
// complaint and, on a first-instance case not yet complained of again,
// whether it may be.
func (s *Server) linkInstances(ctx context.Context, cs *motcua.Case, v *caseView) error {
	proc, ok := s.secondInstanceProcedure(cs)
	links, stored := s.Store.(motcua.SecondInstances)
	if !ok || !stored || cs.Law == nil {
		return nil
	}
	second, err := links.SecondInstanceOf(ctx, cs.Code)
	if err != nil {
		return err
	}
	if second != "" {
		law := *cs.Law
		law.SecondInstance = second
		v.Law = &law
		return nil
	}
	offer := &secondInstanceOffer{Procedure: proc.Code}
	until, refusal := secondInstanceRight(cs, s.Now())
	if refusal != "" {
		offer.Refusal = refusal
	} else {
		offer.Until, offer.Input = &until, secondInstanceInput
	}
	v.SecondInstance = offer
	return nil
}

// secondInstanceRefusal says why a second-instance complaint against first
// may not be filed now (nil if it may): one was filed already, or Điều 33
// does not allow it.
func (s *Server) secondInstanceRefusal(ctx context.Context, first *motcua.Case) error {
	if links, stored := s.Store.(motcua.SecondInstances); stored {
		second, err := links.SecondInstanceOf(ctx, first.Code)
		if err != nil {
			return err
		}
		if second != "" {
			return motcua.Errorf(motcua.ECONFLICT, "Đã khiếu nại lần hai đối với hồ sơ %s: hồ sơ %s.", first.Code, second)
		}
	}
	if _, refusal := secondInstanceRight(first, s.Now()); refusal != "" {
		return motcua.Errorf(motcua.ECONFLICT, "%s", refusal)
	}
	return nil
}

// secondInstanceTag is what of the instances' links the view's ETag
// reflects.
func secondInstanceTag(v *caseView) string {
	switch {
	case v.Law != nil && v.Law.SecondInstance != "":
		return v.Law.SecondInstance
	case v.SecondInstance != nil && v.SecondInstance.Refusal == "":
		return "open"
	}
	return "closed"
}

// fileSecondInstance answers POST /cases/{code}/second-instance: the
// complainant of a first-instance case files a second-instance complaint
// against it, when Điều 33 allows.
func (s *Server) fileSecondInstance(c *gin.Context) {
	first, a, ok := s.visibleCase(c)
	if !ok {
		return
	}
	if a.Kind != motcua.KindCitizen || a.Subject != first.Owner || first.Owner == "" {
		s.fail(c, motcua.Errorf(motcua.EFORBIDDEN, "Chỉ người khiếu nại lần đầu (đăng nhập bằng tài khoản đã nộp đơn) mới gửi được khiếu nại lần hai."))
		return
	}
	proc, ok := s.secondInstanceProcedure(first)
	if !ok {
		s.fail(c, motcua.Errorf(motcua.ECONFLICT, "Hồ sơ %s không phải khiếu nại lần đầu: không có khiếu nại lần hai đối với hồ sơ này.", first.Code))
		return
	}
	key, ok := s.idempotencyKey(c)
	if !ok {
		return
	}
	var body secondInstanceRequest
	raw, ok := s.decodeBody(c, &body)
	if !ok {
		return
	}
	hold, ok := s.holdKey(c, a.Subject, key, requestHash(c, raw))
	if !ok {
		return
	}
	// A retry of an answered request gets its case again, below.
	if hold.prev == nil {
		if refusal := s.secondInstanceRefusal(c.Request.Context(), first); refusal != nil {
			s.release(c, hold, refusal)
			return
		}
	}
	form, _ := json.Marshal(map[string]any{"first_instance": first.Code, "first_decision": strings.TrimSpace(body.FirstDecision),
		"reason": strings.TrimSpace(body.Reason), "request": strings.TrimSpace(body.Request), "not_in_court": body.NotInCourt})
	notify := slices.Clone(first.Notify)
	req := submitRequest{Procedure: proc.Code, Applicant: first.Applicant, Form: form, Notify: &notify,
		Delivery: motcua.Delivery{Method: first.Delivery.Method, Address: first.Delivery.Address}}
	_, fields := s.checkSubmission(&req, false)
	for k, msg := range fields {
		if f, isForm := strings.CutPrefix(k, "form."); isForm && f != "first_instance" {
			delete(fields, k)
			fields[f] = msg
		}
	}
	if len(fields) > 0 {
		s.release(c, hold, motcua.FieldErrors("Đơn khiếu nại lần hai chưa hợp lệ, vui lòng kiểm tra các trường được đánh dấu.", fields))
		return
	}
	in := workflows.CaseInput{Procedure: s.coAgenciesOn(*proc), Agency: req.Agency, Applicant: req.Applicant, Delivery: req.Delivery,
		Form: req.Form, SubmittedBy: a, Notify: notify, ReconcileAfter: s.ReconcileAfter, Attachments: s.Attachments,
		Owner: first.Owner, Channel: motcua.ChannelOnline, FirstInstance: first.Code}
	// One second instance per first case: the code is the first case's.
	view, created, err := s.start(c.Request.Context(), in, digest(first.Code, "second-instance"))
	if err == nil && !created && hold.prev == nil {
		err = motcua.Errorf(motcua.ECONFLICT, "Đã khiếu nại lần hai đối với hồ sơ %s: hồ sơ %s.", first.Code, view.Code)
	}
	if err != nil {
		if hold.prev == nil {
			s.release(c, hold, err)
		} else {
			s.fail(c, err)
		}
		return
	}
	setCase(c, view.Code)
	status := http.StatusOK
	if created {
		status = http.StatusCreated
		s.metrics.submissions.WithLabelValues(in.Channel, proc.Code).Inc()
		s.log.Info("second-instance complaint filed", "case", view.Code, "first", first.Code)
	}
	if hold.prev == nil {
		s.keep(c, hold, status, nil)
	}
	secret, err := s.currentSecret(c.Request.Context(), view.Code)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(status, receipt{caseView: present(view), Secret: secret})
}
