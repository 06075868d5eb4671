package api

import (
	"encoding/json"
	"net/http"
	"net/mail"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/workflows"
)

// Feedback and recommendations (phản ánh, kiến nghị, issue 14): a sender
// files one about a case (its owner signed in, or whoever holds its
// secret: POST /cases/{code}/feedback) or about a desk or agency (anyone
// signed in: POST /feedback). Each is a case of the feedback shape, routed
// to the head of the agency concerned, who answers it with the answer
// action; the sender reads the answer on the feedback's case, and when they
// agreed, GET /feedback lists it without personal data.

type feedbackBody struct {
	Kind    string `json:"kind"`
	Content string `json:"content"`
	Publish bool   `json:"publish"`
	// Agency is the desk or agency a feedback not about a case concerns.
	Agency string `json:"agency"`
	// Phone and Email: where a sender signed in without them on the
	// account hears of the answer.
	Phone string `json:"phone"`
	Email string `json:"email"`
}

const maxFeedbackContent = 4000

// checkFeedback checks what every feedback gives.
func checkFeedback(b *feedbackBody) map[string]string {
	b.Content, b.Phone, b.Email = strings.TrimSpace(b.Content), strings.TrimSpace(b.Phone), strings.TrimSpace(b.Email)
	bad := map[string]string{}
	if b.Kind != motcua.FeedbackReport && b.Kind != motcua.FeedbackRecommend {
		bad["kind"] = "Chọn loại: phản ánh hoặc kiến nghị."
	}
	switch n := utf8.RuneCountInString(b.Content); {
	case n == 0:
		bad["content"] = "Cần ghi nội dung phản ánh, kiến nghị."
	case n > maxFeedbackContent:
		bad["content"] = "Tối đa 4000 ký tự."
	}
	if b.Phone != "" && !phonePattern.MatchString(b.Phone) {
		bad["phone"] = "Số điện thoại không đúng (ví dụ 0905123456)."
	}
	if b.Email != "" && !validEmail(b.Email) {
		bad["email"] = "Địa chỉ email không đúng."
	}
	return bad
}

// caseFeedback files a feedback about the case of the path.
func (s *Server) caseFeedback(c *gin.Context) {
	cs, a, ok := s.visibleCase(c)
	if !ok {
		return
	}
	if !mayRate(a, cs) {
		s.fail(c, motcua.Errorf(motcua.EFORBIDDEN, "Chỉ người nộp hồ sơ mới gửi được phản ánh, kiến nghị về hồ sơ này."))
		return
	}
	if cs.Procedure.Shape == motcua.ShapeFeedback {
		s.fail(c, motcua.Errorf(motcua.ECONFLICT, "Đây là một phản ánh, kiến nghị; không gửi phản ánh về phản ánh. Vui lòng gửi phản ánh về hồ sơ hoặc cơ quan."))
		return
	}
	key, ok := s.idempotencyKey(c)
	if !ok {
		return
	}
	var body feedbackBody
	if !s.decode(c, &body) {
		return
	}
	if bad := checkFeedback(&body); len(bad) > 0 {
		s.fail(c, motcua.FieldErrors("Phản ánh, kiến nghị chưa hợp lệ, vui lòng kiểm tra các trường được đánh dấu.", bad))
		return
	}
	applicant := cs.Applicant
	applicant.Address = ""
	form := motcua.FeedbackForm{Kind: body.Kind, Content: body.Content, AboutCase: cs.Code, AboutAgency: cs.Agency,
		AboutProcedure: cs.Procedure.Name, Publish: body.Publish}
	s.fileFeedback(c, a, key, form, applicant, cs.Owner, cs.Notify)
}

// agencyFeedback files a feedback about a desk or agency.
func (s *Server) agencyFeedback(c *gin.Context) {
	a, ok := s.requireActor(c)
	if !ok {
		return
	}
	if a.Kind != motcua.KindCitizen {
		s.fail(c, motcua.Errorf(motcua.EFORBIDDEN, "Chỉ công dân đăng nhập mới gửi được phản ánh, kiến nghị."))
		return
	}
	key, ok := s.idempotencyKey(c)
	if !ok {
		return
	}
	var body feedbackBody
	if !s.decode(c, &body) {
		return
	}
	bad := checkFeedback(&body)
	if ag := s.Catalog.Agencies().Current(body.Agency, s.filingDay()); body.Agency == "" || ag == nil || ag.Code != body.Agency {
		bad["agency"] = "Chọn cơ quan hoặc bộ phận một cửa đang hoạt động được phản ánh."
	}
	if len(bad) > 0 {
		s.fail(c, motcua.FieldErrors("Phản ánh, kiến nghị chưa hợp lệ, vui lòng kiểm tra các trường được đánh dấu.", bad))
		return
	}
	applicant := motcua.Applicant{Name: a.Name, IDNumber: a.Subject, Phone: body.Phone, Email: body.Email}
	var notify []string
	if body.Email != "" {
		notify = append(notify, motcua.NotifyEmail)
	}
	if body.Phone != "" {
		notify = append(notify, motcua.NotifySMS)
	}
	form := motcua.FeedbackForm{Kind: body.Kind, Content: body.Content, AboutAgency: body.Agency, Publish: body.Publish}
	s.fileFeedback(c, a, key, form, applicant, a.Subject, notify)
}

