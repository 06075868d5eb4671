package api

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/procedures"
)

// checkSubmission routes to the agency competent on the day of submission.
func TestSubmissionRoutedByDate(t *testing.T) {
	catalog, err := procedures.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	ict := time.FixedZone("ICT", 7*3600)
	submit := func(day time.Time, code, agency, address string) (string, map[string]string) {
		t.Helper()
		s := &Server{Deps: Deps{Catalog: catalog, Now: time.Now, FilingClock: func() time.Time { return day }}}
		p, _ := catalog.Get(code)
		form := p.ExampleForm
		if address != "" { // the household business's seat
			var f map[string]any
			_ = json.Unmarshal(form, &f)
			f["business"].(map[string]any)["address"] = address
			form, _ = json.Marshal(f)
		}
		req := submitRequest{Procedure: code, Agency: agency, Form: form,
			Applicant: motcua.Applicant{Name: "Trần Thị Bích Ngọc", IDNumber: "049188001234"},
			Delivery:  motcua.Delivery{Method: p.Delivery[0], Address: "12 Phan Chu Trinh, Tam Kỳ"}}
		_, bad := s.checkSubmission(&req, false)
		return req.Agency, bad
	}
	feb28 := time.Date(2025, 2, 28, 16, 59, 0, 0, ict)
	mar2 := time.Date(2025, 3, 2, 8, 0, 0, 0, ict)
	nov27 := time.Date(2026, 11, 27, 9, 0, 0, 0, ict)

	const nowhere = "Số 1 đường Lê Lợi, thành phố Tam Kỳ" // names no ward or commune
	for _, tc := range []struct {
		day                   time.Time
		code, agency, address string
		want, wantBad         string
	}{
		{feb28, "dang-ky-thanh-lap-doanh-nghiep", "", "", "SKHDT", ""},
		{mar2, "dang-ky-thanh-lap-doanh-nghiep", "", "", "STC", ""},
		{mar2, "dang-ky-thanh-lap-doanh-nghiep", "SKHDT", "", "STC", ""}, // a form written before the merger
		{nov27, "dang-ky-thanh-lap-doanh-nghiep", "", "", "DN-STC", ""},
		{feb28, "cap-phieu-ly-lich-tu-phap", "", "", "STP", ""},
		{mar2, "cap-phieu-ly-lich-tu-phap", "", "", "CAT", ""},
		{nov27, "dang-ky-thanh-lap-ho-kinh-doanh", "DN-PH-BANTHACH", "", "DN-PH-BANTHACH", ""},
		// The seat's address names the commune, by a former unit's name
		// (thị trấn Hà Lam) or the new one's; a department that is not
		// competent is no obstacle.
		{nov27, "dang-ky-thanh-lap-ho-kinh-doanh", "", "", "DN-XA-THANGBINH", ""},
		{nov27, "dang-ky-thanh-lap-ho-kinh-doanh", "DN-STC", "", "DN-XA-THANGBINH", ""},
		{nov27, "dang-ky-thanh-lap-ho-kinh-doanh", "UBND-TAMKY", "Tổ 4, phường Bàn Thạch, thành phố Đà Nẵng", "DN-PH-BANTHACH", ""},
		{nov27, "dang-ky-tam-tru", "", "", "DN-CA-HOIAN", ""}, // the police of the ward where the person stays
		{nov27, "dang-ky-thanh-lap-ho-kinh-doanh", "", nowhere, "", "Cần chọn cơ quan giải quyết (địa chỉ trong hồ sơ không cho biết thuộc phường, xã nào), một trong: "},
		{nov27, "dang-ky-thanh-lap-ho-kinh-doanh", "UBND-TAMKY", nowhere, "", "Ủy ban nhân dân thành phố Tam Kỳ không có thẩm quyền giải quyết thủ tục này vào ngày nộp"},
		{nov27, "dang-ky-thanh-lap-ho-kinh-doanh", "DN-STC", nowhere, "", "Sở Tài chính thành phố Đà Nẵng không có thẩm quyền"},
	} {
		got, bad := submit(tc.day, tc.code, tc.agency, tc.address)
		name := tc.day.Format(time.DateOnly) + " " + tc.code + " " + tc.agency
		if tc.wantBad == "" {
			if len(bad) > 0 || got != tc.want {
				t.Errorf("%s: routed to %q, problems %v; want %s", name, got, bad, tc.want)
			}
			continue
		}
		msg := bad["agency"]
		if !strings.Contains(msg, tc.wantBad) {
			t.Errorf("%s: agency problem %q, want %q", name, msg, tc.wantBad)
		}
		// The choices are named, not coded: every ward of Tam Kỳ is offered.
		for _, n := range []string{"Ủy ban nhân dân phường Bàn Thạch", "Ủy ban nhân dân phường Tam Kỳ", "Ủy ban nhân dân xã Tam Hải"} {
			if !strings.Contains(msg, n) {
				t.Errorf("%s: %q does not offer %s", name, msg, n)
			}
		}
		if strings.Contains(msg, "DN-PH-") {
			t.Errorf("%s: %q names agencies by code", name, msg)
		}
	}
}
