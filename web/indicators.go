package web

import (
	"fmt"
	"net/url"
	"strconv"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/procedures"
)

// The public page of service quality (/thong-ke/chi-so, no sign-in): the
// Decision 766/QĐ-TTg indicators of a period, for the province or one
// agency, and the roadmap of service levels against the seed's targets,
// from the open data (GET /api/v1/stats/indicators, /stats/roadmap). Each
// chart is an SVG drawn here with its numbers in a table.

type indicatorsPage struct {
	Period   string
	Periods  []periodOption
	Agency   string
	Agencies []agencyOption
	Scope    motcua.IndicatorScope
	Groups   []indicatorGroupRow
	ByAgency []agencyScore
	Rates    hbarChart
	Roadmap  procedures.Roadmap
	Years    []procedures.RoadmapCount
	Levels   chart
	JSONURL  string
	CSVURL   string
	DictURL  string
	RoadURL  string
	Pct      func(*float64) string
	Pts      func(float64) string
	PtsOf    func(*float64) string
}

type indicatorGroupRow struct {
	motcua.IndicatorGroup
	Indicators []motcua.IndicatorScore
}

type agencyScore struct {
	Name  string
	Score motcua.IndicatorScope
	Rates map[string]*float64
}

// hbarChart draws one horizontal bar per rate (0–100%).
type hbarChart struct {
	ID, Title, Desc string
	Width, Height   float64
	Bars            []hbar
	Ticks           []axisLabel
}

type hbar struct {
	Label, Value    string
	Y, W, LabelY    float64
	ValueX, ValueY  float64
	LabelX, BarX, H float64
}

func points(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) }

func pointsOf(v *float64) string {
	if v == nil {
		return "—"
	}
	return points(*v)
}

// indicatorsPage shows a period's indicators and today's roadmap.
func (s *Server) indicatorsPage(p *page) {
	now := s.cfg.Now().In(calendar.Location)
	q := p.r.URL.Query()
	d := &indicatorsPage{Period: q.Get("ky"), Agency: q.Get("co-quan"), Pct: pct, Pts: points, PtsOf: pointsOf}
	if d.Period == "" {
		d.Period = strconv.Itoa(now.Year())
	}
	for qn := 1; qn <= (int(now.Month())+2)/3; qn++ {
		v := fmt.Sprintf("%d-Q%d", now.Year(), qn)
		d.Periods = append(d.Periods, periodOption{Value: v, Label: fmt.Sprintf(p.T("ind.quarter"), qn, now.Year())})
	}
	for y := now.Year(); y >= now.Year()-4; y-- {
		d.Periods = append(d.Periods, periodOption{Value: strconv.Itoa(y), Label: fmt.Sprintf(p.T("ind.year"), y)})
	}
	for i := range d.Periods {
		d.Periods[i].Selected = d.Periods[i].Value == d.Period
	}
	for _, a := range s.cfg.Catalog.Agencies().All() {
		if a.Active(now) || a.Code == d.Agency {
			d.Agencies = append(d.Agencies, agencyOption{Code: a.Code, Name: s.agencyName(a.Code, p.Lang), Selected: a.Code == d.Agency})
		}
	}
	v := url.Values{"period": {d.Period}}
	if d.Agency != "" {
		v.Set("agency", d.Agency)
	}
	a := p.api(apiCall{method: "GET", path: "/api/v1/stats/indicators?" + v.Encode()})
	if !a.ok() {
		p.apiFail(a.err(), a.status)
		return
	}
	var report motcua.IndicatorReport
	if err := a.decode(&report); err != nil {
		p.fail(err.Error())
		return
	}
	switch {
	case report.Province != nil:
		d.Scope = *report.Province
	case len(report.Agencies) > 0:
		d.Scope = report.Agencies[0]
	}
	for _, g := range report.Groups {
		row := indicatorGroupRow{IndicatorGroup: g}
		for _, ind := range d.Scope.Indicators {
			if ind.Group == g.Code {
				row.Indicators = append(row.Indicators, ind)
			}
		}
		d.Groups = append(d.Groups, row)
	}
	if d.Agency == "" {
		for _, sc := range report.Agencies {
			as := agencyScore{Name: s.agencyName(sc.Agency, p.Lang), Score: sc, Rates: map[string]*float64{}}
			for _, ind := range sc.Indicators {
				as.Rates[ind.Code] = ind.Rate
			}
			d.ByAgency = append(d.ByAgency, as)
		}
	}
	d.Rates = ratesChart(p, d.Scope.Indicators)

	r := p.api(apiCall{method: "GET", path: "/api/v1/stats/roadmap"})
	if !r.ok() {
		p.apiFail(r.err(), r.status)
		return
	}
	if err := r.decode(&d.Roadmap); err != nil {
		p.fail(err.Error())
		return
	}
	all := s.cfg.Catalog.All()
	for y := 2013; y <= now.Year(); y++ {
		day := fmt.Sprintf("%d-12-31", y)
		if y == now.Year() {
			day = now.Format(time.DateOnly)
		}
		d.Years = append(d.Years, procedures.CountLevels(all, day))
	}
	d.Levels = levelsChart(p, d.Years)
	d.JSONURL = "/api/v1/stats/indicators?" + v.Encode()
	d.CSVURL = d.JSONURL + "&format=csv"
	d.DictURL = "/api/v1/stats/indicators/dictionary"
	d.RoadURL = "/api/v1/stats/roadmap"
	p.Title = p.T("ind.title")
	p.Data = d
	p.render("indicators")
}

