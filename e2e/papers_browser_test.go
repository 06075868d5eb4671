package e2e

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
)

// The pages that show the papers and the hardening's banners, in Chromium
// with axe-core (0 violations) and screenshots at 1280 and 390 px: the
// inbox's register form, the case page's control-sheet button, the secret
// holder's one-time-code field, a back-end's refusal shown to the desk and
// the incident banner of a stopped case.
func TestWebPapersAndBannersBrowser(t *testing.T) {
	browser, axe := startBrowser(t)
	e := newEnv(t)
	owner := e.citizen("049188001234")
	r := e.submit(owner, business, motcua.DeliveryCounter)
	refused := e.submission(business, motcua.DeliveryCounter)
	refused["form"].(map[string]any)["enterprise"].(map[string]any)["name_vi"] = "Công ty TNHH Du lịch Hội An Xanh" // taken
	var r2 receipt
	e.must(e.call("POST", "/api/v1/cases", owner, refused, "Idempotency-Key", randomHex(8)), 201).json(&r2)

	holder := newTab(t, browser, e.url, "vi", axe, "holder")
	holder.open("/tra-cuu")
	if missing := holder.fill(url.Values{"code": {r.Code}, "secret": {r.Secret}}); len(missing) > 0 {
		t.Fatalf("look-up form lacks %v", missing)
	}
	holder.click(`form[action="/tra-cuu"] button[type=submit]`)
	if !holder.has(`input[name="one_time_code"]`) {
		t.Fatalf("the secret holder is not asked for a one-time code: %s", holder.text("main"))
	}
	holder.check("case-secret-holder")

	agency := r.Agency
	e.actOK(e.officer("tiepnhan", agency, "receiver"), r.Code, motcua.ActionReceive, map[string]any{"note": "Đủ"})
	desk := newTab(t, browser, e.url, "vi", axe, "desk")
	desk.signIn("officer", "tiepnhan", "Nguyễn Văn Tiếp", agency, "receiver", "reviewer")
	desk.open("/can-bo")
	if !desk.has(`form[action="/can-bo/so-theo-doi"]`) {
		t.Fatalf("no register form in the inbox: %s", desk.text("main"))
	}
	desk.check("inbox-register")
	desk.open("/ho-so/" + r.Code)
	if !desk.has(`form[action="/ho-so/` + r.Code + `/phieu-kiem-soat"]`) {
		t.Fatalf("no control-sheet button on the received case: %s", desk.text("main"))
	}
	desk.check("case-control-sheet")

	e.waitFor(owner, r2.Code, "checked", func(c motcua.Case) bool { return count(c, motcua.EventCheckFailed) > 0 })
	desk.open("/ho-so/" + r2.Code)
	if !strings.Contains(desk.text("main"), "Cơ quan liên quan đã từ chối khi kiểm tra hồ sơ") {
		t.Fatalf("no refusal shown to the desk: %s", desk.text("main"))
	}
	desk.check("case-refusal")
	if err := e.tc.TerminateWorkflow(context.Background(), r2.Code, "", "test"); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(30 * time.Second); ; {
		desk.open("/ho-so/" + r2.Code)
		if strings.Contains(desk.text("main"), "Hồ sơ đang gặp sự cố kỹ thuật") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no incident banner: %s", desk.text("main"))
		}
		time.Sleep(500 * time.Millisecond)
	}
	desk.check("case-incident")
}
