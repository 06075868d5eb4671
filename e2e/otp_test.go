package e2e

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/motcua/motcua"
)

var oneTimeCode = regexp.MustCompile(`: (\d{6}) \(`)

// The receipt's secret does not withdraw or pay by itself (issue 16,
// finding 3): its holder also needs the one-time code sent to the
// applicant's phone or e-mail; the code works once, and the case records
// who acted and how they proved it.
func TestWithdrawBySecretNeedsOneTimeCode(t *testing.T) {
	e := newEnv(t)
	owner := e.citizen("049188001234")
	body := e.submission(business, motcua.DeliveryCounter)
	body["on_behalf"] = false
	var r receipt
	e.must(e.call("POST", "/api/v1/cases", owner, body, "Idempotency-Key", randomHex(8)), 201).json(&r)
	withdraw := func(token string, headers ...string) resp {
		return e.act(token, r.Code, motcua.ActionWithdraw, map[string]any{"reason": "Không còn nhu cầu."}, append([]string{"X-Case-Secret", r.Secret}, headers...)...)
	}
	for who, token := range map[string]string{"nobody signed in": "", "another citizen": e.citizen("001099000001")} {
		res := withdraw(token)
		if res.status != 403 || errorOf(t, res).Fields["X-One-Time-Code"] == "" {
			t.Fatalf("withdrawn by secret, %s, without a code: %d %s", who, res.status, res.body)
		}
	}
	// The owner signed in needs no code.
	if res := e.call("POST", "/api/v1/cases/"+r.Code+"/codes", owner, map[string]any{"action": "withdraw"}); res.status != 409 {
		t.Errorf("a code for the owner signed in: %d %s", res.status, res.body)
	}
	wantField(t, "a code for another action", e.call("POST", "/api/v1/cases/"+r.Code+"/codes", "", map[string]any{"action": "receive"},
		"X-Case-Secret", r.Secret), "action")
	e.must(e.call("POST", "/api/v1/cases/"+r.Code+"/codes", "", map[string]any{"action": "pay"}, "X-Case-Secret", "WRONG00000"), 404)

	var sent struct {
		SentTo []string `json:"sent_to"`
	}
	e.must(e.call("POST", "/api/v1/cases/"+r.Code+"/codes", "", map[string]any{"action": "withdraw"}, "X-Case-Secret", r.Secret), 202).json(&sent)
	if len(sent.SentTo) != 2 || strings.Contains(strings.Join(sent.SentTo, " "), "0905123456") {
		t.Fatalf("sent to %v: want the phone and e-mail, masked", sent.SentTo)
	}
	var otp string
	for _, m := range e.sim.Outbox() {
		if m.To == "0905123456" && strings.Contains(m.Text, r.Code) {
			if found := oneTimeCode.FindStringSubmatch(m.Text); found != nil {
				otp = found[1]
			}
		}
	}
	if otp == "" {
		t.Fatalf("no code in the SMS outbox: %+v", e.sim.Outbox())
	}
	if res := e.call("POST", "/api/v1/cases/"+r.Code+"/codes", "", map[string]any{"action": "withdraw"}, "X-Case-Secret", r.Secret); res.status != 429 {
		t.Errorf("a second code at once: %d", res.status)
	}
	wrong := "000000"
	if otp == wrong {
		wrong = "111111"
	}
	res := withdraw("", "X-One-Time-Code", wrong)
	if res.status != 403 || !strings.Contains(errorOf(t, res).Message, "còn 4 lần") {
		t.Fatalf("a wrong code: %d %s", res.status, res.body)
	}
	v := e.must(withdraw("", "X-One-Time-Code", otp), 200).caseView()
	if v.Status != motcua.StatusWithdrawn {
		t.Fatalf("withdrawn with the code: %s", v.Status)
	}
	i := slices.IndexFunc(v.Timeline, func(ev motcua.Event) bool { return ev.Action == motcua.ActionWithdraw })
	if i < 0 || v.Timeline[i].Actor.Subject == "049188001234" || !strings.Contains(v.Timeline[i].Actor.Name, "mã") {
		t.Errorf("the timeline says %+v", v.Timeline)
	}
}
