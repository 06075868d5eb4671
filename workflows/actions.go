package workflows

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/schema"
)

// ActionSpec describes one action once: its name, who takes it and how,
// its label and its input. The Update validator, the API's list of actions
// and the web forms all read it.
type ActionSpec struct {
	Action motcua.Action
	Title  motcua.Text
	// Via says how the action reaches the case.
	Via string
	// BySecret: whoever holds the case's secret (the receipt) may take it
	// as the applicant. Other applicant actions (withdrawing, paying) need
	// the owner signed in.
	BySecret bool
	// Input is the JSON Schema (draft 2020-12) of the request body
	// {"note", "reason", "data"}. Each property has a Vietnamese "title"
	// and an English "x-title-en"; "x-error" is the message shown when a
	// required property is missing or empty.
	Input json.RawMessage

	schema *schema.Schema
	// check adds the rules a schema cannot say (the fee of this case,
	// today's date), as messages per field.
	check func(req motcua.ActionRequest, now time.Time, fee int64) map[string]string
}

// How actions reach a case.
const (
	ViaActions   = "actions"   // POST /cases/{code}/actions/{action}, by a person
	ViaDocuments = "documents" // POST /cases/{code}/documents: an upload
	ViaCallback  = "callback"  // a back-end's signed callback: never offered to people
)

// System reports whether only the system takes the action.
func (s ActionSpec) System() bool { return s.Via == ViaCallback }

// Common parts of the input schemas.
const (
	noteProp   = `"note": {"type": "string", "maxLength": 4000, "title": "Ghi chú", "x-title-en": "Note"}`
	reasonProp = `"reason": {"type": "string", "maxLength": 4000, "title": "Lý do", "x-title-en": "Reason"}`
)

// input builds an action's schema: note and reason always allowed, the
// given properties and requirements added.
func input(props string, required ...string) string {
	req, _ := json.Marshal(append([]string{}, required...))
	if props != "" {
		props = ",\n" + props
	}
	return fmt.Sprintf(`{"type": "object", "additionalProperties": false, "required": %s,
		"properties": {%s, %s%s}}`, req, noteProp, reasonProp, props)
}

// requiredText is a required text property with its own label and message.
func requiredText(name, vi, en, missing string) string {
	return fmt.Sprintf(`%q: {"type": "string", "minLength": 1, "maxLength": 4000, "title": %q, "x-title-en": %q, "x-error": %q}`,
		name, vi, en, missing)
}

// dataProp is the "data" object with the given properties.
func dataProp(props string, required ...string) string {
	req, _ := json.Marshal(append([]string{}, required...))
	return fmt.Sprintf(`"data": {"type": "object", "title": "Dữ liệu", "x-title-en": "Data",
		"x-error": "Thiếu dữ liệu.", "x-error-invalid": "Dữ liệu phải là một đối tượng JSON đúng mẫu.",
		"required": %s, "properties": {%s}}`, req, props)
}

