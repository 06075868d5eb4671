// Package schema compiles the JSON Schemas of application forms and action
// inputs and explains what fails in them, field by field, in the words of the
// person filling the form in. Schemas are self-contained: the compiler gets
// no loader, so a $ref can never read a file or the network.
package schema

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
)

const url = "urn:motcua:schema"

// Schema is a compiled JSON Schema (draft 2020-12, formats asserted).
type Schema struct {
	compiled *jsonschema.Schema
	doc      any // the schema as decoded, to read x-error annotations
}

// Compile compiles raw.
func Compile(raw json.RawMessage) (*Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	c.UseLoader(jsonschema.SchemeURLLoader{})
	if err := c.AddResource(url, doc); err != nil {
		return nil, err
	}
	sch, err := c.Compile(url)
	if err != nil {
		return nil, err
	}
	return &Schema{compiled: sch, doc: doc}, nil
}

// MustCompile compiles a schema written in Go source; it panics if it is
// not valid, which a test of the package holding it catches.
func MustCompile(raw string) *Schema {
	s, err := Compile(json.RawMessage(raw))
	if err != nil {
		panic(fmt.Sprintf("schema: %v\n%s", err, raw))
	}
	return s
}

// Errors checks doc against s. It returns nil if doc is valid, else a
// message in Vietnamese for each field path ("applicant.phone"; "" is the
// whole document). A property may carry its own messages in place of the
// generic ones: "x-error" when it is missing or empty, "x-error-invalid"
// when it is given but wrong.
func (s *Schema) Errors(doc json.RawMessage) map[string]string {
	if len(bytes.TrimSpace(doc)) == 0 {
		return map[string]string{"": "Chưa có nội dung biểu mẫu"}
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		return map[string]string{"": "Dữ liệu biểu mẫu không đọc được (không đúng định dạng JSON)"}
	}
	return s.ErrorsOf(inst)
}

// ErrorsOf is Errors for a document already decoded (with
// jsonschema.UnmarshalJSON or as plain Go maps, slices and values).
func (s *Schema) ErrorsOf(inst any) map[string]string {
	err := s.compiled.Validate(inst)
	if err == nil {
		return nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return map[string]string{"": "Không kiểm tra được biểu mẫu, vui lòng thử lại"}
	}
	fe := fieldErrors{}
	fe.collect(ve)
	out := make(map[string]string, len(fe))
	for path, m := range fe {
		out[path] = m.text
		key := "x-error-invalid"
		if m.empty {
			key = "x-error"
		}
		if custom := s.customMessage(path, key); custom != "" {
			out[path] = custom
		}
	}
	return out
}

// customMessage is the annotation key of the property at path, following
// plain "properties" from the root.
func (s *Schema) customMessage(path, key string) string {
	node := s.doc
	if path != "" {
		for _, name := range strings.Split(path, ".") {
			m, _ := node.(map[string]any)
			props, _ := m["properties"].(map[string]any)
			if node = props[name]; node == nil {
				return ""
			}
		}
	}
	m, _ := node.(map[string]any)
	msg, _ := m[key].(string)
	return msg
}

type fieldMessage struct {
	rank  int // lower wins when one field fails several keywords
	text  string
	empty bool // nothing usable was given: missing, null or ""
}

// fieldErrors keeps one message per field: the most basic failure, so a
// citizen who left a field empty reads "required", not "too short".
type fieldErrors map[string]fieldMessage

func (fe fieldErrors) add(loc []string, rank int, text string) {
	path := strings.Join(loc, ".")
	if old, ok := fe[path]; ok && (old.rank < rank || old.rank == rank && old.text <= text) {
		return
	}
	fe[path] = fieldMessage{rank: rank, text: text, empty: text == msgRequired || text == msgEmpty}
}

const (
	msgRequired = "Trường này là bắt buộc"
	msgEmpty    = "Trường này không được để trống"
)

