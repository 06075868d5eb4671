package procedures_test

import (
	"fmt"
	"os"
	"slices"
	"testing"

	"github.com/motcua/motcua/procedures"
)

func TestFold(t *testing.T) {
	tests := map[string]string{
		"Đăng ký kinh doanh":       "dang ky kinh doanh",
		"ĐĂNG KÝ TẠM TRÚ":          "dang ky tam tru",
		"Phiếu lý lịch tư pháp":    "phieu ly lich tu phap",
		"Quảng Nam, Hội An":        "quang nam, hoi an",
		"Ưu tiên, ỡ ợ":             "uu tien, o o",
		"Construction permit 2020": "construction permit 2020",
	}
	for in, want := range tests {
		if got := procedures.Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
	// Text typed with combining marks (NFD) folds the same as precomposed.
	if got := procedures.Fold("Đa\u0306ng ky\u0301"); got != "dang ky" {
		t.Errorf("Fold of decomposed text = %q", got)
	}
}

// coreCodes are the first six definitions. TestSearch runs on a catalogue of
// just these files, so its exact expectations do not change each time a
// definition is added to the embedded catalogue.
var coreCodes = []string{
	"cap-giay-phep-xay-dung",
	"cap-phieu-ly-lich-tu-phap",
	"cung-cap-thong-tin-quy-hoach",
	"dang-ky-tam-tru",
	"dang-ky-thanh-lap-doanh-nghiep",
	"giai-quyet-khieu-nai",
}

func coreCatalog(t *testing.T) *procedures.Catalog {
	t.Helper()
	files := map[string][]byte{}
	for _, code := range coreCodes {
		data, err := os.ReadFile("definitions/" + code + ".yaml")
		if err != nil {
			t.Fatal(err)
		}
		files[code+".yaml"] = data
	}
	c, ps := load(t, files)
	if ps != nil {
		t.Fatal(ps)
	}
	return c
}

func TestSearch(t *testing.T) {
	c := coreCatalog(t)
	tests := []struct {
		name  string
		q     procedures.Query
		want  []string // the first results, in order
		exact bool     // and nothing else
	}{
		{"WithoutDiacritics", procedures.Query{Text: "dang ky tam tru"}, []string{"dang-ky-tam-tru"}, false},
		{"WithDiacritics", procedures.Query{Text: "Đăng ký tạm trú"}, []string{"dang-ky-tam-tru"}, false},
		{"UpperCase", procedures.Query{Text: "ĐĂNG KÝ"}, []string{"dang-ky-tam-tru", "dang-ky-thanh-lap-doanh-nghiep"}, false},
		{"WordPrefix", procedures.Query{Text: "ly lich tu ph"}, []string{"cap-phieu-ly-lich-tu-phap"}, false},
		{"English", procedures.Query{Text: "criminal record"}, []string{"cap-phieu-ly-lich-tu-phap"}, true},
		{"Code", procedures.Query{Text: "giai-quyet-khieu-nai"}, []string{"giai-quyet-khieu-nai"}, false},
		{"Abbreviation", procedures.Query{Text: "lltp"}, []string{"cap-phieu-ly-lich-tu-phap"}, true},
		{"Typo", procedures.Query{Text: "ly lixh tu phap"}, []string{"cap-phieu-ly-lich-tu-phap"}, false},
		{"SpellingIY", procedures.Query{Text: "dang ki tam tru"}, []string{"dang-ky-tam-tru"}, false},
		{"EveryWordOfAShortQueryMustMatch", procedures.Query{Text: "tam tru doanh"}, nil, true},
		{"OneWordInFourMayMiss", procedures.Query{Text: "dang ky tam tru karaoke"}, []string{"dang-ky-tam-tru"}, false},
		{"NoMatch", procedures.Query{Text: "hộ chiếu"}, nil, true},
		{"ByAgency", procedures.Query{Agency: "SXD"}, []string{"cap-giay-phep-xay-dung", "cung-cap-thong-tin-quy-hoach"}, true},
		{"ByAgencyAndText", procedures.Query{Agency: "SXD", Text: "giay phep"}, []string{"cap-giay-phep-xay-dung"}, false},
		{"CoAgencyIsNotLead", procedures.Query{Agency: "CAT"}, []string{"dang-ky-tam-tru"}, true},
		{"ByLevel", procedures.Query{Level: 2}, []string{"cung-cap-thong-tin-quy-hoach"}, true},
		{"ByLevel3", procedures.Query{Level: 3}, nil, true}, // both level-3 definitions became level 4 (seed, 2014)
		{"Limit", procedures.Query{Level: 4, Limit: 2}, []string{"cap-giay-phep-xay-dung", "cap-phieu-ly-lich-tu-phap"}, true},
		{"LimitText", procedures.Query{Text: "dang ky", Limit: 1}, []string{"dang-ky-tam-tru"}, true},
		{"Everything", procedures.Query{}, coreCodes, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := codes(c.Search(tt.q))
			if tt.exact && !slices.Equal(got, tt.want) || !tt.exact && (len(got) < len(tt.want) || !slices.Equal(got[:len(tt.want)], tt.want)) {
				t.Errorf("Search(%+v) = %v, want %v (exact: %v)", tt.q, got, tt.want, tt.exact)
			}
		})
	}
	// Construction appears in two English names: both are found.
	if got := codes(c.Search(procedures.Query{Text: "construction"})); len(got) != 2 ||
		!slices.Contains(got, "cap-giay-phep-xay-dung") || !slices.Contains(got, "cung-cap-thong-tin-quy-hoach") {
		t.Errorf("construction: %v", got)
	}
}