// fileFeedback starts the feedback's case at the agency concerned and
// answers with its receipt (the case and its look-up secret).
func (s *Server) fileFeedback(c *gin.Context, a motcua.Actor, key string, form motcua.FeedbackForm, applicant motcua.Applicant,
	owner string, notify []string) {
	proc, ok := s.Catalog.Get(motcua.ProcedureFeedback)
	if !ok {
		s.fail(c, motcua.Errorf(motcua.EUNAVAILABLE, "Chưa tiếp nhận được phản ánh, kiến nghị, vui lòng thử lại sau."))
		return
	}
	raw, _ := json.Marshal(form)
	in := workflows.CaseInput{Procedure: *proc, Agency: form.AboutAgency, Applicant: applicant, Owner: owner,
		Channel: motcua.ChannelOnline, Delivery: motcua.Delivery{Method: motcua.DeliveryOnline}, Form: raw,
		SubmittedBy: a, Notify: notify}
	view, created, err := s.start(c.Request.Context(), in, digest(a.Subject, "feedback", form.AboutCase, key))
	if err != nil {
		s.fail(c, err)
		return
	}
	setCase(c, view.Code)
	status := http.StatusOK
	if created {
		status = http.StatusCreated
		s.log.Info("feedback filed", "case", view.Code, "agency", form.AboutAgency, "about", form.AboutCase)
	}
	secret, err := s.currentSecret(c.Request.Context(), view.Code)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(status, receipt{caseView: present(view), Secret: secret})
}

// publishedFeedback answers GET /feedback: the newest answered feedback
// whose senders agreed to publication, without personal data.
func (s *Server) publishedFeedback(c *gin.Context) {
	out := []motcua.PublishedFeedback{}
	store, ok := s.Store.(motcua.AnsweredFeedback)
	if !ok {
		c.JSON(http.StatusOK, gin.H{"items": out})
		return
	}
	// The newest answers, of which those the senders agreed to publish.
	cases, err := store.AnsweredFeedback(c.Request.Context(), 500)
	if err != nil {
		s.fail(c, err)
		return
	}
	for _, cs := range cases {
		f := motcua.FeedbackFormOf(cs.Form)
		if !f.Publish || cs.Result == nil || cs.DueAt == nil {
			continue
		}
		names := []string{cs.Applicant.Name, cs.Applicant.IDNumber, cs.Applicant.Phone, cs.Applicant.Email, cs.Applicant.Address}
		if len(cs.Timeline) > 0 {
			names = append(names, cs.Timeline[0].Actor.Name, cs.Timeline[0].Actor.Subject) // who filed it
		}
		p := motcua.PublishedFeedback{Code: cs.Code, Kind: f.Kind, Agency: cs.Agency, AboutProcedure: f.AboutProcedure,
			Content: redact(f.Content, names), Answer: redact(cs.Result.Note, names),
			SubmittedAt: cs.SubmittedAt, DueAt: *cs.DueAt, AnsweredAt: cs.Result.IssuedAt, Late: cs.Result.IssuedAt.After(*cs.DueAt)}
		if ag, ok := s.Catalog.Agencies().Get(cs.Agency); ok {
			p.AgencyName = ag.Name
		}
		out = append(out, p)
		if len(out) == 100 {
			break
		}
	}
	c.JSON(http.StatusOK, gin.H{"items": out})
}

func validEmail(s string) bool {
	addr, err := mail.ParseAddress(s)
	return err == nil && addr.Address == s
}

// Personal data a sender or an officer may have typed into a published
// text: e-mail addresses, phone numbers, ID numbers (9 or 12 digits) and
// case codes (which lead to a person's file).
var (
	emailText    = regexp.MustCompile(`[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.\p{L}{2,}`)
	phoneText    = regexp.MustCompile(`(\+84|\b0)[\s.]?\d{2,3}[\s.]?\d{3}[\s.]?\d{3,4}\b`)
	numberText   = regexp.MustCompile(`\b\d{9}(\d{3})?\b`)
	caseCodeText = regexp.MustCompile(`\b[A-Z][A-Z0-9]*(-[A-Z0-9]+)*-\d{6}-\d{3,}\b`)
)

// redact takes the sender's names and numbers (known) and any personal
// data (by its form) out of a published text.
func redact(text string, known []string) string {
	for _, s := range known {
		if s = strings.TrimSpace(s); len([]rune(s)) >= 3 {
			text = strings.ReplaceAll(text, s, "[…]")
		}
	}
	for _, re := range []*regexp.Regexp{emailText, caseCodeText, phoneText, numberText} {
		text = re.ReplaceAllString(text, "[…]")
	}
	return text
}
