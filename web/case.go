package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua"
)

// caseView is the API's view of a case, with each open action's title and
// input schema.
type caseView struct {
	motcua.Case
	Actions []actionEntry `json:"actions"`
	// SecondInstance: whether a second-instance complaint may be filed
	// against this first-instance complaint (api/second_instance.go).
	SecondInstance *struct {
		Until   *time.Time      `json:"until"`
		Refusal string          `json:"refusal"`
		Input   json.RawMessage `json:"input"`
	} `json:"second_instance_offer"`
}

type actionForm struct {
	Action  string
	Title   string
	ID      string
	URL     string
	Root    *Field
	Key     string
	Files   bool
	Danger  bool
	Primary bool
	// Code: the form asks for the one-time code sent to the applicant,
	// which CodeURL sends.
	Code    bool
	CodeURL string
	// Asked is what the agency asked for, shown with the supplement form.
	Asked string
	// Intro says what the form is for (a second-instance complaint's
	// time limit).
	Intro string
}

type docRow struct {
	motcua.Document
	URL       string
	VerifyURL string
	KindText  string
}

type payRow struct {
	motcua.Payment
	StatusText string
	Open       bool
}

type eventRow struct {
	motcua.Event
	Text       string
	StatusText string
	Who        string
}

type opinionRow struct {
	motcua.Opinion
	AgencyName string
}

type caseData struct {
	C          *caseView
	Name       string
	StatusText string
	Agency     string
	Form       []readableRow
	Forms      []*actionForm
	Docs       []docRow
	Payments   []payRow
	Events     []eventRow
	Opinions   []opinionRow
	Waiting    []string // what the case waits for, and from whom
	Owner      bool     // the visitor is the applicant (signed in)
	BySecret   bool
	Officer    bool
	DueSoon    bool
	Delivery   string
	Rating     *ratingSection // rating.go
	// Feedback is the feedback a feedback case carries and its answer;
	// FeedbackURL the form to give feedback on this case (feedback.go).
	Feedback    *feedbackAnswer
	FeedbackURL string
	// Refusal is what a back-end refused at reception, shown to the desk
	// before it receives the file (web/hardening.go).
	Refusal string
	// SecondRefusal says why the complainant may not file a
	// second-instance complaint now.
	SecondRefusal string
}

// loadCase reads a case through the API as the visitor may see it: as its
// owner or an officer (token), or with the secret remembered from a
// look-up.
func (p *page) loadCase(code string) (*caseView, string, bool) {
	secret := p.secretFor(code)
	a := p.api(apiCall{method: "GET", path: "/api/v1/cases/" + url.PathEscape(code), secret: secret})
	if !a.ok() {
		if a.status == http.StatusUnauthorized || (a.status == http.StatusNotFound && p.Actor == nil && secret == "") {
			p.redirect("/dang-nhap?next=" + url.QueryEscape(p.r.URL.Path))
			return nil, "", false
		}
		p.apiFail(a.err(), a.status)
		return nil, "", false
	}
	var c caseView
	if err := a.decode(&c); err != nil {
		p.fail(err.Error())
		return nil, "", false
	}
	return &c, secret, true
}

// casePage shows one case: to its applicant (signed in, or by code and
// secret) and to officers of an agency involved, with one form per action
// they may take now.
func (s *Server) casePage(p *page) {
	c, secret, ok := p.loadCase(p.r.PathValue("code"))
	if !ok {
		return
	}
	// After an action the page asks for at least the version the action
	// answered with: the read model may trail the case by a moment.
	if want, _ := strconv.Atoi(p.r.URL.Query().Get("v")); want > c.Version {
		for range 30 {
			time.Sleep(100 * time.Millisecond)
			if c, secret, ok = p.loadCase(p.r.PathValue("code")); !ok {
				return
			}
			if c.Version >= want {
				break
			}
		}
	}
	if p.r.URL.Query().Get("rated") != "" {
		p.Notice = p.T("rating.thanks")
	}
	if p.r.URL.Query().Get("filed") == "second" {
		p.Notice = p.T("second.filed")
	}
	if p.r.URL.Query().Get("phan-anh") != "" {
		p.Notice = p.T("feedback.sent")
	}
	if a := p.r.URL.Query().Get("ok"); a != "" {
		p.Notice = p.T("case.done", "Action", s.actionTitle(motcua.Action(a), p.Lang))
	}
	s.showCase(p, c, secret, "", nil)
}

