package e2e

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/sim"
)

type publishedList struct {
	Items []motcua.PublishedFeedback `json:"items"`
}

func (e *env) published() []motcua.PublishedFeedback {
	e.t.Helper()
	var l publishedList
	e.must(e.call("GET", "/api/v1/feedback", "", nil), 200).json(&l)
	return l.Items
}

// statsOfFeedback is today's statistics of the feedback procedure at agency.
func (e *env) statsOfFeedback(agency string) motcua.StatsRow {
	e.t.Helper()
	day := time.Now().In(time.FixedZone("ICT", 7*3600)).Format(time.DateOnly)
	var stats struct {
		Rows []motcua.StatsRow `json:"rows"`
	}
	e.must(e.call("GET", "/api/v1/stats?from="+day+"&to="+day+"&agency="+agency+"&procedure="+motcua.ProcedureFeedback, "", nil), 200).json(&stats)
	if len(stats.Rows) != 1 {
		e.t.Fatalf("statistics rows %+v", stats.Rows)
	}
	return stats.Rows[0]
}

// A case's applicant, holding the receipt's secret, sends feedback about
// it once it has ended (the SMS that invited them links to the form); the
// feedback goes to the head of the case's agency, who alone answers it;
// the sender reads the answer; answered in time it counts on time; and,
// the sender having agreed, the answer is published without the sender's
// name, ID number, phone, e-mail or the case's code.
func TestFeedbackAboutACaseAnsweredOnTime(t *testing.T) {
	e := newEnv(t)
	owner := e.citizen("079201001234")
	r := e.submit(owner, business, motcua.DeliveryCounter)
	e.actOK(owner, r.Code, motcua.ActionWithdraw, map[string]any{"reason": "Không còn nhu cầu"})

	// The case ended: its applicant was invited, by SMS, to rate it and
	// to give feedback, with the links.
	deadline := time.Now().Add(20 * time.Second)
	for {
		invited := slices.ContainsFunc(e.sim.Outbox(), func(m sim.SMS) bool {
			return m.To == "0905123456" && strings.Contains(m.Text, "/ho-so/"+r.Code+"/phan-anh") && strings.Contains(m.Text, "/ho-so/"+r.Code+"#rating")
		})
		if invited {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no invitation by SMS: %+v", e.sim.Outbox())
		}
		time.Sleep(100 * time.Millisecond)
	}

	path := "/api/v1/cases/" + r.Code + "/feedback"
	content := "Tôi là Trần Thị Bích Ngọc, CCCD 049188001234, điện thoại 0905123456, email ngoc@example.vn. Hồ sơ " + r.Code +
		" bị yêu cầu nộp thêm giấy tờ không có trong danh mục công khai."
	body := map[string]any{"kind": motcua.FeedbackReport, "content": content, "publish": true}
	if got := e.call("POST", path, e.citizen("001099000001"), body, "Idempotency-Key", randomHex(8)).status; got != 404 {
		t.Fatalf("feedback by a stranger: %d", got)
	}
	bad := e.call("POST", path, owner, map[string]any{"kind": "khieu_nai", "content": " "}, "Idempotency-Key", randomHex(8))
	var refusal struct {
		Error motcua.Error `json:"error"`
	}
	bad.json(&refusal)
	if bad.status != 422 || refusal.Error.Fields["kind"] == "" || refusal.Error.Fields["content"] == "" {
		t.Fatalf("bad feedback: %d %s", bad.status, bad.body)
	}
	if !strings.Contains(refusal.Error.Fields["kind"], "phản ánh hoặc kiến nghị") {
		t.Fatalf("the refusal is not in plain Vietnamese: %s", bad.body)
	}
	if got := e.call("POST", "/api/v1/cases", owner, map[string]any{"procedure": motcua.ProcedureFeedback}, "Idempotency-Key", randomHex(8)); got.status != 422 {
		t.Fatalf("feedback filed as a case: %d %s", got.status, got.body)
	}

	key := randomHex(8)
	var fb receipt
	e.must(e.call("POST", path, "", body, "Idempotency-Key", key, "X-Case-Secret", r.Secret), 201).json(&fb)
	if fb.Procedure.Code != motcua.ProcedureFeedback || fb.Agency != r.Agency || fb.Status != motcua.StatusAwaitingAnswer ||
		fb.DueAt == nil || fb.Secret == "" || fb.Owner != r.Owner {
		t.Fatalf("feedback receipt %+v", fb)
	}
	var again receipt
	e.must(e.call("POST", path, "", body, "Idempotency-Key", key, "X-Case-Secret", r.Secret), 200).json(&again)
	if again.Code != fb.Code {
		t.Fatalf("a retry filed %s after %s", again.Code, fb.Code)
	}

	// Routed to the head of the case's agency: in the head's inbox.
	head := e.officer("giamdoc", r.Agency, "head")
	if got := inboxCodes(e, head, ""); !slices.Contains(got, fb.Code) {
		t.Fatalf("feedback %s not in the head's inbox: %v", fb.Code, got)
	}
	answer := map[string]any{"data": map[string]any{"answer": "Sở xin lỗi bà Trần Thị Bích Ngọc (0905123456); bộ phận một cửa đã được chấn chỉnh."}}
	if got := e.act(e.officer("tiepnhan", r.Agency, "receiver"), fb.Code, motcua.ActionAnswer, answer).status; got != 403 {
		t.Fatalf("answered by a receiver: %d", got)
	}
	if got := e.act(head, fb.Code, motcua.ActionAnswer, map[string]any{"data": map[string]any{"answer": ""}}); got.status != 422 {
		t.Fatalf("empty answer: %d %s", got.status, got.body)
	}
	done := e.actOK(head, fb.Code, motcua.ActionAnswer, answer)
	if done.Status != motcua.StatusCompleted {
		t.Fatalf("answered feedback %s", done.Status)
	}

	// The sender reads the answer with the feedback's own secret.
	read := e.must(e.call("GET", "/api/v1/cases/"+fb.Code, "", nil, "X-Case-Secret", fb.Secret), 200).caseView()
	if read.Result == nil || !strings.Contains(read.Result.Note, "chấn chỉnh") || read.Overdue || read.Law == nil || read.Law.Late ||
		read.Result.IssuedAt.After(*read.DueAt) {
		t.Fatalf("the sender's view: %+v law %+v", read.Result, read.Law)
	}
	if row := e.statsOfFeedback(r.Agency); row.ResolvedOnTime != 1 || row.ResolvedLate != 0 {
		t.Fatalf("statistics: %+v", row)
	}

	items := e.published()
	i := slices.IndexFunc(items, func(p motcua.PublishedFeedback) bool { return p.Code == fb.Code })
	if i < 0 {
		t.Fatalf("answer not published: %+v", items)
	}
	p := items[i]
	if p.Late || p.Agency != r.Agency || p.Kind != motcua.FeedbackReport || !strings.Contains(p.Answer, "chấn chỉnh") ||
		!strings.Contains(p.Content, "không có trong danh mục") {
		t.Fatalf("published %+v", p)
	}
	list := e.must(e.call("GET", "/api/v1/feedback", "", nil), 200)
	for _, personal := range []string{"Bích Ngọc", "049188001234", "0905123456", "ngoc@example.vn", r.Code, "079201001234"} {
		if strings.Contains(string(list.body), personal) {
			t.Errorf("the published list shows %q: %s", personal, list.body)
		}
	}
}

