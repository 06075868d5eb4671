package e2e

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/workflows"
)

// actionCoverage records which actions were taken through their page
// forms, so the test can insist on every one.
type actionCoverage map[motcua.Action]bool

var fieldNameRe = regexp.MustCompile(`name="((?:note|reason|data\.[a-z_]+))"`)

// act takes action on case code through the case page: the action's form
// must be there, generated from its input schema; when bad is given, that
// post must be refused with an error summary and the form shown again;
// then values are posted and the page must say it was done.
func (b *browser) act(cov actionCoverage, code string, action motcua.Action, bad, values url.Values, files map[string][]byte) {
	b.t.Helper()
	pg := b.get("/ho-so/" + code)
	if pg.status != 200 {
		b.t.Fatalf("case page %s: %d", code, pg.status)
	}
	formURL := "/ho-so/" + code + "/thao-tac/" + string(action)
	i := strings.Index(pg.body, `id="act-`+string(action)+`"`)
	if i < 0 || !strings.Contains(pg.body, `action="`+formURL+`"`) {
		b.t.Fatalf("no form for %s on %s: %s", action, code, excerpt(pg.body))
	}
	section := pg.body[i : i+strings.Index(pg.body[i:], "</section>")]
	for k := range values {
		if k == "data.agree" || k == "data.decision" {
			if !strings.Contains(section, `name="`+k+`"`) {
				b.t.Fatalf("%s form lacks %s: %s", action, k, section)
			}
			continue
		}
		if !strings.Contains(section, `name="`+k+`"`) {
			b.t.Fatalf("%s form lacks %s: %s", action, k, section)
		}
	}
	if bad != nil {
		p := b.post(formURL, bad, nil)
		if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `class="error-summary"`) ||
			!strings.Contains(p.body, `href="#act-`+string(action)) {
			b.t.Fatalf("%s with %v: want the form back with errors, got %d %s", action, bad, p.status, excerpt(p.body))
		}
	}
	p := b.post(formURL, values, files)
	if p.status != http.StatusSeeOther {
		b.t.Fatalf("%s: %d %s", action, p.status, excerpt(p.body))
	}
	done := b.follow(p)
	if !strings.Contains(done.body, `class="notice" role="status"`) {
		b.t.Fatalf("%s: no notice after: %s", action, excerpt(done.body))
	}
	cov[action] = true
}

// fileAt files procedure code online as the browser's citizen and returns
// the case code.
func (b *browser) fileAt(t *testing.T, e *env, code string, edit func(url.Values)) string {
	p, _ := e.catalog.Get(code)
	v := exampleValues(t, p)
	v.Set("agency", p.Agencies[0])
	if edit != nil {
		edit(v)
	}
	return b.fileOnline("/thu-tuc/"+code+"/nop", v, requiredDocs(p))
}

func vals(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v
}

