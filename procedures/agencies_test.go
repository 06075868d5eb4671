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

var vietnam = time.FixedZone("ICT", 7*60*60)

func day(s string) time.Time {
	t, err := time.ParseInLocation(time.DateOnly, s, vietnam)
	if err != nil {
		panic(err)
	}
	return t
}

func TestDefaultAgencies(t *testing.T) {
	reg := procedures.DefaultAgencies()
	all := reg.All()
	if !slices.IsSortedFunc(all, func(a, b *procedures.Agency) int { return strings.Compare(a.Code, b.Code) }) {
		t.Error("All() is not sorted by code")
	}

	districts := []string{
		"UBND-TAMKY", "UBND-HOIAN", "UBND-DIENBAN", "UBND-DUYXUYEN", "UBND-DAILOC", "UBND-QUESON",
		"UBND-NONGSON", "UBND-THANGBINH", "UBND-HIEPDUC", "UBND-TIENPHUOC", "UBND-PHUNINH", "UBND-NUITHANH",
		"UBND-BACTRAMY", "UBND-NAMTRAMY", "UBND-PHUOCSON", "UBND-NAMGIANG", "UBND-DONGGIANG", "UBND-TAYGIANG",
	}
	for _, code := range districts {
		a, ok := reg.Get(code)
		if !ok {
			t.Errorf("district %s is missing", code)
			continue
		}
		if a.Tier != motcua.TierDistrict || a.Parent != "UBND-QUANGNAM" || !a.Active(day("2013-06-01")) {
			t.Errorf("%s: tier %s, parent %s, active in 2013 %v", code, a.Tier, a.Parent, a.Active(day("2013-06-01")))
		}
	}
	var n int
	for _, a := range all {
		if a.Tier == motcua.TierDistrict {
			n++
		}
	}
	if n != 18 {
		t.Errorf("%d districts, want the seed's 18", n)
	}

	// Every agency the seed names as lead (section II.2.b) and Article 2.
	seed := []string{"SKHDT", "SXD", "SYT", "SLDTBXH", "SGTVT", "TTT", "CAT", "STNMT", "STP", "STTTT",
		"SCT", "SGDDT", "SNV", "STC", "SKHCN", "UBND-QUANGNAM", "TTPVHCC"}
	for _, code := range seed {
		a, ok := reg.Get(code)
		if !ok {
			t.Errorf("%s is missing", code)
		} else if a.Name == "" || a.NameEn == "" {
			t.Errorf("%s has no name", code)
		}
	}
}

func TestCurrent(t *testing.T) {
	reg := procedures.DefaultAgencies()
	tests := []struct {
		code string
		at   string
		want string // "" for nil
	}{
		{"SKHDT", "2013-06-01", "SKHDT"},
		{"SKHDT", "2025-02-28", "SKHDT"},
		{"SKHDT", "2025-03-01", "STC"},
		{"SKHDT", "2025-07-01", "DN-STC"},
		{"STNMT", "2025-04-01", "SNNMT"},
		{"SNNPTNT", "2026-01-01", "DN-SNNMT"},
		{"SGTVT", "2026-01-01", "DN-SXD"},
		{"STTTT", "2026-01-01", "DN-SKHCN"},
		{"SLDTBXH", "2026-01-01", "DN-SNV"},
		{"CAT", "2026-01-01", "DN-CATP"},
		{"UBND-NONGSON", "2025-01-01", "UBND-QUESON"},
		{"UBND-NONGSON", "2025-07-01", ""}, // the district it joined was abolished too
		{"UBND-TAMKY", "2024-01-01", "UBND-TAMKY"},
		{"UBND-TAMKY", "2025-07-01", ""},
		{"SNNMT", "2024-01-01", ""}, // did not exist yet
		{"KHONG-CO", "2024-01-01", ""},
	}
	for _, tt := range tests {
		got := reg.Current(tt.code, day(tt.at))
		var code string
		if got != nil {
			code = got.Code
		}
		if code != tt.want {
			t.Errorf("Current(%s, %s) = %q, want %q", tt.code, tt.at, code, tt.want)
		}
	}
}

