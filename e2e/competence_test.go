package e2e

import (
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/motcua/motcua"
)

// Competence by date through HTTP: the API routes each submission to the
// agency competent on the day it is filed (issue 13).
func TestSubmissionRoutedOnFilingDay(t *testing.T) {
	ict := time.FixedZone("ICT", 7*3600)
	var filed atomic.Pointer[time.Time]
	on := func(y int, m time.Month, d int) {
		day := time.Date(y, m, d, 10, 0, 0, 0, ict)
		filed.Store(&day)
	}
	on(2025, 2, 28)
	e := newEnv(t, func(o *envOptions) { o.filing = func() time.Time { return *filed.Load() } })
	citizen := e.citizen("049188001234")
	var businessAt string // the household business's address, when set
	submit := func(code, agency string) resp {
		t.Helper()
		body := e.submission(code, motcua.DeliveryOnline)
		if agency != "" {
			body["agency"] = agency
		}
		if businessAt != "" {
			body["form"].(map[string]any)["business"].(map[string]any)["address"] = businessAt
		}
		return e.call("POST", "/api/v1/cases", citizen, body, "Idempotency-Key", randomHex(8))
	}
	lands := func(code, agency, want string) motcua.Case {
		t.Helper()
		var r receipt
		e.must(submit(code, agency), 201).json(&r)
		if r.Agency != want || !strings.HasPrefix(r.Code, want+"-") {
			t.Fatalf("%s filed on %s: case %s led by %s, want %s", code, filed.Load().Format(time.DateOnly), r.Code, r.Agency, want)
		}
		return r.Case
	}
	competentNow := func(code string) []string {
		t.Helper()
		var p struct {
			Competent []struct{ Code, Name string }
		}
		e.must(e.call("GET", "/api/v1/procedures/"+code, "", nil), 200).json(&p)
		out := make([]string, len(p.Competent))
		for i, a := range p.Competent {
			out[i] = a.Code
		}
		return out
	}

	// The same procedure the day before and the day after the merger of
	// the Department of Planning and Investment into Finance.
	lands("dang-ky-thanh-lap-doanh-nghiep", "", "SKHDT")
	lands("cap-phieu-ly-lich-tu-phap", "", "STP")
	lands("thong-bao-to-chuc-hop-bao", "", "STTTT")
	on(2025, 3, 2)
	lands("dang-ky-thanh-lap-doanh-nghiep", "", "STC")
	lands("dang-ky-thanh-lap-doanh-nghiep", "SKHDT", "STC") // a link to the old department
	if got := competentNow("dang-ky-thanh-lap-doanh-nghiep"); len(got) != 1 || got[0] != "STC" {
		t.Errorf("catalogue on 2 March 2025: competent %v, want [STC]", got)
	}

	// Split transfers move only the named procedure or field: criminal
	// records to the police; press to Culture while post goes with the
	// rest of Information and Communications to Science and Technology.
	lands("cap-phieu-ly-lich-tu-phap", "", "CAT")
	lands("cap-phieu-ly-lich-tu-phap", "STP", "CAT")
	lands("thong-bao-to-chuc-hop-bao", "", "SVHTTDL")
	lands("cap-giay-phep-buu-chinh", "", "SKHCN")

	// 27 November 2026: a former district procedure goes to a ward or
	// commune of Đà Nẵng: the one the business's address names (by its
	// former name too), else the applicant chooses; the refusal names the
	// choices.
	on(2026, 11, 27)
	const household = "dang-ky-thanh-lap-ho-kinh-doanh"
	businessAt = "Số 102 đường Hùng Vương, thị trấn Hà Lam, huyện Thăng Bình, tỉnh Quảng Nam"
	lands(household, "", "DN-XA-THANGBINH")
	businessAt = "Tổ 4, phường Bàn Thạch, thành phố Đà Nẵng"
	lands(household, "UBND-TAMKY", "DN-PH-BANTHACH")   // the address decides among Tam Kỳ's successors
	businessAt = "Số 1 đường Lê Lợi, thành phố Tam Kỳ" // names no ward or commune
	for _, agency := range []string{"", "UBND-TAMKY"} {
		r := submit(household, agency)
		var out struct {
			Error motcua.Error `json:"error"`
		}
		r.json(&out)
		msg := out.Error.Fields["agency"]
		if r.status != 422 || !strings.Contains(msg, "Ủy ban nhân dân phường Bàn Thạch") || !strings.Contains(msg, "Ủy ban nhân dân xã Tam Hải") || strings.Contains(msg, "DN-") {
			t.Errorf("%s with agency %q on 27 Nov 2026: %d %s", household, agency, r.status, r.body)
		}
		if agency != "" && !strings.Contains(msg, "Ủy ban nhân dân thành phố Tam Kỳ không có thẩm quyền") {
			t.Errorf("refusing Tam Kỳ does not name it: %s", msg)
		}
		if agency == "" && !strings.Contains(msg, "địa chỉ trong hồ sơ không cho biết thuộc phường, xã nào") {
			t.Errorf("the refusal does not say the address decided nothing: %s", msg)
		}
	}
	businessAt = ""
	if got := competentNow(household); len(got) != 78 || !strings.HasPrefix(got[0], "DN-") {
		t.Errorf("catalogue on 27 Nov 2026: %d competent (%v…), want the 78 wards and communes", len(got), got[:min(3, len(got))])
	}
	// The portal offers the same agencies the API accepts.
	page := e.call("GET", "/thu-tuc/"+household, "", nil)
	if body := string(page.body); page.status != 200 || !strings.Contains(body, "Ủy ban nhân dân phường Bàn Thạch") ||
		strings.Contains(body, "Ủy ban nhân dân thành phố Tam Kỳ") {
		t.Errorf("the procedure page on 27 Nov 2026 does not offer the wards and communes (%d)", page.status)
	}
	c := lands(household, "DN-PH-BANTHACH", "DN-PH-BANTHACH")
	lands("dang-ky-thanh-lap-doanh-nghiep", "", "DN-STC")
	lands("cap-phieu-ly-lich-tu-phap", "", "DN-CATP")

	// The ward's officers see the case; the abolished city's do not.
	ward := e.officer("tiepnhan.banthach", "DN-PH-BANTHACH", "receiver")
	e.must(e.call("GET", "/api/v1/cases/"+c.Code, ward, nil), 200)
	// The district ended: its officers no longer sign in (the agencies of
	// officers are valid by date), and the refusal names its successors.
	if r := e.call("POST", "/api/v1/dev/login", "", `{"role":"officer","subject":"tiepnhan.tamky","agency":"UBND-TAMKY","roles":["receiver"]}`); r.status != 400 && r.status != 422 || !strings.Contains(string(r.body), "DN-PH-") {
		t.Fatalf("officer of an ended district: %d %s", r.status, r.body)
	}
}