// TestWebEveryAction takes every action people take (the registry's
// actions that are not the system's) through its generated form: the
// standard shape with a co-review by a second agency, returns, rejection,
// withdrawal, online payment at level 4, and the complaint shape.
func TestWebEveryAction(t *testing.T) {
	e := newEnv(t)
	cov := actionCoverage{}
	citizen := e.browser()
	citizen.signInCitizen("049188001234", "Trần Thị Bích Ngọc")
	officer := func(subject, agency string, roles ...string) *browser {
		b := e.browser()
		b.signInOfficer(subject, agency, roles...)
		return b
	}
	sxdDesk, sxdRev, sxdLead, sxdCash := officer("tn", "SXD", "receiver"), officer("cv", "SXD", "reviewer"), officer("ld", "SXD", "approver"), officer("tq", "SXD", "cashier")
	stnmt := officer("phoihop", "STNMT", "reviewer")

	// Building permit: supplement, co-review by STNMT; filed online it
	// costs nothing (Đà Nẵng NQ 14/2025), so no payment is asked.
	code := citizen.fileAt(t, e, "cap-giay-phep-xay-dung", func(v url.Values) { v.Set("delivery.method", motcua.DeliveryCounter) })
	sxdDesk.act(cov, code, motcua.ActionReceive, nil, vals("note", "Đủ thành phần"), nil)
	sxdRev.act(cov, code, motcua.ActionRequestInfo, vals("reason", ""), vals("reason", "Bổ sung bản vẽ mặt bằng"), nil)
	if pg := citizen.get("/ho-so/" + code); !regexp.MustCompile(`class="asked">.*\n?.*Bổ sung bản vẽ mặt bằng`).MatchString(pg.body) {
		t.Errorf("the supplement form does not say what was asked: %s", excerpt(pg.body))
	}
	citizen.act(cov, code, motcua.ActionSupplement, nil, vals("note", "Đã bổ sung bản vẽ"), map[string][]byte{"file": pdf})
	sxdRev.act(cov, code, motcua.ActionReview, nil, vals("note", "Đủ điều kiện"), nil)
	stnmt.act(cov, code, motcua.ActionCoReview, vals("reason", "x"), vals("data.agree", "true", "note", "Phù hợp quy hoạch"), nil)
	sxdLead.act(cov, code, motcua.ActionApprove, nil, vals("note", "Đồng ý"), nil)
	if pg := sxdCash.get("/ho-so/" + code); strings.Contains(pg.body, `id="act-confirm_payment"`) {
		t.Errorf("a payment is asked of a permit filed online, which costs nothing")
	}
	sxdRev.act(cov, code, motcua.ActionIssue, nil, vals("data.number", "GP-01/2026"), nil)
	sxdDesk.act(cov, code, motcua.ActionDeliver, nil, vals("note", "Trả tại quầy"), nil)
	final := citizen.get("/ho-so/" + code)
	for _, want := range []string{"GP-01/2026", "Đã trả kết quả", "/xac-minh/", "Phù hợp quy hoạch", "Quá trình xử lý"} {
		if !strings.Contains(final.body, want) {
			t.Errorf("final case page lacks %q", want)
		}
	}

	// A practice certificate: its fee (TT 38/2022) paid at the counter.
	cert := citizen.fileAt(t, e, "cap-chung-chi-hanh-nghe-hoat-dong-xay-dung", func(v url.Values) { v.Set("delivery.method", motcua.DeliveryCounter) })
	sxdDesk.act(cov, cert, motcua.ActionReceive, nil, vals("note", "Đủ thành phần"), nil)
	sxdRev.act(cov, cert, motcua.ActionReview, nil, vals("note", "Đủ điều kiện"), nil)
	sxdLead.act(cov, cert, motcua.ActionApprove, nil, vals("note", "Đồng ý"), nil)
	sxdCash.act(cov, cert, motcua.ActionConfirmPayment, vals("data.receipt_no", ""), vals("data.receipt_no", "BL-2026-0001"), nil)

	// Returned at reception, then rejected; another withdrawn by its owner.
	code = citizen.fileAt(t, e, "cap-giay-phep-xay-dung", nil)
	sxdDesk.act(cov, code, motcua.ActionReturn, vals("reason", " "), vals("reason", "Thiếu giấy tờ về quyền sử dụng đất"), nil)
	citizen.act(cov, code, motcua.ActionSupplement, nil, vals("note", "Đã bổ sung"), map[string][]byte{"file": pdf})
	sxdDesk.act(cov, code, motcua.ActionReject, vals("reason", ""), vals("reason", "Không thuộc thẩm quyền"), nil)
	code = citizen.fileAt(t, e, "cap-giay-phep-xay-dung", nil)
	citizen.act(cov, code, motcua.ActionWithdraw, nil, vals("reason", "Không còn nhu cầu"), nil)

	// Level 4: a new payment link asked for on the page.
	skhdt := officer("tn2", "SKHDT", "receiver", "reviewer", "approver")
	code = citizen.fileAt(t, e, business, nil)
	skhdt.act(cov, code, motcua.ActionReceive, nil, vals("note", ""), nil)
	skhdt.act(cov, code, motcua.ActionReview, nil, vals("note", ""), nil)
	skhdt.act(cov, code, motcua.ActionApprove, nil, vals("note", ""), nil)
	// The order's link is on the page; the payer gives up at the
	// gateway; the page then offers a new order.
	payLink := regexp.MustCompile(`<a class="button" href="(` + regexp.QuoteMeta(e.simURL) + `[^"]+)">`)
	var m []string
	for wait := time.Now().Add(20 * time.Second); m == nil; time.Sleep(200 * time.Millisecond) {
		if m = payLink.FindStringSubmatch(citizen.get("/ho-so/" + code).body); m == nil && time.Now().After(wait) {
			t.Fatalf("no gateway link on the case page: %s", excerpt(citizen.last))
		}
	}
	e.pay(html.UnescapeString(m[1]), "fail")
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(citizen.get("/ho-so/"+code).body, `id="act-pay"`) {
		if time.Now().After(deadline) {
			t.Fatal("no new payment offered after a failed one")
		}
		time.Sleep(200 * time.Millisecond)
	}
	citizen.act(cov, code, motcua.ActionPay, nil, url.Values{}, nil)
	for wait := time.Now().Add(20 * time.Second); !payLink.MatchString(citizen.get("/ho-so/" + code).body); time.Sleep(200 * time.Millisecond) {
		if time.Now().After(wait) {
			t.Fatalf("no new gateway link: %s", excerpt(citizen.last))
		}
	}

	// The complaint shape.
	ttt := officer("tt", "TTT", "receiver", "head")
	investigator := officer("xacminh", "TTT", "reviewer")
	code = citizen.fileAt(t, e, "giai-quyet-khieu-nai", func(v url.Values) { v.Set("agency", "TTT") })
	ttt.act(cov, code, motcua.ActionReceive, nil, vals("note", "Thụ lý"), nil)
	// Complex: the time limit is extended once (Luật Khiếu nại 2011 Điều 28).
	ttt.act(cov, code, motcua.ActionExtend, vals("reason", ""), vals("reason", "Vụ việc phức tạp", "data.kind", "complex"), nil)
	ttt.act(cov, code, motcua.ActionAssign, vals("data.investigator", ""), vals("data.investigator", "xacminh"), nil)
	investigator.act(cov, code, motcua.ActionVerify, vals("note", ""), vals("note", "Đã xác minh tại chỗ", "data.differs", "true"), nil)
	// The request and the verification differ: a dialogue, announced at
	// least five days ahead, then its minutes (Điều 30).
	ttt.act(cov, code, motcua.ActionScheduleDialogue, nil,
		vals("data.date", time.Now().AddDate(0, 0, 10).Format(time.DateOnly), "data.place", "Trụ sở Thanh tra thành phố"), nil)
	ttt.act(cov, code, motcua.ActionRecordDialogue, nil, vals("note", "Hai bên trình bày, thống nhất một phần", "data.attended", "true"), nil)
	ttt.act(cov, code, motcua.ActionConclude, vals("note", "x"), vals("note", "Khiếu nại đúng một phần", "data.decision", "partly_upheld"), nil)
	if pg := citizen.get("/ho-so/" + code); !strings.Contains(pg.body, "đúng một phần") {
		t.Fatalf("conclusion not shown: %s", excerpt(pg.body))
	}

	// An anonymous denunciation, filed through the API: not handled as a
	// denunciation; the head refers it for inspection since its content is
	// specific and evidenced (Luật Tố cáo 2018 Điều 25 khoản 2).
	anon := e.submission("giai-quyet-to-cao", motcua.DeliveryCounter)
	anon["anonymous"] = true
	delete(anon, "applicant")
	var rc receipt
	e.must(e.call("POST", "/api/v1/cases", e.citizen("049188001234"), anon, "Idempotency-Key", randomHex(8)), 201).json(&rc)
	ttt.act(cov, rc.Code, motcua.ActionRefer, vals("reason", ""), vals("reason", "Nội dung rõ ràng, có biên lai thu tiền trái quy định"), nil)

	// Feedback about a desk (issue 14): its head answers on the
	// feedback's page.
	var fb receipt
	e.must(e.call("POST", "/api/v1/feedback", e.citizen("049188001234"), map[string]any{"kind": "kien_nghi", "agency": "TTT",
		"content": "Đề nghị niêm yết rõ lịch tiếp công dân."}, "Idempotency-Key", randomHex(8)), 201).json(&fb)
	ttt.act(cov, fb.Code, motcua.ActionAnswer, vals("data.answer", ""), vals("data.answer", "Thanh tra đã niêm yết lịch tại bảng tin."), nil)

	// Overdue cases: the head apologises and sets a new date.
	ec := newEnv(t, func(o *envOptions) { o.compressed = true })
	c2 := ec.browser()
	c2.signInCitizen("049188001234", "Trần Thị Bích Ngọc")
	code = c2.fileAt(t, ec, business, nil)
	desk := ec.browser()
	desk.signInOfficer("tn", "SKHDT", "receiver")
	desk.act(cov, code, motcua.ActionReceive, nil, vals("note", ""), nil)
	head := ec.browser()
	head.signInOfficer("td", "SKHDT", "head")
	deadline = time.Now().Add(30 * time.Second)
	for !strings.Contains(head.get("/ho-so/"+code).body, `id="act-reschedule"`) {
		if time.Now().After(deadline) {
			t.Fatal("the case never fell overdue")
		}
		time.Sleep(300 * time.Millisecond)
	}
	head.act(cov, code, motcua.ActionReschedule, vals("reason", "Xin lỗi", "data.new_date", "2020-01-01"),
		vals("reason", "Xin lỗi ông bà vì chậm trễ do phải xác minh thêm", "data.new_date", time.Now().AddDate(0, 0, 10).Format(time.DateOnly)), nil)

	for _, spec := range workflows.Specs() {
		if spec.Via == workflows.ViaActions && !cov[spec.Action] {
			t.Errorf("action %s was never taken through its page form", spec.Action)
		}
	}
	_ = fieldNameRe
}
