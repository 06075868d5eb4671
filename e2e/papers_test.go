package e2e

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/documents/pdftext"
)

// A case run to its end through HTTP gets the result its definition
// prescribes — a decision with its grounds and articles, signed by the
// approver as GIÁM ĐỐC of the agency — and the papers of the one-stop
// rules follow it: the control sheet, drawn up from its timeline and listed
// among its documents, and the desk's register of the period, both signed
// and verifiable (TT 01/2018/TT-VPCP Mẫu 05, 06; TT 03/2025 Mẫu 06, 07).
func TestPapersOfACase(t *testing.T) {
	e := newEnv(t)
	const code = "tiep-nhan-giao-vien"
	p, _ := e.catalog.Get(code)
	tmpl := p.Result.Template
	desk := e.officer("tiepnhan", "SGDDT", "receiver")
	reviewer := e.officer("chuyenvien", "SGDDT", "reviewer")
	leader := e.login(`{"role":"officer","subject":"giamdoc","name":"Lê Văn Giám","agency":"SGDDT","roles":["approver"]}`)
	outsider := e.officer("tiepnhan", "SXD", "receiver")

	r := e.submit(e.citizen("079201001234"), code, motcua.DeliveryCounter)
	e.actOK(desk, r.Code, motcua.ActionReceive, nil)
	// Work that follows the reception's answer (the signed receipt) is a
	// change of the case too: let it land, so that nothing is new between
	// the two requests below.
	e.waitFor(desk, r.Code, "got its receipt", func(c motcua.Case) bool {
		return slices.ContainsFunc(c.Documents, func(d motcua.Document) bool { return d.Kind == motcua.DocumentReceipt })
	})
	// The control sheet of a case being handled lists the hand-overs so far.
	sheet1 := e.controlSheet(desk, r.Code, 201)
	if again := e.controlSheet(desk, r.Code, 200); again.ID != sheet1.ID {
		t.Fatalf("asked again with nothing new, the control sheet is another paper: %s, %s", again.ID, sheet1.ID)
	}
	e.actOK(reviewer, r.Code, motcua.ActionReview, map[string]any{"note": "Đủ điều kiện"})
	e.actOK(leader, r.Code, motcua.ActionApprove, nil)
	e.actOK(reviewer, r.Code, motcua.ActionIssue, map[string]any{"data": map[string]any{"number": "15/QĐ-SGDĐT"}})
	e.waitFor(desk, r.Code, "got its result", func(c motcua.Case) bool { return c.Status == motcua.StatusResultReady })
	e.actOK(desk, r.Code, motcua.ActionDeliver, nil)
	done := e.waitFor(desk, r.Code, "got its signed result", func(c motcua.Case) bool {
		return slices.ContainsFunc(c.Timeline, func(ev motcua.Event) bool { return ev.Action == motcua.EventResultSigned })
	})

	// The result is the definition's decision, signed by the approver.
	i := slices.IndexFunc(done.Documents, func(d motcua.Document) bool { return d.Kind == motcua.DocumentResult })
	if i < 0 {
		t.Fatalf("no result among %+v", done.Documents)
	}
	result := e.pdfText(desk, r.Code, done.Documents[i].ID)
	wants := []string{"QUYẾT ĐỊNH", tmpl.Title, "GIÁM ĐỐC SỞ GIÁO DỤC VÀ ĐÀO TẠO", tmpl.Basis[0], "QUYẾT ĐỊNH:",
		"Điều 1. Tiếp nhận và phân công công tác đối với ông (bà) Trần Thị Bích Ngọc", "Điều 2.", "Điều 3.",
		"GIÁM ĐỐC (Đã ký) Lê Văn Giám"}
	for _, w := range wants {
		if !strings.Contains(result, pdftext.Normalise(w)) {
			t.Errorf("the result lacks %q:\n%s", w, result)
		}
	}

	// Regenerated, the control sheet follows the case to its end; a client
	// polling the case hears of the new document.
	etag := e.must(e.call("GET", "/api/v1/cases/"+r.Code, desk, nil), 200).header.Get("ETag")
	sheet := e.controlSheet(desk, r.Code, 201)
	if got := e.call("GET", "/api/v1/cases/"+r.Code, desk, nil, "If-None-Match", etag); got.status != 200 {
		t.Errorf("after the control sheet the case answers %d to the ETag it had before", got.status)
	}
	if sheet.ID == sheet1.ID || sheet.Kind != motcua.DocumentControlSheet || sheet.Signature == "" {
		t.Fatalf("control sheet %+v after the first %s", sheet, sheet1.ID)
	}
	text := e.pdfText(desk, r.Code, sheet.ID)
	for _, w := range []string{"PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", "Mã hồ sơ: " + r.Code, "Tiếp nhận hồ sơ",
		"Thẩm định", "Lãnh đạo phê duyệt", "Ban hành kết quả", "Trả kết quả", "Người nộp hồ sơ (Trần Thị Bích Ngọc)", "trước hạn"} {
		if !strings.Contains(text, pdftext.Normalise(w)) {
			t.Errorf("the control sheet lacks %q:\n%s", w, text)
		}
	}
	listed := e.must(e.call("GET", "/api/v1/cases/"+r.Code, desk, nil), 200).caseView()
	if !slices.ContainsFunc(listed.Documents, func(d motcua.Document) bool { return d.ID == sheet.ID }) {
		t.Errorf("the control sheet is not among the case's documents: %+v", listed.Documents)
	}
	var v struct{ Authentic bool }
	e.must(e.call("GET", "/api/v1/verify/"+sheet.ID, "", nil), 200).json(&v)
	if !v.Authentic {
		t.Error("the control sheet does not verify")
	}
	if got := e.call("POST", "/api/v1/cases/"+r.Code+"/control-sheet", outsider, nil); got.status != 404 {
		t.Errorf("an officer of another agency drew up the control sheet: %d %s", got.status, got.body)
	}

	// The register of the day lists the case under the form's columns.
	day := done.ReceivedAt.In(calendar.Location).Format(time.DateOnly)
	path := fmt.Sprintf("/api/v1/agencies/SGDDT/register?from=%s&to=%s", day, day)
	pdf := e.must(e.call("GET", path, desk, nil), 200)
	doc, err := pdftext.Parse(pdf.body)
	if err != nil {
		t.Fatal(err)
	}
	reg := doc.Text()
	for _, w := range []string{"SỔ THEO DÕI HỒ SƠ", "Mã hồ sơ", "Hẹn trả kết quả", "Trả kết quả", r.Code, "Trần Thị Bích Ngọc"} {
		if !strings.Contains(reg, pdftext.Normalise(w)) {
			t.Errorf("the register lacks %q:\n%s", w, reg)
		}
	}
	e.must(e.call("GET", "/api/v1/verify/"+pdf.header.Get("X-Document-ID"), "", nil), 200).json(&v)
	if !v.Authentic {
		t.Error("the register does not verify")
	}
	recs, err := csv.NewReader(bytes.NewReader(e.must(e.call("GET", path+"&format=csv", desk, nil), 200).body)).ReadAll()
	if err != nil || len(recs) < 2 || !slices.ContainsFunc(recs[1:], func(rec []string) bool { return rec[1] == r.Code }) {
		t.Errorf("the register's CSV %v (%v) lacks %s", recs, err, r.Code)
	}
	for _, bad := range []struct {
		token, path string
		status      int
	}{
		{outsider, path, 403},
		{desk, "/api/v1/agencies/SGDDT/register?from=2026-13-01", 422},
		{desk, "/api/v1/agencies/SGDDT/register?from=2026-03-10&to=2026-03-01", 422},
		{desk, "/api/v1/agencies/SGDDT/register?format=xls", 422},
	} {
		if got := e.call("GET", bad.path, bad.token, nil, "Accept-Language", "vi"); got.status != bad.status {
			t.Errorf("GET %s: %d %s, want %d", bad.path, got.status, got.body, bad.status)
		}
	}
}

