package web

import (
	"net/http"
	"net/url"
	"strings"
)

// Second-instance complaints (Luật Khiếu nại 2011 Điều 33): the first
// case's page offers the complainant the form while the Law allows it and
// says why not otherwise; each instance links to the other (case.html).

const secondInstanceForm = "second-instance"

// secondInstanceForm adds the second-instance form, or the reason there is
// none, for the complainant of a first-instance case.
func (s *Server) secondInstanceForm(p *page, c *caseView, d *caseData, failed string, errs map[string]string) {
	offer := c.SecondInstance
	if offer == nil || !d.Owner {
		return
	}
	if offer.Refusal != "" {
		d.SecondRefusal = offer.Refusal
		return
	}
	sch, err := parseSchema(offer.Input)
	if err != nil || offer.Until == nil {
		return
	}
	f := &actionForm{Action: secondInstanceForm, Title: p.T("second.title"), ID: "act-" + secondInstanceForm,
		URL: "/ho-so/" + url.PathEscape(c.Code) + "/khieu-nai-lan-hai", Key: newKey(),
		Intro: p.T("second.intro", "Until", offer.Until.In(vn).Format("02/01/2006"))}
	v := Values{}
	var fe map[string]string
	if failed == secondInstanceForm && p.r.Method == http.MethodPost {
		v = Values(p.r.PostForm)
		f.Key = v.get("key")
		fe = errs
	}
	f.Root = sch.build("", v, nil, p.Lang, true, p.texts())
	for _, ch := range f.Root.Children {
		ch.ID = f.ID + "-" + strings.TrimPrefix(ch.ID, "f-")
		prefixIDs(ch, f.ID)
	}
	if fe != nil {
		p.Errors = append(p.Errors, attach(f.Root, fe, f.ID)...)
	}
	d.Forms = append(d.Forms, f)
}

// fileSecondInstance files the second-instance complaint from its form and
// opens the new case; the API's refusal comes back beside the fields.
func (s *Server) fileSecondInstance(p *page) {
	code := p.r.PathValue("code")
	c, secret, ok := p.loadCase(code)
	if !ok {
		return
	}
	if c.SecondInstance == nil || c.SecondInstance.Refusal != "" {
		s.showCase(p, c, secret, "", nil)
		return
	}
	sch, err := parseSchema(c.SecondInstance.Input)
	if err != nil {
		p.fail(err.Error())
		return
	}
	v := Values(p.r.PostForm)
	key := v.get("key")
	if len(key) < 16 || len(key) > 64 {
		key = newKey()
	}
	body := sch.decode("", v)
	if body == nil {
		body = map[string]any{}
	}
	rd, ct := jsonBody(body)
	a := p.api(apiCall{method: "POST", path: "/api/v1/cases/" + url.PathEscape(code) + "/second-instance", body: rd, ctype: ct, key: key})
	if !a.ok() {
		s.showRefused(p, a, code, secret, secondInstanceForm)
		return
	}
	var filed struct {
		Code string `json:"code"`
	}
	_ = a.decode(&filed)
	p.redirect("/ho-so/" + url.PathEscape(filed.Code) + "?filed=second")
}
