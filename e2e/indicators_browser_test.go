package e2e

import (
	"strings"
	"testing"

	"github.com/motcua/motcua"
)

// The public page of the Decision 766 indicators and the roadmap, reached
// from the statistics page: charts with their tables, axe-core clean,
// screenshots at 1280 and 390 px for review, nothing that names a person.
func TestWebIndicatorsPage(t *testing.T) {
	browser, axe := startBrowser(t)
	e := newEnv(t)
	owner := e.citizen("079201001234")
	r := e.submit(owner, business, motcua.DeliveryCounter)
	e.actOK(owner, r.Code, motcua.ActionWithdraw, map[string]any{"reason": "Không còn nhu cầu"})
	e.must(e.call("PUT", "/api/v1/cases/"+r.Code+"/rating", owner, rating(4)), 201)

	for _, lang := range []string{"vi", "en"} {
		public := newTab(t, browser, e.url, lang, axe, "public")
		public.open("/thong-ke")
		if !public.has(`a[href="/thong-ke/chi-so"]`) {
			t.Fatalf("%s: the statistics page has no link to the indicators", lang)
		}
		public.open("/thong-ke/chi-so")
		main := public.text("main")
		if !public.has("#chart-rates-svgtitle") || !public.has("#chart-levels-svgtitle") {
			t.Fatalf("%s: indicators page without its charts: %s", lang, public.text("body"))
		}
		want := map[string][]string{
			"vi": {"Quyết định 766/QĐ-TTg", "Tỷ lệ hồ sơ trực tuyến", "Chưa tính được", "Lộ trình cung cấp dịch vụ công trực tuyến", "2013-12-31"},
			"en": {"Decision 766/QĐ-TTg", "Cases submitted online", "Not computed", "Roadmap of online public services", "2013-12-31"},
		}[lang]
		for _, w := range want {
			if !strings.Contains(main, w) {
				t.Errorf("%s: the page lacks %q: %s", lang, w, main)
			}
		}
		for _, personal := range []string{"079201001234", r.Code, "nhiệt tình"} {
			if strings.Contains(main, personal) {
				t.Errorf("%s: the indicators page shows %q", lang, personal)
			}
		}
		public.check("indicators")
	}
}
