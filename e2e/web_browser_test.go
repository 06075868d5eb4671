package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/motcua/motcua"
)

// The browser tests drive the system Chromium (headless) through the
// pages: .ci/run installs it from the distribution and axe-core from npm
// (web/tools). Screenshots go to web/screenshots/ for review.

const screenshotDir = "../web/screenshots"

func chromiumPath() string {
	for _, p := range []string{os.Getenv("MOTCUA_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"} {
		if p == "" {
			continue
		}
		if _, err := exec.LookPath(p); err == nil {
			return p
		}
	}
	return ""
}

// startBrowser starts one headless Chromium for the test; each person in
// the journey gets a browser context of their own (their own cookies).
func startBrowser(t *testing.T) (context.Context, string) {
	// Without a browser the journey is skipped on a developer's machine,
	// never in CI, which installs both.
	missing := t.Skip
	if os.Getenv("CI") != "" {
		missing = t.Fatal
	}
	path := chromiumPath()
	if path == "" {
		missing("Chromium is not installed (.ci/run installs it: apt-get install -y chromium)")
	}
	axe, err := os.ReadFile("../web/tools/node_modules/axe-core/axe.min.js")
	if err != nil {
		missing("axe-core is not installed (.ci/run installs it: npm ci in web/tools)")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.WindowSize(1280, 900),
	}
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	bctx, cancelB := chromedp.NewContext(actx)
	t.Cleanup(cancelB)
	if err := chromedp.Do(bctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return bctx, string(axe)
}

// tab is one person's browser context.
type tab struct {
	t     *testing.T
	ctx   context.Context
	base  string
	lang  string
	axe   string
	shots bool
	who   string
}

func newTab(t *testing.T, browser context.Context, base, lang, axe, who string) *tab {
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	b := &tab{t: t, ctx: ctx, base: base, lang: lang, axe: axe, who: who, shots: lang == "vi"}
	// The first run makes the tab: no timeout on it, or the tab dies with
	// the timeout's context.
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/?lang="+lang)); err != nil {
		t.Fatalf("%s: open a tab: %v", who, err)
	}
	return b
}

func (b *tab) do(steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.t.Fatalf("%s: %v (at %s)", b.who, err, b.url())
	}
}

func (b *tab) url() string {
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	u, _ := chromedp.Run(ctx, chromedp.Location())
	return u
}

func (b *tab) open(path string) { b.t.Helper(); b.do(chromedp.Navigate(b.base + path)) }

// click clicks sel and waits for the page it leads to.
func (b *tab) click(sel string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 60*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.WaitEvent(cdppage.LoadEventFired, nil, chromedp.Click(chromedp.CSS(sel)))); err != nil {
		b.t.Fatalf("%s: click %s: %v (at %s)", b.who, sel, err, b.url())
	}
}

func evalJS[T any](b *tab, js string) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 60*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("%s: eval: %v (at %s)", b.who, err, b.url())
	}
	return v
}

func (b *tab) has(sel string) bool {
	b.t.Helper()
	q, _ := json.Marshal(sel)
	return evalJS[bool](b, fmt.Sprintf(`document.querySelector(%s) !== null`, q))
}

func (b *tab) text(sel string) string {
	b.t.Helper()
	q, _ := json.Marshal(sel)
	return evalJS[string](b, fmt.Sprintf(`(document.querySelector(%s) || {innerText: ""}).innerText`, q))
}

type axeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// check runs axe-core on the page as it stands (0 violations of any
// impact), checks the page speaks the tab's language, and, for the
// reviewed states, writes screenshots at 1280 and 390 px.
func (b *tab) check(state string) {
	b.t.Helper()
	if lang := evalJS[string](b, `document.documentElement.lang`); lang != b.lang {
		b.t.Errorf("%s: <html lang=%q>, want %q", state, lang, b.lang)
	}
	if !evalJS[bool](b, `typeof axe !== "undefined"`) {
		evalJS[bool](b, b.axe+"\n;true")
	}
	raw := evalJS[string](b, `axe.run(document).then(r => JSON.stringify({passes: r.passes.length, violations: r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(" ") + " " + n.html.slice(0, 160))}))}))`)
	var res struct {
		Passes     int            `json:"passes"`
		Violations []axeViolation `json:"violations"`
	}
	if err := json.Unmarshal([]byte(raw), &res); err != nil || res.Passes < 10 {
		b.t.Fatalf("%s: axe did not run (%v): %s", state, err, raw)
	}
	for _, v := range res.Violations {
		b.t.Errorf("axe [%s] %s: %s (%s): %s", b.lang, state, v.ID, v.Impact, strings.Join(v.Nodes, " | "))
	}
	if b.shots || englishShots[state] {
		b.screenshot(state)
	}
}

