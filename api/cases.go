package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/worker"
	"github.com/motcua/motcua/workflows"
)

type submitRequest struct {
	Procedure string           `json:"procedure"`
	Agency    string           `json:"agency"`
	Applicant motcua.Applicant `json:"applicant"`
	Form      json.RawMessage  `json:"form"`
	Delivery  motcua.Delivery  `json:"delivery"`
	// Notify is how the applicant wants to hear of progress: "sms",
	// "email"; by default every channel they gave an address for.
	Notify *[]string `json:"notify"`
	// OnBehalf: a citizen files for the applicant named, whose ID number
	// is not their own; the case shows who filed (its owner).
	OnBehalf bool `json:"on_behalf"`
	// Anonymous: a denunciation filed without the denouncer's identity
	// (Luật Tố cáo 2018 Điều 25): it carries no applicant and no
	// denouncer, and is not handled as a denunciation under the Law.
	Anonymous bool `json:"anonymous"`
}

// receipt is the answer to a submission: the case and its look-up secret.
type receipt struct {
	caseView
	Secret string `json:"secret"`
}

var (
	phonePattern = regexp.MustCompile(`^(\+84|0)[0-9]{9,10}$`)
)

// submit starts a case (POST /cases). A citizen submits online; a receiving
// officer may submit at the counter on an applicant's behalf. The
// Idempotency-Key makes retries return the same case.
func (s *Server) submit(c *gin.Context) {
	a, ok := s.requireActor(c)
	if !ok {
		return
	}
	if a.Kind != motcua.KindCitizen && !(a.Kind == motcua.KindOfficer && a.HasRole(motcua.RoleReceiver)) {
		s.fail(c, motcua.Errorf(motcua.EFORBIDDEN, "Chỉ công dân hoặc cán bộ tiếp nhận mới nộp được hồ sơ."))
		return
	}
	key, ok := s.idempotencyKey(c)
	if !ok {
		return
	}
	var req submitRequest
	body, ok := s.decodeBody(c, &req)
	if !ok {
		return
	}
	hash := requestHash(c, body)
	if req.Anonymous {
		anonymousFiling(&req)
	}
	proc, fields := s.checkSubmission(&req, a.Kind == motcua.KindOfficer)
	if a.Kind == motcua.KindCitizen && req.Applicant.IDNumber != "" && req.Applicant.IDNumber != a.Subject && !req.OnBehalf {
		// A citizen files as themselves unless they say they file for
		// someone else: nobody becomes, unnoticed, the owner of a case
		// "of" another person.
		fields["applicant.id_number"] = "Số định danh khác với tài khoản đang đăng nhập. Nếu nộp thay cho người khác, hãy đánh dấu “Nộp thay cho người khác”."
	}
	if proc != nil && proc.FirstInstance != "" {
		fields["procedure"] = "Khiếu nại lần hai được gửi từ trang hồ sơ khiếu nại lần đầu (mục “Khiếu nại lần hai”), sau khi có quyết định giải quyết lần đầu hoặc khi hết thời hạn giải quyết lần đầu (Luật Khiếu nại 2011 Điều 33)."
	}
	if len(fields) > 0 {
		s.fail(c, motcua.FieldErrors("Hồ sơ chưa hợp lệ, vui lòng kiểm tra các trường được đánh dấu.", fields))
		return
	}
	in := workflows.CaseInput{Procedure: s.coAgenciesOn(*proc), Agency: req.Agency, Applicant: req.Applicant, Delivery: req.Delivery,
		Form: req.Form, SubmittedBy: a, Notify: notifyChannels(&req), ReconcileAfter: s.ReconcileAfter,
		Attachments: s.Attachments}
	switch {
	case a.Kind == motcua.KindCitizen:
		in.Owner, in.Channel = a.Subject, motcua.ChannelOnline
	case a.Kind == motcua.KindOfficer && a.HasRole(motcua.RoleReceiver) && a.Agency == req.Agency:
		in.Owner, in.Channel = req.Applicant.IDNumber, motcua.ChannelCounter
	case a.Kind == motcua.KindOfficer && a.HasRole(motcua.RoleReceiver) && s.Catalog.Agencies().ReceivesFor(a.Agency, req.Agency, s.filingDay()):
		// Reception regardless of the administrative boundary (Decree
		// 118/2025/NĐ-CP Điều 14 khoản 2, Điều 20): the desk receives,
		// the case goes to the competent agency with the desk's reception
		// on its timeline.
		in.Owner, in.Channel, in.ReceivedBy = req.Applicant.IDNumber, motcua.ChannelCounter, a.Agency
	default:
		s.fail(c, motcua.Errorf(motcua.EFORBIDDEN, "Chỉ công dân hoặc cán bộ tiếp nhận của %s mới nộp được hồ sơ này.", req.Agency))
		return
	}
	in.Anonymous = req.Anonymous
	sealed, err := s.sealDenunciation(&in) // issue 12: the denouncer's identity stays out of the case
	if err != nil {
		s.fail(c, err)
		return
	}
	// A retry of an answered submission reads its case afresh below.
	hold, ok := s.holdKey(c, a.Subject, key, hash)
	if !ok {
		return
	}
	view, created, err := s.start(c.Request.Context(), in, digest(a.Subject, "submit", key))
	if err != nil {
		if hold.prev == nil {
			s.release(c, hold, err)
		} else {
			s.fail(c, err)
		}
		return
	}
	code := view.Code
	if err := s.keepSealed(c, code, sealed); err != nil {
		s.fail(c, err)
		return
	}
	setCase(c, code)
	status := http.StatusOK
	if created {
		s.metrics.submissions.WithLabelValues(in.Channel, proc.Code).Inc()
		status = http.StatusCreated
		s.log.Info("case submitted", "case", code, "procedure", proc.Code, "channel", in.Channel)
	}
	if hold.prev == nil {
		s.keep(c, hold, status, nil) // the secret is not kept: a retry gets it from the case code
	}
	secret, err := s.currentSecret(c.Request.Context(), code)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(status, receipt{caseView: present(view), Secret: secret})
}

