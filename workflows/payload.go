package workflows

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/calendar"
)

// Payloads that actions carry in ActionRequest.Data.
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
		Decision string `json:"decision"` // upheld, partly_upheld, dismissed
	}
)

// Complaint decisions (kết luận: khiếu nại đúng, đúng một phần, sai).
var decisions = []string{"upheld", "partly_upheld", "dismissed"}

// checkPayload returns a message per bad field of req, in the applicant's or
// officer's terms. Fields are "note", "reason" and "data.<name>".
func checkPayload(req motcua.ActionRequest, now time.Time, fee int64) map[string]string {
	bad := map[string]string{}
	if utf8.RuneCountInString(req.Note) > 4000 {
		bad["note"] = "Tối đa 4000 ký tự."
	}
	if utf8.RuneCountInString(req.Reason) > 4000 {
		bad["reason"] = "Tối đa 4000 ký tự."
	}
	needReason := func(msg string) {
		if strings.TrimSpace(req.Reason) == "" {
			bad["reason"] = msg
		}
	}
	decode := func(v any) bool {
		if len(req.Data) == 0 {
			bad["data"] = "Thiếu dữ liệu."
			return false
		}
		if err := json.Unmarshal(req.Data, v); err != nil {
			bad["data"] = "Dữ liệu phải là một đối tượng JSON đúng mẫu."
			return false
		}
		return true
	}
	switch req.Action {
	case motcua.ActionReturn:
		needReason("Cần ghi rõ hồ sơ còn thiếu gì và hướng dẫn bổ sung.")
	case motcua.ActionReject:
		needReason("Cần ghi rõ lý do từ chối.")
	case motcua.ActionRequestInfo:
		needReason("Cần ghi rõ nội dung yêu cầu bổ sung.")
	case motcua.ActionCoReview:
		var d CoReviewData
		if decode(&d) {
			if d.Agree == nil {
				bad["data.agree"] = "Cần cho biết đồng ý (true) hay không đồng ý (false)."
			} else if !*d.Agree {
				needReason("Cần ghi rõ lý do không đồng ý.")
			}
		}
	case motcua.ActionConfirmPayment:
		var d PaymentData
		if decode(&d) {
			if strings.TrimSpace(d.ReceiptNo) == "" {
				bad["data.receipt_no"] = "Cần nhập số biên lai."
			}
			if d.Amount != 0 && d.Amount != fee {
				bad["data.amount"] = fmt.Sprintf("Số tiền phải đúng mức phí, lệ phí của hồ sơ: %d đồng.", fee)
			}
		}
	case motcua.ActionIssue:
		if len(req.Data) > 0 {
			var d IssueData
			if json.Unmarshal(req.Data, &d) != nil {
				bad["data"] = "Dữ liệu phải là một đối tượng JSON đúng mẫu."
			}
		}
	case motcua.ActionReschedule:
		needReason("Cần ghi nội dung xin lỗi và lý do chậm trễ.")
		var d RescheduleData
		if decode(&d) {
			day, err := time.ParseInLocation(time.DateOnly, d.NewDate, calendar.Location)
			y, m, dd := now.In(calendar.Location).Date()
			if err != nil {
				bad["data.new_date"] = "Ngày hẹn mới phải có dạng YYYY-MM-DD."
			} else if !day.After(time.Date(y, m, dd, 0, 0, 0, 0, calendar.Location)) {
				bad["data.new_date"] = "Ngày hẹn mới phải sau hôm nay."
			}
		}
	case motcua.ActionAttach:
		var d motcua.Document
		if decode(&d) && (d.ID == "" || len(d.SHA256) != 64 || d.Name == "") {
			bad["data"] = "Tài liệu đính kèm không hợp lệ."
		}
	case motcua.ActionPaymentResult:
		var d PaymentResultData
		if decode(&d) && (d.OrderID == "" || (d.Status != motcua.PaymentPaid && d.Status != motcua.PaymentFailed)) {
			bad["data"] = "Kết quả thanh toán phải có order_id và status paid hoặc failed."
		}
	case motcua.ActionPostalTracking:
		var d TrackingData
		if decode(&d) && (d.Tracking == "" || d.Status == "") {
			bad["data"] = "Sự kiện bưu chính phải có tracking_number và status."
		}
	case motcua.ActionAssign:
		var d AssignData
		if decode(&d) && strings.TrimSpace(d.Investigator) == "" {
			bad["data.investigator"] = "Cần chỉ định người xác minh."
		}
	case motcua.ActionVerify:
		if strings.TrimSpace(req.Note) == "" {
			bad["note"] = "Cần tóm tắt kết quả xác minh."
		}
	case motcua.ActionConclude:
		var d ConcludeData
		if decode(&d) {
			ok := false
			for _, v := range decisions {
				ok = ok || d.Decision == v
			}
			if !ok {
				bad["data.decision"] = "Kết luận phải là upheld, partly_upheld hoặc dismissed."
			}
		}
		if strings.TrimSpace(req.Note) == "" {
			bad["note"] = "Cần ghi nội dung kết luận."
		}
	}
	return bad
}
