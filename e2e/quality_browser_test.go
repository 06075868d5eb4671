package e2e

import (
	"net/url"
	"strings"
	"testing"

	"github.com/motcua/motcua"
)

// The applicant rates an ended case on its page (errors beside the
// fields, then thanks), and anyone reads the statistics page, with
// axe-core on each state and screenshots for review.
func TestWebRatingAndStatistics(t *testing.T) {
	browser, axe := startBrowser(t)
	e := newEnv(t)
	owner := e.citizen("079201001234")
	r := e.submit(owner, business, motcua.DeliveryCounter)
	e.actOK(owner, r.Code, motcua.ActionWithdraw, map[string]any{"reason": "Không còn nhu cầu"})

	citizen := newTab(t, browser, e.url, "vi", axe, "citizen")
	citizen.signIn("citizen", "079201001234", "Lê Thị Hồng Nhung", "")
	citizen.open("/ho-so/" + r.Code)
	if !citizen.has("#rating form") {
		t.Fatalf("no rating form on the ended case: %s", citizen.text("main"))
	}
	citizen.check("rating-form")
	citizen.click("#rating button[type=submit]")
	if !citizen.has(".error-summary") || !citizen.has("#rate-overall-5") {
		t.Fatalf("an empty rating: %s", citizen.text("main"))
	}
	citizen.check("rating-errors")
	if missing := citizen.fill(url.Values{"overall": {"4"}, "time_kept": {"5"}, "attitude": {"4"}, "guidance": {"3"}, "fees": {"5"},
		"comment": {"Hướng dẫn nhanh"}}); len(missing) > 0 {
		t.Fatalf("no inputs for %v", missing)
	}
	citizen.click("#rating button[type=submit]")
	if got := citizen.text("main"); !strings.Contains(got, "Cảm ơn") || !strings.Contains(got, "Sửa đánh giá") {
		t.Fatalf("after rating: %s", got)
	}
	citizen.check("rating-done")

	public := newTab(t, browser, e.url, "vi", axe, "public")
	public.open("/thong-ke")
	if got := public.text(".stat-cards"); !strings.Contains(got, "Hồ sơ tiếp nhận\n1") && !strings.Contains(got, "1") {
		t.Fatalf("statistics summary: %q", got)
	}
	if !public.has("#chart-monthly-svgtitle") || !public.has("#chart-rating-svgtitle") || !strings.Contains(public.text("#s-rating ~ table"), "4") {
		t.Fatalf("statistics page: %s", public.text("main"))
	}
	public.check("stats")
	if strings.Contains(public.text("main"), "Hướng dẫn nhanh") || strings.Contains(public.text("main"), r.Code) {
		t.Fatal("the statistics page shows a comment or a case")
	}
}
