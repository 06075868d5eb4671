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
