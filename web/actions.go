package web

import (
	"encoding/json"

	"github.com/motcua/motcua"
)

// actionEntry is an open action in the API's case view. Title and Input
// come from the workflows' action registry (one schema per action, the one
// the Update validator enforces); the pages render the form from Input.
type actionEntry struct {
	motcua.Permission
	Title *motcua.Text    `json:"title,omitempty"`
	Input json.RawMessage `json:"input,omitempty"`
}

// fallbackInputs describe the actions for an API that does not (yet) send
// the registry's schemas with its case view. They follow the registry's
// contract (workflows.ActionSpec); once every API sends Input, they are not
// read.
var fallbackInputs = map[motcua.Action]string{
	motcua.ActionReceive:     `{"type":"object","properties":{"note":{"type":"string","title":"Ghi chú","x-title-en":"Note","maxLength":4000}}}`,
	motcua.ActionReturn:      `{"type":"object","required":["reason"],"properties":{"reason":{"type":"string","title":"Hồ sơ còn thiếu gì, hướng dẫn bổ sung","x-title-en":"What is missing, and how to complete the file","maxLength":4000}}}`,
	motcua.ActionReject:      `{"type":"object","required":["reason"],"properties":{"reason":{"type":"string","title":"Lý do từ chối","x-title-en":"Reason for rejecting","maxLength":4000}}}`,
	motcua.ActionRequestInfo: `{"type":"object","required":["reason"],"properties":{"reason":{"type":"string","title":"Nội dung yêu cầu bổ sung","x-title-en":"What the applicant must add","maxLength":4000}}}`,
	motcua.ActionSupplement:  `{"type":"object","properties":{"note":{"type":"string","title":"Nội dung bổ sung","x-title-en":"What you add","maxLength":4000}}}`,
	motcua.ActionReview:      `{"type":"object","properties":{"note":{"type":"string","title":"Ý kiến thẩm định","x-title-en":"Review opinion","maxLength":4000}}}`,
	motcua.ActionCoReview: `{"type":"object","required":["data"],"properties":{"data":{"type":"object","title":"Ý kiến","x-title-en":"Opinion","required":["agree"],"properties":{"agree":{"type":"boolean","title":"Đồng ý","x-title-en":"Agree"}}},
		"reason":{"type":"string","title":"Lý do (khi không đồng ý)","x-title-en":"Reason (when disagreeing)","maxLength":4000},"note":{"type":"string","title":"Ghi chú","x-title-en":"Note","maxLength":4000}}}`,
	motcua.ActionApprove: `{"type":"object","properties":{"note":{"type":"string","title":"Ý kiến phê duyệt","x-title-en":"Approval note","maxLength":4000}}}`,
	motcua.ActionConfirmPayment: `{"type":"object","required":["data"],"properties":{"data":{"type":"object","title":"Biên lai","x-title-en":"Receipt","required":["receipt_no"],"properties":{
		"receipt_no":{"type":"string","title":"Số biên lai","x-title-en":"Receipt number","maxLength":100},"amount":{"type":"integer","title":"Số tiền (đồng)","x-title-en":"Amount (VND)","minimum":0}}}}}`,
	motcua.ActionIssue: `{"type":"object","properties":{"data":{"type":"object","title":"Kết quả","x-title-en":"Result","properties":{"number":{"type":"string","title":"Số giấy phép, số quyết định","x-title-en":"Licence or decision number","maxLength":100}}},
		"note":{"type":"string","title":"Ghi chú","x-title-en":"Note","maxLength":4000}}}`,
	motcua.ActionDeliver:  `{"type":"object","properties":{"note":{"type":"string","title":"Ghi chú","x-title-en":"Note","maxLength":4000}}}`,
	motcua.ActionWithdraw: `{"type":"object","properties":{"reason":{"type":"string","title":"Lý do rút hồ sơ","x-title-en":"Why you withdraw","maxLength":4000}}}`,
	motcua.ActionReschedule: `{"type":"object","required":["reason","data"],"properties":{"reason":{"type":"string","title":"Lời xin lỗi và lý do chậm trễ","x-title-en":"Apology and reason for the delay","maxLength":4000},
		"data":{"type":"object","title":"Hẹn lại","x-title-en":"New appointment","required":["new_date"],"properties":{"new_date":{"type":"string","format":"date","title":"Ngày hẹn trả mới","x-title-en":"New due date"}}}}}`,
	motcua.ActionPay:    `{"type":"object","properties":{}}`,
	motcua.ActionAssign: `{"type":"object","required":["data"],"properties":{"data":{"type":"object","title":"Giao xác minh","x-title-en":"Assignment","required":["investigator"],"properties":{"investigator":{"type":"string","title":"Người xác minh (tên đăng nhập)","x-title-en":"Investigator (user name)","maxLength":100}}},"note":{"type":"string","title":"Ghi chú","x-title-en":"Note","maxLength":4000}}}`,
	motcua.ActionVerify: `{"type":"object","required":["note"],"properties":{"note":{"type":"string","title":"Tóm tắt kết quả xác minh","x-title-en":"Summary of the findings","maxLength":4000}}}`,
	motcua.ActionConclude: `{"type":"object","required":["note","data"],"properties":{"data":{"type":"object","title":"Kết luận","x-title-en":"Conclusion","required":["decision"],"properties":{"decision":{"type":"string","title":"Quyết định","x-title-en":"Decision","enum":["upheld","partly_upheld","dismissed"],
		"x-enum-titles":["Đúng","Đúng một phần","Sai"],"x-enum-titles-en":["Upheld","Partly upheld","Dismissed"]}}},"note":{"type":"string","title":"Nội dung kết luận","x-title-en":"The conclusion","maxLength":4000}}}`,
}

// systemActions are taken by back-ends, never offered to people.
var systemActions = map[motcua.Action]bool{motcua.ActionAttach: true, motcua.ActionPaymentResult: true, motcua.ActionPostalTracking: true}

func (e actionEntry) schema() *schema {
	raw := e.Input
	if len(raw) == 0 {
		raw = json.RawMessage(fallbackInputs[e.Action])
	}
	s, err := parseSchema(raw)
	if err != nil {
		s, _ = parseSchema(nil)
	}
	return s
}

func (s *Server) actionTitle(a motcua.Action, lang string) string {
	return tr(lang, "action."+string(a))
}

func (e actionEntry) title(lang string) string {
	if e.Title != nil {
		if lang == "en" && e.Title.En != "" {
			return e.Title.En
		}
		if e.Title.Vi != "" {
			return e.Title.Vi
		}
	}
	return tr(lang, "action."+string(e.Action))
}
