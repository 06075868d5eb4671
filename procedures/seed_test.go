package procedures_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/procedures"
	"golang.org/x/text/unicode/norm"
)

// notInSeed are definitions that implement no row of the seed's priority
// table: a level-2 information page added for the portal, the second
// instance of a complaint (filed from the first, Luật Khiếu nại Điều 33)
// and feedback on how a case was served (the seed's Article 2.1 asks
// agencies to take it in, not as a listed service).
var notInSeed = []string{"cung-cap-thong-tin-quy-hoach", "giai-quyet-khieu-nai-lan-hai", "phan-anh-kien-nghi"}

func TestSeed(t *testing.T) {
	s := procedures.Seed()
	if s.Districts != 18 || s.Communes != 244 {
		t.Errorf("districts, communes = %d, %d; the seed says 18, 244", s.Districts, s.Communes)
	}
	p := s.Procedures
	if p.Total != 2639 || p.Province != 2050 || p.District != 435 || p.Commune != 154 {
		t.Errorf("procedures = %+v; the seed says 2,639 = 2,050 + 435 + 154", p)
	}
	if p.Province+p.District+p.Commune != p.Total {
		t.Errorf("procedures by tier add up to %d, not %d", p.Province+p.District+p.Commune, p.Total)
	}
	r := s.Roadmap
	if r.Level34By2015 != 100 || r.Level34By2020 != 1000 {
		t.Errorf("roadmap = %d by 2015, %d by 2020; the seed says 100 and 1,000", r.Level34By2015, r.Level34By2020)
	}
	var services int
	var budget int64
	for _, y := range r.Rollout {
		services += y.Services
		budget += y.BudgetVND
	}
	if services != r.Level34By2015 {
		t.Errorf("the yearly rollout adds up to %d services, want the %d planned by 2015", services, r.Level34By2015)
	}
	if budget != r.BudgetTotalVND || budget != 3_000_000_000 {
		t.Errorf("the yearly budgets add up to %d, total %d; the seed says 3,000,000,000", budget, r.BudgetTotalVND)
	}

	want := map[int]int{2013: 10, 2014: 28, 2015: 12}
	if !mapsEqual(s.Priority.Counts, want) {
		t.Errorf("priority counts = %v, want %v (MISSION.md and the table)", s.Priority.Counts, want)
	}
	perYear := map[int]int{}
	for _, row := range s.Priority.Rows {
		perYear[row.Year]++
		if row.No != perYear[row.Year] {
			t.Errorf("%d row %d is out of order (want no. %d)", row.Year, row.No, perYear[row.Year])
		}
		if len(row.Levels) == 0 || slices.ContainsFunc(row.Levels, func(l int) bool { return l < 3 || l > 4 }) {
			t.Errorf("%d no. %d: levels %v must be 3 and/or 4", row.Year, row.No, row.Levels)
		}
		if (row.Lead == "") != row.DistrictWide {
			t.Errorf("%d no. %d: a row has a lead agency or is district-wide, not both or neither", row.Year, row.No)
		}
	}
	if !mapsEqual(perYear, s.Priority.Counts) {
		t.Errorf("rows per year = %v, counts say %v", perYear, s.Priority.Counts)
	}

	// Seed returns a copy.
	s.Priority.Rows[0].Codes[0] = "sua-doi"
	s.Priority.Counts[2013] = 0
	if again := procedures.Seed(); again.Priority.Rows[0].Codes[0] == "sua-doi" || again.Priority.Counts[2013] != 10 {
		t.Error("changing the result of Seed changed the embedded facts")
	}
}

func mapsEqual(a, b map[int]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// seedText reads the seed from shared/, which sits beside the repository; the
// test is skipped where it is absent. The seed mixes precomposed and combining
// diacritics; it is normalised to NFC like the YAML files.
func seedText(t *testing.T) string {
	t.Helper()
	path := filepath.Join("..", "..", "shared", "seed", procedures.Seed().Source)
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		t.Skipf("the seed text is not at %s", path)
	}
	if err != nil {
		t.Fatal(err)
	}
	return norm.NFC.String(string(data))
}

// vnNumber writes n as the seed does: 2639 → "2.639".
func vnNumber(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "." + s[i:]
	}
	return s
}

type tableRow struct {
	year, no     int
	name, agency string
	levels       []int
}

var (
	digits   = regexp.MustCompile(`^[0-9]+$`)
	levelsRe = regexp.MustCompile(`[0-9]`)
)

