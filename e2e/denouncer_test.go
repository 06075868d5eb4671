package e2e

import (
	"bytes"
	"context"
	"strings"
	"testing"

	enumspb "go.temporal.io/api/enums/v1"
	"google.golang.org/protobuf/proto"

	"github.com/motcua/motcua"
)

// A denouncer's identity is secret (Luật Tố cáo 2018 Điều 8 khoản 3, Điều 31
// khoản 4, Điều 47 khoản 2): it is never in the workflow's input or history,
// the case view (of the accused unit's officers or anyone else), the
// timeline or the inbox; the receiving desk and the head handling the
// denunciation read it back, the investigator does not.
func TestDenouncerIdentityStaysSecret(t *testing.T) {
	e := newEnv(t)
	const (
		name    = "Phạm Thị Kín Đáo"
		id      = "049188007777"
		phone   = "0905999888"
		address = "99 đường Bí Mật, phường Hải Châu"
	)
	secrets := []string{name, id, phone, address}
	token := e.citizen(id)
	body := e.submission("giai-quyet-to-cao", motcua.DeliveryPost)
	body["applicant"] = map[string]any{"name": name, "id_number": id, "phone": phone, "address": address}
	body["delivery"] = map[string]any{"method": motcua.DeliveryPost, "address": address}
	body["on_behalf"] = false
	form := body["form"].(map[string]any)
	form["denouncer"] = map[string]any{"full_name": name, "citizen_id": id, "address": address, "phone": phone}
	r := e.must(e.call("POST", "/api/v1/cases", token, body, "Idempotency-Key", randomHex(8)), 201)
	var rc receipt
	r.json(&rc)
	code := rc.Code
	absent := func(where string, b []byte) {
		t.Helper()
		for _, s := range secrets {
			if bytes.Contains(b, []byte(s)) {
				t.Fatalf("%s holds the denouncer's %q", where, s)
			}
		}
	}
	absent("the receipt", r.body)

	desk, head := e.officer("tiepdan", "TTT", "receiver"), e.officer("chanhthanhtra", "TTT", "head")
	inv := e.officer("thanhtravien", "TTT", "reviewer")
	e.actOK(desk, code, motcua.ActionReceive, map[string]any{})
	e.actOK(head, code, motcua.ActionAssign, map[string]any{"data": map[string]any{"investigator": "thanhtravien"}})
	e.actOK(head, code, motcua.ActionExtend, map[string]any{"reason": "Xác minh tại 02 địa điểm", "data": map[string]any{"criteria": []string{"a"}}})

	// Temporal's own views: the workflow's input and every event of its history.
	ctx := context.Background()
	iter := e.tc.GetWorkflowHistory(ctx, code, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	events := 0
	for iter.HasNext() {
		ev, err := iter.Next()
		if err != nil {
			t.Fatal(err)
		}
		raw, err := proto.Marshal(ev)
		if err != nil {
			t.Fatal(err)
		}
		absent("history event "+ev.GetEventType().String(), raw)
		events++
	}
	if events < 5 {
		t.Fatalf("read %d history events", events)
	}
	desc, err := e.tc.DescribeWorkflowExecution(ctx, code, "")
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := proto.Marshal(desc)
	absent("the workflow's description (search attributes, memo)", raw)

	// The read model: the case as the investigator and as the receipt's
	// holder see it (timeline included), and the inbox.
	absent("the investigator's view", e.must(e.call("GET", "/api/v1/cases/"+code, inv, nil), 200).body)
	absent("the denouncer's own view", e.must(e.call("GET", "/api/v1/cases/"+code, "", nil, "X-Case-Secret", rc.Secret), 200).body)
	absent("the head's inbox", e.must(e.call("GET", "/api/v1/inbox", head, nil), 200).body)
	cs, err := e.db.Case(ctx, code)
	if err != nil {
		t.Fatal(err)
	}
	if cs.Applicant.Name != motcua.DenouncerPlaceholder || cs.Owner != "" || strings.Contains(string(cs.Form), "denouncer") {
		t.Fatalf("read model applicant %+v owner %q form %s", cs.Applicant, cs.Owner, cs.Form)
	}
	if cs.Law == nil || len(cs.Law.Extensions) != 1 {
		t.Fatalf("extension not recorded: %+v", cs.Law)
	}

	// Who may read the identity back.
	for _, tc := range []struct {
		who   string
		token string
		want  int
	}{
		{"the head resolving it", head, 200},
		{"the receiving desk", desk, 200},
		{"the investigator (works from the redacted petition)", inv, 403},
		{"the accused unit's officer", e.officer("canbo", "UBND-TAMKY", "head"), 404},
		{"the denouncer by the receipt's secret", "", 403},
	} {
		var hdr []string
		if tc.token == "" {
			hdr = []string{"X-Case-Secret", rc.Secret}
		}
		got := e.call("GET", "/api/v1/cases/"+code+"/denouncer", tc.token, nil, hdr...)
		if got.status != tc.want {
			t.Fatalf("%s: status %d, want %d: %s", tc.who, got.status, tc.want, got.body)
		}
		if tc.want == 200 && (!bytes.Contains(got.body, []byte(name)) || !bytes.Contains(got.body, []byte(id))) {
			t.Fatalf("%s: identity %s", tc.who, got.body)
		}
	}
}

// An anonymous denunciation (Luật Tố cáo 2018 Điều 25) is filed through the
// API without identity: whatever identity the filing carries is dropped
// (the form's denouncer, the applicant, the signed-in account), it is not
// handled as a denunciation (khoản 1: no acceptance, no time limit), and the
// head refers it for inspection when it is specific and evidenced (khoản 2)
// or files it. Only a denunciation may be anonymous.
func TestAnonymousDenunciation(t *testing.T) {
	e := newEnv(t)
	const (
		account = "049188005555"
		name    = "Lê Văn Giấu Tên"
		phone   = "0905777666"
	)
	token := e.citizen(account)
	for _, tc := range []struct {
		name, procedure, field string
	}{
		{"a complaint names its complainant (Luật Khiếu nại 2011 Điều 8)", "giai-quyet-khieu-nai", "anonymous"},
		{"an ordinary procedure has an applicant", "dang-ky-tam-tru", "anonymous"},
	} {
		body := e.submission(tc.procedure, motcua.DeliveryCounter)
		body["anonymous"] = true
		r := e.must(e.call("POST", "/api/v1/cases", token, body, "Idempotency-Key", randomHex(8)), 422)
		if !bytes.Contains(r.body, []byte(`"`+tc.field+`"`)) || !bytes.Contains(r.body, []byte("Điều 25")) {
			t.Fatalf("%s: %s", tc.name, r.body)
		}
	}

	body := e.submission("giai-quyet-to-cao", motcua.DeliveryPost)
	body["anonymous"] = true
	body["applicant"] = map[string]any{"name": name, "id_number": account, "phone": phone}
	form := body["form"].(map[string]any)
	form["denouncer"] = map[string]any{"full_name": name, "citizen_id": account, "address": "Thôn 4", "phone": phone}
	r := e.must(e.call("POST", "/api/v1/cases", token, body, "Idempotency-Key", randomHex(8)), 201)
	var rc receipt
	r.json(&rc)
	code := rc.Code
	ctx := context.Background()
	iter := e.tc.GetWorkflowHistory(ctx, code, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	var history []byte
	for iter.HasNext() {
		ev, err := iter.Next()
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := proto.Marshal(ev)
		history = append(history, raw...)
	}
	head := e.officer("chanhthanhtra", "TTT", "head")
	view := e.must(e.call("GET", "/api/v1/cases/"+code, head, nil), 200).body
	for _, where := range []struct {
		name string
		b    []byte
	}{{"the receipt", r.body}, {"the workflow's history", history}, {"the head's view", view}} {
		for _, s := range []string{name, account, phone} {
			if bytes.Contains(where.b, []byte(s)) {
				t.Fatalf("%s holds %q", where.name, s)
			}
		}
	}
	cs, err := e.db.Case(ctx, code)
	if err != nil {
		t.Fatal(err)
	}
	if cs.Applicant.Name != motcua.AnonymousPlaceholder || cs.Owner != "" || cs.DueAt != nil || cs.ReceivedAt != nil ||
		strings.Contains(string(cs.Form), "denouncer") || len(cs.Notify) != 0 {
		t.Fatalf("read model: applicant %+v owner %q due %v form %s notify %v", cs.Applicant, cs.Owner, cs.DueAt, cs.Form, cs.Notify)
	}
	if !strings.Contains(string(view), "không xử lý theo Luật Tố cáo") {
		t.Fatalf("the timeline does not say it is not handled as a denunciation: %s", view)
	}
	// Nothing sealed: there is no identity to read back.
	e.must(e.call("GET", "/api/v1/cases/"+code+"/denouncer", head, nil), 404)
	// Not received as a denunciation: the desk has nothing to accept.
	desk := e.officer("tiepdan", "TTT", "receiver")
	e.must(e.act(desk, code, motcua.ActionReceive, map[string]any{}), 409)
	e.actOK(head, code, motcua.ActionRefer, map[string]any{"reason": "Nội dung rõ ràng, có biên lai thu tiền trái quy định"})
	if c := e.must(e.call("GET", "/api/v1/cases/"+code, "", nil, "X-Case-Secret", rc.Secret), 200); !bytes.Contains(c.body, []byte(`"status":"completed"`)) {
		t.Fatalf("not closed after the referral: %s", c.body)
	}
}
