// Package pdftext reads back the text of the PDFs package documents
// renders, for tests: what a viewer shows when a person copies or searches.
package pdftext

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf16"

	"rsc.io/pdf"
)

// The text layer is read back with rsc.io/pdf, but not through
// Page.Content(): for Identity-H fonts (every fpdf UTF-8 font) rsc.io/pdf
// v0.1.1 passes the raw 2-byte codes through as if they were UTF-8 (its
// source says "TODO: Should be big-endian UCS-2 decoder"), so every
// character outside ASCII comes back as U+FFFD. Instead the tests let
// rsc.io/pdf parse the file, the fonts and the content streams, and decode
// each shown string through the font's own ToUnicode CMap, which is what a
// viewer does to copy or search text.

// Doc is a PDF read back.
type Doc struct {
	Pages []string // each page's text, one text object per line
	// Missing lists, per character shown, whether its font lacks a glyph
	// for it (a character with no glyph shows as an empty box).
	Missing map[rune]bool
	Reader  *pdf.Reader
}

// Parse parses data and extracts every page's text.
func Parse(data []byte) (doc *Doc, err error) {
	defer func() {
		// rsc.io/pdf reports malformed content by panicking.
		if r := recover(); r != nil {
			err = fmt.Errorf("rsc.io/pdf: %v", r)
		}
	}()
	r, err := pdf.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, err
	}
	doc = &Doc{Missing: map[rune]bool{}, Reader: r}
	for i := 1; i <= r.NumPage(); i++ {
		text, err := pageText(r.Page(i), doc.Missing)
		if err != nil {
			return nil, fmt.Errorf("page %d: %w", i, err)
		}
		doc.Pages = append(doc.Pages, text)
	}
	return doc, nil
}

// font is what the tests need of a PDF font: codes to text, codes to glyphs.
type font struct {
	toUnicode *cmap
	cidToGID  []byte // nil: identity
}

func loadFont(v pdf.Value) (*font, error) {
	if v.Key("Subtype").Name() != "Type0" || v.Key("Encoding").Name() != "Identity-H" {
		return nil, fmt.Errorf("font %s is %s/%s, want a Type0 Identity-H font", v.Key("BaseFont").Name(),
			v.Key("Subtype").Name(), v.Key("Encoding").Name())
	}
	tu := v.Key("ToUnicode")
	if tu.Kind() != pdf.Stream {
		return nil, fmt.Errorf("font %s has no ToUnicode CMap", v.Key("BaseFont").Name())
	}
	cm, err := readCMap(tu)
	if err != nil {
		return nil, fmt.Errorf("font %s: %w", v.Key("BaseFont").Name(), err)
	}
	f := &font{toUnicode: cm}
	if m := v.Key("DescendantFonts").Index(0).Key("CIDToGIDMap"); m.Kind() == pdf.Stream {
		if f.cidToGID, err = io.ReadAll(m.Reader()); err != nil {
			return nil, err
		}
	}
	return f, nil
}

// glyph is the glyph index a 2-byte code is drawn with.
func (f *font) glyph(code string) int {
	cid := int(code[0])<<8 | int(code[1])
	if f.cidToGID == nil {
		return cid
	}
	if 2*cid+1 >= len(f.cidToGID) {
		return 0
	}
	return int(f.cidToGID[2*cid])<<8 | int(f.cidToGID[2*cid+1])
}

func pageText(p pdf.Page, missing map[rune]bool) (string, error) {
	fonts := map[string]*font{}
	var cur *font
	var b strings.Builder
	var failure error
	show := func(raw string) {
		if cur == nil {
			failure = fmt.Errorf("text shown before any font was selected")
			return
		}
		for len(raw) >= 2 {
			code := raw[:2]
			raw = raw[2:]
			text := cur.toUnicode.decode(code)
			b.WriteString(text)
			for _, r := range text {
				if cur.glyph(code) == 0 {
					missing[r] = true
				}
			}
		}
		if len(raw) != 0 {
			failure = fmt.Errorf("odd byte left in a 2-byte string")
		}
	}
	pdf.Interpret(p.V.Key("Contents"), func(stk *pdf.Stack, op string) {
		args := make([]pdf.Value, stk.Len())
		for i := len(args) - 1; i >= 0; i-- {
			args[i] = stk.Pop()
		}
		if failure != nil {
			return
		}
		switch op {
		case "Tf":
			name := args[0].Name()
			if fonts[name] == nil {
				f, err := loadFont(p.Resources().Key("Font").Key(name))
				if err != nil {
					failure = err
					return
				}
				fonts[name] = f
			}
			cur = fonts[name]
		case "Tj", "'":
			show(args[0].RawString())
		case "\"":
			show(args[2].RawString())
		case "TJ":
			for i := 0; i < args[0].Len(); i++ {
				if v := args[0].Index(i); v.Kind() == pdf.String {
					show(v.RawString())
				}
			}
		case "ET":
			b.WriteString("\n")
		}
	})
	return b.String(), failure
}