// start gives the submission its case code and runs the case workflow,
// returning the first view. A retry of the same submission gets the same
// case, as the read model now shows it.
func (s *Server) start(ctx context.Context, in workflows.CaseInput, submitKey string) (*motcua.Case, bool, error) {
	ctx, cancel := context.WithTimeout(ctx, s.ActionTimeout)
	defer cancel()
	day := s.Now().In(calendar.Location).Format("060102")
	for range 100 {
		code, created, err := s.Store.AllocateCode(ctx, submitKey, in.Agency, day)
		if err != nil {
			return nil, false, err
		}
		in.Code = code
		if !created {
			// A retry: answer from the read model once the case is there.
			if view, err := s.Store.Case(ctx, code); err == nil {
				return view, false, nil
			}
		}
		view, err := s.startWorkflow(ctx, in, created)
		var started *serviceerror.WorkflowExecutionAlreadyStarted
		if err == nil || !errors.As(err, &started) || !created {
			return view, created, err
		}
		// A new code that Temporal already knows: the read model was reset
		// behind Temporal's back. Never join a stranger's case; skip the
		// number.
		s.log.Warn("case code already used in Temporal; skipping it", "case", code)
		if err := s.Store.ReleaseCode(ctx, submitKey); err != nil {
			return nil, false, err
		}
	}
	return nil, false, errors.New("no free case code after 100 attempts")
}

// startWorkflow starts the case with its submit Update. A new code must
// not exist yet; a retried one may, and then the submit Update (it only
// reads) answers with the case as it stands. Each attempt's Update gets a
// fresh ID: Temporal answers a known Update ID from any run with that
// workflow ID, even a stranger's closed case, before the conflict policy.
func (s *Server) startWorkflow(ctx context.Context, in workflows.CaseInput, created bool) (*motcua.Case, error) {
	conflict := enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING
	if created {
		conflict = enumspb.WORKFLOW_ID_CONFLICT_POLICY_FAIL
	}
	shape, ok := workflows.ShapeFor(in.Procedure.Shape)
	if !ok {
		return nil, fmt.Errorf("procedure %s: no shape %q", in.Procedure.Code, in.Procedure.Shape)
	}
	startOp := s.Temporal.NewWithStartWorkflowOperation(client.StartWorkflowOptions{
		ID: in.Code, TaskQueue: s.TaskQueue,
		WorkflowIDConflictPolicy: conflict,
		WorkflowIDReusePolicy:    enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		StaticSummary:            in.Procedure.Name.Vi,
	}, shape.Workflow, in)
	h, err := s.Temporal.UpdateWithStartWorkflow(ctx, client.UpdateWithStartWorkflowOptions{
		StartWorkflowOperation: startOp,
		UpdateOptions: client.UpdateWorkflowOptions{UpdateName: workflows.UpdateSubmit,
			WaitForStage: client.WorkflowUpdateStageCompleted},
	})
	if err == nil {
		err = h.Get(ctx, nil)
	}
	if err != nil {
		return nil, err
	}
	// The case answers once it is recorded: read it as everyone will.
	return s.Store.Case(ctx, in.Code)
}

