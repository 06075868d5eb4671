package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/web"
)

// browser is a cookie-keeping HTTP client that uses the pages as a person
// would, without JavaScript: it reads the forms' hidden fields and posts
// them back.
type browser struct {
	t    *testing.T
	e    *env
	c    *http.Client
	last string // the body of the last page
}

func (e *env) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: e.t, e: e, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

type page struct {
	status   int
	body     string
	location string
}

func (b *browser) do(req *http.Request) page {
	b.t.Helper()
	res, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	p := page{status: res.StatusCode, body: string(body), location: res.Header.Get("Location")}
	if strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		b.last = p.body
	}
	return p
}

func (b *browser) get(path string) page {
	b.t.Helper()
	req, _ := http.NewRequest("GET", b.e.url+path, nil)
	return b.do(req)
}

// follow GETs the redirect target of p.
func (b *browser) follow(p page) page {
	b.t.Helper()
	if p.status != http.StatusSeeOther && p.status != http.StatusFound {
		b.t.Fatalf("want a redirect, got %d: %s", p.status, excerpt(p.body))
	}
	return b.get(p.location)
}

var hiddenRe = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`)

// hidden returns the hidden inputs of the form on the last page whose
// action is action.
func (b *browser) hidden(action string) url.Values {
	b.t.Helper()
	i := strings.Index(b.last, `action="`+action+`"`)
	if i < 0 {
		b.t.Fatalf("no form posting to %s on the page: %s", action, excerpt(b.last))
	}
	end := strings.Index(b.last[i:], "</form>")
	v := url.Values{}
	for _, m := range hiddenRe.FindAllStringSubmatch(b.last[i:i+end], -1) {
		v.Add(html.UnescapeString(m[1]), html.UnescapeString(m[2]))
	}
	return v
}

// post sends a form found on the last page (its hidden fields plus values),
// as multipart when files are given.
func (b *browser) post(action string, values url.Values, files map[string][]byte) page {
	b.t.Helper()
	all := b.hidden(action)
	for k, vs := range values {
		all[k] = vs
	}
	var req *http.Request
	if files == nil {
		req, _ = http.NewRequest("POST", b.e.url+action, strings.NewReader(all.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		for k, vs := range all {
			for _, v := range vs {
				_ = mw.WriteField(k, v)
			}
		}
		for field, content := range files {
			w, _ := mw.CreateFormFile(field, field+".pdf")
			_, _ = w.Write(content)
		}
		_ = mw.Close()
		req, _ = http.NewRequest("POST", b.e.url+action, &buf)
		req.Header.Set("Content-Type", mw.FormDataContentType())
	}
	req.Header.Set("Origin", b.e.url)
	return b.do(req)
}

func excerpt(s string) string {
	if i := strings.Index(s, `<main`); i >= 0 {
		s = s[i:]
	}
	if len(s) > 3000 {
		s = s[:3000]
	}
	return s
}

func (b *browser) signInCitizen(id, name string) {
	b.t.Helper()
	b.get("/dang-nhap")
	p := b.post("/dang-nhap", url.Values{"kind": {"citizen"}, "subject": {id}, "name": {name}}, nil)
	if p.status != http.StatusSeeOther {
		b.t.Fatalf("citizen sign-in: %d %s", p.status, excerpt(p.body))
	}
}

func (b *browser) signInOfficer(subject, agency string, roles ...string) {
	b.t.Helper()
	b.get("/dang-nhap")
	p := b.post("/dang-nhap", url.Values{"kind": {"officer"}, "subject": {subject}, "name": {"Cán bộ " + subject}, "agency": {agency}, "roles": roles}, nil)
	if p.status != http.StatusSeeOther {
		b.t.Fatalf("officer sign-in: %d %s", p.status, excerpt(p.body))
	}
}

// pdf is a small file the API accepts (sniffed as application/pdf).
var pdf = []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")

// exampleValues are the inputs that fill a procedure's generated form with
// its example, plus the applicant and delivery.
func exampleValues(t *testing.T, p *motcua.Procedure) url.Values {
	t.Helper()
	v, err := web.FormValues(p.Form, "form", p.ExampleForm)
	if err != nil {
		t.Fatalf("%s: %v", p.Code, err)
	}
	out := url.Values(v)
	out.Set("applicant.name", "Trần Thị Bích Ngọc")
	out.Set("applicant.id_number", "049188001234")
	out.Set("applicant.phone", "0905123456")
	out.Set("applicant.email", "ngoc@example.vn")
	out.Set("agency", p.Agencies[len(p.Agencies)-1])
	out.Set("delivery.method", p.Delivery[0])
	if p.Delivery[0] == motcua.DeliveryPost {
		out.Set("delivery.address", "12 Phan Chu Trinh, Tam Kỳ")
	}
	return out
}

func requiredDocs(p *motcua.Procedure) map[string][]byte {
	files := map[string][]byte{}
	for _, d := range p.Documents {
		if d.Required {
			files["doc."+d.Code] = pdf
		}
	}
	return files
}

var caseCodeRe = regexp.MustCompile(`<strong class="case-code">([A-Z0-9-]+)</strong>`)

// fileOnline fills the form of p at the page's address with values, goes
// through the review page and files; it returns the case code.
func (b *browser) fileOnline(formURL string, values url.Values, files map[string][]byte) string {
	b.t.Helper()
	if p := b.get(formURL); p.status != 200 {
		b.t.Fatalf("GET %s: %d %s", formURL, p.status, excerpt(p.body))
	}
	values.Set("_step", "review")
	p := b.post(formURL, values, files)
	if p.status != 200 || !strings.Contains(p.body, `name="_step" value="submit"`) {
		b.t.Fatalf("review of %s: %d %s", formURL, p.status, excerpt(p.body))
	}
	p = b.post(formURL, url.Values{"_step": {"submit"}}, nil)
	m := caseCodeRe.FindStringSubmatch(p.body)
	if p.status != http.StatusCreated || m == nil {
		b.t.Fatalf("submit %s: %d %s", formURL, p.status, excerpt(p.body))
	}
	return m[1]
}

// leafNames lists the input names a schema's form must have for value.
func leafNames(t *testing.T, schema json.RawMessage) []string {
	var s struct {
		Properties map[string]json.RawMessage `json:"properties"`
	}
	_ = json.Unmarshal(schema, &s)
	var out []string
	var walk func(prefix string, raw json.RawMessage)
	walk = func(prefix string, raw json.RawMessage) {
		var n struct {
			Type       any                        `json:"type"`
			Properties map[string]json.RawMessage `json:"properties"`
			Items      json.RawMessage            `json:"items"`
		}
		_ = json.Unmarshal(raw, &n)
		switch {
		case n.Type == "object":
			for k, v := range n.Properties {
				walk(prefix+"."+k, v)
			}
		case n.Type == "array":
			var it struct {
				Type any   `json:"type"`
				Enum []any `json:"enum"`
			}
			_ = json.Unmarshal(n.Items, &it)
			if len(it.Enum) > 0 {
				out = append(out, prefix)
			} else if it.Type == "object" {
				walk(prefix+".0", n.Items)
			} else {
				out = append(out, prefix+".0")
			}
		default:
			out = append(out, prefix)
		}
	}
	for k, v := range s.Properties {
		walk("form."+k, v)
	}
	slices.Sort(out)
	return out
}

// TestWebEveryProcedureForm: every definition's page renders, and every
// procedure filed online gets its form generated from its JSON Schema (an
// input for each field) and files its example form through it: form,
// review, receipt.
func TestWebEveryProcedureForm(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.signInCitizen("049188001234", "Trần Thị Bích Ngọc")
	filed := 0
	for _, p := range e.catalog.All() {
		t.Run(p.Code, func(t *testing.T) {
			b.t = t
			pg := b.get("/thu-tuc/" + p.Code)
			if pg.status != 200 || !strings.Contains(pg.body, html.EscapeString(p.Name.Vi)) {
				t.Fatalf("procedure page: %d", pg.status)
			}
			if p.Level < 3 || p.FirstInstance != "" {
				// A second-instance complaint is filed from its first case.
				if strings.Contains(pg.body, "/thu-tuc/"+p.Code+"/nop") {
					t.Fatal("a level 1–2 procedure offers online filing")
				}
				return
			}
			if p.Shape == motcua.ShapeFeedback {
				// Feedback has its own form, which the API fills in (issue 14).
				if !strings.Contains(pg.body, `href="/phan-anh/gui"`) {
					t.Fatal("the feedback procedure does not lead to the feedback form")
				}
				if r := b.get("/thu-tuc/" + p.Code + "/nop"); r.status != http.StatusSeeOther || r.location != "/phan-anh/gui" {
					t.Fatalf("the feedback procedure's filing page: %d %s", r.status, r.location)
				}
				return
			}
			form := b.get("/thu-tuc/" + p.Code + "/nop")
			if form.status != 200 {
				t.Fatalf("form page: %d %s", form.status, excerpt(form.body))
			}
			for _, name := range leafNames(t, p.Form) {
				if !strings.Contains(form.body, `name="`+name+`"`) {
					t.Errorf("form has no input %q", name)
				}
			}
			code := b.fileOnline("/thu-tuc/"+p.Code+"/nop", exampleValues(t, p), requiredDocs(p))
			if p.Shape == motcua.ShapeDenunciation {
				// The denouncer's identity is sealed away from the case (issue
				// 12): no account owns it; the receipt's code and secret follow it.
				m := regexp.MustCompile(`<strong class="secret">([^<]+)</strong>`).FindStringSubmatch(b.last)
				if m == nil {
					t.Fatalf("the receipt shows no secret: %s", excerpt(b.last))
				}
				b.get("/tra-cuu")
				pg := b.post("/tra-cuu", url.Values{"code": {code}, "secret": {m[1]}}, nil)
				if pg.status == http.StatusSeeOther {
					pg = b.follow(pg)
				}
				if pg.status != 200 || !strings.Contains(pg.body, code) {
					t.Fatalf("look-up of the denunciation by its secret: %d %s", pg.status, excerpt(pg.body))
				}
				filed++
				return
			}
			cs := b.get("/ho-so/" + code)
			if cs.status != 200 || !strings.Contains(cs.body, code) {
				t.Fatalf("case page: %d", cs.status)
			}
			filed++
		})
	}
	b.t = t
	if filed < 40 {
		t.Fatalf("only %d procedures filed online", filed)
	}
}

// TestWebFormErrors: a wrong field comes back the GOV.UK way — the summary
// at the top linking to the field, the message beside it, everything typed
// kept — in Vietnamese, and in English when asked.
func TestWebFormErrors(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.signInCitizen("049188001234", "Trần Thị Bích Ngọc")
	p, _ := e.catalog.Get("cap-ban-sao-bang-tot-nghiep")
	v := exampleValues(t, p)
	v.Set("form.requester.citizen_id", "12345")
	b.get("/thu-tuc/" + p.Code + "/nop")
	v.Set("_step", "review")
	pg := b.post("/thu-tuc/"+p.Code+"/nop", v, requiredDocs(p))
	if pg.status != http.StatusUnprocessableEntity {
		t.Fatalf("status %d", pg.status)
	}
	for _, want := range []string{
		`class="error-summary"`, `href="#f-form-requester-citizen_id"`, `id="f-form-requester-citizen_id-error"`,
		`value="12345"`, `value="Võ Thị Kim Thoa"`, "Không đúng định dạng",
		`name="docref.don"`, // the file chosen is kept
	} {
		if !strings.Contains(pg.body, want) {
			t.Errorf("no %s in %s", want, excerpt(pg.body))
		}
	}
	// The summary comes before the form.
	if strings.Index(pg.body, "error-summary") > strings.Index(pg.body, "<form method=\"post\" action=\"/thu-tuc/") {
		t.Error("the error summary is not at the top")
	}
	b.get("/thu-tuc/" + p.Code + "/nop?lang=en")
	pg = b.post("/thu-tuc/"+p.Code+"/nop", v, nil)
	if !strings.Contains(pg.body, `<html lang="en">`) || !strings.Contains(pg.body, "Not in the right format") || !strings.Contains(pg.body, "There is a problem") {
		t.Errorf("English errors: %s", excerpt(pg.body))
	}
}

// TestWebCSRF: a form post without the session's token is refused, and so
// is one from another site.
func TestWebCSRF(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.get("/tra-cuu")
	req, _ := http.NewRequest("POST", e.url+"/tra-cuu", strings.NewReader("code=X&secret=Y&csrf=forged"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if p := b.do(req); p.status != http.StatusForbidden {
		t.Fatalf("forged token: %d", p.status)
	}
	b.get("/tra-cuu")
	v := b.hidden("/tra-cuu")
	req, _ = http.NewRequest("POST", e.url+"/tra-cuu", strings.NewReader(v.Encode()+"&code=X&secret=Y"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if p := b.do(req); p.status != http.StatusForbidden {
		t.Fatalf("cross-site post: %d", p.status)
	}
	b.get("/tra-cuu")
	if p := b.post("/tra-cuu", url.Values{"code": {"X"}, "secret": {"Y"}}, nil); p.status != http.StatusUnprocessableEntity {
		t.Fatalf("a good post: %d", p.status)
	}
}

func TestWebSearchPaging(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	total := len(e.catalog.All())
	seen := map[string]bool{}
	next := "/"
	for pages := 0; next != "" && pages < 20; pages++ {
		p := b.get(next)
		if p.status != 200 {
			t.Fatalf("%s: %d", next, p.status)
		}
		for _, m := range regexp.MustCompile(`<a class="result-link" href="/thu-tuc/([a-z0-9-]+)">`).FindAllStringSubmatch(p.body, -1) {
			seen[m[1]] = true
		}
		next = ""
		if m := regexp.MustCompile(`<a href="([^"]+)" rel="next">`).FindStringSubmatch(p.body); m != nil {
			next = html.UnescapeString(m[1])
		}
	}
	if len(seen) != total {
		t.Fatalf("paging reached %d of %d procedures", len(seen), total)
	}
	if p := b.get("/?q=zzzzqqqx"); !strings.Contains(p.body, "Không có thủ tục nào phù hợp") {
		t.Fatal("no-result search")
	}
	if p := b.get("/thu-tuc/khong-co"); p.status != 404 {
		t.Fatalf("unknown procedure: %d", p.status)
	}
	_ = fmt.Sprint
}