func (b *tab) screenshot(state string) {
	b.t.Helper()
	if err := os.MkdirAll(screenshotDir, 0o755); err != nil {
		b.t.Fatal(err)
	}
	for _, w := range []int64{1280, 390} {
		ctx, cancel := context.WithTimeout(b.ctx, 60*time.Second)
		err := chromedp.Do(ctx, chromedp.EmulateViewport(w, 900))
		var png []byte
		if err == nil {
			png, err = chromedp.Run(ctx, chromedp.FullScreenshot(100))
		}
		cancel()
		if err != nil {
			b.t.Fatalf("screenshot %s: %v", state, err)
		}
		name := filepath.Join(screenshotDir, fmt.Sprintf("%s-%d.png", state, w))
		if b.lang != "vi" {
			name = filepath.Join(screenshotDir, fmt.Sprintf("%s-%s-%d.png", state, b.lang, w))
		}
		if err := os.WriteFile(name, png, 0o644); err != nil {
			b.t.Fatal(err)
		}
	}
	b.do(chromedp.EmulateViewport(1280, 900))
}

// fill sets the form's inputs by name (radios and checkboxes by value), as
// a person would by typing and clicking; it returns the names it found no
// input for.
func (b *tab) fill(values url.Values) []string {
	b.t.Helper()
	data, _ := json.Marshal(values)
	var missing []string
	out := evalJS[[]string](b, `(() => {
		const vals = `+string(data)+`; const missing = [];
		for (const [name, vs] of Object.entries(vals)) {
			const els = document.getElementsByName(name);
			if (els.length === 0) { missing.push(name); continue; }
			for (const el of els) {
				if (el.type === "radio" || el.type === "checkbox") el.checked = vs.includes(el.value);
				else if (el.type !== "hidden" && el.type !== "file") el.value = vs[0];
			}
		}
		return missing; })()`)
	missing = append(missing, out...)
	return missing
}

func (b *tab) signIn(kind, subject, name, agency string, roles ...string) {
	b.t.Helper()
	if !strings.Contains(b.url(), "/dang-nhap") {
		b.open("/dang-nhap")
	}
	b.check("sign-in")
	b.do(chromedp.Click(chromedp.CSS("#kind-" + kind)))
	b.do(chromedp.SendKeys(chromedp.CSS("#subject"), subject), chromedp.SendKeys(chromedp.CSS("#name"), name))
	if kind == "officer" {
		evalJS[bool](b, `(document.getElementById("agency").value = "`+agency+`") !== ""`)
		for _, r := range roles {
			b.do(chromedp.Click(chromedp.CSS("#role-" + r)))
		}
	}
	b.click(`form[action="/dang-nhap"] button[type=submit]`)
	if strings.Contains(b.url(), "/dang-nhap") {
		b.t.Fatalf("%s: sign-in failed: %s", b.who, b.text("main"))
	}
}