// notifyChannels are the channels the applicant chose, or by default every
// one they gave an address for.
func notifyChannels(req *submitRequest) []string {
	if req.Notify != nil {
		return slices.Compact(slices.Sorted(slices.Values(*req.Notify)))
	}
	var out []string
	if req.Applicant.Email != "" {
		out = append(out, motcua.NotifyEmail)
	}
	if req.Applicant.Phone != "" {
		out = append(out, motcua.NotifySMS)
	}
	return out
}

// checkSubmission checks a filing: online (level 3 and up), or at the
// counter by the desk, where a level-2 procedure's paper file is received
// too and runs as a case with the standard shape's default steps.
func (s *Server) checkSubmission(req *submitRequest, atCounter bool) (*motcua.Procedure, map[string]string) {
	bad := map[string]string{}
	proc, ok := s.Catalog.Get(req.Procedure)
	minLevel := 3
	if atCounter {
		minLevel = 2
	}
	switch {
	case req.Procedure == "":
		bad["procedure"] = "Cần chọn thủ tục."
	case !ok:
		bad["procedure"] = "Không có thủ tục này."
	case proc.Level < minLevel && proc.Level == 2:
		bad["procedure"] = "Thủ tục này chưa nộp trực tuyến được; vui lòng tải mẫu đơn và nộp tại bộ phận một cửa."
	case proc.Level < minLevel:
		bad["procedure"] = "Thủ tục này chỉ cung cấp thông tin, không tiếp nhận hồ sơ."
	case proc.Shape == motcua.ShapeFeedback:
		bad["procedure"] = "Phản ánh, kiến nghị được gửi từ trang hồ sơ hoặc trang Phản ánh, kiến nghị, không nộp như một hồ sơ."
	}
	if ok && proc.Level >= minLevel && proc.Shape != motcua.ShapeFeedback {
		// Competence by date: the agency competent on the day of submission.
		if msg, ok := s.routeSubmission(proc, req); !ok {
			bad["agency"] = msg
		}
		if req.Delivery.Method == "" || !slices.Contains(proc.Delivery, req.Delivery.Method) {
			bad["delivery.method"] = "Chọn cách nhận kết quả: " + deliveryChoices(proc.Delivery) + "."
		} else if req.Delivery.Method == motcua.DeliveryPost && strings.TrimSpace(req.Delivery.Address) == "" {
			bad["delivery.address"] = "Cần địa chỉ nhận kết quả qua bưu điện."
		}
		for field, msg := range s.Catalog.ValidateForm(proc, req.Form) {
			if req.Anonymous && (field == "denouncer" || strings.HasPrefix(field, "denouncer.")) {
				continue // stripped by anonymousFiling: there is no denouncer
			}
			bad[strings.TrimSuffix("form."+field, ".")] = msg
		}
	}
	req.Delivery.Tracking = ""
	if req.Anonymous {
		if ok && proc.Shape != motcua.ShapeDenunciation {
			bad["anonymous"] = "Chỉ đơn tố cáo mới gửi được mà không ghi họ tên, địa chỉ người gửi (Luật Tố cáo 2018 Điều 25)."
		}
		return proc, bad
	}
	ap := &req.Applicant
	ap.Name, ap.Email, ap.Phone = strings.TrimSpace(ap.Name), strings.TrimSpace(ap.Email), strings.TrimSpace(ap.Phone)
	if ap.Name == "" {
		bad["applicant.name"] = "Cần ghi họ và tên người nộp."
	} else if utf8.RuneCountInString(ap.Name) > 200 {
		bad["applicant.name"] = "Tối đa 200 ký tự."
	}
	if !validApplicantID(ap.IDNumber) {
		bad["applicant.id_number"] = msgIDNumber
	}
	if ap.Phone != "" && !phonePattern.MatchString(ap.Phone) {
		bad["applicant.phone"] = "Số điện thoại không đúng (ví dụ 0905123456)."
	}
	if ap.Email != "" {
		if addr, err := mail.ParseAddress(ap.Email); err != nil || addr.Address != ap.Email {
			bad["applicant.email"] = "Địa chỉ email không đúng."
		}
	}
	if utf8.RuneCountInString(ap.Address) > 500 {
		bad["applicant.address"] = "Tối đa 500 ký tự."
	}
	if req.Notify != nil {
		for _, ch := range *req.Notify {
			switch {
			case ch == motcua.NotifySMS && ap.Phone == "":
				bad["notify"] = "Cần số điện thoại để nhận tin nhắn."
			case ch == motcua.NotifyEmail && ap.Email == "":
				bad["notify"] = "Cần địa chỉ email để nhận thư."
			case ch != motcua.NotifySMS && ch != motcua.NotifyEmail:
				bad["notify"] = "Chỉ nhận sms hoặc email."
			}
		}
	}
	return proc, bad
}

