package web

import (
	"net/http"
	"net/url"
	"time"

	"github.com/motcua/motcua"
)

// Feedback and recommendations (phản ánh, kiến nghị, issue 14): the form
// about a case (its applicant, signed in or with the secret of a look-up),
// the form about a desk or agency (signed in), and the public list of the
// answers their senders agreed to publish. The head answers on the
// feedback's case page, whose answer form the action's schema builds.

type feedbackPage struct {
	URL       string
	Key       string
	Root      *Field
	AboutCase string // the case the feedback is about, "" for a desk
	AboutName string // its procedure
	Agency    string // the agency it goes to, for a case
}

// caseFeedback shows and posts the feedback form about a case.
func (s *Server) caseFeedback(p *page) {
	code := p.r.PathValue("code")
	c, secret, ok := p.loadCase(code)
	if !ok {
		return
	}
	d := &feedbackPage{URL: "/ho-so/" + url.PathEscape(c.Code) + "/phan-anh", Key: newKey(), AboutCase: c.Code,
		AboutName: s.caseProcName(c.Procedure, p.Lang), Agency: s.agencyName(c.Agency, p.Lang)}
	s.feedbackForm(p, d, secret, "/api/v1/cases/"+url.PathEscape(c.Code)+"/feedback")
}

// agencyFeedback shows and posts the feedback form about a desk or agency.
func (s *Server) agencyFeedback(p *page) {
	if !p.requireSignIn() {
		return
	}
	d := &feedbackPage{URL: "/phan-anh/gui", Key: newKey()}
	s.feedbackForm(p, d, "", "/api/v1/feedback")
}

// feedbackForm lays the form out, or posts it to the API at path and, once
// filed, shows the feedback's own case.
func (s *Server) feedbackForm(p *page, d *feedbackPage, secret, path string) {
	v := Values{}
	var errs map[string]string
	if p.r.Method == http.MethodPost {
		v = Values(p.r.PostForm)
		d.Key = v.get("key")
		body := map[string]any{"kind": v.get("kind"), "content": v.get("content"), "publish": v.get("publish") == "true"}
		if d.AboutCase == "" {
			body["agency"], body["phone"], body["email"] = v.get("agency"), v.get("phone"), v.get("email")
		}
		rd, ct := jsonBody(body)
		a := p.api(apiCall{method: http.MethodPost, path: path, body: rd, ctype: ct, secret: secret, key: d.Key})
		if a.ok() {
			var r struct {
				Code   string `json:"code"`
				Secret string `json:"secret"`
			}
			_ = a.decode(&r)
			if !p.Citizen() {
				s.rememberSecret(p, r.Code, r.Secret) // a secret holder follows the feedback by its own secret
			}
			p.redirect("/ho-so/" + url.PathEscape(r.Code) + "?phan-anh=1")
			return
		}
		var refused bool
		if errs, refused = a.refusal(); !refused {
			p.apiFail(a.err(), a.status)
			return
		}
		p.status = http.StatusUnprocessableEntity
	}
	d.Root = s.feedbackFields(p, v, d.AboutCase == "")
	if errs != nil {
		p.Errors = append(p.Errors, attach(d.Root, errs, "feedback")...)
		if msg, ok := errs[""]; ok {
			p.Errors = append(p.Errors, ErrorLink{Href: "#feedback", Message: msg})
		}
	}
	p.Title = p.T("feedback.title")
	p.Data = d
	p.render("feedback")
}

// feedbackFields are the form's questions; a feedback about a desk also
// names it and says where to send the answer.
func (s *Server) feedbackFields(p *page, v Values, desk bool) *Field {
	tx := p.texts()
	root := &Field{Kind: "group", Texts: tx}
	if desk {
		ag := &Field{Kind: "select", Name: "agency", ID: "fb-agency", Label: p.T("feedback.agency"), Required: true, Texts: tx}
		now := s.cfg.Now()
		for _, a := range s.cfg.Catalog.Agencies().All() {
			if a.Active(now) {
				ag.Options = append(ag.Options, Option{Value: a.Code, Label: s.agencyName(a.Code, p.Lang), Selected: v.get("agency") == a.Code})
			}
		}
		root.Children = append(root.Children, ag)
	}
	kind := &Field{Kind: "radios", Name: "kind", ID: "fb-kind", Label: p.T("feedback.kind"), Required: true, Texts: tx}
	for _, k := range []string{motcua.FeedbackReport, motcua.FeedbackRecommend} {
		kind.Options = append(kind.Options, Option{Value: k, Label: p.T("feedback.kind." + k), ID: "fb-kind-" + k, Selected: v.get("kind") == k})
	}
	root.Children = append(root.Children, kind,
		&Field{Kind: "textarea", Name: "content", ID: "fb-content", Label: p.T("feedback.content"), Hint: p.T("feedback.content_hint"),
			Required: true, Value: v.get("content"), MaxLen: 4000, Texts: tx})
	if desk {
		root.Children = append(root.Children,
			&Field{Kind: "text", Name: "phone", ID: "fb-phone", Label: p.T("feedback.phone"), Value: v.get("phone"), MaxLen: 15, Texts: tx},
			&Field{Kind: "email", Name: "email", ID: "fb-email", Label: p.T("feedback.email"), Value: v.get("email"), MaxLen: 254, Texts: tx})
	}
	root.Children = append(root.Children, &Field{Kind: "checkbox", Name: "publish", ID: "fb-publish", Label: p.T("feedback.publish"),
		Value: v.get("publish"), Texts: tx})
	return root
}

type feedbackListPage struct {
	Items []publishedRow
}

type publishedRow struct {
	motcua.PublishedFeedback
	KindText string
}

// feedbackList shows the published answers: no sign-in, no personal data.
func (s *Server) feedbackList(p *page) {
	a := p.api(apiCall{method: http.MethodGet, path: "/api/v1/feedback"})
	if !a.ok() {
		p.apiFail(a.err(), a.status)
		return
	}
	var list struct {
		Items []motcua.PublishedFeedback `json:"items"`
	}
	if err := a.decode(&list); err != nil {
		p.fail(err.Error())
		return
	}
	d := &feedbackListPage{}
	for _, it := range list.Items {
		it.AgencyName = s.agencyName(it.Agency, p.Lang)
		d.Items = append(d.Items, publishedRow{PublishedFeedback: it, KindText: p.T("feedback.kind." + it.Kind)})
	}
	p.Title = p.T("feedback.list_title")
	p.Data = d
	p.render("feedback_list")
}

// feedbackAnswer is what a feedback's case page shows of it: what was
// said, and the answer, on time or late.
type feedbackAnswer struct {
	Kind       string
	Content    string
	Publish    bool
	Answer     string
	AnsweredAt *time.Time
	Late       bool
}

func feedbackOf(p *page, c *caseView) *feedbackAnswer {
	if c.Procedure.Shape != motcua.ShapeFeedback {
		return nil
	}
	f := motcua.FeedbackFormOf(c.Form)
	fa := &feedbackAnswer{Kind: p.T("feedback.kind." + f.Kind), Content: f.Content, Publish: f.Publish,
		Late: c.Overdue || c.Law != nil && c.Law.Late}
	if c.Result != nil {
		fa.Answer, fa.AnsweredAt = c.Result.Note, &c.Result.IssuedAt
		fa.Late = c.DueAt != nil && c.Result.IssuedAt.After(*c.DueAt)
	}
	return fa
}