// keyboard tabs through the page from the top: the skip link comes first,
// focus follows the order of the page, and every control is reached (a
// radio group once).
func (b *tab) keyboard(state string) {
	b.t.Helper()
	b.do(chromedp.Navigate(b.url()))
	// Number the controls in page order; a radio group is one stop.
	n := evalJS[int](b, `(() => {
		const els = [...document.querySelectorAll("a[href], button, input:not([type=hidden]), select, textarea")]
			.filter(el => !el.disabled && (el.offsetParent !== null || el.classList.contains("skip-link")));
		const groups = {}; let k = 0;
		for (const el of els) {
			if (el.type === "radio") {
				if (!(el.name in groups)) groups[el.name] = k++;
				el.dataset.k = groups[el.name];
			} else el.dataset.k = k++;
		}
		return k; })()`)
	var visited []int
	for range n {
		b.do(chromedp.KeyEvent(kb.Tab))
		visited = append(visited, evalJS[int](b, `(document.activeElement && document.activeElement.dataset.k !== undefined) ? Number(document.activeElement.dataset.k) : -1`))
	}
	if !b.has(".skip-link[data-k='0']") || visited[0] != 0 {
		b.t.Errorf("%s: the first Tab reaches control %d, not the skip link", state, visited[0])
	}
	last := -1
	for _, k := range visited {
		if k < 0 {
			continue
		}
		if k < last {
			b.t.Errorf("%s: focus went back from control %d to %d (of %d): %v", state, last, k, n, visited)
			break
		}
		last = k
	}
	for k := range n {
		if !slices.Contains(visited, k) {
			q := fmt.Sprintf("[data-k='%d']", k)
			b.t.Errorf("%s: Tab never reaches %s", state, evalJS[string](b, `document.querySelector("`+q+`").outerHTML.slice(0, 200)`))
		}
	}
}

// englishShots are the states also photographed in English.
var englishShots = map[string]bool{"home": true, "file-form-errors": true, "case-pay": true, "inbox": true, "citizen-case-result": true}

// approvedLevel4 files a business registration for citizen through the
// API, takes it through approval and waits for its online payment order.
func approvedLevel4(t *testing.T, e *env, citizen string) receipt {
	t.Helper()
	desk := e.officer("tiepnhan", "SKHDT", "receiver", "reviewer", "approver")
	body := e.submission(business, motcua.DeliveryOnline)
	body["applicant"] = map[string]any{"name": "Hồ Công Sơn", "id_number": citizen, "phone": "0905123456"}
	body["form"].(map[string]any)["enterprise"].(map[string]any)["name_vi"] = "Công ty TNHH Thử Nghiệm " + randomHex(3)
	var r receipt
	e.must(e.call("POST", "/api/v1/cases", e.citizen(citizen), body, "Idempotency-Key", randomHex(8)), 201).json(&r)
	for _, a := range []motcua.Action{motcua.ActionReceive, motcua.ActionReview, motcua.ActionApprove} {
		e.actOK(desk, r.Code, a, nil)
	}
	e.waitFor(desk, r.Code, "ordered a payment", func(c motcua.Case) bool {
		return len(c.Payments) > 0 && c.Payments[len(c.Payments)-1].PayURL != ""
	})
	return r
}

var paidText = map[string]string{"vi": "Đã thanh toán", "en": "Paid"}

// TestWebBrowserJourney walks the people's side in a real browser, once in
// Vietnamese and once in English, with axe-core on every page state.
func TestWebBrowserJourney(t *testing.T) {
	browser, axe := startBrowser(t)
	for _, lang := range []string{"vi", "en"} {
		t.Run(lang, func(t *testing.T) { journey(t, browser, axe, lang) })
	}
}

const journeyProc = "cap-giay-phep-xay-dung-nha-o-rieng-le" // level 4, district; no fee online (Đà Nẵng NQ 14/2025/NQ-HĐND)

