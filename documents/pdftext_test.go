package documents

import (
	"strings"
	"testing"

	"rsc.io/pdf"

	"github.com/motcua/motcua/documents/pdftext"
)

// pdfDoc is a PDF read back for assertions (package pdftext).
type pdfDoc struct {
	pages   []string
	missing map[rune]bool
	reader  *pdf.Reader
	doc     *pdftext.Doc
}

// readPDF parses data and extracts every page's text.
func readPDF(t testing.TB, data []byte) *pdfDoc {
	t.Helper()
	doc, err := pdftext.Parse(data)
	if err != nil {
		t.Fatalf("reading the PDF back: %v", err)
	}
	return &pdfDoc{pages: doc.Pages, missing: doc.Missing, reader: doc.Reader, doc: doc}
}

func (d *pdfDoc) text() string { return d.doc.Text() }

func normalise(s string) string { return pdftext.Normalise(s) }

// assertContains fails for every want that the document's text lacks.
func assertContains(t *testing.T, d *pdfDoc, wants ...string) {
	t.Helper()
	text := d.text()
	for _, want := range wants {
		if !strings.Contains(text, normalise(want)) {
			t.Errorf("the PDF text lacks %q", want)
		}
	}
	if t.Failed() {
		t.Logf("PDF text:\n%s", strings.Join(d.pages, "\n--- page break ---\n"))
	}
}

// assertGlyphs fails if any character shown has no glyph in its font.
func assertGlyphs(t *testing.T, d *pdfDoc) {
	t.Helper()
	for r := range d.missing {
		t.Errorf("character %q (U+%04X) has no glyph in the embedded font", r, r)
	}
}
