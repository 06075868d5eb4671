package web

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/motcua/motcua"
)

// The administrator's hand-over page (chuyển giao hồ sơ): a form that asks
// the API for a dry run of a hand-over, shows what would move where, and
// starts it; below, the latest hand-overs and their progress.

type handoverLine struct {
	Procedure string `json:"procedure"`
	Name      string `json:"name"`
	Open      int    `json:"open"`
	To        string `json:"to"`
	ToName    string `json:"to_name"`
	Stays     bool   `json:"stays"`
	ByAddress bool   `json:"by_address"`
	Choices   []struct {
		Code string `json:"code"`
	} `json:"choices"`
}

type handoverPageData struct {
	From, Procedures, Day, Basis, To string
	Fields                           map[string]string
	Plan                             *struct {
		ID    string         `json:"id"`
		Day   string         `json:"day"`
		Moves int            `json:"moves"`
		Lines []handoverLine `json:"procedures"`
	}
	Handovers []motcua.Handover
	Agencies  []agencyOption
}

// ChoiceCodes lists a line's choices.
func (l handoverLine) ChoiceCodes() string {
	var cs []string
	for _, c := range l.Choices {
		cs = append(cs, c.Code)
	}
	return strings.Join(cs, ", ")
}

func (s *Server) handovers(p *page) {
	if !p.requireSignIn() {
		return
	}
	if p.Actor.Kind != motcua.KindAdmin {
		p.status = http.StatusForbidden
		p.fail(p.T("handover.admins_only"))
		return
	}
	d := &handoverPageData{Fields: map[string]string{}}
	p.Title = p.T("handover.title")
	p.Data = d
	if p.r.Method == http.MethodPost {
		d.From = strings.TrimSpace(p.r.PostFormValue("from"))
		d.Procedures = strings.TrimSpace(p.r.PostFormValue("procedures"))
		d.Day = strings.TrimSpace(p.r.PostFormValue("day"))
		d.Basis = strings.TrimSpace(p.r.PostFormValue("basis"))
		d.To = strings.TrimSpace(p.r.PostFormValue("to"))
		run := p.r.PostFormValue("run") == "1"
		body := map[string]any{"from": d.From, "day": d.Day, "basis": d.Basis, "to": d.To, "dry_run": !run}
		if d.Procedures != "" {
			body["procedures"] = strings.FieldsFunc(d.Procedures, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' })
		}
		rd, ct := jsonBody(body)
		a := p.api(apiCall{method: "POST", path: "/api/v1/handovers", body: rd, ctype: ct})
		if a.ok() {
			if run {
				p.redirect("/quan-tri/chuyen-giao?started=1")
				return
			}
			_ = json.Unmarshal(a.body, &d.Plan)
		} else {
			e := a.err()
			for k, msg := range e.Fields {
				d.Fields[k] = msg
				p.Errors = append(p.Errors, ErrorLink{Href: "#" + strings.SplitN(k, ".", 2)[0], Message: msg})
			}
			if len(p.Errors) == 0 {
				p.Errors = []ErrorLink{{Href: "#from", Message: e.Message}}
			}
			p.status = a.status
		}
	}
	if p.r.URL.Query().Get("started") != "" {
		p.Notice = p.T("handover.started")
	}
	a := p.api(apiCall{method: "GET", path: "/api/v1/handovers"})
	if a.ok() {
		var list struct {
			Items []motcua.Handover `json:"items"`
		}
		_ = a.decode(&list)
		d.Handovers = list.Items
	}
	for _, ag := range s.cfg.Catalog.Agencies().All() {
		name := ag.Name
		if p.Lang == "en" && ag.NameEn != "" {
			name = ag.NameEn
		}
		d.Agencies = append(d.Agencies, agencyOption{Code: ag.Code, Name: name, Selected: ag.Code == d.From})
	}
	p.render("handover")
}