// TestWebInboxAndLists: the inbox counts per status, filters and marks
// what is overdue; a list in a form grows and shrinks with its buttons
// (no JavaScript), keeping what was typed.
func TestWebInboxAndLists(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.signInCitizen("049188001234", "Trần Thị Bích Ngọc")
	first := b.fileAt(t, e, "cap-giay-phep-xay-dung", nil)
	second := b.fileAt(t, e, "cap-giay-phep-xay-dung", nil)
	desk := e.browser()
	desk.signInOfficer("tn", "SXD", "receiver", "reviewer")
	desk.act(actionCoverage{}, first, motcua.ActionReceive, nil, vals("note", ""), nil)
	inbox := desk.get("/can-bo")
	for _, want := range []string{`href="/ho-so/` + first + `"`, `href="/ho-so/` + second + `"`,
		`Chờ tiếp nhận <span class="count">1</span>`, `Đang thẩm định <span class="count">1</span>`, `Tất cả <span class="count">2</span>`} {
		if !strings.Contains(inbox.body, want) {
			t.Errorf("inbox lacks %s: %s", want, excerpt(inbox.body))
		}
	}
	filtered := desk.get("/can-bo?status=submitted")
	if strings.Contains(filtered.body, `href="/ho-so/`+first+`"`) || !strings.Contains(filtered.body, `href="/ho-so/`+second+`"`) {
		t.Errorf("status filter: %s", excerpt(filtered.body))
	}
	if p := desk.get("/can-bo?overdue=true"); strings.Contains(p.body, `href="/ho-so/`) {
		t.Error("an on-time case listed as overdue")
	}
	if p := b.get("/can-bo"); p.status != http.StatusForbidden {
		t.Errorf("a citizen opened the inbox: %d", p.status)
	}
	mine := b.get("/ho-so-cua-toi")
	if !strings.Contains(mine.body, first) || !strings.Contains(mine.body, second) {
		t.Errorf("my cases: %s", excerpt(mine.body))
	}

	// Lists: the household business form lists its members.
	p, _ := e.catalog.Get("dang-ky-thanh-lap-ho-kinh-doanh")
	formURL := "/thu-tuc/" + p.Code + "/nop"
	form := b.get(formURL)
	m := regexp.MustCompile(`name="_op" value="add:([a-z_.]+)"`).FindStringSubmatch(form.body)
	if m == nil {
		t.Fatalf("no add button: %s", excerpt(form.body))
	}
	list := m[1]
	before := strings.Count(form.body, `name="`+list+`.`)
	v := url.Values{"_op": {"add:" + list}, "applicant.phone": {"0905000111"}}
	added := b.post(formURL, v, nil)
	if added.status != 200 || strings.Count(added.body, `name="`+list+`.`) <= before || !strings.Contains(added.body, `value="0905000111"`) ||
		strings.Contains(added.body, "error-summary") {
		t.Fatalf("add: %d %s", added.status, excerpt(added.body))
	}
	removed := b.post(formURL, url.Values{"_op": {"del:" + list + ":0"}}, nil)
	if removed.status != 200 || strings.Count(removed.body, `name="`+list+`.`) != before {
		t.Fatalf("remove: %d, %d inputs, want %d", removed.status, strings.Count(removed.body, `name="`+list+`.`), before)
	}
}

