package web

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/motcua/motcua"
)

// The rating form on a case that has ended: its applicant (signed in, or
// with the secret of a look-up) rates how it was served, or changes the
// rating for 7 days (PUT /api/v1/cases/{code}/rating).

// ratingCriteria are the questions, in the order the national portal asks
// them.
var ratingCriteria = []string{"overall", "time_kept", "attitude", "guidance", "fees"}

type ratingSection struct {
	URL           string
	Root          *Field
	Rated         *motcua.Rating
	Editable      bool
	EditableUntil time.Time
}

// ratingFor builds the rating section of c for the visitor, nil when they
// may not rate it. values and errs come back from a refused submission.
func (s *Server) ratingFor(p *page, c *caseView, d *caseData, secret string, values Values, errs map[string]string) *ratingSection {
	if !c.Status.Final() || !(d.Owner || d.BySecret) {
		return nil
	}
	r := &ratingSection{URL: "/ho-so/" + url.PathEscape(c.Code) + "/danh-gia", Editable: true}
	a := p.api(apiCall{method: "GET", path: "/api/v1/cases/" + url.PathEscape(c.Code) + "/rating", secret: secret})
	if a.ok() {
		var rated motcua.Rating
		if a.decode(&rated) == nil {
			r.Rated, r.EditableUntil = &rated, rated.EditableUntil
			r.Editable = s.cfg.Now().Before(rated.EditableUntil)
		}
	}
	if values == nil && r.Rated != nil {
		values = Values{"overall": {strconv.Itoa(r.Rated.Overall)}, "time_kept": {strconv.Itoa(r.Rated.TimeKept)},
			"attitude": {strconv.Itoa(r.Rated.Attitude)}, "guidance": {strconv.Itoa(r.Rated.Guidance)},
			"fees": {strconv.Itoa(r.Rated.Fees)}, "comment": {r.Rated.Comment}}
	}
	tx := p.texts()
	root := &Field{Kind: "group", Texts: tx}
	for _, name := range ratingCriteria {
		f := &Field{Kind: "radios", Name: name, ID: "rate-" + name, Label: p.T("rating." + name), Required: true, Texts: tx}
		for v := 5; v >= 1; v-- {
			val := strconv.Itoa(v)
			f.Options = append(f.Options, Option{Value: val, Label: p.T("rating.level" + val), ID: f.ID + "-" + val,
				Selected: values.get(name) == val})
		}
		root.Children = append(root.Children, f)
	}
	root.Children = append(root.Children, &Field{Kind: "textarea", Name: "comment", ID: "rate-comment", Label: p.T("rating.comment"),
		Hint: p.T("rating.comment_hint"), Value: values.get("comment"), MaxLen: 2000, Texts: tx})
	if errs != nil {
		p.Errors = append(p.Errors, attach(root, errs, "rating")...)
	}
	r.Root = root
	return r
}

// rateCase posts the rating form.
func (s *Server) rateCase(p *page) {
	code := p.r.PathValue("code")
	c, secret, ok := p.loadCase(code)
	if !ok {
		return
	}
	v := Values(p.r.PostForm)
	body := map[string]any{"comment": v.get("comment")}
	for _, name := range ratingCriteria {
		n, _ := strconv.Atoi(v.get(name))
		body[name] = n
	}
	rd, ct := jsonBody(body)
	a := p.api(apiCall{method: http.MethodPut, path: "/api/v1/cases/" + url.PathEscape(code) + "/rating", body: rd, ctype: ct, secret: secret})
	if !a.ok() {
		fields, ok := a.refusal()
		if !ok {
			p.apiFail(a.err(), a.status)
			return
		}
		p.status = a.status
		s.showCaseRating(p, c, secret, v, fields)
		return
	}
	p.redirect("/ho-so/" + url.PathEscape(code) + "?rated=1#rating")
}

func (s *Server) showCaseRating(p *page, c *caseView, secret string, _ Values, errs map[string]string) {
	s.showCase(p, c, secret, "rating", errs)
}
