package documents

// column is one column of a ruled table: its heading and its share of the
// width (the shares are scaled to the width the table is drawn in).
type column struct {
	heading string
	share   float64
	align   string // "L" (default) or "C"
}

// ruled draws a ruled table across the text width: a bold heading row,
// repeated on each new page, then one row per record, each as tall as its
// tallest cell.
func (w *writer) ruled(cols []column, rows [][]string, size float64) {
	total := 0.0
	for _, c := range cols {
		total += c.share
	}
	widths := make([]float64, len(cols))
	for i, c := range cols {
		widths[i] = w.contentW * c.share / total
	}
	const pad = 1.0
	lh := lineHeight(size)
	w.pdf.SetLineWidth(0.2)

	measure := func(cells []string, style string) ([][]string, float64) {
		w.font(style, size)
		lines := make([][]string, len(cells))
		n := 1
		for i, s := range cells {
			lines[i] = w.pdf.SplitText(s, widths[i]-2*pad)
			n = max(n, len(lines[i]))
		}
		return lines, float64(n)*lh + 2*pad
	}
	paint := func(lines [][]string, h float64, style string, centre bool) {
		w.font(style, size)
		y := w.pdf.GetY()
		x := marginL
		for i := range lines {
			w.pdf.Rect(x, y, widths[i], h, "D")
			align := cols[i].align
			switch {
			case centre:
				align = "C"
			case align == "":
				align = "L"
			}
			for j, line := range lines[i] {
				w.pdf.SetXY(x+pad, y+pad+float64(j)*lh)
				w.pdf.CellFormat(widths[i]-2*pad, lh, line, "", 0, align, false, 0, "")
			}
			x += widths[i]
		}
		w.pdf.SetXY(marginL, y+h)
	}

	headings := make([]string, len(cols))
	for i, c := range cols {
		headings[i] = c.heading
	}
	headLines, headH := measure(headings, "B")
	w.room(headH + lh + 2*pad)
	paint(headLines, headH, "B", true)
	for _, r := range rows {
		cells := make([]string, len(cols))
		for i := range cells {
			if i < len(r) {
				cells[i] = oneLine(r[i])
			}
		}
		lines, h := measure(cells, "")
		if w.pdf.GetY()+h > w.pageH-marginB {
			w.pdf.AddPage()
			w.pdf.SetY(marginT + 2)
			paint(headLines, headH, "B", true)
		}
		paint(lines, h, "", false)
	}
}