// TestAPIErrorsFollowAcceptLanguage: the API answers its errors in
// Vietnamese by default and in English when asked, fields included.
func TestAPIErrorsFollowAcceptLanguage(t *testing.T) {
	e := newEnv(t)
	var vi, en struct {
		Error motcua.Error `json:"error"`
	}
	e.call("GET", "/api/v1/procedures/khong-co", "", nil).json(&vi)
	e.call("GET", "/api/v1/procedures/khong-co", "", nil, "Accept-Language", "en-US,en;q=0.9").json(&en)
	if vi.Error.Message != `Không có thủ tục "khong-co".` || en.Error.Message != `There is no procedure "khong-co".` {
		t.Fatalf("vi %q, en %q", vi.Error.Message, en.Error.Message)
	}
	tok := e.citizen("049188001234")
	body := e.submission("cap-ban-sao-bang-tot-nghiep", motcua.DeliveryCounter)
	body["form"].(map[string]any)["copies"] = 0
	body["applicant"].(map[string]any)["phone"] = "12"
	r := e.call("POST", "/api/v1/cases", tok, body, "Idempotency-Key", randomHex(8), "Accept-Language", "en")
	r.json(&en)
	if r.status != 422 || en.Error.Fields["form.copies"] != "The smallest value allowed is 1" ||
		en.Error.Fields["applicant.phone"] != "The phone number is not right (for example 0905123456)." {
		t.Fatalf("%d %+v", r.status, en.Error)
	}
}