// getCase answers GET /cases/{code} from the read model.
func (s *Server) getCase(c *gin.Context) {
	cs, _, acc, ok := s.visible(c)
	if !ok {
		return
	}
	if acc.Incident != 0 {
		s.withIncident(c.Request.Context(), cs)
	}
	v := present(cs)
	if err := s.linkInstances(c.Request.Context(), cs, &v); err != nil {
		s.fail(c, err)
		return
	}
	// Every change raises the version: a client polling with the view it
	// holds is told "no change" without the body. A control sheet drawn up
	// from the read model (papers.go) adds a document without a version; a second
	// instance filed, or the time to file one running out, changes it too.
	etag := fmt.Sprintf(`"%s.%d.d%d"`, cs.Code, cs.Revision, len(cs.Documents))
	if cs.Incident != nil {
		etag = fmt.Sprintf(`"%s.%d.d%d.i%d"`, cs.Code, cs.Revision, len(cs.Documents), cs.Incident.ID)
	}
	if v.SecondInstance != nil || v.Law != nil && v.Law.SecondInstance != "" {
		etag = strings.TrimSuffix(etag, `"`) + ".s" + secondInstanceTag(&v) + `"`
	}
	c.Header("ETag", etag)
	if c.GetHeader("If-None-Match") == etag {
		c.Status(http.StatusNotModified)
		return
	}
	// The ETag names everything the body shows, so a body encoded for it
	// is the body (views.go) — but for a complaint's offer of a second
	// instance, whose refusal is worded from today's date.
	cacheable := v.SecondInstance == nil
	body, ok := s.views.body(etag)
	if !ok || !cacheable {
		var err error
		if body, err = json.Marshal(v); err != nil {
			s.fail(c, err)
			return
		}
		if cacheable {
			s.views.keep(etag, body)
		}
	}
	c.Data(http.StatusOK, "application/json; charset=utf-8", body)
}

// visibleCase loads the case of the request and checks the caller may see
// it: its applicant, whoever presents its secret, officers of an agency
// involved, admins. Anybody else is told it does not exist.
func (s *Server) visibleCase(c *gin.Context) (*motcua.Case, motcua.Actor, bool) {
	cs, a, _, ok := s.visible(c)
	return cs, a, ok
}

// visible is visibleCase, also giving what was read to decide.
func (s *Server) visible(c *gin.Context) (*motcua.Case, motcua.Actor, motcua.CaseAccess, bool) {
	code := c.Param("code")
	secret := c.GetHeader("X-Case-Secret")
	var acc motcua.CaseAccess
	if secret != "" && !s.limitSecret(c) {
		return nil, motcua.Actor{}, acc, false
	}
	a, signedIn := actor(c)
	notFound := motcua.Errorf(motcua.ENOTFOUND, "Không tìm thấy hồ sơ %s.", code)
	if !signedIn && secret == "" {
		s.fail(c, notFound)
		return nil, a, acc, false
	}
	byAccount := signedIn && secret == ""
	if byAccount && !s.limitMisses(c, a) {
		return nil, a, acc, false
	}
	// Whether the caller may see the case is decided on one read that
	// costs the same whether it exists or not (and the secret is checked
	// either way): a refusal does the same work and says the same thing,
	// so it tells nothing by its timing (hardening.go).
	acc, err := s.caseAccess(c.Request.Context(), code)
	if err != nil {
		s.fail(c, err)
		return nil, a, acc, false
	}
	withSecret := false
	if secret != "" {
		valid := s.Secrets.Valid(code, acc.Secret.Generation, secret)
		withSecret = valid && !acc.Secret.Revoked && acc.Found
	}
	if !signedIn {
		a = motcua.Actor{Kind: motcua.KindCitizen, Subject: "secret:" + code}
	}
	a.WithSecret = withSecret
	visible := withSecret
	switch a.Kind {
	case motcua.KindCitizen:
		visible = visible || (signedIn && a.Subject == acc.Owner)
	case motcua.KindOfficer:
		visible = visible || slices.Contains(acc.Agencies, a.Agency)
	case motcua.KindAdmin:
		visible = true
	}
	if !acc.Found || !visible {
		if byAccount {
			s.missed(c, a)
		}
		s.fail(c, notFound)
		return nil, a, acc, false
	}
	var cs *motcua.Case
	if at, ok := s.Store.(caseAtVersion); ok {
		cs, err = at.CaseAt(c.Request.Context(), code, acc.Revision)
	} else {
		cs, err = s.Store.Case(c.Request.Context(), code)
	}
	if err != nil {
		s.fail(c, err)
		return nil, a, acc, false
	}
	return cs, a, acc, true
}