func (s *Server) showCase(p *page, c *caseView, secret, failed string, errs map[string]string) {
	d := &caseData{C: c, Name: s.caseProcName(c.Procedure, p.Lang), StatusText: p.T("status." + string(c.Status)),
		Agency: s.agencyName(c.Agency, p.Lang), Delivery: p.T("delivery." + c.Delivery.Method)}
	d.Owner = p.Citizen() && p.Actor.Subject == c.Owner
	d.BySecret = !d.Owner && secret != ""
	d.Officer = p.Officer()
	d.Refusal = receptionRefusal(c)
	if c.DueAt != nil && !c.Overdue && !c.Status.Final() && c.DueAt.Sub(s.cfg.Now()) < 48*time.Hour {
		d.DueSoon = true
	}
	if pr, ok := s.cfg.Catalog.Get(c.Procedure.Code); ok && len(c.Form) > 0 {
		if sch, err := parseSchema(pr.Form); err == nil {
			var x any
			_ = json.Unmarshal(c.Form, &x)
			d.Form = readable(sch, x, p.Lang, 0, p.T("form.yes"), p.T("form.no"))
		}
	}
	base := "/ho-so/" + url.PathEscape(c.Code)
	for _, doc := range c.Documents {
		r := docRow{Document: doc, URL: base + "/tai-lieu/" + url.PathEscape(doc.ID), KindText: p.T("doc." + doc.Kind)}
		if doc.Signature != "" {
			r.VerifyURL = "/xac-minh/" + url.PathEscape(doc.ID)
		}
		d.Docs = append(d.Docs, r)
	}
	for _, pay := range c.Payments {
		d.Payments = append(d.Payments, payRow{Payment: pay, StatusText: p.T("payment." + pay.Status),
			Open: pay.Status == motcua.PaymentPending && pay.PayURL != "" && d.Owner})
	}
	for i := len(c.Timeline) - 1; i >= 0; i-- {
		e := c.Timeline[i]
		who := e.Actor.Name
		if who == "" {
			who = p.T("role." + string(e.Actor.Role))
		}
		if e.Actor.Agency != "" {
			who += " (" + e.Actor.Agency + ")"
		}
		d.Events = append(d.Events, eventRow{Event: e, Text: p.T("event." + string(e.Action)), StatusText: p.T("status." + string(e.Status)), Who: who})
	}
	for _, o := range c.Opinions {
		d.Opinions = append(d.Opinions, opinionRow{Opinion: o, AgencyName: s.agencyName(o.Agency, p.Lang)})
	}
	tx := p.texts()
	for _, e := range c.Actions {
		if !offered(e.Action) {
			continue
		}
		who := p.T("role." + string(e.Role))
		if e.Agency != "" {
			who += " — " + s.agencyName(e.Agency, p.Lang)
		}
		d.Waiting = append(d.Waiting, e.title(p.Lang)+": "+who)
		if !s.mayTake(p, c, e, d) {
			continue
		}
		f := &actionForm{Action: string(e.Action), Title: e.title(p.Lang), ID: "act-" + string(e.Action),
			URL: base + "/thao-tac/" + string(e.Action), Key: newKey(),
			Files: e.Action == motcua.ActionSupplement, Code: d.BySecret && needsCode(e.Action),
			CodeURL: base + "/ma-xac-thuc/" + string(e.Action),
			Danger:  e.Action == motcua.ActionReject || e.Action == motcua.ActionWithdraw || e.Action == motcua.ActionReturn}
		if e.Action == motcua.ActionSupplement {
			for i := len(c.Timeline) - 1; i >= 0; i-- {
				if a := c.Timeline[i].Action; a == motcua.ActionRequestInfo || a == motcua.ActionReturn {
					f.Asked = c.Timeline[i].Reason
					break
				}
			}
		}
		v := Values{}
		var fe map[string]string
		if failed == string(e.Action) && p.r.Method == http.MethodPost {
			v = Values(p.r.PostForm)
			f.Key = v.get("key")
			fe = errs
		}
		f.Root = e.schema().build("", v, nil, p.Lang, true, tx)
		for _, ch := range f.Root.Children {
			if ch.Name == "data" && ch.Kind == "group" {
				// An action's data are the form's own fields, not a
				// section called "Dữ liệu".
				ch.Kind = "fields"
			}
			ch.ID = f.ID + "-" + strings.TrimPrefix(ch.ID, "f-")
			prefixIDs(ch, f.ID)
		}
		if fe != nil {
			p.Errors = append(p.Errors, attach(f.Root, fe, f.ID)...)
		}
		d.Forms = append(d.Forms, f)
	}
	s.secondInstanceForm(p, c, d, failed, errs)
	if failed == "rating" {
		d.Rating = s.ratingFor(p, c, d, secret, Values(p.r.PostForm), errs)
	} else {
		d.Rating = s.ratingFor(p, c, d, secret, nil, nil)
	}
	d.Feedback = feedbackOf(p, c)
	switch {
	case d.Feedback != nil:
		d.Rating = nil // a feedback is not itself rated
	case c.Status.Final() && (d.Owner || d.BySecret):
		d.FeedbackURL = base + "/phan-anh"
	}
	if len(p.Errors) > 0 && p.status == http.StatusOK {
		p.status = http.StatusUnprocessableEntity
	}
	p.Title = p.T("case.title", "Code", c.Code)
	p.Data = d
	p.render("case")
}