func (fe fieldErrors) collect(ve *jsonschema.ValidationError) {
	if len(ve.Causes) > 0 {
		for _, c := range ve.Causes {
			fe.collect(c)
		}
		return
	}
	loc := ve.InstanceLocation
	switch k := ve.ErrorKind.(type) {
	case *kind.Required:
		for _, m := range k.Missing {
			fe.add(append(loc[:len(loc):len(loc)], m), 0, msgRequired)
		}
	case *kind.DependentRequired:
		for _, m := range k.Missing {
			fe.add(append(loc[:len(loc):len(loc)], m), 0, msgRequired)
		}
	case *kind.Dependency:
		for _, m := range k.Missing {
			fe.add(append(loc[:len(loc):len(loc)], m), 0, msgRequired)
		}
	case *kind.AdditionalProperties:
		for _, p := range k.Properties {
			fe.add(append(loc[:len(loc):len(loc)], p), 2, "Trường này không có trong biểu mẫu")
		}
	default:
		rank, text := message(ve.ErrorKind)
		fe.add(loc, rank, text)
	}
}

// message says in plain Vietnamese what a failed keyword means for the
// person filling in the form.
func message(k jsonschema.ErrorKind) (int, string) {
	switch k := k.(type) {
	case *kind.Type:
		if k.Got == "null" {
			return 1, msgEmpty
		}
		want := make([]string, len(k.Want))
		for i, w := range k.Want {
			want[i] = typeNames[w]
		}
		return 1, "Phải là " + strings.Join(want, " hoặc ")
	case *kind.FalseSchema:
		return 2, "Trường này không có trong biểu mẫu"
	case *kind.MinLength:
		if k.Want == 1 {
			return 3, msgEmpty
		}
		return 3, fmt.Sprintf("Tối thiểu %d ký tự", k.Want)
	case *kind.MaxLength:
		return 4, fmt.Sprintf("Tối đa %d ký tự", k.Want)
	case *kind.Format:
		if m, ok := formatMessages[k.Want]; ok {
			return 5, m
		}
		return 5, "Không đúng định dạng"
	case *kind.Pattern:
		return 6, "Không đúng định dạng"
	case *kind.Enum:
		opts := make([]string, len(k.Want))
		for i, w := range k.Want {
			opts[i] = display(w)
		}
		return 7, "Giá trị không hợp lệ, hãy chọn một trong: " + strings.Join(opts, "; ")
	case *kind.Const:
		if k.Want == true {
			return 7, "Bạn cần đánh dấu xác nhận mục này"
		}
		return 7, "Giá trị không hợp lệ"
	case *kind.Minimum:
		return 8, "Giá trị tối thiểu là " + number(k.Want)
	case *kind.Maximum:
		return 8, "Giá trị tối đa là " + number(k.Want)
	case *kind.ExclusiveMinimum:
		return 8, "Phải lớn hơn " + number(k.Want)
	case *kind.ExclusiveMaximum:
		return 8, "Phải nhỏ hơn " + number(k.Want)
	case *kind.MultipleOf:
		return 8, "Phải là bội số của " + number(k.Want)
	case *kind.MinItems:
		return 8, fmt.Sprintf("Cần ít nhất %d mục", k.Want)
	case *kind.MaxItems:
		return 8, fmt.Sprintf("Tối đa %d mục", k.Want)
	case *kind.UniqueItems:
		return 8, "Các mục không được trùng nhau"
	}
	return 9, "Giá trị không hợp lệ"
}

var typeNames = map[string]string{
	"string":  "văn bản",
	"number":  "số",
	"integer": "số nguyên",
	"boolean": "lựa chọn có/không",
	"object":  "nhóm thông tin",
	"array":   "danh sách",
	"null":    "để trống",
}

var formatMessages = map[string]string{
	"email":     "Không đúng định dạng email",
	"date":      "Ngày không hợp lệ",
	"date-time": "Ngày giờ không hợp lệ",
	"time":      "Giờ không hợp lệ",
	"uri":       "Không đúng định dạng địa chỉ web",
}

func display(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// number writes r the Vietnamese way: 1.000.000 and 2,5.
func number(r *big.Rat) string {
	if !r.IsInt() {
		return strings.Replace(strings.TrimRight(r.FloatString(6), "0"), ".", ",", 1)
	}
	s := r.Num().String()
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, d := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(d)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
