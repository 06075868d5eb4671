package e2e

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
)

// On the case page (issue 16): a secret holder withdraws with the one-time
// code the page has sent to the applicant (finding 3); the desk sees a
// back-end's refusal before receiving (finding 9); a case whose workflow
// stopped shows its incident (finding 1).
func TestWebHardening(t *testing.T) {
	e := newEnv(t)
	owner := e.citizen("049188001234")
	body := e.submission(business, motcua.DeliveryCounter)
	body["on_behalf"] = false
	body["form"].(map[string]any)["enterprise"].(map[string]any)["name_vi"] = "Công ty TNHH Du lịch Hội An Xanh" // taken
	var r receipt
	e.must(e.call("POST", "/api/v1/cases", owner, body, "Idempotency-Key", randomHex(8)), 201).json(&r)
	base := "/ho-so/" + r.Code

	b := e.browser()
	b.get("/tra-cuu")
	if p := b.post("/tra-cuu", url.Values{"code": {r.Code}, "secret": {r.Secret}}, nil); p.status != http.StatusSeeOther {
		t.Fatalf("look-up: %d %s", p.status, excerpt(p.body))
	}
	pg := b.get(base)
	if !strings.Contains(pg.body, `action="`+base+`/ma-xac-thuc/withdraw"`) || !strings.Contains(pg.body, `name="one_time_code"`) {
		t.Fatalf("the withdraw form does not ask for the code: %s", excerpt(pg.body))
	}
	formURL := base + "/thao-tac/withdraw"
	if p := b.post(formURL, url.Values{"reason": {"Không còn nhu cầu."}}, nil); p.status != http.StatusForbidden || !strings.Contains(p.body, "Cần mã xác thực một lần") {
		t.Fatalf("withdraw without the code: %d %s", p.status, excerpt(p.body))
	}
	b.get(base)
	if p := b.post(base+"/ma-xac-thuc/withdraw", nil, nil); p.status != 200 || !strings.Contains(p.body, "Đã gửi mã xác thực tới") {
		t.Fatalf("send the code: %d %s", p.status, excerpt(p.body))
	}
	var otp string
	for _, m := range e.sim.Outbox() {
		if found := oneTimeCode.FindStringSubmatch(m.Text); found != nil && strings.Contains(m.Text, r.Code) {
			otp = found[1]
		}
	}
	b.get(base)
	p := b.post(formURL, url.Values{"reason": {"Không còn nhu cầu."}, "one_time_code": {otp}}, nil)
	if p.status != http.StatusSeeOther {
		t.Fatalf("withdraw with the code: %d %s", p.status, excerpt(p.body))
	}

	// The desk sees the registry's refusal before receiving.
	var r2 receipt
	e.must(e.call("POST", "/api/v1/cases", owner, body, "Idempotency-Key", randomHex(8)), 201).json(&r2)
	e.waitFor(owner, r2.Code, "checked", func(c motcua.Case) bool { return count(c, motcua.EventCheckFailed) > 0 })
	desk := e.browser()
	desk.signInOfficer("tiepnhan", "SKHDT", "receiver")
	if pg := desk.get("/ho-so/" + r2.Code); !strings.Contains(pg.body, "Cơ quan liên quan đã từ chối khi kiểm tra hồ sơ") {
		t.Fatalf("no refusal shown to the desk: %s", excerpt(pg.body))
	}

	// A stopped workflow: the case page says so and offers nothing.
	if err := e.tc.TerminateWorkflow(context.Background(), r2.Code, "", "test"); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		pg = desk.get("/ho-so/" + r2.Code)
		if strings.Contains(pg.body, "Hồ sơ đang gặp sự cố kỹ thuật") || time.Now().After(deadline) {
			break
		}
		time.Sleep(300 * time.Millisecond)
	}
	if !strings.Contains(pg.body, "Hồ sơ đang gặp sự cố kỹ thuật") || strings.Contains(pg.body, `/thao-tac/receive"`) {
		t.Fatalf("the incident is not shown, or receive still offered: %s", excerpt(pg.body))
	}
}
