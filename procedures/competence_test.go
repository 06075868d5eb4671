package procedures_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/procedures"
)

func agencyCodes(ags []*procedures.Agency) []string {
	out := make([]string, len(ags))
	for i, a := range ags {
		out[i] = a.Code
	}
	return out
}

func embedded(t *testing.T) *procedures.Catalog {
	t.Helper()
	c, err := procedures.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// A department merged on 1 March 2025: a case filed on 28 February goes to
// the old department, one filed on 2 March to the new one, one filed after
// 1 July 2025 to the department of Đà Nẵng.
func TestCompetentFollowsMergers(t *testing.T) {
	c := embedded(t)
	for _, tc := range []struct {
		day  string
		want []string
	}{
		{"2025-02-28", []string{"SKHDT"}},
		{"2025-03-02", []string{"STC"}},
		{"2025-06-30", []string{"STC"}},
		{"2025-07-01", []string{"DN-STC"}},
		{"2026-11-27", []string{"DN-STC"}},
	} {
		if got := agencyCodes(c.Competent("dang-ky-thanh-lap-doanh-nghiep", day(tc.day))); !slices.Equal(got, tc.want) {
			t.Errorf("%s: competent %v, want %v", tc.day, got, tc.want)
		}
	}
	if got := c.Competent("khong-co-thu-tuc-nay", day("2026-11-27")); got != nil {
		t.Errorf("unknown procedure: %v", agencyCodes(got))
	}
}

// A transfer split by procedure: criminal-record certificates went to the
// police on 1 March 2025; the rest of the Department of Justice did not
// move, and the police's own procedures stayed where they were.
func TestCompetentSplitTransfer(t *testing.T) {
	c := embedded(t)
	reg := c.Agencies()
	notarise := &motcua.Procedure{Code: "chung-thuc-ban-sao", Field: "Chứng thực", Agencies: []string{"STP"}}
	for _, tc := range []struct {
		day              string
		lltp, stp, tamtr string
	}{
		{"2025-02-28", "STP", "STP", "CAT"},
		{"2025-03-02", "CAT", "STP", "CAT"},
		{"2026-11-27", "DN-CATP", "DN-STP", ""}, // the police of the ward or commune: below
	} {
		d := day(tc.day)
		if got := agencyCodes(c.Competent("cap-phieu-ly-lich-tu-phap", d)); !slices.Equal(got, []string{tc.lltp}) {
			t.Errorf("%s: criminal records at %v, want %s", tc.day, got, tc.lltp)
		}
		if got := agencyCodes(reg.Competent(notarise, d)); !slices.Equal(got, []string{tc.stp}) {
			t.Errorf("%s: another Justice procedure at %v, want %s", tc.day, got, tc.stp)
		}
		if got := agencyCodes(c.Competent("dang-ky-tam-tru", d)); tc.tamtr != "" && !slices.Equal(got, []string{tc.tamtr}) {
			t.Errorf("%s: temporary residence at %v, want %s", tc.day, got, tc.tamtr)
		}
	}
	// Since the merger, residence goes to the police of the ward or
	// commune (Luật Cư trú 2020, Điều 2 khoản 4) that the address names.
	police := c.Competent("dang-ky-tam-tru", day("2026-11-27"))
	if len(police) != 78 || slices.ContainsFunc(police, func(a *procedures.Agency) bool { return !strings.HasPrefix(a.Code, "DN-CA-") }) {
		t.Errorf("temporary residence on 27 Nov 2026 at %d agencies: %v", len(police), agencyCodes(police))
	}
	if got := reg.Serving("Kiệt 24 đường Trần Cao Vân, Phường Minh An, Thành phố Hội An", police); got == nil || got.Code != "DN-CA-HOIAN" {
		t.Errorf("temporary residence in the former Minh An ward: %v, want DN-CA-HOIAN", got)
	}
	// Split by field: press went to Culture, post to Science and Technology,
	// both from Information and Communications.
	d := day("2025-03-02")
	if got := agencyCodes(c.Competent("thong-bao-to-chuc-hop-bao", d)); !slices.Equal(got, []string{"SVHTTDL"}) {
		t.Errorf("press conference notice on 2 March 2025 at %v, want SVHTTDL", got)
	}
	if got := agencyCodes(c.Competent("cap-giay-phep-buu-chinh", d)); !slices.Equal(got, []string{"SKHCN"}) {
		t.Errorf("postal licence on 2 March 2025 at %v, want SKHCN", got)
	}
	// Driving licences: both listed agencies before, the police alone after.
	if got := agencyCodes(c.Competent("doi-giay-phep-lai-xe", day("2025-02-28"))); !slices.Equal(got, []string{"CAT", "SGTVT"}) {
		t.Errorf("driving licence on 28 Feb 2025 at %v", got)
	}
	if got := agencyCodes(c.Competent("doi-giay-phep-lai-xe", d)); !slices.Equal(got, []string{"CAT"}) {
		t.Errorf("driving licence on 2 March 2025 at %v", got)
	}
}

// A district procedure filed after 1 July 2025 goes to a ward or commune
// of Đà Nẵng; the applicant picks it.
func TestCompetentFormerDistrictProcedure(t *testing.T) {
	c := embedded(t)
	reg := c.Agencies()
	p, _ := c.Get("dang-ky-thanh-lap-ho-kinh-doanh")
	before := c.Competent(p.Code, day("2025-06-30"))
	if len(before) != 17 || slices.ContainsFunc(before, func(a *procedures.Agency) bool { return a.Tier != motcua.TierDistrict }) {
		t.Errorf("on 30 June 2025: %v, want the 17 districts (Nông Sơn merged into Quế Sơn)", agencyCodes(before))
	}
	now := day("2026-11-27")
	after := c.Competent(p.Code, now)
	if len(after) != 78 {
		t.Errorf("on 27 Nov 2026: %d competent, want the 78 wards and communes of the former Quảng Nam", len(after))
	}
	for _, a := range after {
		if a.Tier != motcua.TierCommune || a.Parent != "UBND-DANANG" || !a.Active(now) {
			t.Errorf("%s (%s, parent %s) is not a commune of Đà Nẵng", a.Code, a.Tier, a.Parent)
		}
	}
	// Without a choice nobody is picked; a commune is taken; a former
	// district is ambiguous (its four wards).
	if ag, choices := reg.Route(p, "", now); ag != nil || len(choices) != 78 {
		t.Errorf("no choice: routed to %v with %d choices", ag, len(choices))
	}
	if ag, _ := reg.Route(p, "DN-PH-BANTHACH", now); ag == nil || ag.Code != "DN-PH-BANTHACH" {
		t.Errorf("Bàn Thạch ward chosen: routed to %v", ag)
	}
	if ag, _ := reg.Route(p, "UBND-TAMKY", now); ag != nil {
		t.Errorf("Tam Kỳ (abolished, four wards) chosen: routed to %s", ag.Code)
	}
	if got := agencyCodes(reg.Holders("UBND-TAMKY", now)); !slices.Equal(got, []string{"DN-PH-BANTHACH", "DN-PH-HUONGTRA", "DN-PH-QUANGPHU", "DN-PH-TAMKY"}) {
		t.Errorf("Tam Kỳ's holders: %v", got)
	}
	// Nông Sơn went to Quế Sơn, whose territory went to five communes.
	if got := agencyCodes(reg.Holders("UBND-NONGSON", now)); !slices.Equal(got, []string{"DN-XA-NONGSON", "DN-XA-QUEPHUOC", "DN-XA-QUESON", "DN-XA-QUESONTRUNG", "DN-XA-XUANPHU"}) {
		t.Errorf("Nông Sơn's holders: %v", got)
	}
	// A district chosen before the reform is its own holder.
	if ag, _ := reg.Route(p, "UBND-TAMKY", day("2025-06-30")); ag == nil || ag.Code != "UBND-TAMKY" {
		t.Errorf("Tam Kỳ on 30 June 2025: routed to %v", ag)
	}
}

func TestRoute(t *testing.T) {
	c := embedded(t)
	reg := c.Agencies()
	p, _ := c.Get("cap-phieu-ly-lich-tu-phap")
	d := day("2025-03-02")
	for _, tc := range []struct{ requested, want string }{
		{"", "CAT"},
		{"CAT", "CAT"},
		{"STP", "CAT"}, // the definition's agency before the transfer: a form written before it
		{"SXD", ""},    // never competent
		{"UBND-TAMKY", ""},
	} {
		ag, choices := reg.Route(p, tc.requested, d)
		got := ""
		if ag != nil {
			got = ag.Code
		}
		if got != tc.want || !slices.Equal(agencyCodes(choices), []string{"CAT"}) {
			t.Errorf("requested %q: routed to %q (choices %v), want %q", tc.requested, got, agencyCodes(choices), tc.want)
		}
	}
	// The old department, chosen after the merger, leads to the new one.
	biz, _ := c.Get("dang-ky-thanh-lap-doanh-nghiep")
	if ag, _ := reg.Route(biz, "SKHDT", day("2026-11-27")); ag == nil || ag.Code != "DN-STC" {
		t.Errorf("SKHDT in 2026: routed to %v", ag)
	}
}

// Every procedure has somebody competent on every day we know of, and
// every competence entry names a procedure or field of the catalogue.
func TestCompetenceCoversCatalogue(t *testing.T) {
	c := embedded(t)
	for _, d := range []string{"2024-06-01", "2025-01-01", "2025-02-28", "2025-03-01", "2025-06-30", "2025-07-01", "2026-11-27"} {
		for _, p := range c.All() {
			if len(c.Competent(p.Code, day(d))) == 0 {
				t.Errorf("%s: nobody is competent for %s (agencies %v)", d, p.Code, p.Agencies)
			}
		}
	}
	fields := map[string]bool{}
	for _, p := range c.All() {
		fields[p.Field] = true
	}
	entries := c.Agencies().Competence().All()
	if len(entries) == 0 {
		t.Fatal("the embedded competence table is empty")
	}
	for _, e := range entries {
		if _, ok := c.Get(e.Procedure); e.Procedure != "" && !ok {
			t.Errorf("competence.yaml names unknown procedure %s", e.Procedure)
		}
		if e.Field != "" && !fields[e.Field] {
			t.Errorf("competence.yaml names field %q, which no procedure has", e.Field)
		}
		if e.Basis == "" {
			t.Errorf("%s%s: no legal basis", e.Procedure, e.Field)
		}
	}
}

func TestLoadCompetenceProblems(t *testing.T) {
	reg := procedures.DefaultAgencies()
	src := `
- procedure: cap-phieu-ly-lich-tu-phap
  from: 2025-03-01
  agencies: [CAT]
  basis: "NĐ 02/2025"
- procedure: cap-phieu-ly-lich-tu-phap
  from: 2025-06-01
  to: 2025-05-01
  agencies: [NOPE, DN-CATP]
- field: Báo chí
  procedure: thong-bao-to-chuc-hop-bao
  from: 2025-07-01
  tier: commune
  basis: x
- field: Đường bộ
  from: 1/3/2025
  basis: x
`
	_, err := procedures.LoadCompetence(strings.NewReader(src), reg)
	var ps procedures.Problems
	if !errors.As(err, &ps) {
		t.Fatalf("want problems, got %v", err)
	}
	want := map[string]string{
		"cap-phieu-ly-lich-tu-phap@2025-03-01.agencies.0":       "CAT ends on 2025-06-30",
		"cap-phieu-ly-lich-tu-phap@2025-06-01.to":               "before from",
		"cap-phieu-ly-lich-tu-phap@2025-06-01.basis":            "basis is required",
		"cap-phieu-ly-lich-tu-phap@2025-06-01.agencies.0":       `unknown agency "NOPE"`,
		"thong-bao-to-chuc-hop-baoBáo chí@2025-07-01.procedure": "not both",
		"thong-bao-to-chuc-hop-baoBáo chí@2025-07-01.parent":    "unknown parent",
		"Đường bộ@1/3/2025.from":                                "must be a date",
		"Đường bộ@1/3/2025.agencies":                            "give the competent agencies",
	}
	for field, msg := range want {
		if !slices.ContainsFunc(ps, func(p procedures.Problem) bool {
			return p.File == "competence.yaml" && p.Field == field && strings.Contains(p.Message, msg)
		}) {
			t.Errorf("no problem %s: %q in\n%v", field, msg, ps)
		}
	}

	overlapping := `
- procedure: cap-phieu-ly-lich-tu-phap
  from: 2025-03-01
  to: 2025-06-30
  agencies: [CAT]
  basis: x
- procedure: cap-phieu-ly-lich-tu-phap
  from: 2025-06-01
  to: 2025-06-30
  agencies: [STP]
  basis: x
`
	_, err = procedures.LoadCompetence(strings.NewReader(overlapping), reg)
	if err == nil || !strings.Contains(err.Error(), "cap-phieu-ly-lich-tu-phap@2025-06-01.from: overlaps the entry from 2025-03-01") {
		t.Errorf("overlap not reported: %v", err)
	}
}

func TestFormerDistrictChecked(t *testing.T) {
	src := `
- {code: UBND-A, name: A, name_en: A, tier: district, valid_from: 2013-01-01, valid_to: 2025-06-30}
- {code: UBND-B, name: B, name_en: B, tier: district, valid_from: 2013-01-01, valid_to: 2025-06-30, successor: UBND-C}
- {code: UBND-C, name: C, name_en: C, tier: province, valid_from: 2025-07-01}
- {code: XA-1, name: X1, name_en: X1, tier: commune, valid_from: 2025-07-01, former_district: UBND-B}
- {code: XA-2, name: X2, name_en: X2, tier: commune, valid_from: 2025-08-01, former_district: UBND-A}
- {code: XA-3, name: X3, name_en: X3, tier: commune, valid_from: 2025-07-01, former_district: UBND-C}
- {code: XA-4, name: X4, name_en: X4, tier: commune, valid_from: 2025-07-01, former_district: UBND-Z}
`
	_, err := procedures.LoadAgencies(strings.NewReader(src))
	if err == nil {
		t.Fatal("no problem reported")
	}
	for _, want := range []string{
		"XA-1.former_district: UBND-B has a successor",
		"XA-2.former_district: UBND-A must end the day before XA-2 begins",
		"XA-3.former_district: UBND-C is not a district",
		"XA-4.former_district: unknown agency UBND-Z",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in\n%v", want, err)
		}
	}
}

// Officers of the new units can sign in: the registry has them, valid from
// the day they began.
func TestDaNangMap2025(t *testing.T) {
	reg := procedures.DefaultAgencies()
	for _, code := range []string{"DN-SVHTTDL", "DN-STC", "DN-CATP", "DN-PH-TAMKY", "DN-XA-TAMHAI", "DN-XA-HUNGSON"} {
		a, ok := reg.Get(code)
		if !ok {
			t.Errorf("%s is missing", code)
			continue
		}
		if a.Active(day("2025-06-30")) || !a.Active(day("2025-07-01")) || !a.Active(time.Now()) {
			t.Errorf("%s: not valid from 1 July 2025 exactly", code)
		}
	}
	districts := map[string]int{}
	for _, a := range reg.All() {
		if a.FormerDistrict != "" {
			districts[a.FormerDistrict]++
		}
	}
	// 17 districts (Nông Sơn was part of Quế Sơn by then).
	if len(districts) != 17 {
		t.Errorf("communes replace %d districts, want 17: %v", len(districts), districts)
	}
}
