package e2e

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/motcua/motcua"
)

// The applicant of an ended case follows the link beside the rating to
// the feedback form (errors beside the fields, then the feedback's own
// page), the head of the agency answers it on the feedback's page, the
// sender reads the answer, and anyone reads it, without personal data, on
// the public list; the receipt's verification page links to both. axe-core
// on each state, screenshots at 1280 and 390 px.
func TestWebFeedback(t *testing.T) {
	browser, axe := startBrowser(t)
	e := newEnv(t)
	owner := e.citizen("079201001234")
	r := e.submit(owner, business, motcua.DeliveryCounter)
	e.actOK(e.officer("tiepnhan", r.Agency, "receiver"), r.Code, motcua.ActionReceive, map[string]any{})
	cs := e.waitFor(owner, r.Code, "given its receipt", func(c motcua.Case) bool {
		return slices.ContainsFunc(c.Documents, func(d motcua.Document) bool { return d.Kind == motcua.DocumentReceipt })
	})
	e.actOK(owner, r.Code, motcua.ActionWithdraw, map[string]any{"reason": "Không còn nhu cầu"})

	citizen := newTab(t, browser, e.url, "vi", axe, "citizen")
	citizen.signIn("citizen", "079201001234", "Lê Thị Hồng Nhung", "")
	citizen.open("/ho-so/" + r.Code)
	if !citizen.has("#rating form") || !citizen.has(`a[href="/ho-so/`+r.Code+`/phan-anh"]`) {
		t.Fatalf("no feedback link beside the rating: %s", citizen.text("main"))
	}
	citizen.click(`a[href="/ho-so/` + r.Code + `/phan-anh"]`)
	if !citizen.has("#fb-content") {
		t.Fatalf("no feedback form: %s", citizen.text("main"))
	}
	citizen.check("feedback-form")
	citizen.click("#feedback button[type=submit]")
	if !citizen.has(".error-summary") || !citizen.has("#fb-kind-phan_anh") {
		t.Fatalf("an empty feedback: %s", citizen.text("main"))
	}
	citizen.check("feedback-form-errors")
	if missing := citizen.fill(url.Values{"kind": {"phan_anh"}, "publish": {"true"},
		"content": {"Bộ phận một cửa yêu cầu tôi (Lê Thị Hồng Nhung, 0905123456) nộp thêm bản sao không có trong danh mục."}}); len(missing) > 0 {
		t.Fatalf("no inputs for %v", missing)
	}
	citizen.click("#feedback button[type=submit]")
	if got := citizen.text("main"); !strings.Contains(got, "Đã gửi phản ánh, kiến nghị") || !strings.Contains(got, "Chờ trả lời") {
		t.Fatalf("after sending: %s", got)
	}
	citizen.check("feedback-sent")
	fbCode := strings.TrimPrefix(strings.SplitN(strings.TrimPrefix(citizen.url(), e.url), "?", 2)[0], "/ho-so/")

	head := newTab(t, browser, e.url, "vi", axe, "head")
	head.signIn("officer", "giamdoc", "Trần Văn Hùng", r.Agency, "head")
	head.open("/ho-so/" + fbCode)
	if !head.has("#act-answer textarea") || !strings.Contains(head.text("#s-feedback ~ p"), "bản sao") {
		t.Fatalf("the head's answer page: %s", head.text("main"))
	}
	head.check("feedback-answer")
	if missing := head.fill(url.Values{"data.answer": {"Sở xin lỗi ông/bà; đã nhắc nhở bộ phận một cửa chỉ yêu cầu giấy tờ trong danh mục."}}); len(missing) > 0 {
		t.Fatalf("no inputs for %v", missing)
	}
	head.click("#act-answer button[type=submit]")
	if got := head.text("main"); !strings.Contains(got, "Trả lời đúng hạn") {
		t.Fatalf("after answering: %s", got)
	}

	citizen.open("/ho-so/" + fbCode)
	if got := citizen.text("main"); !strings.Contains(got, "nhắc nhở bộ phận một cửa") || !strings.Contains(got, "Trả lời đúng hạn") {
		t.Fatalf("the sender's page: %s", got)
	}
	if citizen.has("#rating") || citizen.has(".feedback-invite") {
		t.Fatal("a feedback offers to rate it or to give feedback on it")
	}
	citizen.check("feedback-answered")

	// From the public list, feedback about a desk: the agency, and where to
	// hear of the answer.
	citizen.open("/phan-anh")
	citizen.click(`a[href="/phan-anh/gui"]`)
	if !citizen.has("#fb-agency") || !citizen.has("#fb-phone") || !citizen.has("#fb-email") {
		t.Fatalf("the desk feedback form: %s", citizen.text("main"))
	}
	citizen.check("feedback-desk-form")

	public := newTab(t, browser, e.url, "vi", axe, "public")
	public.open("/phan-anh")
	got := public.text("main")
	if !strings.Contains(got, "nhắc nhở bộ phận một cửa") || !strings.Contains(got, "không có trong danh mục") {
		t.Fatalf("the published list: %s", got)
	}
	for _, personal := range []string{"Hồng Nhung", "0905123456", "079201001234", r.Code} {
		if strings.Contains(got, personal) {
			t.Errorf("the published list shows %q", personal)
		}
	}
	public.check("feedback-list")

	// The receipt's QR link leads to the verification page, which links
	// to the rating and the feedback form.
	receiptID := cs.Documents[slices.IndexFunc(cs.Documents, func(d motcua.Document) bool { return d.Kind == motcua.DocumentReceipt })].ID
	public.open("/xac-minh/" + receiptID)
	if !public.has(`a[href="/ho-so/`+r.Code+`/phan-anh"]`) || !public.has(`a[href="/ho-so/`+r.Code+`#rating"]`) {
		t.Fatalf("the verification page: %s", public.text("main"))
	}
	public.check("feedback-verify")
}
