package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/procedures"
)

const pageSize = 20

// procItem is a procedure in a list of search results.
type procItem struct {
	Code, Name, Agency string
	Level, Days        int
	Fee                *int64
}

type searchData struct {
	Q, Agency      string
	Field, Event   string
	Fields         []agencyOption // Code is the field's name
	Events         []eventLink
	Level          int
	Items          []procItem
	Total          int
	Page, Pages    int
	PrevURL        string
	NextURL        string
	First, Last    int
	Agencies       []agencyOption
	Action         string // where the search form points
	ItemURL        string // prefix of each result's address
	Counter        bool
	SearchLabelKey string
}

type agencyOption struct {
	Code, Name string
	Selected   bool
}

// eventLink browses the catalogue by a life event (sự kiện).
type eventLink struct {
	Name, URL string
	Current   bool
}

func (s *Server) agencyName(code, lang string) string {
	if a, ok := s.cfg.Catalog.Agencies().Get(code); ok {
		if lang == "en" && a.NameEn != "" {
			return a.NameEn
		}
		return a.Name
	}
	return code
}

func (s *Server) procName(p *motcua.Procedure, lang string) string {
	if lang == "en" && p.Name.En != "" {
		return p.Name.En
	}
	return p.Name.Vi
}

// search runs a catalogue search from the address (?q=&agency=&level=&trang=):
// every result is a link, pages of 20 go as far as the results do.
func (s *Server) search(p *page, action, itemURL string, minLevel int) *searchData {
	q := p.r.URL.Query()
	d := &searchData{Q: strings.TrimSpace(q.Get("q")), Agency: q.Get("agency"), Field: q.Get("field"), Event: q.Get("event"),
		Action: action, ItemURL: itemURL}
	d.Level, _ = strconv.Atoi(q.Get("level"))
	if d.Level < 0 || d.Level > 4 {
		d.Level = 0
	}
	found := s.cfg.Catalog.Search(procedures.Query{Text: d.Q, Agency: d.Agency, Field: d.Field, Event: d.Event, Level: d.Level, Limit: 100000})
	if minLevel > 0 {
		found = slices.DeleteFunc(found, func(pr *motcua.Procedure) bool { return pr.Level < minLevel || len(pr.Form) == 0 })
	}
	d.Total = len(found)
	d.Pages = max(1, (d.Total+pageSize-1)/pageSize)
	d.Page, _ = strconv.Atoi(q.Get("trang"))
	d.Page = min(max(d.Page, 1), d.Pages)
	from := (d.Page - 1) * pageSize
	to := min(from+pageSize, d.Total)
	d.First, d.Last = from+1, to
	for _, pr := range found[from:to] {
		it := procItem{Code: pr.Code, Name: s.procName(pr, p.Lang), Level: pr.Level, Days: pr.ProcessingDays}
		switch competent := s.competent(pr); len(competent) {
		case 0:
		case 1:
			it.Agency = s.agencyName(competent[0], p.Lang)
		default:
			it.Agency = p.T("search.agencies", "N", len(competent))
		}
		if pr.Fee != nil {
			it.Fee = &pr.Fee.Amount
		}
		d.Items = append(d.Items, it)
	}
	pageURL := func(n int) string {
		v := url.Values{}
		if d.Q != "" {
			v.Set("q", d.Q)
		}
		if d.Agency != "" {
			v.Set("agency", d.Agency)
		}
		if d.Level != 0 {
			v.Set("level", strconv.Itoa(d.Level))
		}
		if d.Field != "" {
			v.Set("field", d.Field)
		}
		if d.Event != "" {
			v.Set("event", d.Event)
		}
		v.Set("trang", strconv.Itoa(n))
		return action + "?" + v.Encode()
	}
	if d.Page > 1 {
		d.PrevURL = pageURL(d.Page - 1)
	}
	if d.Page < d.Pages {
		d.NextURL = pageURL(d.Page + 1)
	}
	for _, f := range s.cfg.Catalog.Fields() {
		d.Fields = append(d.Fields, agencyOption{Code: f.Value, Name: f.Value, Selected: f.Value == d.Field})
	}
	d.Events = append(d.Events, eventLink{Name: p.T("search.all_events"), URL: action, Current: d.Event == ""})
	for _, e := range procedures.LifeEvents() {
		name := e.Name.Vi
		if p.Lang == "en" {
			name = e.Name.En
		}
		d.Events = append(d.Events, eventLink{Name: name, URL: action + "?event=" + url.QueryEscape(e.Code), Current: e.Code == d.Event})
	}
	for _, a := range s.cfg.Catalog.Agencies().All() {
		{
			name := a.Name
			if p.Lang == "en" && a.NameEn != "" {
				name = a.NameEn
			}
			d.Agencies = append(d.Agencies, agencyOption{Code: a.Code, Name: name, Selected: a.Code == d.Agency})
		}
	}
	return d
}

