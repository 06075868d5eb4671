package documents

import (
	"errors"
	"fmt"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/calendar"
)

// ControlSheet is the phiếu kiểm soát quá trình giải quyết hồ sơ: every
// hand-over of the file, when, and whether it was before, on or after its
// time. Thông tư 01/2018/TT-VPCP Mẫu số 05 (Thông tư 03/2025/TT-VPCP Phụ lục
// I Mẫu số 06 keeps the name; its 2025 layout: chưa xác minh).
type ControlSheet struct {
	DocumentID, CaseCode      string
	AgencyName, ProcedureName string
	Applicant                 motcua.Applicant
	ReceivedAt, DueAt         time.Time
	Rows                      []ControlRow
	At                        time.Time // when the sheet was closed (the case's end)
	VerifyURL                 string
	Place                     string
}

// ControlRow is one hand-over: who gave the file, who took it, when, the
// due time it was held to, the standing against it and a note.
type ControlRow struct {
	From, To string
	At, Due  time.Time
	Standing string // trước hạn, đúng hạn, quá hạn
	Note     string
}

// controlColumns are the form's columns: the party that hands the file
// over and the one that takes it, the time, the due time and the result
// against it (trước hạn / đúng hạn / quá hạn), and a note.
var controlColumns = []column{
	{heading: "TT", share: 5, align: "C"}, {heading: "Bên giao", share: 24}, {heading: "Bên nhận", share: 24},
	{heading: "Thời gian giao, nhận", share: 14}, {heading: "Hạn giải quyết", share: 14},
	{heading: "Kết quả (trước hạn, đúng hạn, quá hạn)", share: 13}, {heading: "Ghi chú", share: 18},
}

// shortTime is "09:30 05/03/2026", for table cells.
func shortTime(t time.Time) string { return t.In(calendar.Location).Format("15:04 02/01/2006") }

// TitleControlSheet is the control sheet's title.
const TitleControlSheet = "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ"

// Standing words a hand-over's time against the due time.
func Standing(at, due time.Time) string {
	switch {
	case due.IsZero():
		return ""
	case at.After(due):
		return "quá hạn"
	case at.Year() == due.Year() && at.YearDay() == due.YearDay():
		return "đúng hạn"
	}
	return "trước hạn"
}

// RenderControlSheet renders the control sheet of a case.
func RenderControlSheet(s ControlSheet) ([]byte, error) {
	switch {
	case s.DocumentID == "":
		return nil, errors.New("documents: control sheet has no document id")
	case s.CaseCode == "":
		return nil, errors.New("documents: control sheet has no case code")
	case s.At.IsZero():
		return nil, errors.New("documents: control sheet has no date")
	}
	w := newWriter(TitleControlSheet, oneLine(s.AgencyName), s.At)
	w.officialHeader(oneLine(s.AgencyName), "", placeDate(s.Place, s.At))
	w.title(TitleControlSheet)
	w.codes(oneLine(s.CaseCode), "")
	x := marginL
	w.spans(x, span{"Hồ sơ của: ", ""}, span{oneLine(s.Applicant.Name), "B"})
	if s.ProcedureName != "" {
		w.spans(x, span{"Nội dung yêu cầu giải quyết: ", ""}, span{oneLine(s.ProcedureName), "B"})
	}
	if !s.ReceivedAt.IsZero() {
		w.spans(x, span{"Ngày tiếp nhận: " + vnTime(s.ReceivedAt), ""})
	}
	if !s.DueAt.IsZero() {
		w.spans(x, span{"Ngày hẹn trả kết quả: ", ""}, span{vnTime(s.DueAt), "B"})
	}
	w.spans(x, span{"Quá trình giao, nhận hồ sơ:", "B"})
	if len(s.Rows) == 0 {
		w.hanging(x+6, 7, "", "(chưa có)", "", bodySize)
	}
	rows := make([][]string, len(s.Rows))
	for i, r := range s.Rows {
		due := ""
		if !r.Due.IsZero() {
			due = shortTime(r.Due)
		}
		rows[i] = []string{fmt.Sprint(i + 1), r.From, r.To, shortTime(r.At), due, r.Standing, r.Note}
	}
	if len(rows) > 0 {
		w.ruled(controlColumns, rows, 8.5)
	}
	w.pdf.Ln(2)
	if err := w.verification(oneLine(s.VerifyURL), oneLine(s.DocumentID)); err != nil {
		return nil, err
	}
	return w.bytes()
}
