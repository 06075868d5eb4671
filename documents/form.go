package documents

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/calendar"
)

// formDate dates every printable form: a form depends on its definition
// only, and Decree 118/2025 took effect on this day (Điều 40 khoản 1).
var formDate = time.Date(2025, time.July, 1, 0, 0, 0, 0, calendar.Location)

// RenderForm renders the level-2 downloadable form of a procedure (mẫu đơn to
// print, fill in by hand and bring to the one-stop desk): the national motto,
// the title (the form schema's "title", else the procedure name), "Kính gửi:
// <agency>", every field of the procedure's JSON Schema form in the order of
// the schema text, with dotted lines to write on, then the documents to
// attach, the fee, the processing time and the applicant's signature.
func RenderForm(p *motcua.Procedure, agencyName string) ([]byte, error) {
	if p == nil {
		return nil, errors.New("documents: no procedure to render a form for")
	}
	var root *field
	if len(bytes.TrimSpace(p.Form)) > 0 {
		n, err := decodeOrdered(p.Form)
		if err != nil {
			return nil, fmt.Errorf("documents: form of procedure %s: %w", p.Code, err)
		}
		root = fieldOf("", n, 0)
	}
	title := p.Name.Vi
	if root != nil && root.title != "" {
		title = root.title
	}
	if title = strings.ToUpper(oneLine(title)); title == "" {
		title = "ĐƠN ĐỀ NGHỊ"
	}
	agency := oneLine(agencyName)

	w := newWriter(title, agency, formDate)
	w.nationalHeader()
	w.title(title)
	if agency != "" {
		w.centred(marginL, contentW, "Kính gửi: "+agency, "", bodySize)
	} else {
		w.blank(marginL+35, "Kính gửi:", 0)
	}
	w.pdf.Ln(3)

	if root != nil && len(root.props) > 0 {
		w.fields(root.props, 0)
	} else {
		w.blank(marginL, "Nội dung đề nghị:", 4)
	}

	w.attachments(p.Documents)
	w.procedureTerms(p)
	w.pdf.Ln(2)
	w.para(marginL, "Tôi cam đoan những thông tin kê khai trên là đúng sự thật và chịu trách nhiệm trước pháp luật về nội dung đã kê khai.", "", bodySize, "J")
	w.signatures(signature{
		above:       []string{"............, ngày ...... tháng ...... năm ..........."},
		heading:     "NGƯỜI LÀM ĐƠN",
		instruction: "(Ký, ghi rõ họ tên)",
	})
	w.pdf.SetTextColor(90, 90, 90)
	w.para(marginL, formSource(p), "", 8, "L")
	w.pdf.SetTextColor(0, 0, 0)
	return w.bytes()
}

// nationalHeader is the motto and slogan centred at the top, as on an
// application letter (đơn), which has no issuing agency.
func (w *writer) nationalHeader() {
	size := w.fitSize(motto, "B", 12, contentW)
	w.centred(marginL, contentW, motto, "B", size)
	sw := w.centred(marginL, contentW, slogan, "B", 12)
	w.rule(marginL+contentW/2, w.pdf.GetY()+0.8, sw)
	w.pdf.SetXY(marginL, w.pdf.GetY()+8)
}

func (w *writer) attachments(docs []motcua.DocumentSpec) {
	if len(docs) == 0 {
		return
	}
	w.pdf.Ln(2)
	w.room(2 * lineHeight(bodySize))
	w.para(marginL, "Hồ sơ gửi kèm theo gồm:", "B", bodySize, "L")
	for i, d := range docs {
		text := oneLine(d.Name)
		if copies := oneLine(d.Copies); copies != "" {
			text += " (" + copies + ")"
		}
		note := oneLine(d.Note)
		if !d.Required && note == "" && !strings.Contains(text, "nếu có") {
			text += " (nếu có)"
		}
		w.hanging(marginL+4, 7, strconv.Itoa(i+1)+".", text, "", bodySize)
		if note != "" {
			w.para(marginL+11, note, "", smallSize, "L")
		}
	}
}

func (w *writer) procedureTerms(p *motcua.Procedure) {
	w.pdf.Ln(1)
	fee := "không thu phí, lệ phí"
	if p.FeeAmount() > 0 {
		fee = motcua.Money(p.FeeAmount())
		if name := oneLine(p.Fee.Name); name != "" {
			fee = name + ": " + fee
		}
	}
	w.spans(marginL, span{"Phí, lệ phí: ", "B"}, span{fee + ".", ""})
	if p.ProcessingDays > 0 {
		w.spans(marginL, span{"Thời hạn giải quyết: ", "B"},
			span{fmt.Sprintf("%02d ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ.", p.ProcessingDays), ""})
	}
}

