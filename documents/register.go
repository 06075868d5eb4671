package documents

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/motcua/motcua"
)

// Register is the desk's register of files (sổ theo dõi hồ sơ) for a
// period: every case the agency received in it, one line each. Thông tư
// 01/2018/TT-VPCP Mẫu số 06 (Thông tư 03/2025/TT-VPCP Phụ lục I Mẫu số 07
// keeps the name; its columns: cần xác minh, the 2025 appendix was not
// readable). Điều 10 khoản 1 of TT 01/2018: kept in the electronic one-stop
// system, printable and signed digitally.
type Register struct {
	DocumentID string
	AgencyName string
	From, To   time.Time // the period, To exclusive
	Rows       []RegisterRow
	At         time.Time // when the register was drawn up
	By         string    // the officer who drew it up
	VerifyURL  string
	Place      string
}

// RegisterRow is one case in the register.
type RegisterRow struct {
	CaseCode, Procedure string
	Applicant, Contact  string // name; address and telephone
	Agency              string // the lead agency (cơ quan chủ trì giải quyết)
	ReceivedAt, DueAt   time.Time
	TransferredAt       time.Time // handed to the agency that decides
	ResultAt            time.Time // the result came back to the desk
	ReturnedAt          time.Time // the result was given to the applicant
	Note                string    // standing (trước hạn, đúng hạn, quá hạn) or what became of the file
}

// TitleRegister is the register's title.
const TitleRegister = "SỔ THEO DÕI HỒ SƠ"

// registerColumns are the columns of TT 01/2018 Mẫu số 06 (the number of
// sets is always one for an electronic file and the applicant's signature
// on return is the delivery record, so both are left out).
var registerColumns = []column{
	{heading: "TT", share: 4, align: "C"}, {heading: "Mã hồ sơ", share: 20}, {heading: "Tên thủ tục hành chính", share: 16},
	{heading: "Tên cá nhân, tổ chức", share: 11}, {heading: "Địa chỉ, số điện thoại", share: 11},
	{heading: "Cơ quan chủ trì giải quyết", share: 12},
	{heading: "Nhận hồ sơ", share: 9}, {heading: "Hẹn trả kết quả", share: 9},
	{heading: "Chuyển hồ sơ đến cơ quan giải quyết", share: 9}, {heading: "Nhận kết quả từ cơ quan giải quyết", share: 9},
	{heading: "Trả kết quả", share: 9}, {heading: "Ghi chú", share: 9},
}

// cells are a row's values in the order of registerColumns.
func (r RegisterRow) cells(i int) []string {
	return []string{fmt.Sprint(i + 1), r.CaseCode, r.Procedure, r.Applicant, r.Contact, r.Agency,
		optTime(r.ReceivedAt), optTime(r.DueAt), optTime(r.TransferredAt), optTime(r.ResultAt), optTime(r.ReturnedAt), r.Note}
}

func optTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return shortTime(t)
}

// RenderRegister renders the register of a period.
func RenderRegister(r Register) ([]byte, error) {
	switch {
	case r.DocumentID == "":
		return nil, errors.New("documents: register has no document id")
	case r.At.IsZero() || r.From.IsZero() || !r.To.After(r.From):
		return nil, errors.New("documents: register has no period or date")
	}
	w := newLandscape(TitleRegister, oneLine(r.AgencyName), r.At)
	w.officialHeader(oneLine(r.AgencyName), "", placeDate(r.Place, r.At))
	w.title(TitleRegister)
	last := r.To.Add(-time.Nanosecond)
	w.centred(marginL, w.contentW, fmt.Sprintf("Từ %s đến %s", vnDate(r.From), vnDate(last)), "", bodySize)
	w.pdf.Ln(2)
	w.spans(marginL, span{fmt.Sprintf("Số hồ sơ tiếp nhận trong kỳ: %d", len(r.Rows)), "B"})
	if len(r.Rows) == 0 {
		w.spans(marginL, span{"(Không có hồ sơ nào được tiếp nhận trong kỳ.)", ""})
	} else {
		rows := make([][]string, len(r.Rows))
		for i, row := range r.Rows {
			rows[i] = row.cells(i)
		}
		w.ruled(registerColumns, rows, 7)
	}
	w.pdf.Ln(2)
	w.signatures(signature{heading: "NGƯỜI LẬP SỔ", instruction: "(Đã ký)", name: oneLine(r.By)})
	if err := w.verification(oneLine(r.VerifyURL), oneLine(r.DocumentID)); err != nil {
		return nil, err
	}
	return w.bytes()
}

// WriteRegisterCSV writes the register's rows as CSV under the form's
// column headings, times as "15:04 02/01/2006" in Vietnam's time.
func WriteRegisterCSV(out io.Writer, rows []RegisterRow) error {
	w := csv.NewWriter(out)
	head := make([]string, len(registerColumns))
	for i, c := range registerColumns {
		head[i] = c.heading
	}
	if err := w.Write(head); err != nil {
		return err
	}
	for i, r := range rows {
		if err := w.Write(r.cells(i)); err != nil {
			return err
		}
	}
	w.Flush()
	return w.Error()
}

// RegisterRowOf is a case's line in the register: the times are read from
// its timeline (forwarded or, at the agency's own desk, received; result
// issued; delivered), the note from its standing or its end.
func RegisterRowOf(c motcua.Case, agencyName func(string) string) RegisterRow {
	r := RegisterRow{CaseCode: c.Code, Procedure: c.Procedure.Name, Applicant: c.Applicant.Name,
		Agency: agencyName(c.Agency)}
	contact := c.Applicant.Address
	if c.Applicant.Phone != "" {
		if contact != "" {
			contact += "; "
		}
		contact += c.Applicant.Phone
	}
	r.Contact = contact
	if c.ReceivedAt != nil {
		r.ReceivedAt = *c.ReceivedAt
	}
	due := time.Time{}
	if c.DueAt != nil {
		due = *c.DueAt
	}
	if c.RescheduledTo != nil {
		due = *c.RescheduledTo
	}
	r.DueAt = due
	for _, e := range c.Timeline {
		switch e.Action {
		case motcua.EventForwarded, motcua.ActionReceive:
			if r.TransferredAt.IsZero() || e.Action == motcua.EventForwarded {
				r.TransferredAt = e.At
			}
		case motcua.ActionIssue, motcua.ActionConclude:
			r.ResultAt = e.At
		case motcua.ActionDeliver, motcua.EventDelivered:
			if r.ReturnedAt.IsZero() {
				r.ReturnedAt = e.At
			}
		}
	}
	switch {
	case !r.ReturnedAt.IsZero():
		r.Note = Standing(r.ReturnedAt, due)
	case !r.ResultAt.IsZero():
		r.Note = "Có kết quả, " + Standing(r.ResultAt, due)
	default:
		r.Note = statusNotes[c.Status]
		if r.Note == "" && c.Overdue {
			r.Note = "Đang giải quyết, quá hạn"
		} else if r.Note == "" {
			r.Note = "Đang giải quyết"
		}
	}
	return r
}

// statusNotes say what became of a file that has no result.
var statusNotes = map[motcua.Status]string{
	motcua.StatusRejected:  "Từ chối giải quyết",
	motcua.StatusWithdrawn: "Rút hồ sơ",
	motcua.StatusCancelled: "Hủy hồ sơ",
}