// parseTable reads the priority table of section II.2.b: per row a number, a
// name on one or more lines, "Mức độ ...", the lead agency and an empty
// co-processing column.
func parseTable(t *testing.T, text string) []tableRow {
	t.Helper()
	start := strings.Index(text, "b) Danh mục các dịch vụ công trực tuyến")
	end := strings.Index(text, "3. Các bước/lộ trình")
	if start < 0 || end < start {
		t.Fatal("the priority table is not in the seed text")
	}
	var lines []string
	for _, l := range strings.Split(text[start:end], "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	var rows []tableRow
	var pending []string
	year := 0
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		switch {
		case l == "Năm 2013":
			year, pending = 2013, nil
		case l == "Năm 2014":
			year, pending = 2014, nil
		case strings.HasPrefix(l, "Đến năm 2015"):
			year, pending = 2015, nil
		case strings.HasPrefix(l, "Mức độ"):
			if year == 0 || len(pending) < 2 || !digits.MatchString(pending[0]) || i+1 >= len(lines) {
				t.Fatalf("cannot read the row before %q (pending %q)", l, pending)
			}
			no, _ := strconv.Atoi(pending[0])
			var levels []int
			for _, d := range levelsRe.FindAllString(l, -1) {
				n, _ := strconv.Atoi(d)
				levels = append(levels, n)
			}
			rows = append(rows, tableRow{year: year, no: no, name: strings.Join(pending[1:], " "), agency: lines[i+1], levels: levels})
			i++
			pending = nil
		default:
			pending = append(pending, l)
		}
	}
	return rows
}

func TestSeedMatchesText(t *testing.T) {
	text := seedText(t)
	s := procedures.Seed()
	p := s.Procedures
	for _, phrase := range []string{
		"Tổng số huyện, thành phố: " + vnNumber(s.Districts) + ".",
		"Tổng số xã, phường, thị trấn: " + vnNumber(s.Communes) + ".",
		"Tổng số thủ tục hành chính: " + vnNumber(p.Total) + ".",
		"Số thủ tục hành chính cấp tỉnh: " + vnNumber(p.Province) + ".",
		"Số thủ tục hành chính cấp huyện, thành phố: " + vnNumber(p.District) + ".",
		"Số thủ tục hành chính cấp xã, phường, thị trấn: " + vnNumber(p.Commune) + ".",
		"mức độ 3, 4 đến năm 2015: " + vnNumber(s.Roadmap.Level34By2015) + ".",
		"mức độ 3, 4 đến năm 2020: " + vnNumber(s.Roadmap.Level34By2020) + ".",
		"Tổng kinh phí dự kiến: " + vnNumber(int(s.Roadmap.BudgetTotalVND)) + "đ",
	} {
		if !strings.Contains(text, phrase) {
			t.Errorf("the seed text has no %q", phrase)
		}
	}
	for _, y := range s.Roadmap.Rollout {
		phrase := fmt.Sprintf("Từ tháng 01/%d đến tháng 12/%d: Thực hiện khoảng %d dịch vụ.", y.Year, y.Year, y.Services)
		budget := "Kinh phí xây dựng: " + vnNumber(int(y.BudgetVND)) + "đ"
		if !strings.Contains(text, phrase) || !strings.Contains(text, budget) {
			t.Errorf("the seed text has no %q or no %q", phrase, budget)
		}
	}

	table := parseTable(t, text)
	if len(table) != len(s.Priority.Rows) {
		t.Fatalf("the seed table has %d rows, seed.yaml %d", len(table), len(s.Priority.Rows))
	}
	counts := map[int]int{}
	for i, got := range table {
		counts[got.year]++
		row := s.Priority.Rows[i]
		if got.year != row.Year || got.no != row.No || got.name != row.Name || got.agency != row.Agency || !slices.Equal(got.levels, row.Levels) {
			t.Errorf("seed.yaml row %d = %d no. %d %q %v %q;\nthe seed says %d no. %d %q %v %q",
				i, row.Year, row.No, row.Name, row.Levels, row.Agency, got.year, got.no, got.name, got.levels, got.agency)
		}
	}
	if !mapsEqual(counts, s.Priority.Counts) {
		t.Errorf("the seed table has %v rows per year, seed.yaml counts %v", counts, s.Priority.Counts)
	}
}

