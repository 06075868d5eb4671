package e2e

import (
	"slices"
	"strings"
	"testing"

	"github.com/motcua/motcua"
)

// A back-end's refusal at reception holds the case at the desk (issue 16,
// finding 9): the receiver sees it, `receive` is refused unless a reason
// overrides it, and nothing is charged for a file returned or rejected.
func TestReceptionRefusalHoldsTheCase(t *testing.T) {
	e := newEnv(t)
	citizen, desk := e.citizen("049090001234"), e.officer("tiepnhan", "SKHDT", "receiver")
	taken := "Công ty TNHH Du lịch Hội An Xanh" // the simulated registry has it
	file := func() receipt {
		body := e.submission(business, motcua.DeliveryOnline)
		body["form"].(map[string]any)["enterprise"].(map[string]any)["name_vi"] = taken
		var r receipt
		e.must(e.call("POST", "/api/v1/cases", citizen, body, "Idempotency-Key", randomHex(8)), 201).json(&r)
		return r
	}

	// Received at once, before the registry may have answered: the case
	// waits for it, then refuses.
	r := file()
	res := e.act(desk, r.Code, motcua.ActionReceive, map[string]any{"note": "Đủ thành phần"})
	wantField(t, "receive despite the registry's refusal", res, "reason")
	if msg := errorOf(t, res).Message; !strings.Contains(msg, "trùng") {
		t.Errorf("the refusal does not say the registry's words: %q", msg)
	}
	v := e.must(e.call("GET", "/api/v1/cases/"+r.Code, desk, nil), 200).caseView()
	i := slices.IndexFunc(v.Timeline, func(ev motcua.Event) bool { return ev.Action == motcua.EventCheckFailed })
	if v.Status != motcua.StatusSubmitted || i < 0 || !strings.Contains(v.Timeline[i].Note, taken) {
		t.Fatalf("the desk does not see the refusal: %s %+v", v.Status, v.Timeline)
	}
	v = e.actOK(desk, r.Code, motcua.ActionReject, map[string]any{"reason": "Tên doanh nghiệp đã được đăng ký."})
	if v.Status != motcua.StatusRejected || len(v.Payments) != 0 {
		t.Fatalf("rejected at the desk: %s, payments %+v", v.Status, v.Payments)
	}

	// The receiver may still receive it, saying why.
	r = file()
	why := "Người nộp xuất trình văn bản chấp thuận của doanh nghiệp trùng tên."
	v = e.actOK(desk, r.Code, motcua.ActionReceive, map[string]any{"reason": why})
	if v.Status != motcua.StatusInReview || !slices.ContainsFunc(v.Timeline, func(ev motcua.Event) bool {
		return ev.Action == motcua.ActionReceive && ev.Reason == why
	}) {
		t.Fatalf("received with a reason: %s %+v", v.Status, v.Timeline)
	}

	// A name the registry accepts is received as before.
	body := e.submission(business, motcua.DeliveryCounter)
	body["form"].(map[string]any)["enterprise"].(map[string]any)["name_vi"] = "Công ty TNHH Mây Xanh " + randomHex(3)
	var ok receipt
	e.must(e.call("POST", "/api/v1/cases", citizen, body, "Idempotency-Key", randomHex(8)), 201).json(&ok)
	e.actOK(desk, ok.Code, motcua.ActionReceive, nil)
}