// TestWebCounterFilingOfImportedProcedure: the desk files, through the
// page, a level-2 procedure imported from the national database (its
// generated letter form), which citizens cannot file online.
func TestWebCounterFilingOfImportedProcedure(t *testing.T) {
	dir, p := importedCatalogue(t)
	e := newEnv(t, func(o *envOptions) { o.proceduresDir = dir })
	citizen := e.browser()
	citizen.signInCitizen("049090001234", "Lê Minh Tuấn")
	if pg := citizen.get("/thu-tuc/" + p.Code + "/nop"); pg.status != http.StatusNotFound {
		t.Fatalf("a level-2 procedure offered online: %d", pg.status)
	}
	desk := e.browser()
	desk.signInOfficer("motcua.stp", "STP", "receiver")
	if pg := desk.get("/can-bo/nop-ho-so?q=" + url.QueryEscape("luat su ca nhan")); !strings.Contains(pg.body, `href="/can-bo/nop-ho-so/`+p.Code+`"`) {
		t.Fatalf("the counter search lacks %s: %s", p.Code, excerpt(pg.body))
	}
	v := url.Values{"applicant.name": {"Lê Minh Tuấn"}, "applicant.id_number": {"049090001234"}, "delivery.method": {motcua.DeliveryCounter},
		"form.applicant.name": {"Lê Minh Tuấn"}, "form.applicant.address": {"Tam Kỳ"}, "form.applicant.phone": {"0905123456"},
		"form.request": {"Đăng ký hành nghề luật sư với tư cách cá nhân"}}
	code := desk.fileOnline("/can-bo/nop-ho-so/"+p.Code, v, nil)
	if !strings.HasPrefix(code, "STP-") {
		t.Fatalf("code %s", code)
	}
	if pg := desk.get("/ho-so/" + code); !strings.Contains(pg.body, "tại quầy") || !strings.Contains(pg.body, `id="act-receive"`) {
		t.Fatalf("the counter case: %s", excerpt(pg.body))
	}
}