// competent are the codes of the agencies that may lead a case of pr filed
// today: the ones the API routes to (competence by date).
func (s *Server) competent(pr *motcua.Procedure) []string {
	var codes []string
	for _, a := range s.cfg.Catalog.Agencies().Competent(pr, s.filingDay()) {
		codes = append(codes, a.Code)
	}
	return codes
}

// filingDay is the day the API routes submissions on.
func (s *Server) filingDay() time.Time {
	if s.cfg.FilingDay != nil {
		return s.cfg.FilingDay()
	}
	return time.Now()
}

// home is the front page: find a procedure.
func (s *Server) home(p *page) {
	p.Title = p.T("search.title")
	p.Data = s.search(p, "/", "/thu-tuc/", 0)
	p.render("search")
}

type procData struct {
	P         *motcua.Procedure
	Name      string
	Agencies  []agencyOption
	CanFile   bool
	FileURL   string
	FormPDF   string
	Fee       string
	Delivery  []string
	ShapeNote string
}

// procedure shows one procedure (/thu-tuc/{code}, bookmarkable).
func (s *Server) procedure(p *page) {
	pr, ok := s.cfg.Catalog.Get(p.r.PathValue("code"))
	if !ok {
		p.notFound()
		return
	}
	d := &procData{P: pr, Name: s.procName(pr, p.Lang), CanFile: pr.Level >= 3 && len(pr.Form) > 0 && pr.FirstInstance == "",
		FileURL: "/thu-tuc/" + pr.Code + "/nop", FormPDF: "/thu-tuc/" + pr.Code + "/mau-don.pdf"}
	if pr.Shape == motcua.ShapeFeedback {
		d.FileURL = "/phan-anh/gui" // feedback has its own form (feedback.go)
	}
	for _, a := range s.competent(pr) {
		d.Agencies = append(d.Agencies, agencyOption{Code: a, Name: s.agencyName(a, p.Lang)})
	}
	for _, m := range pr.Delivery {
		d.Delivery = append(d.Delivery, p.T("delivery."+m))
	}
	p.Title = d.Name
	p.Data = d
	p.render("procedure")
}

// procedureFormPDF downloads the printable form through the API.
func (s *Server) procedureFormPDF(p *page) {
	a := p.api(apiCall{method: "GET", path: "/api/v1/procedures/" + url.PathEscape(p.r.PathValue("code")) + "/form.pdf"})
	if !a.ok() {
		p.apiFail(a.err(), a.status)
		return
	}
	passThrough(p.w, a, "Content-Disposition", "Content-Type", "Cache-Control")
}

func passThrough(w http.ResponseWriter, a apiAnswer, headers ...string) {
	for _, h := range headers {
		if v := a.header.Get(h); v != "" {
			w.Header().Set(h, v)
		}
	}
	w.WriteHeader(a.status)
	_, _ = w.Write(a.body)
}

// caseSummary is a case in a list (the API's list answer).
type caseSummary struct {
	Code          string              `json:"code"`
	Procedure     motcua.ProcedureRef `json:"procedure"`
	Agency        string              `json:"agency"`
	Status        motcua.Status       `json:"status"`
	ApplicantName string              `json:"applicant_name"`
	SubmittedAt   jsonTime            `json:"submitted_at"`
	DueAt         *jsonTime           `json:"due_at"`
	Overdue       bool                `json:"overdue"`
	Paused        bool                `json:"paused"`
	Actions       []motcua.Permission `json:"actions"`
	ReceptionLate bool                `json:"reception_late"`
	// Filled by the page.
	DueSoon bool     `json:"-"`
	Asked   []string `json:"-"`
	Name    string   `json:"-"`
}

type casePageList struct {
	Cases      []caseSummary `json:"cases"`
	NextCursor string        `json:"next_cursor"`
}

type myCasesData struct {
	Cases   []caseSummary
	NextURL string
}

// myCases lists the signed-in citizen's cases ("Hồ sơ của tôi").
func (s *Server) myCases(p *page) {
	if !p.requireSignIn() {
		return
	}
	if !p.Citizen() {
		p.redirect("/can-bo")
		return
	}
	v := url.Values{"mine": {"1"}, "limit": {"20"}}
	if c := p.r.URL.Query().Get("cursor"); c != "" {
		v.Set("cursor", c)
	}
	a := p.api(apiCall{method: "GET", path: "/api/v1/cases?" + v.Encode()})
	if !a.ok() {
		p.apiFail(a.err(), a.status)
		return
	}
	var list casePageList
	_ = a.decode(&list)
	d := &myCasesData{Cases: list.Cases}
	for i := range d.Cases {
		c := &d.Cases[i]
		c.Name = s.caseProcName(c.Procedure, p.Lang)
		for _, perm := range c.Actions {
			if perm.Role == motcua.RoleApplicant && offered(perm.Action) {
				c.Asked = append(c.Asked, s.actionTitle(perm.Action, p.Lang))
			}
		}
	}
	if list.NextCursor != "" {
		d.NextURL = "/ho-so-cua-toi?cursor=" + url.QueryEscape(list.NextCursor)
	}
	p.Title = p.T("mine.title")
	p.Data = d
	p.render("mine")
}

