package e2e

import (
	"strings"
	"testing"

	"github.com/motcua/motcua"
)

// An online filing the desk leaves unanswered past 08 working hours
// (Decree 118/2025 Điều 17 khoản 2 điểm c; compressed here) is marked late
// in the desk's inbox and on the case, in words, and is still received.
func TestWebLateReceptionBrowser(t *testing.T) {
	browser, axe := startBrowser(t)
	e := newEnv(t, func(o *envOptions) { o.compressed = true })
	owner := e.citizen("049188001234")
	r := e.submit(owner, business, motcua.DeliveryOnline)
	e.waitFor(owner, r.Code, "reception late", func(c motcua.Case) bool { return c.Law != nil && c.Law.ReceptionLate })

	desk := newTab(t, browser, e.url, "vi", axe, "desk")
	desk.signIn("officer", "tiepnhan", "Nguyễn Văn Tiếp", r.Agency, "receiver")
	desk.open("/can-bo")
	if row := desk.text("main"); !strings.Contains(row, r.Code) || !strings.Contains(row, "Chậm tiếp nhận") {
		t.Fatalf("the inbox does not mark the late reception of %s: %s", r.Code, row)
	}
	desk.check("inbox-reception-late")
	desk.open("/ho-so/" + r.Code)
	if main := desk.text("main"); !strings.Contains(main, "Chậm tiếp nhận") || !strings.Contains(main, "Điều 17 khoản 2") {
		t.Fatalf("the case does not say its reception was late, and why: %s", main)
	}
	desk.check("case-reception-late")
	if c := e.actOK(e.officer("tiepnhan", r.Agency, "receiver"), r.Code, motcua.ActionReceive, nil); c.Status == motcua.StatusSubmitted {
		t.Fatalf("a late reception could not be received: %s", c.Status)
	}
}