// caseAtVersion is a store that answers from a view cached at the version
// the caller has just read (store.DB).
type caseAtVersion interface {
	CaseAt(ctx context.Context, code string, revision int64) (*motcua.Case, error)
}

type actionBody struct {
	Note   string          `json:"note"`
	Reason string          `json:"reason"`
	Data   json.RawMessage `json:"data"`
}

// act applies an action (POST /cases/{code}/actions/{action}) as an Update
// whose ID comes from the Idempotency-Key: a retry acts once and gets the
// same answer, kept for it by the idempotency store.
func (s *Server) act(c *gin.Context) {
	action := motcua.Action(c.Param("action"))
	// Attach has its own endpoint (documents); back-ends' answers come
	// through their signed callbacks.
	if spec, ok := workflows.Spec(action); !ok || spec.Via != workflows.ViaActions {
		s.fail(c, motcua.Errorf(motcua.ENOTFOUND, "Không có thao tác này."))
		return
	}
	cs, a, ok := s.visibleCase(c)
	if !ok {
		return
	}
	key, ok := s.idempotencyKey(c)
	if !ok {
		return
	}
	var body actionBody
	var raw []byte
	if c.Request.ContentLength != 0 {
		if raw, ok = s.decodeBody(c, &body); !ok {
			return
		}
	}
	// A retry gets the answer kept for its key, even once the case has
	// closed and could not act again.
	hold, ok := s.holdKey(c, a.Subject, key, requestHash(c, raw))
	if !ok {
		return
	}
	if hold.prev != nil {
		s.replay(c, hold)
		return
	}
	if err := s.incidentRefusal(c.Request.Context(), cs); err != nil {
		s.release(c, hold, err)
		return
	}
	if err := s.checkOneTimeCode(c, cs, &a, action); err != nil {
		s.release(c, hold, err)
		return
	}
	req := motcua.ActionRequest{Action: action, Actor: a, Note: strings.TrimSpace(body.Note), Reason: strings.TrimSpace(body.Reason), Data: body.Data}
	view, err := s.update(c.Request.Context(), cs, req, digest(a.Subject, string(action), key))
	s.metrics.action(action, s.errOrNil(err))
	if err != nil {
		s.checkRecord(cs, action, err)
		s.release(c, hold, err)
		return
	}
	s.answer(c, hold, http.StatusOK, present(view))
}

// caseView is a case as the API serves it: each open action with its label
// and the JSON Schema of its input, from which clients (the web forms)
// build their forms.
type caseView struct {
	motcua.Case
	Actions []actionView `json:"actions"`
	// SecondInstance, on a first-instance complaint, says whether a
	// second-instance complaint may be filed now (second_instance.go).
	SecondInstance *secondInstanceOffer `json:"second_instance_offer,omitempty"`
}

type actionView struct {
	motcua.Permission
	Title *motcua.Text    `json:"title,omitempty"`
	Input json.RawMessage `json:"input,omitempty"`
}

func present(cs *motcua.Case) caseView {
	v := caseView{Case: *cs, Actions: make([]actionView, 0, len(cs.Actions))}
	for i, p := range cs.Actions {
		spec, _ := workflows.Spec(p.Action)
		if spec.System() || slices.Contains(cs.Actions[:i], p) {
			continue // back-end callbacks are offered to nobody; nothing twice
		}
		v.Actions = append(v.Actions, actionView{Permission: p, Title: &spec.Title, Input: spec.Input})
	}
	return v
}