var actionSpecs = []ActionSpec{
	{Action: motcua.ActionReceive, Title: motcua.Text{Vi: "Tiếp nhận hồ sơ", En: "Receive the file"}, Input: raw(input(""))},
	{Action: motcua.ActionReturn, Title: motcua.Text{Vi: "Trả lại, hướng dẫn bổ sung", En: "Return with guidance"},
		Input: raw(input(requiredText("reason", "Hồ sơ còn thiếu gì, hướng dẫn bổ sung", "What is missing and how to complete it",
			"Cần ghi rõ hồ sơ còn thiếu gì và hướng dẫn bổ sung.")+",\n"+dataProp(itemsProp), "reason"))},
	{Action: motcua.ActionReject, Title: motcua.Text{Vi: "Từ chối giải quyết", En: "Reject"},
		Input: raw(input(requiredText("reason", "Lý do từ chối", "Reason for rejection", "Cần ghi rõ lý do từ chối."), "reason"))},
	{Action: motcua.ActionRequestInfo, Title: motcua.Text{Vi: "Yêu cầu bổ sung hồ sơ", En: "Request more information"},
		Input: raw(input(requiredText("reason", "Nội dung cần bổ sung", "What the applicant must add",
			"Cần ghi rõ nội dung yêu cầu bổ sung.")+",\n"+dataProp(itemsProp), "reason"))},
	{Action: motcua.ActionSupplement, Title: motcua.Text{Vi: "Bổ sung hồ sơ", En: "Supplement the file"}, BySecret: true, Input: raw(input(""))},
	{Action: motcua.ActionReview, Title: motcua.Text{Vi: "Hoàn thành thẩm định", En: "Complete the review"}, Input: raw(input(""))},
	{Action: motcua.ActionCoReview, Title: motcua.Text{Vi: "Cho ý kiến phối hợp", En: "Give the co-review opinion"},
		Input: raw(`{"type": "object", "additionalProperties": false, "required": ["data"],
			"properties": {` + noteProp + `,
				"reason": {"type": "string", "maxLength": 4000, "title": "Lý do (bắt buộc khi không đồng ý)", "x-title-en": "Reason (required when you disagree)",
					"minLength": 1, "x-error": "Cần ghi rõ lý do không đồng ý."},
				` + dataProp(`"agree": {"type": "boolean", "title": "Đồng ý", "x-title-en": "Agree",
					"x-enum-titles": ["Đồng ý", "Không đồng ý"], "x-enum-titles-en": ["Agree", "Disagree"],
					"x-error": "Cần cho biết đồng ý (true) hay không đồng ý (false)."}`, "agree") + `},
			"if": {"properties": {"data": {"type": "object", "properties": {"agree": {"const": false}}, "required": ["agree"]}}, "required": ["data"]},
			"then": {"required": ["reason"]}}`)},
	{Action: motcua.ActionApprove, Title: motcua.Text{Vi: "Phê duyệt", En: "Approve"}, Input: raw(input(""))},
	{Action: motcua.ActionConfirmPayment, Title: motcua.Text{Vi: "Xác nhận đã thu phí, lệ phí", En: "Confirm the fee is paid"},
		Input: raw(input(dataProp(requiredText("receipt_no", "Số biên lai", "Receipt number", "Cần nhập số biên lai.")+`,
			"amount": {"type": "integer", "minimum": 0, "title": "Số tiền (đồng)", "x-title-en": "Amount (VND)"}`, "receipt_no"), "data")),
		check: func(req motcua.ActionRequest, _ time.Time, fee int64) map[string]string {
			var d PaymentData
			if json.Unmarshal(req.Data, &d) == nil && d.Amount != 0 && d.Amount != fee {
				return map[string]string{"data.amount": fmt.Sprintf("Số tiền phải đúng mức phí, lệ phí của hồ sơ: %d đồng.", fee)}
			}
			return nil
		}},
	{Action: motcua.ActionIssue, Title: motcua.Text{Vi: "Ban hành kết quả", En: "Issue the result"},
		Input: raw(input(dataProp(`"number": {"type": "string", "maxLength": 100, "title": "Số văn bản kết quả", "x-title-en": "Number of the result"}`)))},
	{Action: motcua.ActionDeliver, Title: motcua.Text{Vi: "Trả kết quả", En: "Hand over the result"}, Input: raw(input(""))},
	{Action: motcua.ActionWithdraw, Title: motcua.Text{Vi: "Rút hồ sơ", En: "Withdraw the case"}, Input: raw(input(""))},
	{Action: motcua.ActionReschedule, Title: motcua.Text{Vi: "Xin lỗi và hẹn lại ngày trả kết quả", En: "Apologise and set a new date"},
		Input: raw(input(requiredText("reason", "Nội dung xin lỗi, lý do chậm trễ", "Apology and reason for the delay",
			"Cần ghi nội dung xin lỗi và lý do chậm trễ.")+",\n"+
			dataProp(`"new_date": {"type": "string", "format": "date", "title": "Ngày hẹn trả mới", "x-title-en": "New date",
				"x-error": "Ngày hẹn mới phải có dạng YYYY-MM-DD.", "x-error-invalid": "Ngày hẹn mới phải có dạng YYYY-MM-DD."}`, "new_date"), "reason", "data")),
		check: func(req motcua.ActionRequest, now time.Time, _ int64) map[string]string {
			var d RescheduleData
			if json.Unmarshal(req.Data, &d) != nil {
				return nil
			}
			day, err := time.ParseInLocation(time.DateOnly, d.NewDate, calendar.Location)
			if err == nil && !day.After(calendar.StartOfDay(now)) {
				return map[string]string{"data.new_date": "Ngày hẹn mới phải sau hôm nay."}
			}
			return nil
		}},
	{Action: motcua.ActionAttach, Title: motcua.Text{Vi: "Đính kèm tài liệu", En: "Attach a document"}, Via: ViaDocuments, BySecret: true,
		Input: raw(input(dataProp(`"id": {"type": "string", "minLength": 1}, "name": {"type": "string", "minLength": 1},
			"sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"}`, "id", "name", "sha256"), "data"))},
	{Action: motcua.ActionPay, Title: motcua.Text{Vi: "Thanh toán trực tuyến", En: "Pay online"}, Input: raw(input(""))},
	{Action: motcua.ActionPaymentResult, Title: motcua.Text{Vi: "Kết quả thanh toán", En: "Payment result"}, Via: ViaCallback,
		Input: raw(input(dataProp(`"order_id": {"type": "string", "minLength": 1}, "status": {"enum": ["paid", "failed"]}`,
			"order_id", "status"), "data"))},
	{Action: motcua.ActionPostalTracking, Title: motcua.Text{Vi: "Hành trình bưu gửi", En: "Postal tracking"}, Via: ViaCallback,
		Input: raw(input(dataProp(`"tracking_number": {"type": "string", "minLength": 1}, "status": {"type": "string", "minLength": 1}`,
			"tracking_number", "status"), "data"))},
	{Action: motcua.ActionAssign, Title: motcua.Text{Vi: "Giao người xác minh", En: "Assign an investigator"},
		Input: raw(input(dataProp(requiredText("investigator", "Người xác minh (tên đăng nhập)", "Investigator (user name)",
			"Cần chỉ định người xác minh."), "investigator"), "data"))},
	{Action: motcua.ActionVerify, Title: motcua.Text{Vi: "Báo cáo kết quả xác minh", En: "Report the verification"},
		Input: raw(input(requiredText("note", "Tóm tắt kết quả xác minh", "Summary of the verification", "Cần tóm tắt kết quả xác minh.")+",\n"+
			dataProp(`"differs": {"type": "boolean", "title": "Yêu cầu của người khiếu nại và kết quả xác minh còn khác nhau", "x-title-en": "The complainant's request and the verification still differ"}`), "note"))},
	{Action: motcua.ActionConclude, Title: motcua.Text{Vi: "Kết luận giải quyết", En: "Conclude"},
		Input: raw(input(requiredText("note", "Nội dung kết luận", "The conclusion", "Cần ghi nội dung kết luận.")+",\n"+
			dataProp(`"decision": {"enum": ["upheld", "partly_upheld", "dismissed", "untrue"], "title": "Kết luận", "x-title-en": "Decision",
				"x-enum-titles": ["Đúng", "Đúng một phần", "Khiếu nại sai toàn bộ", "Tố cáo sai sự thật"],
				"x-enum-titles-en": ["Well-founded", "Partly well-founded", "Complaint wholly unfounded", "Denunciation untrue"],
				"x-error": "Cần chọn kết luận.", "x-error-invalid": "Kết luận phải là: đúng, đúng một phần, khiếu nại sai toàn bộ hoặc tố cáo sai sự thật."},
				"measure": {"enum": ["keep", "amend", "supplement", "annul_part", "annul", "stop_act"],
				"title": "Biện pháp đối với quyết định, hành vi hành chính bị khiếu nại", "x-title-en": "Measure on the decision or act complained of",
				"x-enum-titles": ["Giữ nguyên", "Sửa đổi", "Bổ sung", "Hủy bỏ một phần", "Hủy bỏ toàn bộ", "Chấm dứt hành vi hành chính"],
				"x-enum-titles-en": ["Keep", "Amend", "Supplement", "Annul in part", "Annul", "Stop the act"],
				"x-error-invalid": "Biện pháp phải là: giữ nguyên, sửa đổi, bổ sung, hủy bỏ một phần, hủy bỏ toàn bộ hoặc chấm dứt hành vi."}`, "decision"), "note", "data"))},
	// Issue 14: the head's answer to a feedback (feedback.go).
	{Action: motcua.ActionAnswer, Title: motcua.Text{Vi: "Trả lời phản ánh, kiến nghị", En: "Answer the feedback"},
		Input: raw(input(dataProp(`"answer": {"type": "string", "minLength": 1, "maxLength": 4000, "title": "Nội dung trả lời",
			"x-title-en": "The answer", "x-error": "Cần ghi nội dung trả lời."}`, "answer"), "data"))},
	// Issue 12 (lawclock): extensions, dialogue, anonymous denunciations.
	{Action: motcua.ActionExtend, Title: motcua.Text{Vi: "Gia hạn thời hạn giải quyết", En: "Extend the time limit"},
		Input: raw(input(requiredText("reason", "Lý do gia hạn (vụ việc phức tạp, vùng sâu vùng xa)", "Reason for the extension",
			"Cần ghi rõ lý do gia hạn.")+",\n"+
			dataProp(`"kind": {"enum": ["complex", "remote", "remote_complex"], "title": "Trường hợp (khiếu nại)", "x-title-en": "Case (complaints)",
				"x-enum-titles": ["Vụ việc phức tạp", "Vùng sâu, vùng xa", "Vùng sâu, vùng xa và phức tạp"],
				"x-enum-titles-en": ["Complex", "Remote area", "Remote area, complex"],
				"x-error-invalid": "Trường hợp gia hạn phải là: vụ việc phức tạp, vùng sâu vùng xa, hoặc cả hai."},
			"criteria": {"type": "array", "minItems": 1, "uniqueItems": true, "items": {"enum": ["a", "b", "c", "d", "dd", "e", "g"]},
				"title": "Tiêu chí vụ việc phức tạp (tố cáo; NĐ 31/2019/NĐ-CP Điều 3 khoản 2)", "x-title-en": "Criteria of a complex denunciation",
				"x-error-invalid": "Tiêu chí phải là các điểm a, b, c, d, đ (dd), e, g của khoản 2 Điều 3 Nghị định 31/2019/NĐ-CP."},
			"days": {"type": "integer", "minimum": 1, "maximum": 30, "title": "Số ngày gia hạn (tố cáo, tối đa 30)", "x-title-en": "Days (denunciations, at most 30)",
				"x-error-invalid": "Mỗi lần gia hạn giải quyết tố cáo không quá 30 ngày."}`), "reason", "data")),
		check: func(req motcua.ActionRequest, _ time.Time, _ int64) map[string]string {
			var d ExtendData
			if json.Unmarshal(req.Data, &d) == nil && d.Kind == "" && len(d.Criteria) == 0 {
				return map[string]string{"data": "Cần chọn trường hợp gia hạn (khiếu nại) hoặc tiêu chí vụ việc phức tạp (tố cáo)."}
			}
			return nil
		}},
	{Action: motcua.ActionScheduleDialogue, Title: motcua.Text{Vi: "Thông báo tổ chức đối thoại", En: "Schedule the dialogue"},
		Input: raw(input(dataProp(`"date": {"type": "string", "format": "date", "title": "Ngày đối thoại", "x-title-en": "Date",
				"x-error": "Ngày đối thoại phải có dạng YYYY-MM-DD.", "x-error-invalid": "Ngày đối thoại phải có dạng YYYY-MM-DD."},
			`+requiredText("place", "Địa điểm", "Place", "Cần ghi địa điểm đối thoại."), "date", "place"), "data")),
		check: func(req motcua.ActionRequest, now time.Time, _ int64) map[string]string {
			return dialogueDateError(req, now)
		}},
	{Action: motcua.ActionRecordDialogue, Title: motcua.Text{Vi: "Ghi biên bản đối thoại", En: "Record the dialogue"},
		Input: raw(input(requiredText("note", "Nội dung biên bản đối thoại", "The dialogue's minutes", "Cần ghi nội dung biên bản đối thoại.")+",\n"+
			dataProp(`"attended": {"type": "boolean", "title": "Người khiếu nại có mặt", "x-title-en": "The complainant attended",
				"x-enum-titles": ["Có mặt", "Vắng mặt không có lý do chính đáng"], "x-enum-titles-en": ["Attended", "Absent without good reason"],
				"x-error": "Cần cho biết người khiếu nại có mặt hay không."}`, "attended"), "note", "data"))},
	{Action: motcua.ActionRefer, Title: motcua.Text{Vi: "Chuyển thanh tra, kiểm tra", En: "Refer for inspection"},
		Input: raw(input(requiredText("reason", "Căn cứ chuyển thanh tra, kiểm tra (nội dung, chứng cứ cụ thể)", "Grounds for the referral",
			"Cần ghi rõ nội dung, chứng cứ cụ thể làm căn cứ thanh tra, kiểm tra."), "reason"))},
}