// formSource names the definition the form was printed from, so the desk
// can tell an outdated printout.
func formSource(p *motcua.Procedure) string {
	code := p.Code
	if p.NationalCode != "" {
		code = p.NationalCode
	}
	return fmt.Sprintf("Mẫu đơn của thủ tục “%s” (mã %s, phiên bản %d).", oneLine(p.Name.Vi), oneLine(code), p.Version)
}

// A field is one property of the form's JSON Schema, reduced to what a paper
// form shows.
type field struct {
	key, title, typ, format, description string
	enum                                 []string
	constant                             string
	hasConst                             bool
	maxLength, maxItems                  int
	items                                *field
	props                                []*field
}

// maxNesting bounds how deep a form is drawn; deeper levels would have no
// room left to write on.
const maxNesting = 8

func fieldOf(key string, n *node, depth int) *field {
	f := &field{key: key}
	f.title = oneLine(n.get("title").str())
	f.description = oneLine(n.get("description").str())
	f.format = n.get("format").str()
	// A type list such as ["string", "null"] is drawn as its first real type.
	for _, t := range append([]*node{n.get("type")}, n.get("type").elems()...) {
		if s := t.str(); s != "" && s != "null" {
			f.typ = s
			break
		}
	}
	if c := n.get("const"); c != nil {
		f.constant, f.hasConst = c.display(), true
	}
	for _, e := range n.get("enum").elems() {
		if e.val != nil {
			f.enum = append(f.enum, oneLine(e.display()))
		}
	}
	f.maxLength = n.get("maxLength").int()
	f.maxItems = n.get("maxItems").int()
	if depth < maxNesting {
		for _, m := range n.get("properties").members() {
			f.props = append(f.props, fieldOf(m.key, m.val, depth+1))
		}
		if it := n.get("items"); it != nil && it.isObj {
			f.items = fieldOf("", it, depth+1)
		}
	}
	if f.typ == "" {
		switch {
		case len(f.props) > 0:
			f.typ = "object"
		case f.items != nil:
			f.typ = "array"
		default:
			f.typ = "string"
		}
	}
	return f
}

func (f *field) label() string {
	if f.title != "" {
		return f.title
	}
	return f.key
}

// scalar reports whether the field is written on one line (or ticked).
func (f *field) scalar() bool { return f.typ != "object" && f.typ != "array" }

// fields draws properties in order; top-level ones are numbered.
func (w *writer) fields(fs []*field, depth int) {
	x := marginL + 5*float64(min(depth, 4))
	for i, f := range fs {
		number := ""
		if depth == 0 {
			number = strconv.Itoa(i+1) + ". "
		}
		label := number + f.label()
		switch {
		case f.typ == "object":
			w.room(2 * lineHeight(bodySize))
			w.para(x, label, "B", bodySize, "L")
			w.description(x, f)
			w.fields(f.props, depth+1)
			continue
		case f.typ == "array":
			w.array(x, label, f, depth)
		case f.typ == "boolean":
			box := number + "☐"
			w.font("", bodySize)
			w.hanging(x, w.pdf.GetStringWidth(box)+2, box, f.label(), "", bodySize)
		case f.hasConst:
			w.spans(x, span{label + ": ", ""}, span{oneLine(f.constant), "B"})
		case len(f.enum) > 0:
			w.choices(x, label+":", f.enum)
		case f.format == "date":
			w.template(x, label+":", dateSlots)
		case f.format == "date-time":
			w.template(x, label+":", dateTimeSlots)
		default:
			w.blank(x, label+":", extraLines(f.maxLength))
		}
		w.description(x, f)
	}
}

// extraLines gives long free-text fields more room to write.
func extraLines(maxLength int) int {
	switch {
	case maxLength >= 1000:
		return 3
	case maxLength >= 500:
		return 2
	case maxLength > 255:
		return 1
	}
	return 0
}

func (w *writer) description(x float64, f *field) {
	if f.description != "" {
		w.para(x+4, "("+f.description+")", "", smallSize, "L")
	}
}

