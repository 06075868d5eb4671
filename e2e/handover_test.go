package e2e

import (
	"context"
	"encoding/json"
	"log/slog"
	"maps"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"go.temporal.io/sdk/client"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/config"
	"github.com/motcua/motcua/system"
	"github.com/motcua/motcua/workflows"
)

// Hand-over of open cases (issue 13): an administrator moves the open cases
// of a unit that lost a competence to its successor for each procedure.

func (e *env) admin() string { return e.login(`{"role":"admin","subject":"quantri"}`) }

// waitHandover polls the hand-over until it is done.
func waitHandover(t *testing.T, call func(method, path, token string, body any, headers ...string) resp, admin, id string) motcua.Handover {
	t.Helper()
	var h motcua.Handover
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		r := call("GET", "/api/v1/handovers/"+id, admin, nil)
		if r.status == 200 {
			r.json(&h)
			if h.Status == workflows.HandoverDone {
				return h
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("hand-over %s not done in time: %+v", id, h)
	return h
}

// handedOverEvents are the hand-over entries of a case's timeline.
func handedOverEvents(c motcua.Case) []motcua.Event {
	var out []motcua.Event
	for _, ev := range c.Timeline {
		if ev.Action == motcua.EventHandedOver {
			out = append(out, ev)
		}
	}
	return out
}

type planAnswer struct {
	ID         string `json:"id"`
	Moves      int    `json:"moves"`
	Procedures []struct {
		Procedure string `json:"procedure"`
		Open      int    `json:"open"`
		To        string `json:"to"`
		Stays     bool   `json:"stays"`
		ByAddress bool   `json:"by_address"`
	} `json:"procedures"`
}

// A split transfer: on 1 March 2025 press went from Information and
// Communications to Culture, post to Science and Technology. A hand-over
// naming press moves only the press cases; each keeps its code, due date
// and receipt, and its timeline says who handled what.
func TestHandoverSplitTransfer(t *testing.T) {
	ict := time.FixedZone("ICT", 7*3600)
	e := newEnv(t, func(o *envOptions) {
		o.filing = func() time.Time { return time.Date(2025, 2, 28, 10, 0, 0, 0, ict) }
	})
	citizen := e.citizen("049188001234")
	const press, post = "thong-bao-to-chuc-hop-bao", "cap-giay-phep-buu-chinh"
	var pressCases, postCases []string
	for range 3 {
		pressCases = append(pressCases, e.submit(citizen, press, motcua.DeliveryOnline).Code)
	}
	for range 2 {
		postCases = append(postCases, e.submit(citizen, post, motcua.DeliveryOnline).Code)
	}
	// One press case is received: its open tasks are the reviewer's, it
	// has a due date and a receipt.
	desk := e.officer("tiepnhan.tttt", "STTTT", "receiver")
	e.actOK(desk, pressCases[0], motcua.ActionReceive, map[string]any{"note": "Đủ"})
	before := waitFor(t, e, pressCases[0], func(c *motcua.Case) bool {
		return c.DueAt != nil && slices.ContainsFunc(c.Documents, func(d motcua.Document) bool { return d.Kind == motcua.DocumentReceipt })
	})

	admin := e.admin()
	// Nobody but an administrator.
	if r := e.call("POST", "/api/v1/handovers", desk, map[string]any{"from": "STTTT", "dry_run": true}); r.status != 403 {
		t.Fatalf("officer's hand-over: %d %s", r.status, r.body)
	}
	if r := e.call("POST", "/api/v1/handovers", admin, map[string]any{"from": "NOPE", "dry_run": true}); r.status != 400 && r.status != 422 {
		t.Fatalf("unknown agency: %d %s", r.status, r.body)
	}

	// The dry run of the whole unit: press to Culture, post to Science
	// and Technology, nothing moved yet.
	var plan planAnswer
	e.must(e.call("POST", "/api/v1/handovers", admin, map[string]any{"from": "STTTT", "day": "2025-03-01", "dry_run": true}), 200).json(&plan)
	want := map[string]string{press: "SVHTTDL", post: "SKHCN"}
	for _, l := range plan.Procedures {
		if want[l.Procedure] != l.To {
			t.Errorf("dry run: %s → %q, want %q (%+v)", l.Procedure, l.To, want[l.Procedure], plan)
		}
	}
	if plan.Moves != 5 {
		t.Errorf("dry run: %d moves, want 5: %s", plan.Moves, mustJSON(plan))
	}
	if c := e.caseOf(pressCases[1]); c.Agency != "STTTT" {
		t.Fatalf("dry run moved %s to %s", c.Code, c.Agency)
	}

	// The hand-over names press only.
	body := map[string]any{"from": "STTTT", "procedures": []string{press}, "day": "2025-03-01",
		"basis": "Nghị định 43/2025/NĐ-CP"}
	var started planAnswer
	e.must(e.call("POST", "/api/v1/handovers", admin, body), 202).json(&started)
	if started.Moves != 3 {
		t.Fatalf("started: %d moves, want 3", started.Moves)
	}
	h := waitHandover(t, e.call, admin, started.ID)
	if h.Moved != 3 || h.Failed != 0 || h.Skipped != 0 {
		t.Fatalf("hand-over: %+v", h)
	}
	for _, code := range pressCases {
		c := e.caseOf(code)
		evs := handedOverEvents(c)
		if c.Agency != "SVHTTDL" || len(evs) != 1 || evs[0].Agency != "SVHTTDL" || !strings.HasPrefix(code, "STTTT-") {
			t.Fatalf("%s after hand-over: agency %s, %d hand-over entries: %s", code, c.Agency, len(evs), mustJSON(c.Timeline))
		}
		if first := c.Timeline[0]; first.Agency != "STTTT" {
			t.Errorf("%s: submission attributed to %q, want STTTT", code, first.Agency)
		}
		for _, p := range c.Actions {
			if p.Agency == "STTTT" {
				t.Errorf("%s: a task is still at STTTT: %+v", code, c.Actions)
			}
		}
	}
	for _, code := range postCases {
		if c := e.caseOf(code); c.Agency != "STTTT" || len(handedOverEvents(c)) != 0 {
			t.Fatalf("post case %s moved: %s", code, c.Agency)
		}
	}
	// Due date and receipt unchanged; the receipt still names its issuer.
	after := e.caseOf(pressCases[0])
	if !after.DueAt.Equal(*before.DueAt) {
		t.Errorf("due date moved: %v → %v", before.DueAt, after.DueAt)
	}
	for _, d := range before.Documents {
		i := slices.IndexFunc(after.Documents, func(x motcua.Document) bool { return x.ID == d.ID })
		if i < 0 || after.Documents[i].By != d.By || after.Documents[i].Signature != d.Signature {
			t.Errorf("document %s changed in the hand-over", d.ID)
		}
	}

	// The successor's reviewer works the case; the old unit's cannot.
	oldReviewer := e.officer("thamdinh.tttt", "STTTT", "reviewer")
	if r := e.act(oldReviewer, pressCases[0], motcua.ActionReview, map[string]any{"note": "x"}); r.status != 403 {
		t.Fatalf("old unit's reviewer: %d %s", r.status, r.body)
	}
	newReviewer := e.officer("thamdinh.vhttdl", "SVHTTDL", "reviewer")
	e.actOK(newReviewer, pressCases[0], motcua.ActionReview, map[string]any{"note": "Đủ điều kiện"})
	if c := e.caseOf(pressCases[0]); c.Timeline[len(c.Timeline)-1].Agency != "SVHTTDL" {
		t.Errorf("review attributed to %q", c.Timeline[len(c.Timeline)-1].Agency)
	}
	// The successor's desk hands out the unreceived ones.
	newDesk := e.officer("tiepnhan.vhttdl", "SVHTTDL", "receiver")
	e.actOK(newDesk, pressCases[1], motcua.ActionReceive, map[string]any{"note": "Đủ"})

	// Run twice: nothing moves twice. The API has nothing left to move;
	// the same Update again answers without a second entry; another
	// hand-over finds the case no longer at STTTT.
	if r := e.call("POST", "/api/v1/handovers", admin, body); r.status != 409 {
		t.Fatalf("second hand-over: %d %s", r.status, r.body)
	}
	for _, id := range []string{started.ID, "another"} {
		var ans workflows.HandoverAnswer
		handle, err := e.tc.UpdateWorkflow(context.Background(), client.UpdateWorkflowOptions{
			UpdateID: workflows.HandoverUpdateID(id, pressCases[2]), WorkflowID: pressCases[2], UpdateName: workflows.UpdateHandover,
			WaitForStage: client.WorkflowUpdateStageCompleted,
			Args:         []any{workflows.CaseHandover{Handover: id, From: "STTTT", To: "SVHTTDL"}},
		})
		if err == nil {
			err = handle.Get(context.Background(), &ans)
		}
		if err != nil || ans.Moved != (id == started.ID) {
			t.Fatalf("hand-over %s again: %+v %v", id, ans, err)
		}
	}
	if n := len(handedOverEvents(e.caseOf(pressCases[2]))); n != 1 {
		t.Fatalf("%d hand-over entries after running twice", n)
	}
}

// caseOf reads a case from the read model.
func (e *env) caseOf(code string) motcua.Case {
	e.t.Helper()
	c, err := e.db.Case(context.Background(), code)
	if err != nil {
		e.t.Fatal(err)
	}
	return *c
}

func waitFor(t *testing.T, e *env, code string, ok func(*motcua.Case) bool) motcua.Case {
	t.Helper()
	for range 200 {
		c := e.caseOf(code)
		if ok(&c) {
			return c
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("case %s never got there: %s", code, mustJSON(e.caseOf(code)))
	return motcua.Case{}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// A hand-over interrupted by stopping the whole system (worker and API)
// finishes after a restart, every case moved exactly once.
func TestHandoverSurvivesRestart(t *testing.T) {
	ict := time.FixedZone("ICT", 7*3600)
	db := OpenTestDB(t)
	cfg, _, err := config.Load("", nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg.DataDir = t.TempDir()
	cfg.HTTP.Addr, cfg.Sim.Addr, cfg.Sim.SMTPAddr = "127.0.0.1:0", "127.0.0.1:0", "127.0.0.1:0"
	cfg.Temporal.TaskQueue = "e2e-" + randomHex(6)
	cfg.Auth.Secret = randomHex(32)
	cfg.Backends.CallbackSecret = randomHex(16)
	filing := time.Date(2025, 2, 28, 10, 0, 0, 0, ict)
	start := func() (*system.System, *env) {
		sys, err := system.Start(context.Background(), system.Dev, cfg, system.Overrides{DB: db, Temporal: temporalAddr, ManualPost: true,
			Logger: slog.New(slog.DiscardHandler), FilingClock: func() time.Time { return filing }})
		if err != nil {
			t.Fatal(err)
		}
		return sys, &env{t: t, url: sys.URL, db: db, tc: sys.Temporal, catalog: sys.Catalog, secrets: sys.Secrets, sim: sys.Sim,
			simURL: sys.SimURL, queue: cfg.Temporal.TaskQueue}
	}
	sys, e := start()
	citizen := e.citizen("049188001234")
	const n = 24
	codes := make([]string, n)
	for i := range codes {
		codes[i] = e.submit(citizen, "dang-ky-thanh-lap-doanh-nghiep", motcua.DeliveryOnline).Code
	}
	admin := e.admin()
	var started planAnswer
	e.must(e.call("POST", "/api/v1/handovers", admin, map[string]any{"from": "SKHDT", "day": "2025-03-01",
		"basis": "Nghị quyết 01/NQ-HĐND tỉnh Quảng Nam", "page_size": 4, "concurrency": 1}), 202).json(&started)
	if started.Moves != n {
		t.Fatalf("plan: %d moves, want %d", started.Moves, n)
	}
	// Stop everything once some, not all, have moved.
	movedNow := func() int {
		m := 0
		for _, code := range codes {
			if e.caseOf(code).Agency == "STC" {
				m++
			}
		}
		return m
	}
	for i := 0; ; i++ {
		if m := movedNow(); m > 0 {
			if m == n {
				t.Fatalf("all %d moved before the stop: make pages smaller", n)
			}
			t.Logf("stopping with %d of %d moved", m, n)
			break
		}
		if i > 600 {
			t.Fatal("nothing moved")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := sys.Stop(); err != nil {
		t.Logf("stop: %v", err)
	}
	sys, e = start()
	defer func() { _ = sys.Stop() }()
	admin = e.admin()
	h := waitHandover(t, e.call, admin, started.ID)
	if h.Moved != n || h.Failed != 0 {
		t.Fatalf("after restart: %+v", h)
	}
	for _, code := range codes {
		c := e.caseOf(code)
		evs := handedOverEvents(c)
		if c.Agency != "STC" || len(evs) != 1 {
			t.Fatalf("%s: agency %s, %d hand-over entries", code, c.Agency, len(evs))
		}
		var d struct{ Handover string }
		_ = json.Unmarshal(evs[0].Data, &d)
		if d.Handover != started.ID {
			t.Fatalf("%s moved by %q", code, d.Handover)
		}
	}
	t.Logf("hand-over %s: %d moved after a restart", started.ID, h.Moved)
}

// Reception regardless of the administrative boundary (Decree
// 118/2025/NĐ-CP): a ward's desk receives a file the city's Department of
// Finance is competent for; the case goes to the department with the
// desk's reception on its timeline. Before 1 July 2025 a desk took only
// its own agency's files.
func TestCrossBoundaryReception(t *testing.T) {
	ict := time.FixedZone("ICT", 7*3600)
	day := time.Date(2026, 11, 27, 10, 0, 0, 0, ict)
	e := newEnv(t, func(o *envOptions) { o.filing = func() time.Time { return day } })
	ward := e.officer("tiepnhan.hoian", "DN-PH-HOIAN", "receiver")
	var r receipt
	e.must(e.call("POST", "/api/v1/cases", ward, e.submission("dang-ky-thanh-lap-doanh-nghiep", motcua.DeliveryCounter),
		"Idempotency-Key", randomHex(8)), 201).json(&r)
	if r.Agency != "DN-STC" || !strings.HasPrefix(r.Code, "DN-STC-") {
		t.Fatalf("filed at a ward's desk: case %s led by %s", r.Code, r.Agency)
	}
	c := waitFor(t, e, r.Code, func(c *motcua.Case) bool { return len(c.Timeline) >= 2 })
	if c.Timeline[0].Action != motcua.ActionSubmit || c.Timeline[1].Action != motcua.EventForwarded ||
		c.Timeline[1].Agency != "DN-PH-HOIAN" || c.Channel != motcua.ChannelCounter {
		t.Fatalf("timeline: %s", mustJSON(c.Timeline))
	}
	// The department's desk receives it.
	dept := e.officer("tiepnhan.stc", "DN-STC", "receiver")
	e.actOK(dept, r.Code, motcua.ActionReceive, map[string]any{"note": "Đủ"})

	// Co-processing agencies are those of the filing day: the definition
	// names Công an tỉnh Quảng Nam (CAT), ended on 30 June 2025.
	lltp := e.submit(e.citizen("049188001234"), "cap-phieu-ly-lich-tu-phap", motcua.DeliveryOnline)
	if slices.Contains(lltp.Agencies, "CAT") || !slices.Contains(lltp.Agencies, "DN-CATP") {
		t.Fatalf("criminal record filed in 2026: agencies %v", lltp.Agencies)
	}

	// A department is no one-stop desk for another department's files.
	sxd := e.officer("tiepnhan.sxd", "DN-SXD", "receiver")
	if res := e.call("POST", "/api/v1/cases", sxd, e.submission("dang-ky-thanh-lap-doanh-nghiep", motcua.DeliveryCounter),
		"Idempotency-Key", randomHex(8)); res.status != 403 {
		t.Fatalf("a department's desk filing for another: %d %s", res.status, res.body)
	}
	// Before Decree 118/2025 took effect: refused.
	day = time.Date(2025, 2, 28, 10, 0, 0, 0, ict)
	stp := e.officer("tiepnhan.stp", "STP", "receiver")
	if res := e.call("POST", "/api/v1/cases", stp, e.submission("dang-ky-thanh-lap-doanh-nghiep", motcua.DeliveryCounter),
		"Idempotency-Key", randomHex(8)); res.status != 403 {
		t.Fatalf("filing for another agency in February 2025: %d %s", res.status, res.body)
	}
}

// The administrator's page: sign in as administrator, preview a hand-over
// (what moves where), start it, see its progress; an officer is refused.
func TestWebHandoverPage(t *testing.T) {
	ict := time.FixedZone("ICT", 7*3600)
	e := newEnv(t, func(o *envOptions) {
		o.filing = func() time.Time { return time.Date(2025, 2, 28, 10, 0, 0, 0, ict) }
	})
	citizen := e.citizen("049188001234")
	code := e.submit(citizen, "thong-bao-to-chuc-hop-bao", motcua.DeliveryOnline).Code

	off := e.browser()
	off.signInOfficer("tiepnhan", "STTTT", "receiver")
	if p := off.get("/quan-tri/chuyen-giao"); p.status != 403 {
		t.Fatalf("officer on the admin page: %d", p.status)
	}

	b := e.browser()
	b.get("/dang-nhap")
	if p := b.post("/dang-nhap", url.Values{"kind": {"admin"}, "subject": {"quantri"}}, nil); p.status != 303 || p.location != "/quan-tri/chuyen-giao" {
		t.Fatalf("admin sign-in: %d %s", p.status, p.location)
	}
	if p := b.get("/quan-tri/chuyen-giao"); p.status != 200 || !strings.Contains(p.body, "Chuyển giao hồ sơ đang giải quyết") {
		t.Fatalf("page: %d %s", p.status, excerpt(p.body))
	}
	form := url.Values{"from": {"STTTT"}, "procedures": {"thong-bao-to-chuc-hop-bao"}, "day": {"2025-03-01"}, "basis": {"NĐ 43/2025/NĐ-CP"}}
	form.Set("run", "0")
	p := b.post("/quan-tri/chuyen-giao", form, nil)
	if p.status != 200 || !strings.Contains(p.body, "SVHTTDL") || !strings.Contains(p.body, "Chuyển 1 hồ sơ") {
		t.Fatalf("preview: %d %s", p.status, excerpt(p.body))
	}
	if c := e.caseOf(code); c.Agency != "STTTT" {
		t.Fatalf("the preview moved the case")
	}
	form.Set("run", "1")
	p = b.post("/quan-tri/chuyen-giao", form, nil)
	if p.status != 303 {
		t.Fatalf("run: %d %s", p.status, excerpt(p.body))
	}
	waitFor(t, e, code, func(c *motcua.Case) bool { return c.Agency == "SVHTTDL" })
	var body string
	for range 100 {
		body = b.get("/quan-tri/chuyen-giao").body
		if strings.Contains(body, "Đã chuyển 1, bỏ qua 0, lỗi 0") && strings.Contains(body, "Hoàn tất") {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("progress not shown: %s", excerpt(body))
}

// The hand-over page in a browser: axe-core finds nothing on the empty
// page, the preview, and the progress; screenshots for review.
func TestWebBrowserHandover(t *testing.T) {
	browser, axe := startBrowser(t)
	ict := time.FixedZone("ICT", 7*3600)
	e := newEnv(t, func(o *envOptions) {
		o.filing = func() time.Time { return time.Date(2025, 2, 28, 10, 0, 0, 0, ict) }
	})
	citizen := e.citizen("049188001234")
	for range 2 {
		e.submit(citizen, "thong-bao-to-chuc-hop-bao", motcua.DeliveryOnline)
	}
	e.submit(citizen, "cap-giay-phep-buu-chinh", motcua.DeliveryOnline)
	admin := newTab(t, browser, e.url, "vi", axe, "admin")
	admin.signIn("admin", "quantri", "Quản trị viên", "")
	admin.check("handover-empty")
	evalJS[bool](admin, `(document.getElementById("from").value = "STTTT") !== ""`)
	admin.do(chromedp.SetValue(`#day`, "2025-03-01"), chromedp.SendKeys(`#basis`, "NĐ 43/2025/NĐ-CP"))
	admin.click(`button[name=run][value="0"]`)
	if !strings.Contains(admin.text("main"), "SVHTTDL") {
		t.Fatalf("preview: %s", admin.text("main"))
	}
	admin.check("handover-preview")
	admin.click(`button[name=run][value="1"]`)
	for range 100 {
		admin.open("/quan-tri/chuyen-giao")
		if strings.Contains(admin.text("main"), "Hoàn tất") {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	admin.check("handover-done")
}

// A district's open cases go each to the ward or commune its address
// names (1 July 2025: the district level ended, Tam Kỳ's competence went
// to its wards): by a former commune's name or the new ward's; a case
// whose address names none is listed as failed, with why, and moves when
// the administrator names a target.
func TestHandoverToCommunesByAddress(t *testing.T) {
	ict := time.FixedZone("ICT", 7*3600)
	e := newEnv(t, func(o *envOptions) {
		o.filing = func() time.Time { return time.Date(2025, 6, 30, 10, 0, 0, 0, ict) }
	})
	citizen := e.citizen("049188001234")
	const household = "dang-ky-thanh-lap-ho-kinh-doanh"
	file := func(address string) string {
		t.Helper()
		body := e.submission(household, motcua.DeliveryOnline)
		body["agency"] = "UBND-TAMKY"
		body["form"].(map[string]any)["business"].(map[string]any)["address"] = address
		var r receipt
		e.must(e.call("POST", "/api/v1/cases", citizen, body, "Idempotency-Key", randomHex(8)), 201).json(&r)
		if r.Agency != "UBND-TAMKY" {
			t.Fatalf("filed on 30 June 2025 at %s, want UBND-TAMKY", r.Agency)
		}
		return r.Code
	}
	want := map[string]string{
		file("Số 5 Phan Bội Châu, phường Tân Thạnh, thành phố Tam Kỳ, tỉnh Quảng Nam"): "DN-PH-BANTHACH",
		file("Thôn Phú Quý, xã Tam Phú, thành phố Tam Kỳ"):                             "DN-PH-QUANGPHU",
	}
	nowhere := file("Số 1 đường Lê Lợi, thành phố Tam Kỳ")
	// The dry run counts what the read model holds: let it record them.
	for _, code := range append(slices.Collect(maps.Keys(want)), nowhere) {
		for i := 0; ; i++ {
			if _, err := e.db.Case(context.Background(), code); err == nil {
				break
			} else if i > 200 {
				t.Fatalf("%s never recorded: %v", code, err)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}

	admin := e.admin()
	var plan planAnswer
	e.must(e.call("POST", "/api/v1/handovers", admin, map[string]any{"from": "UBND-TAMKY", "day": "2025-07-01", "dry_run": true}), 200).json(&plan)
	if plan.Moves != 3 || len(plan.Procedures) != 1 || !plan.Procedures[0].ByAddress {
		t.Fatalf("dry run: %s", mustJSON(plan))
	}
	var started planAnswer
	e.must(e.call("POST", "/api/v1/handovers", admin, map[string]any{"from": "UBND-TAMKY", "day": "2025-07-01",
		"basis": "Nghị quyết 1659/NQ-UBTVQH15"}), 202).json(&started)
	h := waitHandover(t, e.call, admin, started.ID)
	if h.Moved != 2 || h.Failed != 1 || len(h.Failures) != 1 || h.Failures[0].Case != nowhere ||
		!strings.Contains(h.Failures[0].Reason, "không cho biết thuộc phường, xã nào") {
		t.Fatalf("hand-over by address: %s", mustJSON(h))
	}
	for code, agency := range want {
		if c := e.caseOf(code); c.Agency != agency || len(handedOverEvents(c)) != 1 {
			t.Errorf("%s: at %s with %d hand-over entries, want %s", code, c.Agency, len(handedOverEvents(c)), agency)
		}
	}
	if c := e.caseOf(nowhere); c.Agency != "UBND-TAMKY" {
		t.Errorf("%s moved to %s without an address", nowhere, c.Agency)
	}
	// The administrator names the ward for what is left.
	e.must(e.call("POST", "/api/v1/handovers", admin, map[string]any{"from": "UBND-TAMKY", "day": "2025-07-01",
		"targets": map[string]string{household: "DN-PH-TAMKY"}}), 202).json(&started)
	if h := waitHandover(t, e.call, admin, started.ID); h.Moved != 1 || h.Failed != 0 {
		t.Fatalf("second hand-over: %s", mustJSON(h))
	}
	if c := e.caseOf(nowhere); c.Agency != "DN-PH-TAMKY" {
		t.Errorf("%s at %s, want DN-PH-TAMKY", nowhere, c.Agency)
	}
}
