package e2e

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/motcua/motcua"
)

type secondOffer struct {
	Procedure string     `json:"procedure"`
	Until     *time.Time `json:"until"`
	Refusal   string     `json:"refusal"`
}

// A second-instance complaint (khiếu nại lần hai, Luật Khiếu nại 2011 Điều
// 33 khoản 1) through HTTP: refused while the first instance is neither
// decided nor overdue; offered for 30 days once decided; filed once, by the
// complainant, at the next level (Điều 21 khoản 3), with its own time
// limits (Điều 36, 37), the dialogue always held (Điều 39) and the measure
// that goes with the conclusion (Điều 40 khoản 2 điểm h); both instances
// link to each other, in the API and on the pages.
func TestSecondInstanceComplaint(t *testing.T) {
	e := newEnv(t)
	const id = "049188001234"
	citizen := e.citizen(id)
	fileFirst := func() receipt {
		body := e.submission("giai-quyet-khieu-nai", motcua.DeliveryOnline)
		body["on_behalf"] = false
		var r receipt
		e.must(e.call("POST", "/api/v1/cases", citizen, body, "Idempotency-Key", randomHex(8)), 201).json(&r)
		return r
	}
	first := fileFirst()
	code, agency := first.Code, first.Agency
	view := func(code string) (motcua.Case, *secondOffer) {
		var v struct {
			motcua.Case
			Offer *secondOffer `json:"second_instance_offer"`
		}
		e.must(e.call("GET", "/api/v1/cases/"+code, citizen, nil), 200).json(&v)
		return v.Case, v.Offer
	}
	good := map[string]any{"reason": "Quyết định lần đầu không xem xét Giấy chứng nhận quyền sử dụng đất", "request": "Hủy quyết định lần đầu",
		"first_decision": "Quyết định số 12/QĐ-TTT", "not_in_court": true}
	file := func(token string, body map[string]any) resp {
		return e.call("POST", "/api/v1/cases/"+code+"/second-instance", token, body, "Idempotency-Key", randomHex(8))
	}
	refused := func(step, want string) {
		t.Helper()
		r := e.must(file(citizen, good), http.StatusConflict)
		_, offer := view(code)
		if !bytes.Contains(r.body, []byte(want)) || !bytes.Contains(r.body, []byte("Điều 33")) || offer == nil || !strings.Contains(offer.Refusal, want) {
			t.Fatalf("%s: want a refusal saying %q: %s; offer %+v", step, want, r.body, offer)
		}
	}
	refused("not accepted yet", "chưa được thụ lý")
	desk, head, inv := e.officer("tiepdan", agency, "receiver"), e.officer("chanhthanhtra", agency, "head"), e.officer("thanhtravien", agency, "reviewer")
	e.actOK(desk, code, motcua.ActionReceive, map[string]any{})
	refused("accepted, its time limit running", "thời hạn giải quyết lần đầu chưa hết")
	e.actOK(head, code, motcua.ActionAssign, map[string]any{"data": map[string]any{"investigator": "thanhtravien"}})
	e.actOK(inv, code, motcua.ActionVerify, map[string]any{"note": "Đã xác minh"})
	e.actOK(head, code, motcua.ActionConclude, map[string]any{"note": "Khiếu nại sai toàn bộ", "data": map[string]any{"decision": "dismissed", "measure": "keep"}})

	// Decided: 30 days from receiving the decision (delivered online).
	var offer *secondOffer
	for wait := time.Now().Add(20 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		if _, offer = view(code); offer != nil && offer.Until != nil || time.Now().After(wait) {
			break
		}
	}
	if offer == nil || offer.Until == nil || offer.Refusal != "" || offer.Procedure != "giai-quyet-khieu-nai-lan-hai" {
		t.Fatalf("Điều 33 khoản 1: no second instance offered after the decision: %+v", offer)
	}
	if days := time.Until(*offer.Until).Hours() / 24; days < 29 || days > 31 {
		t.Fatalf("Điều 33 khoản 1: offered for %.1f days, want 30", days)
	}
	for _, tc := range []struct {
		name   string
		token  string
		body   map[string]any
		status int
		field  string
	}{
		{"the head of the agency is not the complainant", head, good, http.StatusForbidden, ""},
		{"another citizen does not see the case", e.citizen("049188009999"), good, http.StatusNotFound, ""},
		{"a complainant who sued in court may not (Điều 33 khoản 1)", citizen, map[string]any{"reason": "x", "request": "y", "not_in_court": false}, http.StatusUnprocessableEntity, "not_in_court"},
		{"the reason is required", citizen, map[string]any{"request": "y", "not_in_court": true}, http.StatusUnprocessableEntity, "reason"},
	} {
		r := e.must(file(tc.token, tc.body), tc.status)
		if tc.field != "" && !bytes.Contains(r.body, []byte(`"`+tc.field+`"`)) {
			t.Fatalf("%s: %s", tc.name, r.body)
		}
	}
	// Nobody files it from the catalogue.
	direct := e.submission("giai-quyet-khieu-nai-lan-hai", motcua.DeliveryOnline)
	if r := e.must(e.call("POST", "/api/v1/cases", citizen, direct, "Idempotency-Key", randomHex(8)), 422); !bytes.Contains(r.body, []byte(`"procedure"`)) {
		t.Fatalf("a second-instance complaint filed from the catalogue: %s", r.body)
	}

	var second, retried receipt
	key := randomHex(8)
	e.must(e.call("POST", "/api/v1/cases/"+code+"/second-instance", citizen, good, "Idempotency-Key", key), http.StatusCreated).json(&second)
	// A retry of the same request gets the same case.
	e.must(e.call("POST", "/api/v1/cases/"+code+"/second-instance", citizen, good, "Idempotency-Key", key), http.StatusOK).json(&retried)
	if retried.Code != second.Code {
		t.Fatalf("a retry filed %s, the first try %s", retried.Code, second.Code)
	}
	if second.Procedure.Code != "giai-quyet-khieu-nai-lan-hai" || second.Law == nil || second.Law.FirstInstance != code ||
		second.Owner != id || second.Agency == agency || !strings.Contains(second.Timeline[0].Note, code) {
		t.Fatalf("second instance: procedure %s agency %s owner %s law %+v timeline %+v", second.Procedure.Code, second.Agency, second.Owner, second.Law, second.Timeline)
	}
	if v, offer := view(code); v.Law == nil || v.Law.SecondInstance != second.Code || offer != nil {
		t.Fatalf("the first case does not name the second: law %+v offer %+v", v.Law, offer)
	}
	if r := e.must(file(citizen, good), http.StatusConflict); !bytes.Contains(r.body, []byte(second.Code)) {
		t.Fatalf("filed twice: %s", r.body)
	}

	// The second instance runs at the next level under its own rules.
	up := second.Agency
	desk2, head2, inv2 := e.officer("tiepdan", up, "receiver"), e.officer("chutich", up, "head"), e.officer("chuyenvien", up, "reviewer")
	got := e.actOK(desk2, second.Code, motcua.ActionReceive, map[string]any{})
	if got.ReceivedAt == nil || got.DueAt == nil || got.DueAt.Sub(*got.ReceivedAt) < 45*24*time.Hour {
		t.Fatalf("Điều 37: 45 days from acceptance, got received %v due %v", got.ReceivedAt, got.DueAt)
	}
	e.actOK(head2, second.Code, motcua.ActionAssign, map[string]any{"data": map[string]any{"investigator": "chuyenvien"}})
	if v := e.actOK(inv2, second.Code, motcua.ActionVerify, map[string]any{"note": "Đã xác minh"}); v.Status != motcua.StatusDialogue {
		t.Fatalf("Điều 39: the second instance always holds a dialogue, status %s", v.Status)
	}
	e.actOK(head2, second.Code, motcua.ActionScheduleDialogue, map[string]any{"data": map[string]any{"date": time.Now().AddDate(0, 0, 10).Format(time.DateOnly), "place": "Trụ sở Ủy ban nhân dân thành phố"}})
	e.actOK(head2, second.Code, motcua.ActionRecordDialogue, map[string]any{"note": "Hai bên giữ ý kiến", "data": map[string]any{"attended": true}})
	if r := e.must(e.act(head2, second.Code, motcua.ActionConclude, map[string]any{"note": "x", "data": map[string]any{"decision": "dismissed", "measure": "annul"}}), 422); !bytes.Contains(r.body, []byte("Điều 40")) {
		t.Fatalf("Điều 40 khoản 2 điểm h: %s", r.body)
	}
	e.actOK(head2, second.Code, motcua.ActionConclude, map[string]any{"note": "Khiếu nại sai toàn bộ", "data": map[string]any{"decision": "dismissed", "measure": "keep"}})

	// The pages: each instance links to the other; the complainant is
	// offered the form while the Law allows it, and told why not before.
	b := e.browser()
	b.signInCitizen(id, "Trần Thị Bích Ngọc")
	if pg := b.get("/ho-so/" + code); !strings.Contains(pg.body, `href="/ho-so/`+second.Code+`"`) || strings.Contains(pg.body, `id="act-second-instance"`) {
		t.Fatalf("the first case's page does not link the second: %s", excerpt(pg.body))
	}
	if pg := b.get("/ho-so/" + second.Code); !strings.Contains(pg.body, `href="/ho-so/`+code+`"`) {
		t.Fatalf("the second case's page does not link the first: %s", excerpt(pg.body))
	}
	other := fileFirst()
	if pg := b.get("/ho-so/" + other.Code); !strings.Contains(pg.body, "chưa được thụ lý") || strings.Contains(pg.body, `id="act-second-instance"`) {
		t.Fatalf("the page does not say why no second instance yet: %s", excerpt(pg.body))
	}
	code = other.Code
	e.actOK(desk, code, motcua.ActionReceive, map[string]any{})
	e.actOK(head, code, motcua.ActionAssign, map[string]any{"data": map[string]any{"investigator": "thanhtravien"}})
	e.actOK(inv, code, motcua.ActionVerify, map[string]any{"note": "Đã xác minh"})
	e.actOK(head, code, motcua.ActionConclude, map[string]any{"note": "Khiếu nại đúng một phần", "data": map[string]any{"decision": "partly_upheld", "measure": "amend"}})
	var pg page
	for wait := time.Now().Add(20 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		if pg = b.get("/ho-so/" + code); strings.Contains(pg.body, `id="act-second-instance"`) || time.Now().After(wait) {
			break
		}
	}
	if !strings.Contains(pg.body, `action="/ho-so/`+code+`/khieu-nai-lan-hai"`) || !strings.Contains(pg.body, "Điều 33") {
		t.Fatalf("no second-instance form after the decision: %s", excerpt(pg.body))
	}
	formURL := "/ho-so/" + code + "/khieu-nai-lan-hai"
	if p := b.post(formURL, url.Values{"request": {"Hủy quyết định"}}, nil); p.status != http.StatusUnprocessableEntity ||
		!strings.Contains(p.body, `class="error-summary"`) {
		t.Fatalf("an incomplete form: %d %s", p.status, excerpt(p.body))
	}
	p := b.post(formURL, url.Values{"reason": {"Chưa bồi thường đủ"}, "request": {"Bồi thường đủ diện tích"}, "not_in_court": {"true"}}, nil)
	if p.status != http.StatusSeeOther {
		t.Fatalf("filing from the page: %d %s", p.status, excerpt(p.body))
	}
	if done := b.follow(p); !strings.Contains(done.body, `class="notice" role="status"`) || !strings.Contains(done.body, `href="/ho-so/`+code+`"`) {
		t.Fatalf("the new case's page: %s", excerpt(done.body))
	}
}