func journey(t *testing.T, browser context.Context, axe, lang string) {
	e := newEnv(t)
	p, _ := e.catalog.Get(journeyProc)
	citizen := newTab(t, browser, e.url, lang, axe, "citizen")

	// Find the procedure: every result is a link, reached by keyboard.
	citizen.check("home")
	if lang == "vi" {
		citizen.keyboard("home")
	}
	citizen.do(chromedp.SendKeys(chromedp.CSS("#q"), "giay phep xay dung nha o"))
	citizen.click(`form.search-form button[type=submit]`)
	citizen.check("search-results")
	if lang == "vi" {
		citizen.keyboard("search-results")
	}
	citizen.click(`a.result-link[href="/thu-tuc/` + journeyProc + `"]`)
	citizen.check("procedure")
	citizen.click(`a.button[href="/thu-tuc/` + journeyProc + `/nop"]`)
	if !strings.Contains(citizen.url(), "/dang-nhap") {
		t.Fatalf("filing without signing in went to %s", citizen.url())
	}
	citizen.signIn("citizen", "049188001234", "Trần Thị Bích Ngọc", "")
	if !strings.HasSuffix(citizen.url(), "/thu-tuc/"+journeyProc+"/nop") {
		t.Fatalf("after sign-in: %s", citizen.url())
	}
	citizen.check("file-form")
	if lang == "vi" {
		citizen.keyboard("file-form")
	}

	// One wrong field first: the summary, the message, the input kept.
	v := exampleValues(t, p)
	v.Set("agency", "UBND-TAMKY")
	v.Set("delivery.method", motcua.DeliveryOnline)
	v.Del("form.owner.citizen_id")
	if missing := citizen.fill(v); len(missing) > 0 {
		t.Fatalf("the form has no inputs for %v", missing)
	}
	citizen.do(chromedp.SendKeys(chromedp.CSS("#f-form-owner-citizen_id"), "12345"))
	pdfPath := filepath.Join(t.TempDir(), "ban-ve.pdf")
	_ = os.WriteFile(pdfPath, pdf, 0o644)
	for _, d := range p.Documents {
		if d.Required {
			citizen.do(chromedp.SetUploadFiles(chromedp.CSS("#doc-"+d.Code), []string{pdfPath}))
		}
	}
	citizen.click(`button[name="_step"][value="review"]`)
	if !citizen.has(".error-summary a[href='#f-form-owner-citizen_id']") || !citizen.has("#f-form-owner-citizen_id-error") {
		t.Fatalf("no error summary for the wrong field: %s", citizen.text("main"))
	}
	if !evalJS[bool](citizen, `document.activeElement.classList.contains("error-summary")`) {
		t.Error("focus is not on the error summary")
	}
	if got := evalJS[string](citizen, `document.getElementById("f-form-owner-citizen_id").value`); got != "12345" {
		t.Errorf("the wrong value was not kept: %q", got)
	}
	if got := evalJS[string](citizen, `document.getElementById("f-form-owner-full_name").value`); got == "" {
		t.Error("the other inputs were not kept")
	}
	citizen.check("file-form-errors")
	// The summary's link leads to the field.
	citizen.do(chromedp.Click(chromedp.CSS(".error-summary a")))
	if id := evalJS[string](citizen, `document.activeElement.id`); id != "f-form-owner-citizen_id" {
		t.Errorf("the summary link focuses %q", id)
	}
	citizen.do(chromedp.SetValue(chromedp.CSS("#f-form-owner-citizen_id"), "049188001234"))
	citizen.click(`button[name="_step"][value="review"]`)
	citizen.check("file-review")
	citizen.click(`button[name="_step"][value="submit"]`)
	citizen.check("file-receipt")
	code := citizen.text(".case-code")
	if !regexp.MustCompile(`^UBND-TAMKY-\d{6}-\d{4}$`).MatchString(code) {
		t.Fatalf("receipt code %q", code)
	}
	if secret := citizen.text(".secret"); len(secret) != 10 {
		t.Fatalf("receipt secret %q", secret)
	}

	// The officer receives it and asks for more.
	officer := newTab(t, browser, e.url, lang, axe, "officer")
	officer.signIn("officer", "tiepnhan", "Nguyễn Văn Tiếp", "UBND-TAMKY", "receiver", "reviewer", "approver", "cashier")
	officer.open("/can-bo")
	officer.check("inbox")
	officer.click(`a[href="/ho-so/` + code + `"]`)
	officer.check("officer-case")
	officer.do(chromedp.SendKeys(chromedp.CSS("#act-receive-note"), "Hồ sơ đủ thành phần"))
	officer.click(`#act-receive button[type=submit]`)
	officer.check("officer-case-received")
	officer.do(chromedp.SendKeys(chromedp.CSS("#act-request_info-reason"), "Bổ sung bản vẽ mặt bằng có chữ ký"))
	officer.click(`#act-request_info button[type=submit]`)

	// The citizen supplements online.
	citizen.open("/ho-so-cua-toi")
	citizen.check("my-cases")
	citizen.click(`a[href="/ho-so/` + code + `"]`)
	citizen.check("citizen-case-asked")
	citizen.do(chromedp.SetUploadFiles(chromedp.CSS("#act-supplement-file"), []string{pdfPath}),
		chromedp.SendKeys(chromedp.CSS("#act-supplement-note"), "Đã bổ sung bản vẽ"))
	citizen.click(`#act-supplement button[type=submit]`)
	citizen.check("citizen-case-supplemented")

	// Officers review, approve and issue: a permit filed online costs nothing.
	officer.open("/ho-so/" + code)
	officer.click(`#act-review button[type=submit]`)
	officer.click(`#act-approve button[type=submit]`)
	officer.do(chromedp.SendKeys(chromedp.CSS("#act-issue-data-number"), "GPXD-123/2026"))
	officer.click(`#act-issue button[type=submit]`)
	officer.check("officer-case-issued")

	// The citizen sees the result and verifies it.
	citizen.open("/ho-so/" + code)
	if !strings.Contains(citizen.text("main"), "GPXD-123/2026") {
		t.Fatalf("the result is not on the case page: %s", citizen.text("main"))
	}
	citizen.check("citizen-case-result")
	citizen.click(`.doc-list a[href^="/xac-minh/"][href*="result"]`)
	if !citizen.has(".panel-confirm") {
		t.Fatalf("the result does not verify: %s", citizen.text("main"))
	}
	citizen.check("verify")

	// Look-up by code and secret shows the same case page.
	lookup := newTab(t, browser, e.url, lang, axe, "look-up")
	lookup.open("/tra-cuu")
	lookup.check("lookup")
	body := e.submission(journeyProc, motcua.DeliveryCounter)
	body["agency"] = "UBND-HOIAN"
	var r receipt
	e.must(e.call("POST", "/api/v1/cases", e.citizen("049188009999"), body, "Idempotency-Key", randomHex(8)), 201).json(&r)
	lookup.do(chromedp.SendKeys(chromedp.CSS("#code"), r.Code), chromedp.SendKeys(chromedp.CSS("#secret"), r.Secret))
	lookup.click(`form[action="/tra-cuu"] button[type=submit]`)
	if !strings.HasSuffix(lookup.url(), "/ho-so/"+r.Code) {
		t.Fatalf("look-up went to %s", lookup.url())
	}
	lookup.check("lookup-case")

	// Level 4 paid on the gateway's page.
	l4 := approvedLevel4(t, e, "049090001234")
	payer := newTab(t, browser, e.url, lang, axe, "payer")
	payer.signIn("citizen", "049090001234", "Hồ Công Sơn", "")
	payer.open("/ho-so/" + l4.Code)
	payer.check("case-pay")
	payer.click(`a.button[href^="` + e.simURL + `"]`)
	payer.click(`button[value="success"]`)
	deadline := time.Now().Add(30 * time.Second)
	for {
		payer.open("/ho-so/" + l4.Code)
		if strings.Contains(payer.text("section[aria-labelledby=s-pay]"), paidText[lang]) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the payment never showed as paid: %s", payer.text("main"))
		}
		time.Sleep(300 * time.Millisecond)
	}
	payer.check("case-paid")

	// A counter filing by the desk officer, with a printable receipt.
	officer.open("/can-bo/nop-ho-so?q=" + url.QueryEscape("nha o rieng le"))
	officer.check("counter-search")
	officer.click(`a.result-link[href="/can-bo/nop-ho-so/` + journeyProc + `"]`)
	officer.check("counter-form")
	cv := exampleValues(t, p)
	cv.Del("agency")
	cv.Set("delivery.method", motcua.DeliveryCounter)
	if missing := officer.fill(cv); len(missing) > 0 {
		t.Fatalf("the counter form has no inputs for %v", missing)
	}
	officer.click(`button[name="_step"][value="review"]`)
	officer.check("counter-review")
	officer.click(`button[name="_step"][value="submit"]`)
	officer.check("counter-receipt")
	if c := officer.text(".case-code"); !strings.HasPrefix(c, "UBND-TAMKY-") {
		t.Fatalf("counter receipt %q: %s", c, officer.text("main"))
	}
}