// array draws a list field: ticks for a choice of several values, a table
// for records of simple values, blank lines for anything else.
func (w *writer) array(x float64, label string, f *field, depth int) {
	rows := 3
	if f.maxItems > 0 && f.maxItems < rows {
		rows = f.maxItems
	}
	it := f.items
	switch {
	case it != nil && len(it.enum) > 0:
		w.choices(x, label+" (đánh dấu các mục phù hợp):", it.enum)
	case it != nil && it.typ == "object" && len(it.props) > 0 && allScalar(it.props):
		w.table(x, label+":", it.props, rows)
	case it != nil && it.typ == "object" && len(it.props) > 0:
		w.para(x, label+":", "B", bodySize, "L")
		for i := range min(rows, 2) {
			w.para(x+5, fmt.Sprintf("Thứ %d:", i+1), "", bodySize, "L")
			w.fields(it.props, depth+2)
		}
	default:
		w.blank(x, label+":", 0)
		for i := range rows {
			w.blank(x+5, strconv.Itoa(i+1)+".", 0)
		}
	}
}

func allScalar(fs []*field) bool {
	for _, f := range fs {
		if !f.scalar() {
			return false
		}
	}
	return true
}

// dotted draws a writing line from x1 to x2 at height y.
func (w *writer) dotted(x1, x2, y float64) {
	w.pdf.SetDrawColor(90, 90, 90)
	w.pdf.SetLineWidth(0.25)
	w.pdf.SetDashPattern([]float64{0.35, 1.1}, 0)
	w.pdf.Line(x1, y, x2, y)
	w.pdf.SetDashPattern(nil, 0)
	w.pdf.SetDrawColor(0, 0, 0)
}

// minBlank is the shortest writing line worth leaving after a label.
const minBlank = 25.0

// labelLines writes a wrapped label from x and returns where its last line
// ends, leaving the position on that line.
func (w *writer) labelLines(x float64, label string) (endX float64) {
	h := lineHeight(bodySize)
	w.font("", bodySize)
	lines := w.pdf.SplitText(label, right-x)
	w.room(h * float64(len(lines)))
	for i, line := range lines {
		w.pdf.SetX(x)
		if i < len(lines)-1 {
			w.pdf.CellFormat(right-x, h, line, "", 2, "L", false, 0, "")
			continue
		}
		lw := w.pdf.GetStringWidth(line)
		w.pdf.CellFormat(lw, h, line, "", 0, "L", false, 0, "")
		return x + lw
	}
	return x
}

// newLine moves to the start of the next line at x, on a new page if needed.
func (w *writer) newLine(x float64) {
	h := lineHeight(bodySize)
	w.pdf.SetXY(x, w.pdf.GetY()+h)
	w.room(h)
	w.pdf.SetX(x)
}

// writingLine is the height, within a line, of the dotted line to write on.
func writingLine(y float64) float64 { return y + lineHeight(bodySize)*0.78 }

// blank writes a label followed by a dotted line to the right margin, and
// extra full dotted lines under it.
func (w *writer) blank(x float64, label string, extra int) {
	start := w.labelLines(x, label) + 1.5
	if right-start < minBlank {
		w.newLine(x)
		start = x
	}
	w.dotted(start, right, writingLine(w.pdf.GetY()))
	for range extra {
		w.newLine(x)
		w.dotted(x, right, writingLine(w.pdf.GetY()))
	}
	w.newLine(marginL)
}

// slot is a piece of a fill-in template: literal text, or a blank of the
// given width.
type slot struct {
	text  string
	blank float64
}

var (
	dateSlots     = []slot{{blank: 14}, {text: "/"}, {blank: 14}, {text: "/"}, {blank: 22}}
	dateTimeSlots = []slot{{blank: 12}, {text: " giờ "}, {blank: 12}, {text: " phút, ngày "}, {blank: 12},
		{text: "/"}, {blank: 12}, {text: "/"}, {blank: 18}}
)

// template writes a label followed by a fill-in template such as a date.
func (w *writer) template(x float64, label string, slots []slot) {
	h := lineHeight(bodySize)
	end := w.labelLines(x, label) + 2
	need := 0.0
	for _, s := range slots {
		need += s.blank + w.pdf.GetStringWidth(s.text)
	}
	if end+need > right {
		w.newLine(x + 5)
		end = x + 5
	}
	y := w.pdf.GetY()
	for _, s := range slots {
		if s.blank > 0 {
			w.dotted(end, end+s.blank, writingLine(y))
			end += s.blank
			continue
		}
		tw := w.pdf.GetStringWidth(s.text)
		w.pdf.SetXY(end, y)
		w.pdf.CellFormat(tw, h, s.text, "", 0, "L", false, 0, "")
		end += tw
	}
	w.newLine(marginL)
}

