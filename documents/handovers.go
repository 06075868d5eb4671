package documents

import (
	"time"

	"github.com/motcua/motcua"
)

// handOvers are the timeline events at which the file changes hands (Nghị
// định 61/2018 Điều 19 khoản 5 điểm b: the control sheet follows the file
// from the desk through every unit to the return of the result), with the
// step each one ends, for the note column.
var handOvers = map[motcua.Action]string{
	motcua.EventForwarded:       "Chuyển cơ quan có thẩm quyền",
	motcua.EventHandedOver:      "Chuyển giao cơ quan kế thừa",
	motcua.ActionReceive:        "Tiếp nhận hồ sơ",
	motcua.ActionReturn:         "Trả lại, hướng dẫn bổ sung",
	motcua.ActionRequestInfo:    "Yêu cầu bổ sung hồ sơ",
	motcua.ActionSupplement:     "Bổ sung hồ sơ",
	motcua.EventTransferred:     "Chuyển phòng chuyên môn",
	motcua.EventCoReviewStarted: "Gửi lấy ý kiến cơ quan phối hợp",
	motcua.ActionCoReview:       "Ý kiến cơ quan phối hợp",
	motcua.ActionReview:         "Thẩm định",
	motcua.ActionAssign:         "Giao người xác minh",
	motcua.ActionVerify:         "Báo cáo xác minh",
	motcua.ActionApprove:        "Phê duyệt",
	motcua.ActionConclude:       "Kết luận, quyết định giải quyết",
	motcua.ActionConfirmPayment: "Thu phí, lệ phí",
	motcua.ActionIssue:          "Ban hành kết quả",
	motcua.ActionReject:         "Từ chối",
	motcua.ActionDeliver:        "Trả kết quả",
	motcua.EventDelivered:       "Trả kết quả qua bưu chính",
	motcua.ActionReschedule:     "Xin lỗi, hẹn lại ngày trả kết quả",
}

// toApplicant are the hand-overs that give the file back to the applicant.
var toApplicant = map[motcua.Action]bool{
	motcua.ActionReturn: true, motcua.ActionRequestInfo: true, motcua.ActionReject: true,
	motcua.ActionDeliver: true, motcua.EventDelivered: true,
}

// RoleNames are the roles as a control sheet names them.
var RoleNames = map[motcua.Role]string{
	motcua.RoleApplicant: "Người nộp hồ sơ",
	motcua.RoleReceiver:  "Bộ phận Một cửa",
	motcua.RoleReviewer:  "Chuyên viên thẩm định",
	motcua.RoleApprover:  "Lãnh đạo phê duyệt",
	motcua.RoleCashier:   "Cán bộ thu phí",
	motcua.RoleHead:      "Thủ trưởng cơ quan",
	motcua.RoleSystem:    "Hệ thống",
}

// ControlRows draws the control sheet's rows from a case's timeline: each
// hand-over from the party that acted to the party that acted next (the
// applicant when the file went back to them), held to the due date then in
// force (the new one after an apology and new appointment). agencyName
// names an agency code.
func ControlRows(c motcua.Case, agencyName func(string) string) []ControlRow {
	var steps []motcua.Event
	for _, e := range c.Timeline {
		if _, ok := handOvers[e.Action]; ok {
			steps = append(steps, e)
		}
	}
	due := time.Time{}
	if c.DueAt != nil {
		due = *c.DueAt
	}
	applicant := RoleNames[motcua.RoleApplicant]
	if n := oneLine(c.Applicant.Name); n != "" {
		applicant += " (" + n + ")"
	}
	rows := make([]ControlRow, 0, len(steps))
	for i, e := range steps {
		if e.Action == motcua.ActionReschedule && c.RescheduledTo != nil {
			due = *c.RescheduledTo
		}
		row := ControlRow{From: party(e, agencyName, applicant), At: e.At, Due: due, Note: handOvers[e.Action]}
		switch {
		case toApplicant[e.Action]:
			row.To = applicant
		case e.Action == motcua.EventForwarded:
			row.To = agencyName(c.Agency)
		case i+1 < len(steps):
			row.To = party(steps[i+1], agencyName, applicant)
		default:
			row.To = "(đang giải quyết)"
		}
		if c.ReceivedAt != nil && !e.At.Before(*c.ReceivedAt) {
			row.Standing = Standing(e.At, due)
		}
		rows = append(rows, row)
	}
	return rows
}

// party names who acted: the officer, their part and their agency.
func party(e motcua.Event, agencyName func(string) string, applicant string) string {
	a := e.Actor
	if a.Kind == motcua.KindCitizen || a.Role == motcua.RoleApplicant {
		return applicant
	}
	agency := a.Agency
	if agency == "" {
		agency = e.Agency
	}
	part := RoleNames[a.Role]
	if part == "" {
		part = RoleNames[motcua.RoleSystem]
	}
	s := part
	if agency != "" {
		s += ", " + agencyName(agency)
	}
	if a.Name != "" && a.Kind == motcua.KindOfficer {
		return oneLine(a.Name) + " (" + s + ")"
	}
	return s
}