// TestWebSecondInstanceBrowser: the case page's second-instance parts in
// Chromium, screenshotted at 1280 and 390 px with axe-core finding nothing:
// the refusal before the first-instance decision, the form after it (with
// its errors), and the link from the second case back to the first.
func TestWebSecondInstanceBrowser(t *testing.T) {
	browser, axe := startBrowser(t)
	e := newEnv(t)
	const id = "049188001234"
	body := e.submission("giai-quyet-khieu-nai", motcua.DeliveryOnline)
	body["on_behalf"] = false
	var first receipt
	e.must(e.call("POST", "/api/v1/cases", e.citizen(id), body, "Idempotency-Key", randomHex(8)), 201).json(&first)
	code, agency := first.Code, first.Agency
	citizen := newTab(t, browser, e.url, "vi", axe, "citizen")
	citizen.signIn("citizen", id, "Trần Thị Bích Ngọc", "")
	citizen.open("/ho-so/" + code)
	if !strings.Contains(citizen.text("main"), "chưa được thụ lý") {
		t.Fatalf("no reason given for no second instance: %s", citizen.text("main"))
	}
	citizen.check("second-instance-not-yet")

	desk, head, inv := e.officer("tiepdan", agency, "receiver"), e.officer("chanhthanhtra", agency, "head"), e.officer("thanhtravien", agency, "reviewer")
	e.actOK(desk, code, motcua.ActionReceive, map[string]any{})
	e.actOK(head, code, motcua.ActionAssign, map[string]any{"data": map[string]any{"investigator": "thanhtravien"}})
	e.actOK(inv, code, motcua.ActionVerify, map[string]any{"note": "Đã xác minh"})
	e.actOK(head, code, motcua.ActionConclude, map[string]any{"note": "Khiếu nại sai toàn bộ", "data": map[string]any{"decision": "dismissed", "measure": "keep"}})
	for wait := time.Now().Add(20 * time.Second); ; time.Sleep(300 * time.Millisecond) {
		citizen.open("/ho-so/" + code)
		if citizen.has("#act-second-instance") {
			break
		}
		if time.Now().After(wait) {
			t.Fatalf("no second-instance form after the decision: %s", citizen.text("main"))
		}
	}
	citizen.check("second-instance-form")
	citizen.click(`#act-second-instance button[type=submit]`)
	if !citizen.has(".error-summary") {
		t.Fatalf("an empty form was not refused: %s", citizen.text("main"))
	}
	citizen.check("second-instance-errors")
	citizen.do(chromedp.SendKeys(chromedp.CSS("#act-second-instance-reason"), "Quyết định lần đầu không xem xét Giấy chứng nhận quyền sử dụng đất"),
		chromedp.SendKeys(chromedp.CSS("#act-second-instance-request"), "Hủy quyết định giải quyết lần đầu"),
		chromedp.Click(chromedp.CSS("#act-second-instance-not_in_court")))
	citizen.click(`#act-second-instance button[type=submit]`)
	if !citizen.has(`a[href="/ho-so/`+code+`"]`) || !citizen.has(".notice") {
		t.Fatalf("the second case's page: %s", citizen.text("main"))
	}
	citizen.check("second-instance-case")
}