// choices writes a label and its options as boxes to tick, flowing over
// as many lines as needed.
func (w *writer) choices(x float64, label string, options []string) {
	h := lineHeight(bodySize)
	const gap = 6.0
	pos := w.labelLines(x, label) + gap
	for _, o := range options {
		text := "☐ " + o
		tw := w.pdf.GetStringWidth(text)
		if pos+tw > right {
			w.newLine(x + 5)
			pos = x + 5
		}
		if pos+tw > right { // longer than a line: wrap it on its own
			w.pdf.SetX(pos)
			w.pdf.MultiCell(right-pos, h, text, "", "L", false)
			w.pdf.SetY(w.pdf.GetY() - h)
			pos = right
			continue
		}
		w.pdf.SetX(pos)
		w.pdf.CellFormat(tw, h, text, "", 0, "L", false, 0, "")
		pos += tw + gap
	}
	w.newLine(marginL)
}

// table draws a list of records as a table with a numbered blank row per
// record to fill in.
func (w *writer) table(x float64, label string, cols []*field, rows int) {
	const (
		headSize = 9.0
		numW     = 10.0
		rowH     = 9.0
		pad      = 1.0
	)
	hh := lineHeight(headSize)
	w.font("B", headSize)
	// Columns share the width in proportion to what is written in them, but
	// never so narrow that a word of the heading must break.
	weights := make([]float64, len(cols))
	total := 0.0
	for i, c := range cols {
		weights[i] = max(columnWeight(c), w.longestWord(c.label())+2*pad)
		total += weights[i]
	}
	avail := right - x - numW
	widths := make([]float64, len(cols))
	headLines := 1
	for i, c := range cols {
		widths[i] = avail * weights[i] / total
		headLines = max(headLines, len(w.pdf.SplitText(c.label(), widths[i]-2*pad)))
	}
	headH := float64(headLines)*hh + 2*pad

	w.room(lineHeight(bodySize) + headH + rowH)
	w.para(x, label, "", bodySize, "L")
	header := func() {
		y := w.pdf.GetY()
		w.font("B", headSize)
		w.cell(x, y, numW, headH, "STT", hh, pad)
		cx := x + numW
		for i, c := range cols {
			w.cell(cx, y, widths[i], headH, c.label(), hh, pad)
			cx += widths[i]
		}
		w.pdf.SetXY(x, y+headH)
	}
	header()
	for r := range rows {
		if w.pdf.GetY()+rowH > pageH-marginB {
			w.pdf.AddPage()
			header()
		}
		y := w.pdf.GetY()
		w.font("", bodySize)
		w.cell(x, y, numW, rowH, strconv.Itoa(r+1), lineHeight(bodySize), pad)
		cx := x + numW
		for i, c := range cols {
			text := ""
			if c.typ == "boolean" {
				text = "☐"
			}
			w.cell(cx, y, widths[i], rowH, text, lineHeight(bodySize), pad)
			cx += widths[i]
		}
		w.pdf.SetXY(x, y+rowH)
	}
	w.pdf.SetXY(marginL, w.pdf.GetY()+2)
}

// columnWeight is about how many millimetres a value of c takes by hand.
func columnWeight(c *field) float64 {
	switch {
	case c.typ == "boolean":
		return 14
	case c.typ == "number" || c.typ == "integer":
		return 22
	case c.format == "date":
		return 24
	case c.maxLength > 0:
		return min(max(float64(c.maxLength)/4, 18), 70)
	}
	return 30
}

func (w *writer) longestWord(s string) float64 {
	longest := 0.0
	for _, word := range strings.Fields(s) {
		longest = max(longest, w.pdf.GetStringWidth(word))
	}
	return longest
}

// cell draws a bordered cell with text centred in it, wrapped.
func (w *writer) cell(x, y, width, height float64, text string, lh, pad float64) {
	w.pdf.SetLineWidth(0.2)
	w.pdf.Rect(x, y, width, height, "D")
	if text == "" {
		return
	}
	lines := w.pdf.SplitText(text, width-2*pad)
	ty := y + (height-float64(len(lines))*lh)/2
	for i, line := range lines {
		w.pdf.SetXY(x+pad, ty+float64(i)*lh)
		w.pdf.CellFormat(width-2*pad, lh, line, "", 0, "C", false, 0, "")
	}
}