func (s *Server) caseProcName(ref motcua.ProcedureRef, lang string) string {
	if pr, ok := s.cfg.Catalog.Get(ref.Code); ok {
		return s.procName(pr, lang)
	}
	return ref.Name
}

type lookupData struct {
	Code, Secret string
	CodeErr      string
	SecretErr    string
}

// lookup finds a case by its code and secret; the case page follows.
func (s *Server) lookup(p *page) {
	p.Title = p.T("lookup.title")
	d := &lookupData{}
	p.Data = d
	if p.r.Method != http.MethodPost {
		d.Code = p.r.URL.Query().Get("code")
		p.render("lookup")
		return
	}
	d.Code = strings.ToUpper(strings.TrimSpace(p.r.PostFormValue("code")))
	d.Secret = strings.TrimSpace(p.r.PostFormValue("secret"))
	if d.Code == "" {
		d.CodeErr = p.T("lookup.code_required")
	}
	if d.Secret == "" {
		d.SecretErr = p.T("lookup.secret_required")
	}
	if d.CodeErr == "" && d.SecretErr == "" {
		a := p.s.callAPI(p.r.Context(), p.r, "", p.Lang, apiCall{method: "GET", path: "/api/v1/cases/" + url.PathEscape(d.Code), secret: d.Secret})
		switch {
		case a.ok():
			s.rememberSecret(p, d.Code, d.Secret)
			p.redirect("/ho-so/" + url.PathEscape(d.Code))
			return
		case a.status == http.StatusNotFound:
			d.SecretErr = p.T("lookup.not_found")
		default:
			d.SecretErr = a.err().Message
		}
	}
	if d.CodeErr != "" {
		p.Errors = append(p.Errors, ErrorLink{Href: "#code", Message: d.CodeErr})
	}
	if d.SecretErr != "" {
		p.Errors = append(p.Errors, ErrorLink{Href: "#secret", Message: d.SecretErr})
	}
	p.status = http.StatusUnprocessableEntity
	p.render("lookup")
}

// Secrets of cases looked up in this browser are kept in an HttpOnly
// cookie, so the case page and its documents open again without retyping.
func (s *Server) rememberSecret(p *page, code, secret string) {
	entries := map[string]string{}
	if c, err := p.r.Cookie(lookupCookie); err == nil {
		if raw, err := url.QueryUnescape(c.Value); err == nil {
			_ = json.Unmarshal([]byte(raw), &entries)
		}
	}
	entries[code] = secret
	for len(entries) > 10 {
		for k := range entries {
			if k != code {
				delete(entries, k)
				break
			}
		}
	}
	b, _ := json.Marshal(entries)
	http.SetCookie(p.w, s.cookie(p.r, lookupCookie, url.QueryEscape(string(b)), 0))
}

func (p *page) secretFor(code string) string {
	c, err := p.r.Cookie(lookupCookie)
	if err != nil {
		return ""
	}
	raw, err := url.QueryUnescape(c.Value)
	if err != nil {
		return ""
	}
	entries := map[string]string{}
	_ = json.Unmarshal([]byte(raw), &entries)
	return entries[code]
}

type verifyData struct {
	Authentic bool
	Reason    string
	ID, Case  string
	Name      string
	Kind      string
	SHA256    string
	IssuedAt  jsonTime
}

// verifyPage says whether an issued document is authentic (the QR code's
// target for people).
func (s *Server) verifyPage(p *page) {
	a := p.api(apiCall{method: "GET", path: "/api/v1/verify/" + url.PathEscape(p.r.PathValue("id"))})
	if !a.ok() {
		p.apiFail(a.err(), a.status)
		return
	}
	var v struct {
		Authentic  bool     `json:"authentic"`
		Reason     string   `json:"reason"`
		DocumentID string   `json:"document_id"`
		CaseCode   string   `json:"case_code"`
		Kind       string   `json:"kind"`
		Name       string   `json:"name"`
		SHA256     string   `json:"sha256"`
		IssuedAt   jsonTime `json:"issued_at"`
	}
	_ = a.decode(&v)
	p.Title = p.T("verify.title")
	p.Data = &verifyData{Authentic: v.Authentic, Reason: v.Reason, ID: v.DocumentID, Case: v.CaseCode, Name: v.Name,
		Kind: p.T("doc." + v.Kind), SHA256: v.SHA256, IssuedAt: v.IssuedAt}
	p.render("verify")
}
