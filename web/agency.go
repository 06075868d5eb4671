package web

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/calendar"
)

// The agency's statistics for its head (lãnh đạo cơ quan) and officers
// (/can-bo/thong-ke): the agency's numbers for a month or the year so far,
// each late number a link to the cases behind it (overdue in progress,
// resolved late), each case a link to its page; below, the agency's
// periodic reports to download.

type agencyStatsPage struct {
	Agency, AgencyName string
	Period             string // YYYY or YYYY-MM
	Periods            []periodOption
	From, To           string // YYYY-MM-DD, for the API
	FromShown, ToShown string // dd/mm/yyyy, for people
	Total              motcua.StatsRow
	Kind               string // the late cases shown: overdue, resolved or ""
	KindTitle          string
	Late               []motcua.LateCase
	Reports            []motcua.Report
	Pct                func(*float64) string
	Avg                func(*float64) string
}

// periodOption is a period a statistics page offers (this one and the
// indicators page).
type periodOption struct {
	Value, Label string
	Selected     bool
}

// DrillURL is the page showing kind's cases of the same period.
func (d *agencyStatsPage) DrillURL(kind string) string {
	q := url.Values{"ky": {d.Period}, "xem": {kind}}
	if d.Agency != "" {
		q.Set("co-quan", d.Agency)
	}
	return "/can-bo/thong-ke?" + q.Encode() + "#s-late"
}

func (s *Server) agencyStats(p *page) {
	if !p.requireSignIn() {
		return
	}
	a := p.Actor
	q := p.r.URL.Query()
	d := &agencyStatsPage{Agency: a.Agency, Pct: pct, Avg: avg}
	switch {
	case a.Kind == motcua.KindAdmin:
		d.Agency = q.Get("co-quan")
	case a.Kind != motcua.KindOfficer || a.Agency == "":
		p.status = http.StatusForbidden
		p.fail(p.T("agency_stats.officers_only"))
		return
	}
	p.Title = p.T("agency_stats.title")
	p.Data = d
	if d.Agency == "" {
		p.status = http.StatusNotFound
		p.fail(p.T("agency_stats.choose_agency"))
		return
	}
	d.AgencyName = s.agencyName(d.Agency, p.Lang)
	now := s.cfg.Now().In(calendar.Location)
	d.Period = strconv.Itoa(now.Year())
	d.Periods = []periodOption{{Value: d.Period, Label: p.T("agency_stats.year_to_date", "Year", now.Year())}}
	for i := range 12 {
		m := time.Date(now.Year(), now.Month()-time.Month(i), 1, 0, 0, 0, 0, calendar.Location)
		d.Periods = append(d.Periods, periodOption{Value: m.Format("2006-01"), Label: p.T("agency_stats.month", "Month", int(m.Month()), "Year", m.Year())})
	}
	if v := q.Get("ky"); v != "" {
		for _, o := range d.Periods {
			if o.Value == v {
				d.Period = v
			}
		}
	}
	for i := range d.Periods {
		d.Periods[i].Selected = d.Periods[i].Value == d.Period
	}
	from := time.Date(now.Year(), 1, 1, 0, 0, 0, 0, calendar.Location)
	to := now
	if len(d.Period) == 7 {
		from, _ = time.ParseInLocation("2006-01", d.Period, calendar.Location)
		if end := from.AddDate(0, 1, -1); end.Before(now) {
			to = end
		}
	}
	d.From, d.To = from.Format(time.DateOnly), to.Format(time.DateOnly)
	d.FromShown, d.ToShown = from.Format("02/01/2006"), to.Format("02/01/2006")
	v := url.Values{"from": {d.From}, "to": {d.To}, "agency": {d.Agency}}
	ans := p.api(apiCall{method: "GET", path: "/api/v1/stats?" + v.Encode()})
	if !ans.ok() {
		p.apiFail(ans.err(), ans.status)
		return
	}
	var stats struct {
		Rows []motcua.StatsRow `json:"rows"`
	}
	_ = ans.decode(&stats)
	if len(stats.Rows) > 0 {
		d.Total = stats.Rows[0]
	}
	switch kind := q.Get("xem"); kind {
	case motcua.LateOverdue, motcua.LateResolved:
		d.Kind, d.KindTitle = kind, p.T("agency_stats.late_"+kind)
		v.Set("kind", kind)
		ans := p.api(apiCall{method: "GET", path: "/api/v1/stats/late?" + v.Encode()})
		if !ans.ok() {
			p.apiFail(ans.err(), ans.status)
			return
		}
		var late struct {
			Cases []motcua.LateCase `json:"cases"`
		}
		_ = ans.decode(&late)
		d.Late = late.Cases
	}
	if ans := p.api(apiCall{method: "GET", path: "/api/v1/reports?agency=" + url.QueryEscape(d.Agency)}); ans.ok() {
		var list struct {
			Reports []motcua.Report `json:"reports"`
		}
		_ = ans.decode(&list)
		d.Reports = list.Reports
	}
	p.render("agency")
}

// ReportURL is where a stored report's file is downloaded.
func (d *agencyStatsPage) ReportURL(r motcua.Report, format string) string {
	return "/api/v1/reports/" + r.Period + "/" + r.Key + "/" + format + "?agency=" + url.QueryEscape(r.Agency)
}