// Feedback about a desk, by anyone signed in, answered after its deadline
// (compressed to seconds) shows as late: on the case, in the statistics'
// on-time marks and in the published list; one not agreed to publication
// is never listed.
func TestFeedbackAboutADeskAnsweredLate(t *testing.T) {
	e := newEnv(t, func(o *envOptions) { o.compressed = true })
	sender := e.citizen("049090001234")
	if got := e.call("POST", "/api/v1/feedback", "", map[string]any{"kind": "phan_anh", "content": "x", "agency": "SKHDT"},
		"Idempotency-Key", randomHex(8)).status; got != 401 {
		t.Fatalf("feedback without signing in: %d", got)
	}
	unknown := e.call("POST", "/api/v1/feedback", sender, map[string]any{"kind": "kien_nghi", "content": "x", "agency": "NOWHERE"},
		"Idempotency-Key", randomHex(8), "Accept-Language", "en")
	if unknown.status != 422 || !strings.Contains(string(unknown.body), "agency or one-stop desk") {
		t.Fatalf("unknown agency: %d %s", unknown.status, unknown.body)
	}
	var late, private receipt
	e.must(e.call("POST", "/api/v1/feedback", sender, map[string]any{"kind": "kien_nghi", "agency": "SKHDT", "publish": true,
		"content": "Đề nghị bố trí thêm quầy tiếp nhận buổi chiều.", "phone": "0912000111"}, "Idempotency-Key", randomHex(8)), 201).json(&late)
	e.must(e.call("POST", "/api/v1/feedback", sender, map[string]any{"kind": "phan_anh", "agency": "SKHDT", "publish": false,
		"content": "Cán bộ trả lời điện thoại thiếu lịch sự."}, "Idempotency-Key", randomHex(8)), 201).json(&private)
	if late.Agency != "SKHDT" || late.Applicant.IDNumber != "049090001234" {
		t.Fatalf("desk feedback %+v", late.Case)
	}
	e.waitFor(sender, late.Code, "overdue", func(c motcua.Case) bool { return c.Overdue })
	head := e.officer("giamdoc", "SKHDT", "head")
	e.actOK(head, late.Code, motcua.ActionAnswer, map[string]any{"data": map[string]any{"answer": "Sở sẽ mở thêm quầy từ tháng sau."}})
	e.actOK(head, private.Code, motcua.ActionAnswer, map[string]any{"data": map[string]any{"answer": "Sở đã nhắc nhở cán bộ."}})

	read := e.must(e.call("GET", "/api/v1/cases/"+late.Code, sender, nil), 200).caseView()
	if read.Result == nil || !read.Result.IssuedAt.After(*read.DueAt) || read.Law == nil || !read.Law.Late ||
		!slices.ContainsFunc(read.Timeline, func(ev motcua.Event) bool { return ev.Action == motcua.EventOverdue }) {
		t.Fatalf("late answer: result %+v due %v law %+v", read.Result, read.DueAt, read.Law)
	}
	if row := e.statsOfFeedback("SKHDT"); row.ResolvedLate < 1 || row.ResolvedLate+row.ResolvedOnTime != 2 {
		t.Fatalf("statistics: %+v", row)
	}
	items := e.published()
	if i := slices.IndexFunc(items, func(p motcua.PublishedFeedback) bool { return p.Code == late.Code }); i < 0 || !items[i].Late {
		t.Fatalf("the late answer in the list: %+v", items)
	}
	if slices.ContainsFunc(items, func(p motcua.PublishedFeedback) bool { return p.Code == private.Code }) {
		t.Fatalf("an answer the sender kept private was published: %+v", items)
	}
}
