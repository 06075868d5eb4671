package workflows

import (
	"encoding/json"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/calendar"
)

// Every method of Activities is a registered call of the same name and
// types, and every call is a method: an activity added to one and not the
// other fails here.
func TestCallsMatchActivities(t *testing.T) {
	iface := reflect.TypeFor[Activities]()
	var names []string
	for _, c := range calls {
		name, req, res := c.signature()
		names = append(names, name)
		m, ok := iface.MethodByName(name)
		if !ok {
			t.Errorf("call %s is no method of Activities", name)
			continue
		}
		// call[Req, Res]: the method takes (ctx, Req) and answers Res
		// (or only an error when Res is none).
		if m.Type.In(1) != req {
			t.Errorf("%s takes %s, its call sends %s", name, m.Type.In(1), req)
		}
		if res == reflect.TypeFor[none]() {
			if m.Type.NumOut() != 1 {
				t.Errorf("%s answers a value its call drops", name)
			}
		} else if m.Type.NumOut() != 2 || m.Type.Out(0) != res {
			t.Errorf("%s answers %v, its call reads %s", name, m.Type, res)
		}
	}
	for i := range iface.NumMethod() {
		if name := iface.Method(i).Name; !slices.Contains(names, name) {
			t.Errorf("Activities.%s has no call: it is never registered", name)
		}
	}
}

// Every action a shape answers is described, and every description's
// required fields are its own properties.
func TestActionSpecs(t *testing.T) {
	seen := map[motcua.Action]bool{}
	for _, s := range Specs() {
		if seen[s.Action] {
			t.Errorf("%s described twice", s.Action)
		}
		seen[s.Action] = true
		if s.Title.Vi == "" || s.Title.En == "" {
			t.Errorf("%s has no title in both languages", s.Action)
		}
		if !slices.Contains([]string{ViaActions, ViaDocuments, ViaCallback}, s.Via) {
			t.Errorf("%s: via %q", s.Action, s.Via)
		}
		var doc struct {
			Required   []string                   `json:"required"`
			Properties map[string]json.RawMessage `json:"properties"`
		}
		if err := json.Unmarshal(s.Input, &doc); err != nil {
			t.Fatalf("%s: %v", s.Action, err)
		}
		for _, r := range doc.Required {
			if doc.Properties[r] == nil {
				t.Errorf("%s requires %s, which it does not describe", s.Action, r)
			}
		}
	}
	if _, ok := Spec("bogus"); ok {
		t.Error("an unknown action is described")
	}
}

