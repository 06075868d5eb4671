package motcua_test

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/motcua/motcua"
)

// loadFee reads a definition's fee from procedures/definitions.
func loadFee(t *testing.T, code string) *motcua.Fee {
	t.Helper()
	raw, err := os.ReadFile("procedures/definitions/" + code + ".yaml")
	if err != nil {
		t.Fatal(err)
	}
	var d struct {
		Fee *motcua.Fee `yaml:"fee"`
	}
	if err := yaml.Unmarshal(raw, &d); err != nil {
		t.Fatal(err)
	}
	return d.Fee
}

// The fee schedules of the definitions, each row citing the text that
// sets it.
func TestFeeQuote(t *testing.T) {
	for _, tc := range []struct {
		name, code, channel, form string
		want                      []int64 // each line's amount
		basis                     string  // a piece of the first line's basis
	}{
		// TT 75/2022/TT-BTC, Biểu mức thu dòng 2: 15.000 đ at the counter,
		// 7.000 đ through the online portal.
		{"temporary residence at the counter", "dang-ky-tam-tru", motcua.ChannelCounter, `{}`, []int64{15000}, "nộp hồ sơ trực tiếp"},
		{"temporary residence online", "dang-ky-tam-tru", motcua.ChannelOnline, `{}`, []int64{7000}, "cổng dịch vụ công trực tuyến"},
		// TT 47/2019/TT-BTC: registration fee 50.000 đ on paper, exempt
		// online; the publication fee 100.000 đ is charged apart.
		{"enterprise registration on paper", "dang-ky-thanh-lap-doanh-nghiep", motcua.ChannelCounter, `{}`, []int64{50000, 100000}, "bản giấy"},
		{"enterprise registration online", "dang-ky-thanh-lap-doanh-nghiep", motcua.ChannelOnline, `{}`, []int64{0, 100000}, "miễn lệ phí"},
		// TT 168/2016/TT-BTC, Điều 4: 1.200.000 đ for an organisation,
		// 400.000 đ for a household business, per outlet.
		{"retail alcohol, enterprise", "cap-giay-phep-ban-le-ruou", motcua.ChannelOnline, `{"trader":{"kind":"Doanh nghiệp"}}`, []int64{1200000}, "Điều 4 (tổ chức"},
		{"retail alcohol, household business", "cap-giay-phep-ban-le-ruou", motcua.ChannelCounter, `{"trader":{"kind":"Hộ kinh doanh"}}`, []int64{400000}, "Điều 4 (hộ kinh doanh"},
		// No schedule: the one amount (TT 244/2016/TT-BTC).
		{"criminal record extract", "cap-phieu-ly-lich-tu-phap", motcua.ChannelOnline, `{}`, []int64{200000}, "244/2016"},
		// No fee at all.
		{"no fee", "cap-giay-phep-hoat-dong-in", motcua.ChannelOnline, `{}`, nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lines := loadFee(t, tc.code).Quote(tc.channel, json.RawMessage(tc.form))
			var got []int64
			for _, l := range lines {
				got = append(got, l.Amount)
				if l.Basis == "" {
					t.Errorf("line %q has no basis", l.Name)
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Fatalf("amounts %v, want %v (%+v)", got, tc.want, lines)
			}
			if tc.basis != "" && !contains(lines[0].Basis+" "+lines[0].Reason, tc.basis) {
				t.Errorf("basis %q (reason %q) lacks %q", lines[0].Basis, lines[0].Reason, tc.basis)
			}
		})
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

func TestFeeRateMatching(t *testing.T) {
	f := &motcua.Fee{Amount: 100, Name: "Phí", LegalBasis: "TT 1", Rates: []motcua.FeeRate{
		{Channel: motcua.ChannelOnline, Form: map[string]string{"a.kind": "x"}, Amount: 10, Label: "online x", Basis: "TT 1 Điều 2"},
		{Form: map[string]string{"a.exempt": "true"}, Amount: 0, Label: "miễn", Basis: "TT 1 Điều 3"},
		{Channel: motcua.ChannelOnline, Amount: 50, Label: "online", Basis: "TT 1 Điều 4"},
	}, Charges: []motcua.Charge{{Name: "Phí công bố", Amount: 0, LegalBasis: "TT 1", Rates: []motcua.FeeRate{{Channel: motcua.ChannelCounter, Amount: 5, Label: "tại quầy", Basis: "TT 1 Điều 5"}}}}}
	for _, tc := range []struct {
		channel, form string
		want          int64
		lines         int
	}{
		{motcua.ChannelOnline, `{"a":{"kind":"X"}}`, 10, 1},   // first match wins, case-insensitive
		{motcua.ChannelOnline, `{"a":{"exempt":true}}`, 0, 1}, // a boolean field; an exemption keeps its line
		{motcua.ChannelOnline, `{}`, 50, 1},                   // channel only
		{motcua.ChannelCounter, `{}`, 105, 2},                 // the standard amount and the counter charge
		{motcua.ChannelCounter, `{"a":{"kind":"x"}}`, 105, 2}, // the online rate needs the online channel
		{motcua.ChannelCounter, `not json`, 105, 2},           // an unreadable form matches no form rate
	} {
		lines := f.Quote(tc.channel, json.RawMessage(tc.form))
		if got := motcua.FeeTotal(lines); got != tc.want || len(lines) != tc.lines {
			t.Errorf("%s %s: total %d in %d lines, want %d in %d (%+v)", tc.channel, tc.form, got, len(lines), tc.want, tc.lines, lines)
		}
	}
	var none *motcua.Fee
	if none.Quote(motcua.ChannelOnline, nil) != nil || none.Payable() || none.DueAt() != motcua.FeeDueResult {
		t.Error("no fee quotes lines, is payable or is due at filing")
	}
	if !(&motcua.Fee{Rates: []motcua.FeeRate{{Amount: 1}}}).Payable() {
		t.Error("a schedule with one paying rate is payable")
	}
}