func TestSeedMapsToCatalogue(t *testing.T) {
	c := mustEmbedded(t)
	s := procedures.Seed()
	reg := c.Agencies()
	var districts []string
	for _, a := range reg.All() {
		if a.Tier == motcua.TierDistrict {
			districts = append(districts, a.Code)
		}
	}
	if len(districts) != s.Districts {
		t.Errorf("the registry has %d districts, the seed %d", len(districts), s.Districts)
	}

	used := map[string]bool{}
	for _, row := range s.Priority.Rows {
		label := fmt.Sprintf("%d no. %d", row.Year, row.No)
		if len(row.Codes) == 0 {
			t.Errorf("%s (%s) maps to no definition", label, row.Name)
		}
		var ps []*motcua.Procedure
		for _, code := range row.Codes {
			used[code] = true
			p, ok := c.Get(code)
			if !ok {
				t.Errorf("%s maps to %s, which is not in the catalogue", label, code)
				continue
			}
			ps = append(ps, p)
			if p.Level < row.Level() {
				t.Errorf("%s is at level %d; the seed asks for %d (%s)", code, p.Level, row.Level(), label)
			}
			if row.DistrictWide {
				if p.Tier != motcua.TierDistrict {
					t.Errorf("%s implements the district row %s but its tier is %s", code, label, p.Tier)
				}
				for _, d := range districts {
					if !p.OffersAgency(d) {
						t.Errorf("%s implements the district row %s but %s does not offer it", code, label, d)
					}
				}
			}
		}
		if row.DistrictWide {
			continue
		}
		lead, ok := reg.Get(row.Lead)
		if !ok {
			t.Errorf("%s: lead %s is not in the registry", label, row.Lead)
			continue
		}
		if !strings.Contains(procedures.Fold(lead.Name), procedures.Fold(row.Agency)) {
			t.Errorf("%s: lead %s is %q, the seed names %q", label, row.Lead, lead.Name, row.Agency)
		}
		if !slices.ContainsFunc(ps, func(p *motcua.Procedure) bool { return p.OffersAgency(row.Lead) }) {
			t.Errorf("%s: none of %v is led by %s", label, row.Codes, row.Lead)
		}
	}

	others := map[string]bool{}
	for _, o := range s.Priority.Others {
		if !strings.Contains(procedures.Fold(seedText(t)), procedures.Fold(o.Name)) {
			t.Errorf("section %s of the seed does not name %q", o.Section, o.Name)
		}
		for _, code := range o.Codes {
			p, ok := c.Get(code)
			if !ok {
				t.Errorf("%q maps to %s, which is not in the catalogue", o.Name, code)
			} else if p.Level < 3 || p.Shape != motcua.ShapeStandard {
				t.Errorf("%s implements the seed's %q: it must take cases (level %d, shape %s)", code, o.Name, p.Level, p.Shape)
			}
			others[code] = true
		}
	}
	for _, p := range c.All() {
		rows := s.RowsFor(p.Code)
		if others[p.Code] {
			if len(rows) > 0 {
				t.Errorf("%s implements a priority beyond the table and %d rows of it", p.Code, len(rows))
			}
			continue
		}
		if slices.Contains(notInSeed, p.Code) {
			if len(rows) > 0 {
				t.Errorf("%s is listed as outside the seed but implements %d rows", p.Code, len(rows))
			}
			continue
		}
		if !used[p.Code] {
			t.Errorf("%s implements no row of the seed table", p.Code)
			continue
		}
		// A definition is at the highest level its rows name, and its
		// leading comment cites each row.
		final := 0
		for _, r := range rows {
			final = max(final, r.Level())
		}
		if p.Level != final {
			t.Errorf("%s is at level %d, its rows' final level is %d", p.Code, p.Level, final)
		}
		data, err := os.ReadFile("definitions/" + p.Code + ".yaml")
		if err != nil {
			t.Fatal(err)
		}
		var header strings.Builder
		for _, line := range strings.Split(string(data), "\n") {
			if !strings.HasPrefix(line, "#") {
				break
			}
			header.WriteString(line + "\n")
		}
		if !strings.HasPrefix(header.String(), "# Seed II.2.b, ") {
			t.Errorf("%s does not start with a comment citing its seed row", p.Code)
		}
		for _, r := range rows {
			if cite := fmt.Sprintf("%d no. %d", r.Year, r.No); !strings.Contains(header.String(), cite) {
				t.Errorf("%s's leading comment does not cite %s", p.Code, cite)
			}
		}
	}
}

// TestSeedNotes: a row whose definitions are not the procedure it names
// says why, and so does each definition (its notes quote the seed).
func TestSeedNotes(t *testing.T) {
	c := mustEmbedded(t)
	noted := 0
	for _, row := range procedures.Seed().Priority.Rows {
		if row.Note == "" {
			continue
		}
		noted++
		for _, code := range row.Codes {
			p, _ := c.Get(code)
			if p == nil || !slices.ContainsFunc(p.Info.Notes, func(n string) bool { return strings.Contains(n, "Seed") || strings.Contains(n, "kế hoạch") }) {
				t.Errorf("%d no. %d: %s's notes do not say how it differs from the seed", row.Year, row.No, code)
			}
		}
	}
	if noted != 3 {
		t.Errorf("%d rows carry a note, want 3 (2014 no. 15, 2015 no. 4 and 7)", noted)
	}
}

// TestSearchFindsEveryDefinition: a citizen typing a procedure's name without
// diacritics finds it.
func TestSearchFindsEveryDefinition(t *testing.T) {
	c := mustEmbedded(t)
	for _, p := range c.All() {
		t.Run(p.Code, func(t *testing.T) {
			q := procedures.Fold(p.Name.Vi)
			if got := codes(c.Search(procedures.Query{Text: q})); !slices.Contains(got, p.Code) {
				t.Errorf("Search(%q) = %v, want it to include %s", q, got, p.Code)
			}
		})
	}
	// The brief's own example.
	if got := codes(c.Search(procedures.Query{Text: "cap giay phep lai xe"})); !slices.Contains(got, "cap-lai-giay-phep-lai-xe") {
		t.Errorf(`Search("cap giay phep lai xe") = %v`, got)
	}
}