// update sends an action to the case's workflow, retrying while the case
// is busy applying another one. A closed case is asked too: Temporal
// answers an Update ID it already applied (a retry whose kept answer was
// lost) and refuses a new one (409).
func (s *Server) update(ctx context.Context, cs *motcua.Case, req motcua.ActionRequest, updateID string) (*motcua.Case, error) {
	ctx, cancel := context.WithTimeout(ctx, s.ActionTimeout)
	defer cancel()
	for {
		h, err := s.Temporal.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
			WorkflowID: cs.Code, UpdateID: updateID, UpdateName: string(req.Action), Args: []any{req},
			WaitForStage: client.WorkflowUpdateStageCompleted,
		})
		if err == nil {
			err = h.Get(ctx, nil)
		}
		var appErr *temporal.ApplicationError
		if errors.As(err, &appErr) && appErr.Type() == workflows.ErrBusy {
			select {
			case <-ctx.Done():
				return nil, motcua.Errorf(motcua.ECONFLICT, "Hồ sơ đang bận xử lý thao tác khác, vui lòng thử lại.")
			case <-time.After(20 * time.Millisecond):
				continue
			}
		}
		var notFound *serviceerror.NotFound
		if errors.As(err, &notFound) {
			return nil, s.closedCase(ctx, cs.Code) // the read model knew the case: its workflow has closed since
		}
		if err != nil {
			return nil, err
		}
		// The case answers once the action is recorded: read it as
		// everyone will.
		return s.Store.Case(ctx, cs.Code)
	}
}

// checkRecord has the case's workflow compared with the read model
// (worker.ResyncCase) after an action failed in a way a record lost in a
// crash explains: the case refused as not open an action the read model
// offered (at once), or the Update got no answer (once a workflow task
// lost with it would have timed out). The comparison is a query; the
// case records again only if the read model is ahead of it.
func (s *Server) checkRecord(cs *motcua.Case, action motcua.Action, err error) {
	var appErr *temporal.ApplicationError
	after := time.Duration(0)
	switch {
	case errors.As(err, &appErr):
		if appErr.Type() != motcua.ECONFLICT || !slices.ContainsFunc(cs.Actions, func(p motcua.Permission) bool { return p.Action == action }) {
			return // refused for what the case is: nothing to compare
		}
	case motcua.ErrorCode(err) != motcua.EINTERNAL:
		return // answered: the case is busy, closed, not found
	default:
		after = lostTaskTimeout
	}
	code := cs.Code
	time.AfterFunc(after, func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		stored, err := s.Store.Case(ctx, code)
		if err == nil {
			_, err = worker.ResyncCase(ctx, s.Temporal, code, stored.Version, s.log)
		}
		if err != nil {
			s.log.Warn("compare the case with its record", "case", code, "err", err)
		}
	})
}

// lostTaskTimeout is how long after an Update without an answer its
// workflow task, if the server lost it, has timed out (the task timeout,
// 10 s, with a margin).
const lostTaskTimeout = 20 * time.Second

// decode reads a JSON body strictly: malformed JSON is 400, an unknown
// field or text that is not acceptable (see text.go) 422.
func (s *Server) decode(c *gin.Context, v any) bool {
	_, ok := s.decodeBody(c, v)
	return ok
}

// decodeBody is decode, returning the body as sent.
func (s *Server) decodeBody(c *gin.Context, v any) ([]byte, bool) {
	body, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, 1<<20))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			s.fail(c, motcua.Errorf(motcua.ETOOLARGE, "Dữ liệu gửi lên quá lớn."))
		} else {
			s.fail(c, badRequest("Không đọc được dữ liệu gửi lên."))
		}
		return nil, false
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if f, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
			f = strings.Trim(f, `"`)
			s.fail(c, motcua.FieldErrors("Dữ liệu có trường không được hỗ trợ.", map[string]string{f: "Trường không được hỗ trợ."}))
			return nil, false
		}
		s.fail(c, badRequest("Dữ liệu gửi lên không phải JSON hợp lệ."))
		return nil, false
	}
	if bad := jsonTextProblems(body, requestText); len(bad) > 0 {
		s.fail(c, motcua.FieldErrors("Dữ liệu có ký tự không hợp lệ, vui lòng kiểm tra các trường được đánh dấu.", bad))
		return nil, false
	}
	return body, true
}

// digest derives an ID from its parts (the subject, what is done, the
// client's idempotency key), so one client's key never collides with
// another's.
func digest(parts ...string) string {
	h := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return hex.EncodeToString(h[:16])
}