func TestActive(t *testing.T) {
	a, _ := procedures.DefaultAgencies().Get("SKHDT")
	lastMinute := day("2025-03-01").Add(-time.Minute)
	if !a.Active(lastMinute) {
		t.Error("inactive during its last day")
	}
	// Midnight in Viet Nam is 17:00 UTC the day before.
	if a.Active(time.Date(2025, 2, 28, 17, 0, 0, 0, time.UTC)) {
		t.Error("active after midnight of its last day, Viet Nam time")
	}
	if a.Active(day("2012-12-31")) {
		t.Error("active before valid_from")
	}
	open, _ := procedures.DefaultAgencies().Get("UBND-DANANG")
	if !open.Active(day("2040-01-01")) || open.ValidTo != nil {
		t.Error("an agency without valid_to is not open-ended")
	}
}

func TestLoadAgenciesProblems(t *testing.T) {
	registry := `
- {code: A, name: Cơ quan A, name_en: Agency A, tier: province, valid_from: 2013-01-01}
- {code: b, name: Cơ quan B, name_en: Agency B, tier: province, valid_from: 2013-01-01}
- {code: C, name: "", name_en: Agency C, tier: city, valid_from: 2013-01-01}
- {code: D, name: Cơ quan D, name_en: Agency D, tier: province, parent: X, valid_from: 2013-01-01}
- {code: E, name: Cơ quan E, name_en: Agency E, tier: province, valid_from: 2013-01-01, successor: A}
- {code: F, name: Cơ quan F, name_en: Agency F, tier: province, valid_from: 2013-01-01, valid_to: 2014-01-01, successor: G}
- {code: G, name: Cơ quan G, name_en: Agency G, tier: province, valid_from: 2013-01-01, valid_to: 2014-01-01, successor: F}
- {code: H, name: Cơ quan H, name_en: Agency H, tier: province, valid_from: 1/1/2013}
- {code: I, name: Cơ quan I, name_en: Agency I, tier: province, valid_from: 2013-01-01, valid_to: 2012-01-01}
- {code: A, name: Cơ quan A, name_en: Agency A, tier: province, valid_from: 2013-01-01}
- {code: J, name: Cơ quan J, name_en: Agency J, tier: province, valid_from: 2013-01-01, valid_to: 2014-01-01, successor: Z}
`
	reg, err := procedures.LoadAgencies(strings.NewReader(registry))
	if reg != nil {
		t.Error("a broken registry was returned")
	}
	var ps procedures.Problems
	if !errors.As(err, &ps) {
		t.Fatalf("error %v is not Problems", err)
	}
	want := []string{"b.code", "C.name", "C.tier", "D.parent", "E.successor", "F.successor", "G.successor",
		"H.valid_from", "I.valid_to", "A.code", "J.successor"}
	got := fields(ps)
	for _, f := range want {
		if !slices.Contains(got, f) {
			t.Errorf("no problem at %s; got %v", f, ps)
		}
	}
	if _, err := procedures.LoadAgencies(strings.NewReader("- {code: A, colour: red}\n")); err == nil {
		t.Error("an unknown key was accepted")
	}
	if _, err := procedures.LoadAgencies(strings.NewReader("")); err == nil {
		t.Error("an empty registry was accepted")
	}
}

func TestDefinitionsMayNameEndedAgencies(t *testing.T) {
	// SKHDT ended in 2025; the 2013 catalogue still names it as lead.
	c := mustEmbedded(t)
	p, _ := c.Get("dang-ky-thanh-lap-doanh-nghiep")
	a, _ := c.Agencies().Get(p.Agencies[0])
	if a.Active(day("2026-01-01")) {
		t.Errorf("%s is still active in 2026", a.Code)
	}
	if now := c.Agencies().Current(a.Code, day("2026-01-01")); now == nil || now.Code != "DN-STC" {
		t.Errorf("business registration now belongs to %v, want DN-STC", now)
	}
}
