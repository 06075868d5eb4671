package web

import (
	"fmt"
	"net/url"
	"strconv"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/calendar"
)

// The public statistics page (/thong-ke, no sign-in): how the province
// serves, from the open data (GET /api/v1/stats). Each chart is an SVG
// drawn here, with the same numbers in a table beside it for screen
// readers and for anyone who wants the figures.

func init() {
	funcs["add64"] = func(a, b int64) int64 { return a + b }
	funcs["add_f"] = func(a, b float64) float64 { return a + b }
}

type bar struct {
	X, Y, W, H float64
	Class      string
	Label      string // the value, written above the bar
	LX, LY     float64
}

type chart struct {
	ID, Title, Desc string
	Width, Height   float64
	Bars            []bar
	Axis            []axisLabel
	Legend          []legendItem
}

type axisLabel struct {
	X, Y float64
	Text string
}

type legendItem struct {
	Class, Text string
	X           float64
}

type statsPage struct {
	Year     int
	Years    []int
	Agency   string
	Agencies []agencyOption
	Total    motcua.StatsRow
	Months   []motcua.StatsRow
	ByAgency []agencyStats
	Monthly  chart
	Rating   chart
	JSONURL  string
	CSVURL   string
	DictURL  string
	Pct      func(*float64) string
	Avg      func(*float64) string
}

type agencyStats struct {
	Name string
	motcua.StatsRow
}

func pct(v *float64) string {
	if v == nil {
		return "—"
	}
	return strconv.FormatFloat(*v*100, 'f', 1, 64) + "%"
}

func avg(v *float64) string {
	if v == nil {
		return "—"
	}
	return strconv.FormatFloat(*v, 'f', 2, 64)
}

// statsPage shows a year of the province's (or one agency's) statistics.
func (s *Server) statsPage(p *page) {
	now := s.cfg.Now().In(calendar.Location)
	d := &statsPage{Year: now.Year(), Agency: p.r.URL.Query().Get("co-quan"), Pct: pct, Avg: avg}
	if y, err := strconv.Atoi(p.r.URL.Query().Get("nam")); err == nil && y >= 2015 && y <= now.Year() {
		d.Year = y
	}
	for y := now.Year(); y >= now.Year()-4; y-- {
		d.Years = append(d.Years, y)
	}
	for _, a := range s.cfg.Catalog.Agencies().All() {
		if a.Active(now) || a.Code == d.Agency {
			d.Agencies = append(d.Agencies, agencyOption{Code: a.Code, Name: s.agencyName(a.Code, p.Lang), Selected: a.Code == d.Agency})
		}
	}
	from := time.Date(d.Year, 1, 1, 0, 0, 0, 0, calendar.Location)
	to := time.Date(d.Year, 12, 31, 0, 0, 0, 0, calendar.Location)
	if to.After(now) {
		to = now
	}
	q := url.Values{"from": {from.Format(time.DateOnly)}, "to": {to.Format(time.DateOnly)}}
	if d.Agency != "" {
		q.Set("agency", d.Agency)
	}
	get := func(extra url.Values) ([]motcua.StatsRow, bool) {
		v := url.Values{}
		for k, x := range q {
			v[k] = x
		}
		for k, x := range extra {
			v[k] = x
		}
		a := p.api(apiCall{method: "GET", path: "/api/v1/stats?" + v.Encode()})
		if !a.ok() {
			p.apiFail(a.err(), a.status)
			return nil, false
		}
		var out struct {
			Rows []motcua.StatsRow `json:"rows"`
		}
		if err := a.decode(&out); err != nil {
			p.fail(err.Error())
			return nil, false
		}
		return out.Rows, true
	}
	total, ok := get(url.Values{"period": {"all"}})
	if !ok {
		return
	}
	if len(total) > 0 {
		d.Total = total[0]
	}
	if d.Months, ok = get(url.Values{"period": {"month"}}); !ok {
		return
	}
	byAgency, ok := get(url.Values{"period": {"all"}, "by": {"agency"}})
	if !ok {
		return
	}
	for _, r := range byAgency {
		d.ByAgency = append(d.ByAgency, agencyStats{Name: s.agencyName(r.Agency, p.Lang), StatsRow: r})
	}
	d.Monthly = monthlyChart(p, d.Months)
	d.Rating = ratingChart(p, d.Total)
	d.JSONURL = "/api/v1/stats?" + q.Encode() + "&period=month"
	d.CSVURL = d.JSONURL + "&format=csv"
	d.DictURL = "/api/v1/stats/dictionary"
	p.Title = p.T("stats.title")
	p.Data = d
	p.render("stats")
}

// monthlyChart stacks, per month, results on time and late.
func monthlyChart(p *page, months []motcua.StatsRow) chart {
	c := chart{ID: "chart-monthly", Title: p.T("stats.chart_monthly"), Desc: p.T("stats.chart_monthly_desc"), Width: 720, Height: 260}
	const left, bottom, top = 40.0, 30.0, 24.0
	plot := c.Height - bottom - top
	var most int64 = 1
	for _, m := range months {
		most = max(most, m.ResolvedOnTime+m.ResolvedLate, m.Received)
	}
	slot := (c.Width - left) / 12
	for _, m := range months {
		month, err := strconv.Atoi(m.Period[5:7])
		if err != nil {
			continue
		}
		x := left + float64(month-1)*slot + slot*0.15
		w := slot * 0.7
		h1 := plot * float64(m.ResolvedOnTime) / float64(most)
		h2 := plot * float64(m.ResolvedLate) / float64(most)
		base := c.Height - bottom
		c.Bars = append(c.Bars,
			bar{X: x, Y: base - h1, W: w, H: h1, Class: "bar-ontime"},
			bar{X: x, Y: base - h1 - h2, W: w, H: h2, Class: "bar-late",
				Label: strconv.FormatInt(m.ResolvedOnTime+m.ResolvedLate, 10), LX: x + w/2, LY: base - h1 - h2 - 4})
	}
	for i := range 12 {
		c.Axis = append(c.Axis, axisLabel{X: left + float64(i)*slot + slot/2, Y: c.Height - 10, Text: fmt.Sprintf("T%d", i+1)})
	}
	c.Legend = []legendItem{{Class: "bar-ontime", Text: p.T("stats.on_time"), X: left}, {Class: "bar-late", Text: p.T("stats.late"), X: left + 200}}
	return c
}

// ratingChart shows how many rated each level.
func ratingChart(p *page, t motcua.StatsRow) chart {
	c := chart{ID: "chart-rating", Title: p.T("stats.chart_rating"), Desc: p.T("stats.chart_rating_desc"), Width: 720, Height: 220}
	const left, bottom, top = 20.0, 30.0, 24.0
	plot := c.Height - bottom - top
	var most int64 = 1
	for _, n := range t.Ratings {
		most = max(most, n)
	}
	slot := (c.Width - left) / 5
	for i, n := range t.Ratings {
		x := left + float64(i)*slot + slot*0.2
		h := plot * float64(n) / float64(most)
		c.Bars = append(c.Bars, bar{X: x, Y: c.Height - bottom - h, W: slot * 0.6, H: h, Class: fmt.Sprintf("bar-r%d", i+1),
			Label: strconv.FormatInt(n, 10), LX: x + slot*0.3, LY: c.Height - bottom - h - 4})
		c.Axis = append(c.Axis, axisLabel{X: x + slot*0.3, Y: c.Height - 10, Text: strconv.Itoa(i + 1)})
	}
	return c
}