// controlSheet draws up the case's control sheet.
func (e *env) controlSheet(token, code string, status int) motcua.Document {
	e.t.Helper()
	var d motcua.Document
	e.must(e.call("POST", "/api/v1/cases/"+code+"/control-sheet", token, nil), status).json(&d)
	return d
}

// pdfText downloads a document of a case and reads its text.
func (e *env) pdfText(token, code, id string) string {
	e.t.Helper()
	body := e.must(e.call("GET", "/api/v1/cases/"+code+"/documents/"+id, token, nil), 200).body
	doc, err := pdftext.Parse(body)
	if err != nil {
		e.t.Fatalf("document %s: %v", id, err)
	}
	return doc.Text()
}

// The officer pages link to the papers: the inbox downloads the agency's
// register for a period (PDF or CSV), the case page draws up the control
// sheet and downloads it.
func TestWebPapers(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.signInCitizen("049188001234", "Trần Thị Bích Ngọc")
	code := b.fileAt(t, e, "cap-giay-phep-xay-dung", nil)
	desk := e.browser()
	desk.signInOfficer("tn", "SXD", "receiver", "reviewer")
	desk.act(actionCoverage{}, code, motcua.ActionReceive, nil, vals("note", ""), nil)

	inbox := desk.get("/can-bo")
	for _, want := range []string{`action="/can-bo/so-theo-doi"`, `name="from"`, `name="to"`, `value="pdf"`, `value="csv"`} {
		if !strings.Contains(inbox.body, want) {
			t.Errorf("the inbox lacks %s", want)
		}
	}
	// From yesterday, so that a reception just before midnight is in.
	now := time.Now().In(calendar.Location)
	period := "from=" + now.AddDate(0, 0, -1).Format(time.DateOnly) + "&to=" + now.Format(time.DateOnly)
	reg := desk.get("/can-bo/so-theo-doi?" + period + "&format=pdf")
	doc, err := pdftext.Parse([]byte(reg.body))
	if reg.status != 200 || err != nil || !strings.Contains(doc.Text(), code) {
		t.Fatalf("register from the inbox: %d %v", reg.status, err)
	}
	if csvPage := desk.get("/can-bo/so-theo-doi?" + period + "&format=csv"); !strings.Contains(csvPage.body, code) {
		t.Errorf("the register's CSV lacks %s: %.300s", code, csvPage.body)
	}
	if p := b.get("/can-bo/so-theo-doi"); p.status != 403 {
		t.Errorf("a citizen downloaded the register: %d", p.status)
	}

	desk.get("/ho-so/" + code)
	sheet := desk.follow(desk.post("/ho-so/"+code+"/phieu-kiem-soat", nil, nil))
	doc, err = pdftext.Parse([]byte(sheet.body))
	if err != nil || !strings.Contains(doc.Text(), "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ") {
		t.Fatalf("control sheet from the case page: %d %v", sheet.status, err)
	}
	if page := desk.get("/ho-so/" + code); !strings.Contains(page.body, "phiếu kiểm soát quá trình giải quyết hồ sơ") {
		t.Error("the case page does not list the control sheet among its documents")
	}
	if page := b.get("/ho-so/" + code); strings.Contains(page.body, `action="/ho-so/`+code+`/phieu-kiem-soat"`) {
		t.Error("the applicant is offered the control sheet")
	}
}