// cmap is a ToUnicode CMap with 2-byte codes: ranges and single codes.
type cmap struct {
	ranges []cmapRange
	chars  map[string]string
}

type cmapRange struct {
	lo, hi string
	dst    []uint16 // UTF-16 of the first code's text
}

var (
	sectionRE = regexp.MustCompile(`(?s)begin(bfrange|bfchar|codespacerange)(.*?)end(bfrange|bfchar|codespacerange)`)
	hexRE     = regexp.MustCompile(`<([0-9A-Fa-f\s]*)>|\[`)
)

// readCMap parses the parts of a ToUnicode CMap a simple producer writes:
// a 2-byte code space, bfrange and bfchar sections with string targets.
func readCMap(v pdf.Value) (*cmap, error) {
	data, err := io.ReadAll(v.Reader())
	if err != nil {
		return nil, err
	}
	m := &cmap{chars: map[string]string{}}
	for _, sec := range sectionRE.FindAllStringSubmatch(string(data), -1) {
		var strs []string
		for _, h := range hexRE.FindAllStringSubmatch(sec[2], -1) {
			if h[0] == "[" {
				return nil, fmt.Errorf("CMap uses array targets, which this reader does not support")
			}
			s, err := hex.DecodeString(strings.Join(strings.Fields(h[1]), ""))
			if err != nil {
				return nil, err
			}
			strs = append(strs, string(s))
		}
		switch sec[1] {
		case "codespacerange":
			for i := 0; i+1 < len(strs); i += 2 {
				if len(strs[i]) != 2 {
					return nil, fmt.Errorf("code space of %d-byte codes, want 2", len(strs[i]))
				}
			}
		case "bfrange":
			if len(strs)%3 != 0 {
				return nil, fmt.Errorf("bfrange with %d strings", len(strs))
			}
			for i := 0; i < len(strs); i += 3 {
				m.ranges = append(m.ranges, cmapRange{strs[i], strs[i+1], utf16BE(strs[i+2])})
			}
		case "bfchar":
			for i := 0; i+1 < len(strs); i += 2 {
				m.chars[strs[i]] = string(utf16.Decode(utf16BE(strs[i+1])))
			}
		}
	}
	if len(m.ranges) == 0 && len(m.chars) == 0 {
		return nil, fmt.Errorf("CMap maps nothing")
	}
	return m, nil
}

func utf16BE(s string) []uint16 {
	u := make([]uint16, len(s)/2)
	for i := range u {
		u[i] = uint16(s[2*i])<<8 | uint16(s[2*i+1])
	}
	return u
}

// decode is the text of one 2-byte code; U+FFFD when the CMap has none.
func (m *cmap) decode(code string) string {
	if s, ok := m.chars[code]; ok {
		return s
	}
	for _, r := range m.ranges {
		if len(r.lo) == 2 && r.lo <= code && code <= r.hi {
			dst := append([]uint16(nil), r.dst...)
			off := (uint16(code[0])<<8 | uint16(code[1])) - (uint16(r.lo[0])<<8 | uint16(r.lo[1]))
			dst[len(dst)-1] += off
			return string(utf16.Decode(dst))
		}
	}
	return "\uFFFD"
}

// Text is the whole document's text with runs of white space made single
// spaces, so a phrase split over two lines or two cells still matches.
// Page numbers (at the top of every page but the first) are left out.
func (d *Doc) Text() string {
	var b strings.Builder
	for i, p := range d.Pages {
		if i > 0 {
			p = strings.TrimPrefix(strings.TrimLeft(p, "\n"), strconv.Itoa(i+1)+"\n")
		}
		b.WriteString(p)
		b.WriteString("\n")
	}
	return Normalise(b.String())
}

// Normalise makes runs of white space single spaces.
func Normalise(s string) string { return strings.Join(strings.Fields(s), " ") }