// Each action's input is checked as its schema says, with messages in the
// officer's or applicant's terms.
func TestCheckPayload(t *testing.T) {
	now := time.Date(2025, 3, 3, 9, 0, 0, 0, calendar.Location)
	agreeFalse, agreeTrue := `{"agree":false}`, `{"agree":true}`
	for _, tc := range []struct {
		action motcua.Action
		reason string
		note   string
		data   string
		want   map[string]string
	}{
		{action: motcua.ActionReceive},
		{action: motcua.ActionReject, want: map[string]string{"reason": "Cần ghi rõ lý do từ chối."}},
		{action: motcua.ActionReject, reason: "   ", want: map[string]string{"reason": "Cần ghi rõ lý do từ chối."}},
		{action: motcua.ActionReject, reason: "Ngành nghề cấm"},
		{action: motcua.ActionReturn, want: map[string]string{"reason": "Cần ghi rõ hồ sơ còn thiếu gì và hướng dẫn bổ sung."}},
		{action: motcua.ActionRequestInfo, want: map[string]string{"reason": "Cần ghi rõ nội dung yêu cầu bổ sung."}},
		{action: motcua.ActionCoReview, want: map[string]string{"data": "Thiếu dữ liệu."}},
		{action: motcua.ActionCoReview, data: `"yes"`, want: map[string]string{"data": "Dữ liệu phải là một đối tượng JSON đúng mẫu."}},
		{action: motcua.ActionCoReview, data: `{}`, want: map[string]string{"data.agree": "Cần cho biết đồng ý (true) hay không đồng ý (false)."}},
		{action: motcua.ActionCoReview, data: agreeTrue},
		{action: motcua.ActionCoReview, data: agreeFalse, want: map[string]string{"reason": "Cần ghi rõ lý do không đồng ý."}},
		{action: motcua.ActionCoReview, data: agreeFalse, reason: "Chưa phù hợp quy hoạch"},
		{action: motcua.ActionConfirmPayment, want: map[string]string{"data": "Thiếu dữ liệu."}},
		{action: motcua.ActionConfirmPayment, data: `{}`, want: map[string]string{"data.receipt_no": "Cần nhập số biên lai."}},
		{action: motcua.ActionConfirmPayment, data: `{"receipt_no":"BL-1","amount":40000}`,
			want: map[string]string{"data.amount": "Số tiền phải đúng mức phí, lệ phí của hồ sơ: 50000 đồng."}},
		{action: motcua.ActionConfirmPayment, data: `{"receipt_no":"BL-1","amount":50000}`},
		{action: motcua.ActionIssue},
		{action: motcua.ActionIssue, data: `{"number":"GP-1"}`},
		{action: motcua.ActionIssue, data: `[1]`, want: map[string]string{"data": "Dữ liệu phải là một đối tượng JSON đúng mẫu."}},
		{action: motcua.ActionReschedule, reason: "Xin lỗi", data: `{"new_date":"2025-03-03"}`,
			want: map[string]string{"data.new_date": "Ngày hẹn mới phải sau hôm nay."}},
		{action: motcua.ActionReschedule, reason: "Xin lỗi", data: `{"new_date":"3/4/2025"}`,
			want: map[string]string{"data.new_date": "Ngày hẹn mới phải có dạng YYYY-MM-DD."}},
		{action: motcua.ActionReschedule, data: `{"new_date":"2025-03-04"}`, want: map[string]string{"reason": "Cần ghi nội dung xin lỗi và lý do chậm trễ."}},
		{action: motcua.ActionReschedule, reason: "Xin lỗi", data: `{"new_date":"2025-03-04"}`},
		{action: motcua.ActionAssign, data: `{"investigator":""}`, want: map[string]string{"data.investigator": "Cần chỉ định người xác minh."}},
		{action: motcua.ActionVerify, want: map[string]string{"note": "Cần tóm tắt kết quả xác minh."}},
		{action: motcua.ActionConclude, note: "Kết luận", data: `{"decision":"maybe"}`,
			want: map[string]string{"data.decision": "Kết luận phải là: đúng, đúng một phần, khiếu nại sai toàn bộ hoặc tố cáo sai sự thật."}},
		{action: motcua.ActionConclude, note: "Kết luận", data: `{"decision":"upheld"}`},
		{action: motcua.ActionWithdraw, note: string(make([]rune, 4001)), want: map[string]string{"note": "Tối đa 4000 ký tự"}},
	} {
		req := motcua.ActionRequest{Action: tc.action, Reason: tc.reason, Note: tc.note}
		if tc.data != "" {
			req.Data = json.RawMessage(tc.data)
		}
		got := checkPayload(req, now, 50000)
		if len(got) == 0 {
			got = nil
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s reason=%q data=%s:\n got  %v\n want %v", tc.action, tc.reason, tc.data, got, tc.want)
		}
	}
}

// Payment order IDs are made and read by one pair of functions.
func TestPaymentOrderIDs(t *testing.T) {
	id := PaymentOrderID("SKHDT-250303-0001", 2)
	if code, ok := CaseOfPaymentOrder(id); !ok || code != "SKHDT-250303-0001" {
		t.Fatalf("%s → %q %v", id, code, ok)
	}
	for _, bad := range []string{CounterPaymentID("SKHDT-250303-0001"), "SKHDT-250303-0001-fee-", "-fee-1", "x-fee-1a"} {
		if code, ok := CaseOfPaymentOrder(bad); ok {
			t.Errorf("%q read as an order of %q", bad, code)
		}
	}
}
