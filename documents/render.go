// Package documents renders the documents of a one-stop case as PDF — the
// receipt and appointment slip (giấy tiếp nhận hồ sơ và hẹn trả kết quả), the
// issued result, the printable application form of a procedure — and signs
// issued documents with Ed25519.
//
// Rendering is deterministic: the same input gives the same bytes, so an
// activity that renders again on retry produces a document with the same
// SHA-256. Layout follows the administrative document style of Nghị định
// 30/2020/NĐ-CP: A4 portrait, issuing agency top left, national motto top
// right, title centred in bold.
package documents

import (
	"bytes"
	_ "embed"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/go-pdf/fpdf"
	"github.com/skip2/go-qrcode"
	"golang.org/x/text/unicode/norm"

	"github.com/motcua/motcua/calendar"
)

// DejaVu Sans has every Vietnamese glyph; see fonts/LICENSE.
var (
	//go:embed fonts/DejaVuSans.ttf
	fontRegular []byte
	//go:embed fonts/DejaVuSans-Bold.ttf
	fontBold []byte
)

const family = "DejaVu"

// Geometry in millimetres: A4 with the margins of Nghị định 30/2020
// (top and bottom 20, left 30, right 15).
const (
	pageW, pageH     = 210.0, 297.0
	marginL, marginR = 30.0, 15.0
	marginT, marginB = 20.0, 20.0
	right            = pageW - marginR
	contentW         = right - marginL

	bodySize  = 12.0
	smallSize = 10.0
	titleSize = 14.0

	// The header splits the width into the agency column and the motto column.
	agencyColW = 68.0
	mottoX     = marginL + agencyColW
	mottoColW  = right - mottoX

	qrSize = 25.0
)

// DefaultPlace is the place name (địa danh) written before the date of a
// receipt or result when the input names none.
const DefaultPlace = "Tam Kỳ"

const (
	motto  = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
	slogan = "Độc lập - Tự do - Hạnh phúc"
)

// lineHeight is the leading for text of size pt, in millimetres.
func lineHeight(size float64) float64 { return size * 25.4 / 72 * 1.4 }

// writer wraps an fpdf document with the few layout operations our
// documents are made of.
type writer struct {
	pdf *fpdf.Fpdf
	// The page's geometry: A4 portrait unless the paper is a wide table.
	pageH, right, contentW, mottoX, mottoColW float64
}

// newWriter starts a document. created becomes both PDF dates, so the output
// depends only on the input.
func newWriter(title, author string, created time.Time) *writer {
	return newPage("P", title, author, created)
}

// newLandscape starts a document on A4 landscape, for a register whose
// columns do not fit the portrait width (TT 01/2018/TT-VPCP Điều 9 khoản
// 2 prints it on A4).
func newLandscape(title, author string, created time.Time) *writer {
	return newPage("L", title, author, created)
}

func newPage(orientation, title, author string, created time.Time) *writer {
	pdf := fpdf.New(orientation, "mm", "A4", "")
	pdf.SetCatalogSort(true)
	created = created.In(calendar.Location)
	pdf.SetCreationDate(created)
	pdf.SetModificationDate(created)
	pdf.AddUTF8FontFromBytes(family, "", fontRegular)
	pdf.AddUTF8FontFromBytes(family, "B", fontBold)
	pdf.SetMargins(marginL, marginT, marginR)
	pdf.SetAutoPageBreak(true, marginB)
	pdf.SetCellMargin(0)
	pdf.SetTitle(title, true)
	if author != "" {
		pdf.SetAuthor(author, true)
	}
	pdf.SetCreator("motcua", true)
	pdf.SetProducer("motcua", true)
	pdf.SetLang("vi-VN")
	w := &writer{pdf: pdf, pageH: pageH, right: right, contentW: contentW, mottoX: mottoX, mottoColW: mottoColW}
	if orientation == "L" {
		w.pageH, w.right = pageW, pageH-marginR
		w.contentW = w.right - marginL
		w.mottoX = w.right - mottoColW
	}
	// Nghị định 30/2020: pages are numbered at the top centre, from the second.
	pdf.SetHeaderFuncMode(func() {
		if n := pdf.PageNo(); n > 1 {
			w.font("", bodySize)
			pdf.SetXY(marginL, 10)
			pdf.CellFormat(w.contentW, 5, strconv.Itoa(n), "", 0, "C", false, 0, "")
		}
	}, true)
	pdf.AddPage()
	w.font("", bodySize)
	return w
}

