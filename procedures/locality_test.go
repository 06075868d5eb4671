package procedures

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
)

// The ward or commune an address names, by its new name or a former
// unit's, among the communes competent for a district procedure.
func TestServing(t *testing.T) {
	reg := DefaultAgencies()
	day := time.Date(2026, 11, 27, 0, 0, 0, 0, vietnam)
	var communes []*Agency
	for _, a := range reg.All() {
		if a.Tier == "commune" && a.Parent == "UBND-DANANG" && a.Active(day) {
			communes = append(communes, a)
		}
	}
	for _, tt := range []struct{ address, want string }{
		{"Số 102 đường Hùng Vương, thị trấn Hà Lam, huyện Thăng Bình, tỉnh Quảng Nam", "DN-XA-THANGBINH"},
		{"Số 5 Phan Bội Châu, phường Tân Thạnh, thành phố Tam Kỳ, Quảng Nam", "DN-PH-BANTHACH"},
		{"12 Trần Phú, P. Tân Thạnh, TP. Tam Kỳ", "DN-PH-BANTHACH"},
		{"Thôn 3, xã Tam Phú, Tam Kỳ", "DN-PH-QUANGPHU"},
		{"Tổ 4, phường Bàn Thạch, thành phố Đà Nẵng", "DN-PH-BANTHACH"},
		// The same letters combined (NFD), as some keyboards send them.
		{"Tổ 4, phường Ba\u0300n Tha\u0323ch, thành phố Đà Nẵng", "DN-PH-BANTHACH"},
		// Diacritics tell units apart: Tam Thăng is not Tam Thanh.
		{"Xã Tam Thang, Tam Kỳ", ""},
		{"Số 1 đường Lê Lợi, thành phố Tam Kỳ", ""}, // names no ward or commune
		{"", ""},
	} {
		got := reg.Serving(tt.address, communes)
		if code := codeOf(got); code != tt.want {
			t.Errorf("%q: %s, want %s", tt.address, code, tt.want)
		}
	}
}

// A former unit's name that two districts had is told apart by the
// district the address names; without it, nobody is chosen.
func TestServingAmbiguousFormerName(t *testing.T) {
	reg, err := LoadAgencies(strings.NewReader(`
- {code: P, name: Ủy ban nhân dân tỉnh P, name_en: P, tier: province, valid_from: 2013-01-01}
- {code: H1, name: Ủy ban nhân dân huyện Một, name_en: H1, tier: district, parent: P, valid_from: 2013-01-01, valid_to: 2025-06-30}
- {code: H2, name: Ủy ban nhân dân huyện Hai, name_en: H2, tier: district, parent: P, valid_from: 2013-01-01, valid_to: 2025-06-30}
- {code: X1, name: Ủy ban nhân dân xã Bắc, name_en: X1, tier: commune, parent: P, valid_from: 2025-07-01, former_district: H1, formed_from: [Xã Bình An]}
- {code: X2, name: Ủy ban nhân dân xã Nam, name_en: X2, tier: commune, parent: P, valid_from: 2025-07-01, former_district: H2, formed_from: [Xã Bình An]}
`))
	if err != nil {
		t.Fatal(err)
	}
	x1, _ := reg.Get("X1")
	x2, _ := reg.Get("X2")
	among := []*Agency{x1, x2}
	for _, tt := range []struct{ address, want string }{
		{"Thôn 1, xã Bình An, huyện Hai", "X2"},
		{"Thôn 1, xã Bình An, H. Một", "X1"},
		{"Thôn 1, xã Bình An", ""},
	} {
		if code := codeOf(reg.Serving(tt.address, among)); code != tt.want {
			t.Errorf("%q: %s, want %s", tt.address, code, tt.want)
		}
	}
}

// The address that decides is the definition's locality field, or the
// applicant's address.
func TestLocalityAddress(t *testing.T) {
	form := json.RawMessage(`{"business":{"address":"thị trấn Hà Lam"}}`)
	ap := motcua.Applicant{Address: "phường Hội An"}
	if got := LocalityAddress(&motcua.Procedure{Locality: "business.address"}, form, ap); got != "thị trấn Hà Lam" {
		t.Errorf("locality field: %q", got)
	}
	if got := LocalityAddress(&motcua.Procedure{}, form, ap); got != "phường Hội An" {
		t.Errorf("applicant's address: %q", got)
	}
	stay := json.RawMessage(`{"residence":{"street":"Kiệt 24 Trần Cao Vân","commune":"Phường Minh An","district":"Thành phố Hội An"}}`)
	if got := LocalityAddress(&motcua.Procedure{Locality: "residence.street, residence.commune, residence.district"}, stay, ap); got != "Kiệt 24 Trần Cao Vân, Phường Minh An, Thành phố Hội An" {
		t.Errorf("several fields: %q", got)
	}
	// The former district is optional since districts ended (1 July 2025):
	// an address without it is the street and the ward.
	stayNow := json.RawMessage(`{"residence":{"street":"Kiệt 24 Trần Cao Vân","commune":"Phường Hội An"}}`)
	if got := LocalityAddress(&motcua.Procedure{Locality: "residence.street, residence.commune, residence.district"}, stayNow, ap); got != "Kiệt 24 Trần Cao Vân, Phường Hội An" {
		t.Errorf("without the former district: %q", got)
	}
	if got := LocalityAddress(&motcua.Procedure{Locality: "owner.address"}, form, ap); got != "" {
		t.Errorf("missing field: %q", got)
	}
}

func codeOf(a *Agency) string {
	if a == nil {
		return ""
	}
	return a.Code
}
