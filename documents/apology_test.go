package documents

import (
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
)

// The apology slip states the agency at fault, the reason and the new date
// (NĐ 61/2018 Điều 19 khoản 9), with its verification code.
func TestApologySlip(t *testing.T) {
	vn := time.FixedZone("ICT", 7*3600)
	pdf, err := RenderApology(Apology{DocumentID: "SKHDT-250303-0001-apology-abcd1234", CaseCode: "SKHDT-250303-0001",
		AgencyName: "Sở Tài chính thành phố Đà Nẵng", ProcedureName: "Đăng ký thành lập doanh nghiệp",
		Applicant: motcua.Applicant{Name: "Nguyễn Văn An"}, ReceivedAt: time.Date(2025, 3, 3, 9, 0, 0, 0, vn),
		DueWas: time.Date(2025, 3, 6, 17, 0, 0, 0, vn), NewDue: time.Date(2025, 3, 12, 17, 0, 0, 0, vn),
		Reason: "Chờ kết quả xác minh của cơ quan thuế", SignedBy: "Trần Văn Giám Đốc", IssuedAt: time.Date(2025, 3, 4, 10, 0, 0, 0, vn),
		VerifyURL: "https://motcua.example/api/v1/verify/SKHDT-250303-0001-apology-abcd1234"})
	if err != nil {
		t.Fatal(err)
	}
	text := normalise(readPDF(t, pdf).text())
	for _, want := range []string{"VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN", "Nguyễn Văn An", "Chờ kết quả xác minh của cơ quan thuế",
		"ngày 12 tháng 3 năm 2025", "ngày 06 tháng 3 năm 2025", "Trần Văn Giám Đốc", "SKHDT-250303-0001-apology-abcd1234"} {
		if !strings.Contains(text, want) {
			t.Errorf("slip lacks %q:\n%s", want, text)
		}
	}
	if _, err := RenderApology(Apology{DocumentID: "x", CaseCode: "y", NewDue: time.Now()}); err == nil {
		t.Fatal("an apology without a reason rendered")
	}
}