func (w *writer) bytes() ([]byte, error) {
	var b bytes.Buffer
	if err := w.pdf.Output(&b); err != nil {
		return nil, fmt.Errorf("documents: rendering PDF: %w", err)
	}
	return b.Bytes(), nil
}

func (w *writer) font(style string, size float64) { w.pdf.SetFont(family, style, size) }

// fitSize is the largest size, at most largest, at which s fits in width.
func (w *writer) fitSize(s, style string, largest, width float64) float64 {
	size := largest
	for ; size > 6; size -= 0.5 {
		w.font(style, size)
		if w.pdf.GetStringWidth(s) <= width {
			break
		}
	}
	return size
}

// room starts a new page unless h millimetres fit above the bottom margin.
func (w *writer) room(h float64) {
	if w.pdf.GetY()+h > w.pageH-marginB {
		w.pdf.AddPage()
	}
}

// centred writes s centred in [x, x+width], wrapping into lines of even
// length (a title does not end with one orphaned word), and returns the
// widest line's width.
func (w *writer) centred(x, width float64, s, style string, size float64) float64 {
	w.font(style, size)
	widest := 0.0
	for _, part := range strings.Split(s, "\n") {
		for _, line := range w.balanced(part, width) {
			widest = max(widest, w.pdf.GetStringWidth(line))
			w.pdf.SetX(x)
			w.pdf.CellFormat(width, lineHeight(size), line, "", 2, "C", false, 0, "")
		}
	}
	return widest
}

// balanced splits s into as few lines as fit in width, made as even as
// possible by narrowing the measure while the line count stays the same.
func (w *writer) balanced(s string, width float64) []string {
	lines := w.pdf.SplitText(s, width)
	if len(lines) < 2 {
		return lines
	}
	lo, hi := width/2, width
	for range 12 {
		mid := (lo + hi) / 2
		if len(w.pdf.SplitText(s, mid)) == len(lines) {
			hi = mid
		} else {
			lo = mid
		}
	}
	return w.pdf.SplitText(s, hi)
}

// rule draws a horizontal line of the given length centred on cx.
func (w *writer) rule(cx, y, length float64) {
	w.pdf.SetLineWidth(0.3)
	w.pdf.Line(cx-length/2, y, cx+length/2, y)
}

// para writes a paragraph from x to the right margin.
func (w *writer) para(x float64, s, style string, size float64, align string) {
	w.font(style, size)
	w.pdf.SetX(x)
	w.pdf.MultiCell(w.right-x, lineHeight(size), s, "", align, false)
}

// span is a run of text in one style within a paragraph.
type span struct{ text, style string }

// spans writes runs of text in body size as one flowing paragraph whose
// lines start at x.
func (w *writer) spans(x float64, runs ...span) {
	h := lineHeight(bodySize)
	w.pdf.SetLeftMargin(x)
	w.pdf.SetX(x)
	for _, r := range runs {
		w.font(r.style, bodySize)
		w.pdf.Write(h, r.text)
	}
	w.pdf.Ln(h)
	w.pdf.SetLeftMargin(marginL)
}

// hanging writes a list item: the marker at x and the text wrapped at x+indent.
func (w *writer) hanging(x, indent float64, marker, s, style string, size float64) {
	w.room(lineHeight(size))
	w.font(style, size)
	y := w.pdf.GetY()
	w.pdf.SetXY(x, y)
	w.pdf.CellFormat(indent, lineHeight(size), marker, "", 0, "L", false, 0, "")
	w.pdf.SetXY(x+indent, y)
	w.pdf.MultiCell(w.right-x-indent, lineHeight(size), s, "", "L", false)
}