// ratesChart draws the computed indicators' rates as horizontal bars.
func ratesChart(p *page, scores []motcua.IndicatorScore) hbarChart {
	c := hbarChart{ID: "chart-rates", Title: p.T("ind.chart_rates"), Desc: p.T("ind.chart_rates_desc"), Width: 720}
	const left, right, row, top = 60.0, 70.0, 34.0, 8.0
	plot := c.Width - left - right
	y := top
	for _, s := range scores {
		if !s.Computed {
			continue
		}
		b := hbar{Label: s.Code, Value: pct(s.Rate), Y: y, H: row * 0.6, BarX: left, LabelX: left - 8, LabelY: y + row*0.45}
		if s.Rate != nil {
			b.W = plot * *s.Rate
		}
		b.ValueX, b.ValueY = left+b.W+6, b.LabelY
		c.Bars = append(c.Bars, b)
		y += row
	}
	c.Height = y + 24
	for _, t := range []float64{0, 0.5, 1} {
		c.Ticks = append(c.Ticks, axisLabel{X: left + plot*t, Y: c.Height - 6, Text: strconv.Itoa(int(t*100)) + "%"})
	}
	return c
}

// levelsChart stacks, per year's end, the procedures at levels 1–2, 3 and 4.
func levelsChart(p *page, years []procedures.RoadmapCount) chart {
	c := chart{ID: "chart-levels", Title: p.T("ind.chart_levels"), Desc: p.T("ind.chart_levels_desc"), Width: 720, Height: 260}
	const left, bottom, top = 20.0, 30.0, 44.0 // the legend above the tallest bar's label
	plotH := c.Height - bottom - top
	most := 1
	for _, y := range years {
		most = max(most, y.Offered)
	}
	slot := (c.Width - left) / float64(max(len(years), 1))
	base := c.Height - bottom
	for i, y := range years {
		x := left + float64(i)*slot + slot*0.15
		w := slot * 0.7
		at := base
		for _, part := range []struct {
			n     int
			class string
		}{{y.Levels[0] + y.Levels[1], "bar-l2"}, {y.Levels[2], "bar-l3"}, {y.Levels[3], "bar-l4"}} {
			h := plotH * float64(part.n) / float64(most)
			c.Bars = append(c.Bars, bar{X: x, Y: at - h, W: w, H: h, Class: part.class})
			at -= h
		}
		c.Bars[len(c.Bars)-1].Label = strconv.Itoa(y.Offered)
		c.Bars[len(c.Bars)-1].LX, c.Bars[len(c.Bars)-1].LY = x+w/2, at-4
		c.Axis = append(c.Axis, axisLabel{X: x + w/2, Y: c.Height - 10, Text: "'" + y.On[2:4]})
	}
	c.Legend = []legendItem{{Class: "bar-l2", Text: p.T("ind.level12"), X: left}, {Class: "bar-l3", Text: p.T("ind.level3"), X: left + 160},
		{Class: "bar-l4", Text: p.T("ind.level4"), X: left + 320}}
	return c
}