func raw(s string) json.RawMessage { return json.RawMessage(s) }

// itemsProp lists every missing item of a supplement request (NĐ 61/2018
// Điều 17 khoản 2 điểm a, Điều 19 khoản 4: "đầy đủ một lần").
const itemsProp = `"items": {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1, "maxLength": 1000},
	"title": "Các thành phần cần bổ sung", "x-title-en": "Items to add",
	"x-error-invalid": "Danh sách thành phần cần bổ sung phải gồm các dòng chữ không rỗng."}`

func init() {
	for i := range actionSpecs {
		s := &actionSpecs[i]
		if s.Via == "" {
			s.Via = ViaActions
		}
		s.schema = schema.MustCompile(string(s.Input))
		// Store the schema compact: it is served with every case view.
		var buf json.RawMessage
		buf, _ = compact(s.Input)
		s.Input = buf
	}
}

func compact(in json.RawMessage) (json.RawMessage, error) {
	var v any
	if err := json.Unmarshal(in, &v); err != nil {
		return nil, err
	}
	return json.Marshal(v)
}

// Specs returns every action's description, in a stable order.
func Specs() []ActionSpec { return slices.Clone(actionSpecs) }

// Spec returns the description of action a.
func Spec(a motcua.Action) (ActionSpec, bool) {
	i := slices.IndexFunc(actionSpecs, func(s ActionSpec) bool { return s.Action == a })
	if i < 0 {
		return ActionSpec{}, false
	}
	return actionSpecs[i], true
}