// officialHeader draws the two header columns of an administrative document:
// the issuing agency (and the document number) on the left, the national
// motto, the slogan and the place and date on the right. The next text
// starts below the taller column.
func (w *writer) officialHeader(agency, number, placeDate string) {
	top := w.pdf.GetY()

	w.pdf.SetXY(marginL, top)
	if agency != "" {
		w.font("B", 11)
		widest := w.centred(marginL, agencyColW, w.agencyLines(strings.ToUpper(agency), agencyColW), "B", 11)
		w.rule(marginL+agencyColW/2, w.pdf.GetY()+0.8, max(widest/3, 15))
		w.pdf.SetY(w.pdf.GetY() + 2.5)
	}
	if number != "" {
		w.centred(marginL, agencyColW, "Số: "+number, "", bodySize)
	}
	leftEnd := w.pdf.GetY()

	w.pdf.SetXY(w.mottoX, top)
	size := w.fitSize(motto, "B", 12, w.mottoColW)
	w.centred(w.mottoX, w.mottoColW, motto, "B", size)
	sloganW := w.centred(w.mottoX, w.mottoColW, slogan, "B", 12)
	w.rule(w.mottoX+w.mottoColW/2, w.pdf.GetY()+0.8, sloganW)
	if placeDate != "" {
		w.pdf.SetY(w.pdf.GetY() + 4)
		w.centred(w.mottoX, w.mottoColW, placeDate, "", bodySize)
	}
	w.pdf.SetXY(marginL, max(leftEnd, w.pdf.GetY())+8)
}

// localities are the words that start the place part of an agency's name
// ("Sở Xây dựng | tỉnh Quảng Nam"), in capitals.
var localities = []string{" THÀNH PHỐ ", " THỊ TRẤN ", " THỊ XÃ ", " PHƯỜNG ", " HUYỆN ", " QUẬN ", " TỈNH ", " XÃ "}

// agencyLines breaks an agency name that needs two lines before its
// locality, the way agency headers are set by hand.
func (w *writer) agencyLines(name string, width float64) string {
	if w.pdf.GetStringWidth(name) <= width {
		return name
	}
	cut, end := -1, -1
	for _, l := range localities { // longest first: "THỊ XÃ" wins over "XÃ"
		if i := strings.LastIndex(name, l); i > 0 && i+len(l) > end {
			cut, end = i, i+len(l)
		}
	}
	if cut < 0 {
		return name
	}
	return name[:cut] + "\n" + name[cut+1:]
}

// title writes the document title centred in bold.
func (w *writer) title(s string) {
	w.pdf.SetX(marginL)
	w.centred(marginL, w.contentW, s, "B", titleSize)
	w.pdf.Ln(3)
}

// signatures draws signature blocks side by side: each a bold heading, an
// instruction, room to sign and the signer's name.
func (w *writer) signatures(blocks ...signature) {
	const gap = 18.0
	h := lineHeight(bodySize)
	lines := 3
	for _, b := range blocks {
		lines = max(lines, len(b.above)+3)
	}
	w.room(float64(lines)*h + gap + 2)
	top := w.pdf.GetY() + 2
	colW := w.contentW / float64(len(blocks))
	end := top
	for i, b := range blocks {
		x := marginL + float64(i)*colW
		if len(blocks) == 1 {
			x, colW = w.mottoX, w.mottoColW
		}
		w.pdf.SetXY(x, top)
		for _, line := range b.above {
			w.centred(x, colW, line, "", bodySize)
		}
		if b.heading != "" {
			w.centred(x, colW, b.heading, "B", bodySize)
		}
		w.centred(x, colW, b.instruction, "", smallSize)
		w.pdf.SetY(w.pdf.GetY() + gap)
		if b.name != "" {
			w.centred(x, colW, b.name, "B", bodySize)
		}
		end = max(end, w.pdf.GetY())
	}
	w.pdf.SetXY(marginL, end+4)
}

type signature struct {
	above       []string // lines above the heading, such as the place and date
	heading     string   // the signer's capacity, in capitals; may be empty
	instruction string
	name        string
}

