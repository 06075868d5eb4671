package e2e

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/procedures"
)

// The Decision 766 indicators and the roadmap through HTTP: a case
// submitted online and withdrawn with a dissatisfied rating, a case filed
// at the counter and left open; the indicators count them for the
// province and the agency, bad parameters are refused in the reader's
// language, and the open data names no one.
func TestIndicatorsAndRoadmapOverHTTP(t *testing.T) {
	e := newEnv(t)
	owner := e.citizen("079201001234")
	online := e.submit(owner, business, motcua.DeliveryCounter)
	e.actOK(owner, online.Code, motcua.ActionWithdraw, map[string]any{"reason": "Không còn nhu cầu"})
	e.must(e.call("PUT", "/api/v1/cases/"+online.Code+"/rating", owner, rating(2)), 201)
	other := e.submit(e.citizen("001099000001"), business, motcua.DeliveryCounter)

	year := strconv.Itoa(time.Now().In(time.FixedZone("ICT", 7*3600)).Year())
	var report motcua.IndicatorReport
	e.must(e.call("GET", "/api/v1/stats/indicators?period="+year, "", nil), 200).json(&report)
	if report.Province == nil || len(report.Agencies) != 1 || report.Agencies[0].Agency != online.Agency {
		t.Fatalf("report: %+v", report)
	}
	rate := func(sc motcua.IndicatorScope, code string) (int64, int64, bool) {
		for _, s := range sc.Indicators {
			if s.Code == code {
				return s.Numerator, s.Denominator, s.Rate != nil
			}
		}
		t.Fatalf("no indicator %s", code)
		return 0, 0, false
	}
	offered := procedures.CountLevels(e.catalog.All(), time.Now().In(time.FixedZone("ICT", 7*3600)).Format(time.DateOnly))
	for _, tt := range []struct {
		code     string
		num, den int64
		scored   bool
	}{
		{"2.1", 0, 0, false}, // nothing resolved
		{"4.1", int64(offered.Level34), int64(offered.Offered), true},
		{"4.2", 1, int64(offered.Level34), true}, // the business registration was used online
		{"4.3", 2, 2, true},                      // both submitted online by citizens
		{"4.4", 0, 0, false},                     // nothing paid
		{"5.3", 0, 1, true},                      // the one ended case was rated 2: dissatisfied
		{"1.1", 0, 0, false},
	} {
		num, den, scored := rate(*report.Province, tt.code)
		if num != tt.num || den != tt.den || scored != tt.scored {
			t.Errorf("province %s = %d/%d (scored %v), want %d/%d (%v)", tt.code, num, den, scored, tt.num, tt.den, tt.scored)
		}
	}
	var one motcua.IndicatorReport
	e.must(e.call("GET", "/api/v1/stats/indicators?period="+year+"&agency="+online.Agency, "", nil), 200).json(&one)
	if one.Province != nil || len(one.Agencies) != 1 {
		t.Fatalf("one agency: %+v", one)
	}
	if num, den, _ := rate(one.Agencies[0], "4.3"); num != 2 || den != 2 {
		t.Errorf("agency 4.3 = %d/%d, want 2/2", num, den)
	}

	csv := e.must(e.call("GET", "/api/v1/stats/indicators?period="+year+"&format=csv", "", nil), 200)
	if !strings.HasPrefix(string(csv.body), "period,agency,group,indicator,") || strings.Count(string(csv.body), "\n") != 1+2*len(motcua.Indicators) {
		t.Errorf("CSV: %s", csv.body)
	}
	for _, personal := range []string{"079201001234", "001099000001", online.Code, other.Code, "nhiệt tình"} {
		if strings.Contains(string(csv.body), personal) {
			t.Errorf("the indicators' CSV shows %q", personal)
		}
	}

	var refusal struct {
		Error motcua.Error `json:"error"`
	}
	bad := e.call("GET", "/api/v1/stats/indicators?period=2026-Q5", "", nil, "Accept-Language", "en")
	bad.json(&refusal)
	if bad.status != 422 || !strings.Contains(refusal.Error.Fields["period"], "YYYY-Qn") || !strings.Contains(refusal.Error.Fields["period"], "quarter") {
		t.Errorf("a bad period: %d %s", bad.status, bad.body)
	}
	if got := e.call("GET", "/api/v1/stats/indicators?agency=SO-MA", "", nil); got.status != 404 || !strings.Contains(string(got.body), "Không có cơ quan này.") {
		t.Errorf("an unknown agency: %d %s", got.status, got.body)
	}

	var road procedures.Roadmap
	e.must(e.call("GET", "/api/v1/stats/roadmap?on=2014-12-31", "", nil), 200).json(&road)
	if road.On != "2014-12-31" || road.Offered != 42 || road.Level34 != 42 || road.Full != 42 || len(road.Targets) != 6 {
		t.Errorf("roadmap at the end of 2014: %+v", road)
	}
	rcsv := e.must(e.call("GET", "/api/v1/stats/roadmap?on=2014-12-31&format=csv", "", nil), 200)
	if !strings.Contains(string(rcsv.body), "2014-12-31,level_3_4,,,42,2014-12-31,,") {
		t.Errorf("roadmap CSV: %s", rcsv.body)
	}
	if got := e.call("GET", "/api/v1/stats/roadmap?on=31/12/2014", "", nil); got.status != 422 {
		t.Errorf("a bad date: %d %s", got.status, got.body)
	}
	var dict struct {
		Indicators []motcua.Indicator `json:"indicators"`
	}
	e.must(e.call("GET", "/api/v1/stats/indicators/dictionary", "", nil), 200).json(&dict)
	if len(dict.Indicators) != len(motcua.Indicators) {
		t.Errorf("dictionary lists %d indicators", len(dict.Indicators))
	}
}