// Payloads that actions carry in ActionRequest.Data; their schemas are in
// actionSpecs.
type (
	// CoReviewData is a co-processing agency's opinion.
	CoReviewData struct {
		Agree *bool `json:"agree"`
	}
	// PaymentData confirms a fee paid at the counter. Amount, if given,
	// must be the case's fee: a cashier's typo is caught, not recorded.
	PaymentData struct {
		ReceiptNo string `json:"receipt_no"`
		Amount    int64  `json:"amount"`
	}
	// IssueData is the result's number (số giấy phép, số quyết định).
	IssueData struct {
		Number string `json:"number"`
	}
	// RescheduleData is the new appointment after a missed due date.
	RescheduleData struct {
		NewDate string `json:"new_date"` // YYYY-MM-DD
	}
	// AssignData names the investigator of a complaint.
	AssignData struct {
		Investigator string `json:"investigator"`
	}
	// ConcludeData is the outcome of a complaint.
	ConcludeData struct {
		Decision string `json:"decision"`          // upheld, partly_upheld, dismissed (complaints), untrue (denunciations)
		Measure  string `json:"measure,omitempty"` // complaints: keep, amend, supplement, annul_part, annul, stop_act
	}
)

// checkPayload returns a message per bad field of req ("note", "reason",
// "data.<name>"), in the applicant's or officer's terms: the action's input
// schema first, then the rules it cannot say.
func checkPayload(req motcua.ActionRequest, now time.Time, fee int64) map[string]string {
	spec, ok := Spec(req.Action)
	if !ok {
		return map[string]string{"": "Không có thao tác này."}
	}
	body := map[string]any{}
	if note := strings.TrimSpace(req.Note); note != "" {
		body["note"] = note
	}
	if reason := strings.TrimSpace(req.Reason); reason != "" {
		body["reason"] = reason
	}
	if len(req.Data) > 0 {
		var data any
		if err := json.Unmarshal(req.Data, &data); err != nil {
			return map[string]string{"data": "Dữ liệu phải là một đối tượng JSON đúng mẫu."}
		}
		body["data"] = data
	}
	if bad := spec.schema.ErrorsOf(body); len(bad) > 0 {
		return bad
	}
	if spec.check != nil {
		return spec.check(req, now, fee)
	}
	return nil
}