// prefixIDs makes the IDs of an action form's controls unique on the page.
func prefixIDs(f *Field, prefix string) {
	for _, c := range f.Children {
		c.ID = prefix + "-" + strings.TrimPrefix(c.ID, "f-")
		prefixIDs(c, prefix)
	}
	for i := range f.Options {
		f.Options[i].ID = f.ID + "-" + f.Options[i].Value
	}
}

// mayTake reports whether the visitor may take the open action: the
// officer holding its role at its agency (and named, when it is narrowed
// to one), or the applicant. Withdrawing and paying need the owner signed
// in; a look-up secret allows supplementing.
func (s *Server) mayTake(p *page, c *caseView, e actionEntry, d *caseData) bool {
	if e.Role == motcua.RoleApplicant {
		switch {
		case d.Owner:
			return true
		case d.BySecret:
			// Withdrawing and paying with a one-time code (hardening.go).
			return e.Action == motcua.ActionSupplement || needsCode(e.Action)
		}
		return false
	}
	if !p.Officer() || e.Agency != p.Actor.Agency || !p.Actor.HasRole(e.Role) {
		return false
	}
	return e.Subject == "" || e.Subject == p.Actor.Subject
}

// caseAction takes an action from its form: the values become the action's
// body by its schema, files (supplement) are attached first, and the
// API's refusal comes back as errors beside the fields.
func (s *Server) caseAction(p *page) {
	code := p.r.PathValue("code")
	c, secret, ok := p.loadCase(code)
	if !ok {
		return
	}
	action := motcua.Action(p.r.PathValue("action"))
	var entry *actionEntry
	for i := range c.Actions {
		if c.Actions[i].Action == action {
			entry = &c.Actions[i]
		}
	}
	if entry == nil || !offered(action) {
		p.Notice = p.T("case.not_open")
		s.showCase(p, c, secret, "", nil)
		return
	}
	v := Values(p.r.PostForm)
	key := v.get("key")
	if len(key) < 16 || len(key) > 64 {
		key = newKey()
	}
	body := entry.schema().decode("", v)
	if body == nil {
		body = map[string]any{}
	}
	// Files go in first: a supplement is the files and the note together.
	if p.r.MultipartForm != nil {
		for i, fh := range p.r.MultipartForm.File["file"] {
			if fh.Size == 0 {
				continue
			}
			ref, msg := s.keepFile(p, fh)
			if msg == "" {
				if err := s.attachStored(p, code, secret, ref, "", key+"-f"+string(rune('a'+i))); err != nil {
					msg = err.Error()
				}
			}
			if msg != "" {
				s.showCase(p, c, secret, string(action), map[string]string{"file": msg})
				return
			}
		}
	}
	rd, ct := jsonBody(body)
	a := p.api(apiCall{method: "POST", path: "/api/v1/cases/" + url.PathEscape(code) + "/actions/" + string(action), body: rd, ctype: ct, key: key, secret: secret,
		otp: strings.TrimSpace(v.get("one_time_code"))})
	if !a.ok() {
		s.showRefused(p, a, code, secret, string(action))
		return
	}
	var done struct {
		Version int `json:"version"`
	}
	_ = a.decode(&done)
	p.redirect("/ho-so/" + url.PathEscape(code) + "?ok=" + string(action) + "&v=" + strconv.Itoa(done.Version))
}

// showRefused shows the case again, as it now stands, with a refused
// form's messages beside form; a failure the person cannot act on is an
// error page.
func (s *Server) showRefused(p *page, a apiAnswer, code, secret, form string) {
	fields, ok := a.refusal()
	if !ok {
		p.apiFail(a.err(), a.status)
		return
	}
	c, _, ok := p.loadCase(code)
	if !ok {
		return
	}
	p.status = a.status
	s.showCase(p, c, secret, form, fields)
}

// caseDocument downloads a document of a case through the API.
func (s *Server) caseDocument(p *page) {
	code := p.r.PathValue("code")
	a := p.api(apiCall{method: "GET", path: "/api/v1/cases/" + url.PathEscape(code) + "/documents/" + url.PathEscape(p.r.PathValue("id")), secret: p.secretFor(code)})
	if !a.ok() {
		p.apiFail(a.err(), a.status)
		return
	}
	passThrough(p.w, a, "Content-Disposition", "Content-Type", "X-Content-SHA256")
}

// controlSheet draws up the case's control sheet (an officer's button on
// the case page) and downloads it.
func (s *Server) controlSheet(p *page) {
	code := p.r.PathValue("code")
	a := p.api(apiCall{method: "POST", path: "/api/v1/cases/" + url.PathEscape(code) + "/control-sheet"})
	if !a.ok() {
		p.apiFail(a.err(), a.status)
		return
	}
	var doc struct {
		ID string `json:"id"`
	}
	_ = a.decode(&doc)
	p.redirect("/ho-so/" + url.PathEscape(code) + "/tai-lieu/" + url.PathEscape(doc.ID))
}
