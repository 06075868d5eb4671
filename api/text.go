package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Text the API takes must be text a person can read and the read model can
// store: PostgreSQL refuses a NUL in TEXT and JSONB (SQLSTATE 22P05), and
// control characters, broken UTF-8 and lone surrogates serve nobody. They
// are refused at the edge, with the field named, before a case sees them.

// textRule says what a piece of text may hold besides printable characters.
type textRule int

const (
	// plainText: a name, a number, an address — one line.
	plainText textRule = iota
	// freeText: a note, a reason, a form's or an action's value — lines
	// and tabs allowed.
	freeText
	// fileName: one line, and no bidirectional overrides, which make
	// "hoá-đơn‮fdp.exe" display as "hoá-đơnexe.pdf".
	fileName
)

// Messages of refused text, per field.
const (
	msgControl  = "Không được chứa ký tự điều khiển (như NUL)."
	msgEncoding = "Không phải văn bản UTF-8 hợp lệ."
	msgBidi     = "Không được chứa ký tự đảo chiều hiển thị (bidi)."
	msgKey      = "Có tên trường chứa ký tự điều khiển hoặc không phải UTF-8 hợp lệ."
)

// textProblem says what is wrong with s under rule, "" if nothing.
func textProblem(s string, rule textRule) string {
	if !utf8.ValidString(s) {
		return msgEncoding
	}
	for _, r := range s {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			if rule != freeText {
				return msgControl
			}
		case r < 0x20 || r >= 0x7f && r <= 0x9f:
			return msgControl
		case rule == fileName && (r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069):
			return msgBidi
		}
	}
	return ""
}

// rawStringProblem checks a JSON string literal as sent (quotes included)
// for what decoding would hide: invalid UTF-8 and lone surrogate escapes,
// both silently turned into U+FFFD by encoding/json.
func rawStringProblem(lit []byte) string {
	if !utf8.Valid(lit) {
		return msgEncoding
	}
	high := false // the previous escape was a high surrogate
	for i := 0; i < len(lit); i++ {
		if lit[i] != '\\' {
			if high {
				return msgEncoding
			}
			continue
		}
		i++
		if i >= len(lit) || lit[i] != 'u' {
			if high {
				return msgEncoding
			}
			continue
		}
		if i+4 >= len(lit) {
			return msgEncoding
		}
		v, err := strconv.ParseUint(string(lit[i+1:i+5]), 16, 16)
		if err != nil {
			return msgEncoding
		}
		i += 4
		switch {
		case v >= 0xd800 && v <= 0xdbff:
			if high {
				return msgEncoding
			}
			high = true
		case v >= 0xdc00 && v <= 0xdfff:
			if !high {
				return msgEncoding
			}
			high = false
		default:
			if high {
				return msgEncoding
			}
		}
	}
	if high {
		return msgEncoding
	}
	return ""
}

// ruleAt is the rule of the value at a body's path.
type ruleAt func(path string) textRule

// requestText: notes, reasons and the values of forms and action data are
// free text; everything else is plain.
func requestText(path string) textRule {
	root, _, _ := strings.Cut(path, ".")
	root, _, _ = strings.Cut(root, "[")
	switch root {
	case "note", "reason", "form", "data":
		return freeText
	}
	return plainText
}

// jsonTextProblems walks a JSON body and names every string (value or
// key) that is not acceptable text: values by their path
// ("form.enterprise.name_vi", "data.items[2]"), keys by their object's path
// ("body" at the top). A body that does not parse has none: decoding
// reports it.
func jsonTextProblems(body []byte, rule ruleAt) map[string]string {
	type frame struct {
		object    bool
		path, key string
		index     int
		wantKey   bool
	}
	var stack []*frame
	valuePath := func() string {
		if len(stack) == 0 {
			return ""
		}
		f := stack[len(stack)-1]
		if !f.object {
			return fmt.Sprintf("%s[%d]", f.path, f.index)
		}
		if f.path == "" {
			return f.key
		}
		return f.path + "." + f.key
	}
	afterValue := func() {
		if len(stack) == 0 {
			return
		}
		f := stack[len(stack)-1]
		if f.object {
			f.wantKey = true
		} else {
			f.index++
		}
	}
	bad := map[string]string{}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	prev := dec.InputOffset()
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		} else if err != nil {
			return nil
		}
		end := dec.InputOffset()
		lit := bytes.TrimLeft(body[prev:end], " \t\r\n,:")
		prev = end
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{', '[':
				stack = append(stack, &frame{object: t == '{', path: valuePath(), wantKey: t == '{'})
			default:
				stack = stack[:len(stack)-1]
				afterValue()
			}
		case string:
			if f := len(stack); f > 0 && stack[f-1].object && stack[f-1].wantKey {
				top := stack[f-1]
				if rawStringProblem(lit) != "" || textProblem(t, plainText) != "" {
					where := top.path
					if where == "" {
						where = "body"
					}
					bad[where] = msgKey
				}
				top.key, top.wantKey = t, false
				continue
			}
			path := valuePath()
			if p := rawStringProblem(lit); p != "" {
				bad[path] = p
			} else if p := textProblem(t, rule(path)); p != "" {
				bad[path] = p
			}
			afterValue()
		default:
			afterValue()
		}
	}
	return bad
}