// TestSearchRelevance uses names chosen so that relevance and code order
// disagree: the better match always has the later code.
func TestSearchRelevance(t *testing.T) {
	def := func(code, vi, en string) []byte {
		return fmt.Appendf(nil, `
code: %s
version: 1
name: {vi: "%s", en: "%s"}
tier: district
agencies: [UBND-HOIAN]
level: 1
documents: [{code: don, name: Đơn}]
info: {summary: Tóm tắt, legal_basis: [Luật mẫu]}
`, code, vi, en)
	}
	_, ps := load(t, nil) // an empty catalogue is an error, not a panic
	if ps == nil {
		t.Error("an empty file system loaded without problems")
	}
	c, ps := load(t, map[string][]byte{
		"a-mot.yaml": def("a-mot", "Cấp phép hoạt động karaoke", "Karaoke licence"),
		"b-hai.yaml": def("b-hai", "Cấp phép kara", "Kara licence"),
		"c-ba.yaml":  def("c-ba", "Thủ tục khác", "Business registration"),
		"d-bon.yaml": def("d-bon", "Đăng ký kinh doanh", "Other"),
		"e-nam.yaml": def("e-nam", "Kinh doanh, đăng ký lại", "Other"),
		"f-sau.yaml": def("f-sau", "Đăng ký kinh doanh hộ gia đình", "Other"),
	})
	if ps != nil {
		t.Fatal(ps)
	}
	tests := []struct {
		query string
		want  []string
	}{
		{"kara", []string{"b-hai", "a-mot"}},                              // whole word beats prefix
		{"registration dang ky", nil},                                     // words may not be split across procedures
		{"dang ky kinh doanh xyzzy", []string{"d-bon", "f-sau", "e-nam"}}, // an unknown word in four may be missing
		{"dang ky xyzzy", []string{"d-bon", "e-nam", "f-sau"}},            // one in three, too
		{"kinh xyzzy", nil},                                               // but not one in two
		{"karaoke doanh", nil},                                            // and a known word may not be missing
		{"dang ky kinh doanh", []string{"d-bon", "f-sau", "e-nam"}},       // the phrase in order beats scattered words
		{"f-sau", []string{"f-sau"}},                                      // the exact code
		{"kinh doanh", []string{"d-bon", "e-nam", "f-sau"}},               // ties go by code
		{"business", []string{"c-ba"}},                                    // English names are searched
		{"ĐĂNG KÝ KINH DOANH HỘ GIA", []string{"f-sau"}},                  // folded like the index
	}
	for _, tt := range tests {
		if got := codes(c.Search(procedures.Query{Text: tt.query})); !slices.Equal(got, tt.want) {
			t.Errorf("Search(%q) = %v, want %v", tt.query, got, tt.want)
		}
	}
}

func TestSearchWordsValidated(t *testing.T) {
	_, ps := load(t, map[string][]byte{"a-mot.yaml": []byte(`
code: a-mot
version: 1
name: {vi: "Cấp phép", en: "Licence"}
aliases: ["Cấp phép A", "  "]
keywords: [giấy phép, "Giay phep"]
tier: district
agencies: [UBND-HOIAN]
level: 1
documents: [{code: don, name: Đơn}]
info: {summary: Tóm tắt, legal_basis: [Luật mẫu]}
`)})
	var fields []string
	for _, p := range ps {
		fields = append(fields, p.Field)
	}
	if !slices.Equal(fields, []string{"aliases.1", "keywords.1"}) {
		t.Errorf("problems %v, want a blank alias and a repeated keyword", ps)
	}
}