// verification puts the QR code at the bottom right of the last page with
// the look-up address and the document id under it.
func (w *writer) verification(url, documentID string) error {
	const captionSize, captionW = 7.5, 120.0
	ch := lineHeight(captionSize)
	w.font("", captionSize)
	var caption []string
	if url != "" {
		caption = append(caption, w.pdf.SplitText("Tra cứu / xác thực: "+url, captionW)...)
	}
	caption = append(caption, "Mã văn bản: "+documentID)

	qrH := 0.0
	if url != "" {
		qrH = qrSize + 1
	}
	top := w.pageH - marginB - float64(len(caption))*ch - qrH
	if w.pdf.GetY() > top-2 {
		w.pdf.AddPage()
	}
	if url != "" {
		if err := w.qrCode(url, w.right-qrSize, top, qrSize); err != nil {
			return err
		}
	}
	// The caption ends exactly at the bottom margin; it must not trigger a break.
	w.pdf.SetAutoPageBreak(false, marginB)
	w.font("", captionSize)
	w.pdf.SetY(top + qrH)
	for _, line := range caption {
		w.pdf.SetX(w.right - captionW)
		w.pdf.CellFormat(captionW, ch, line, "", 2, "R", false, 0, "")
	}
	w.pdf.SetAutoPageBreak(true, marginB)
	return nil
}

// qrCode draws the QR code of url, medium error recovery, size wide with
// its top-left corner at x, y: one filled rectangle per run of dark modules
// in a row. Vectors stay sharp at any zoom; a PNG cost a fifth of a
// document's rendering, encoded here and decoded again by fpdf.
func (w *writer) qrCode(url string, x, y, size float64) error {
	q, err := qrcode.New(url, qrcode.Medium)
	if err != nil {
		return fmt.Errorf("documents: QR code for %q: %w", url, err)
	}
	bits := q.Bitmap() // with its quiet zone
	m := size / float64(len(bits))
	w.pdf.SetFillColor(0, 0, 0)
	for r, row := range bits {
		for c := 0; c < len(row); {
			if !row[c] {
				c++
				continue
			}
			start := c
			for c < len(row) && row[c] {
				c++
			}
			w.pdf.Rect(x+float64(start)*m, y+float64(r)*m, float64(c-start)*m, m, "F")
		}
	}
	return nil
}

// clean prepares input text for the PDF: NFC, so a decomposed "ễ" typed on
// some keyboards becomes the one glyph the font has; no control characters
// but newlines; nothing beyond the Basic Multilingual Plane, which fpdf's
// UTF-8 fonts cannot index.
func clean(s string) string {
	s = norm.NFC.String(s)
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n':
			return r
		case r == '\t' || r == '\r':
			return ' '
		case unicode.IsControl(r):
			return -1
		case r > 0xFFFF:
			return '?'
		}
		return r
	}, s)
}

// oneLine is clean with newlines turned into spaces, for labels and names.
func oneLine(s string) string {
	return strings.Join(strings.Fields(clean(s)), " ")
}

// vnDate writes a date as in Vietnamese documents: "ngày 05 tháng 3 năm
// 2026". Days below 10 and the months January and February take a leading
// zero (Nghị định 30/2020, Phụ lục I).
func vnDate(t time.Time) string {
	t = t.In(calendar.Location)
	month := strconv.Itoa(int(t.Month()))
	if t.Month() < time.March {
		month = "0" + month
	}
	return fmt.Sprintf("ngày %02d tháng %s năm %d", t.Day(), month, t.Year())
}

// placeDate is the place and date line: "Tam Kỳ, ngày 05 tháng 3 năm 2026".
func placeDate(place string, t time.Time) string {
	if place = oneLine(place); place == "" {
		place = DefaultPlace
	}
	return place + ", " + vnDate(t)
}

// vnTime is "08 giờ 30 phút, ngày 05 tháng 3 năm 2026".
func vnTime(t time.Time) string {
	t = t.In(calendar.Location)
	return fmt.Sprintf("%02d giờ %02d phút, %s", t.Hour(), t.Minute(), vnDate(t))
}

// points are the markers of list items in Vietnamese legal texts: a), b), …, đ), …
var points = strings.Fields("a b c d đ e g h i k l m n o p q r s t u v x y")

func point(i int) string {
	if i < len(points) {
		return points[i] + ")"
	}
	return strconv.Itoa(i+1) + ")"
}
