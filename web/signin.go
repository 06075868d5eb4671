package web

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/motcua/motcua"
)

type jsonTime = time.Time

type signInData struct {
	Next     string
	Kind     string
	Subject  string
	Name     string
	Agency   string
	Roles    []string
	Agencies []agencyOption
	AllRoles []string
	Fields   map[string]string
}

// signIn is the sign-in page. In production it sends the visitor to the
// identity provider; under `motcua dev` it is a form over the dev login:
// pick a citizen (by ID number) or an officer (agency, roles).
func (s *Server) signIn(p *page) {
	next := safeNext(p.r.FormValue("next"))
	if s.oidc != nil {
		s.oidcStart(p, next)
		return
	}
	if !s.cfg.DevLogin {
		p.status = http.StatusServiceUnavailable
		p.fail(p.T("signin.unavailable"))
		return
	}
	d := &signInData{Next: next, Kind: "citizen", Fields: map[string]string{}}
	for _, r := range motcua.OfficerRoles {
		d.AllRoles = append(d.AllRoles, string(r))
	}
	p.Title = p.T("signin.title")
	p.Data = d
	if p.r.Method == http.MethodPost {
		d.Kind = p.r.PostFormValue("kind")
		d.Subject = strings.TrimSpace(p.r.PostFormValue("subject"))
		d.Name = strings.TrimSpace(p.r.PostFormValue("name"))
		d.Agency = p.r.PostFormValue("agency")
		d.Roles = p.r.PostForm["roles"]
		body := map[string]any{"role": d.Kind, "subject": d.Subject, "name": d.Name}
		if d.Kind == "officer" {
			body["agency"] = d.Agency
			body["roles"] = d.Roles
		}
		rd, ct := jsonBody(body)
		a := p.s.callAPI(p.r.Context(), p.r, "", p.Lang, apiCall{method: "POST", path: "/api/v1/dev/login", body: rd, ctype: ct})
		if a.ok() {
			var ans struct {
				Token     string    `json:"token"`
				ExpiresAt time.Time `json:"expires_at"`
			}
			_ = a.decode(&ans)
			s.setSession(p, ans.Token, time.Until(ans.ExpiresAt))
			if next == "/" && d.Kind == "officer" {
				next = "/can-bo"
			}
			if next == "/" && d.Kind == "admin" {
				next = "/quan-tri/chuyen-giao"
			}
			p.redirect(next)
			return
		}
		e := a.err()
		ids := map[string]string{"role": "kind-citizen", "subject": "subject", "agency": "agency", "roles": "role-" + string(motcua.OfficerRoles[0])}
		for _, k := range []string{"role", "subject", "agency", "roles"} {
			if msg, ok := e.Fields[k]; ok {
				d.Fields[k] = msg
				p.Errors = append(p.Errors, ErrorLink{Href: "#" + ids[k], Message: msg})
			}
		}
		if len(p.Errors) == 0 {
			p.Errors = []ErrorLink{{Href: "#subject", Message: e.Message}}
		}
		p.status = a.status
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
	p.render("signin")
}

// HasRole is for the sign-in form's checkboxes.
func (d *signInData) HasRole(r string) bool { return slices.Contains(d.Roles, r) }

// signOut ends the session.
func (s *Server) signOut(p *page) {
	s.clearSession(p)
	p.redirect("/")
}
