package documents

import (
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/calendar"
)

// Every definition's result is drawn up from its own template with the
// case's data (its example form): the title it names, the holder or a
// decision's grounds and articles, the fields, the term the law sets and
// the capacity the approver signs in — not one letter for all.
func TestRenderResultEveryDefinition(t *testing.T) {
	issued := time.Date(2026, 3, 12, 10, 0, 0, 0, calendar.Location)
	for _, p := range mustCatalog(t).All() {
		if p.Level < 3 || p.Result.Template == nil {
			continue
		}
		t.Run(p.Code, func(t *testing.T) {
			tmpl := p.Result.Template
			c := motcua.Case{Code: "SXD-260312-0001", Procedure: motcua.ProcedureRef{Name: p.Name.Vi}, Applicant: sampleApplicant(),
				Form: p.ExampleForm}
			res := motcua.Result{Type: p.Result.Type, Name: p.Result.Name, Number: "125/QĐ", IssuedAt: issued,
				Note: "Ghi chú của cán bộ.", Outcome: "upheld"}
			doc := Result{DocumentID: c.Code + "-result-ab12cd34", CaseCode: c.Code, Number: res.Number,
				Title: strings.ToUpper(res.Name), AgencyName: "Sở Xây dựng thành phố Đà Nẵng", ProcedureName: p.Name.Vi,
				Applicant: c.Applicant, IssuedAt: issued, IssuedBy: "Lê Quang Vũ",
				VerifyURL: "https://motcua.example.vn/api/v1/verify/" + c.Code + "-result-ab12cd34"}
			doc.Apply(tmpl, res.Name, motcua.ResultValues{Case: c, Result: res, AgencyName: doc.AgencyName,
				Outcome: "nội dung khiếu nại là đúng"})
			d := readPDF(t, mustRender(t)(RenderResult(doc)))
			wants := []string{tmpl.Signer.Title, "Lê Quang Vũ", "Số: 125/QĐ"}
			if tmpl.Signer.OnBehalf != "" {
				wants = append(wants, tmpl.Signer.OnBehalf)
			}
			if tmpl.Kind == motcua.ResultDecision {
				wants = append(wants, "QUYẾT ĐỊNH", doc.Subject, "QUYẾT ĐỊNH:", tmpl.Basis[0])
				for i := range tmpl.Articles {
					wants = append(wants, "Điều "+string(rune('1'+i))+". ")
				}
			} else {
				wants = append(wants, strings.ToUpper(res.Name), holderWords[tmpl.Kind]+sampleApplicant().Name)
			}
			for _, f := range doc.Fields {
				wants = append(wants, f.Label+":")
			}
			if tmpl.Validity != nil {
				wants = append(wants, tmpl.Validity.Basis)
			}
			assertContains(t, d, wants...)
			assertGlyphs(t, d)
			// The example form fills the fields (an optional one it leaves
			// out prints the dotted blank of the paper form).
			blank := 0
			for _, f := range doc.Fields {
				if strings.Contains(f.Value, "…") {
					blank++
				}
			}
			if blank*2 > len(doc.Fields) {
				t.Errorf("%d of %d fields are blank with the example form: %+v", blank, len(doc.Fields), doc.Fields)
			}
		})
	}
}

// A licence prints its fields and term; a decision numbers its articles
// and is signed in the name of the collective body where the template says
// so (Nghị định 30/2020/NĐ-CP, Phụ lục I: "TM." above the title).
func TestRenderLicenceAndDecision(t *testing.T) {
	p := formProcedure(t, "cap-giay-phep-xay-dung-nha-o-rieng-le")
	issued := time.Date(2026, 3, 12, 10, 0, 0, 0, calendar.Location)
	c := motcua.Case{Code: "UBND-TAMKY-260312-0001", Applicant: sampleApplicant(), Form: p.ExampleForm}
	doc := Result{DocumentID: "X-result-1", CaseCode: c.Code, Number: "12/GPXD", AgencyName: "Ủy ban nhân dân thành phố Tam Kỳ",
		Applicant: c.Applicant, IssuedAt: issued, IssuedBy: "Nguyễn Văn An", Title: strings.ToUpper(p.Result.Name)}
	doc.Apply(p.Result.Template, p.Result.Name, motcua.ResultValues{Case: c, Result: motcua.Result{Name: p.Result.Name}})
	data := mustRender(t)(RenderResult(doc))
	writeSample(t, "result-licence.pdf", data)
	assertContains(t, readPDF(t, data), "GIẤY PHÉP XÂY DỰNG (NHÀ Ở RIÊNG LẺ)", "Cấp cho: Nguyễn Thị Hồng Nhung",
		"Địa điểm xây dựng: thửa đất số", "Thời hạn hiệu lực: khởi công trong 12 tháng kể từ ngày cấp",
		"Luật Xây dựng 2014, Điều 90", "TM. ỦY BAN NHÂN DÂN CHỦ TỊCH (Đã ký) Nguyễn Văn An")

	p = formProcedure(t, "cho-thue-dat-to-chuc")
	c.Form = p.ExampleForm
	doc = Result{DocumentID: "X-result-2", CaseCode: c.Code, Number: "45/QĐ-UBND", AgencyName: "Ủy ban nhân dân thành phố Đà Nẵng",
		Applicant: c.Applicant, IssuedAt: issued, IssuedBy: "Trần Minh Khoa"}
	doc.Apply(p.Result.Template, p.Result.Name, motcua.ResultValues{Case: c, Result: motcua.Result{Name: p.Result.Name}})
	data = mustRender(t)(RenderResult(doc))
	writeSample(t, "result-decision.pdf", data)
	assertContains(t, readPDF(t, data), "QUYẾT ĐỊNH Về việc cho thuê đất",
		"ỦY BAN NHÂN DÂN THÀNH PHỐ ĐÀ NẴNG",
		"Căn cứ Luật Đất đai số 31/2024/QH15", "QUYẾT ĐỊNH:", "Điều 1. Cho Nguyễn Thị Hồng Nhung thuê đất",
		"Điều 2.", "Điều 3. Quyết định này có hiệu lực kể từ ngày ký.", "Như Điều 3;", "TM. ỦY BAN NHÂN DÂN CHỦ TỊCH (Đã ký) Trần Minh Khoa")

	doc.SignerTitle = ""
	if _, err := RenderResult(doc); err == nil {
		t.Error("a result with no signer's title was rendered")
	}
}
