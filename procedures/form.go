package procedures

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"sync"

	"github.com/motcua/motcua"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
)

// formURL names a form schema inside its compiler. Forms are self-contained:
// the compiler gets no loader, so a $ref can never read a file or the network.
const formURL = "urn:motcua:form"

func compileForm(form json.RawMessage) (*jsonschema.Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(form))
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	c.UseLoader(jsonschema.SchemeURLLoader{})
	if err := c.AddResource(formURL, doc); err != nil {
		return nil, err
	}
	return c.Compile(formURL)
}

// maxCachedForms bounds the cache: cases pin old definitions whose forms are
// compiled on first use, and a long-running worker must not grow forever.
const maxCachedForms = 512

// formCache holds compiled schemas keyed by the form's JSON text, so a form
// pinned by a case validates whether or not it is still in the catalogue.
type formCache struct {
	mu      sync.RWMutex
	schemas map[string]*jsonschema.Schema
}

func newFormCache() *formCache {
	return &formCache{schemas: map[string]*jsonschema.Schema{}}
}

func (fc *formCache) schema(form json.RawMessage) (*jsonschema.Schema, error) {
	key := string(form)
	fc.mu.RLock()
	sch := fc.schemas[key]
	fc.mu.RUnlock()
	if sch != nil {
		return sch, nil
	}
	sch, err := compileForm(form)
	if err != nil {
		return nil, err
	}
	fc.mu.Lock()
	if len(fc.schemas) >= maxCachedForms {
		clear(fc.schemas)
	}
	fc.schemas[key] = sch
	fc.mu.Unlock()
	return sch, nil
}

// ValidateForm checks a submitted form against p's JSON Schema. It returns nil
// if the form is valid, else a message in Vietnamese for each field path
// ("applicant.phone"; "" is the whole form). p may be a definition a case
// pinned that is no longer in the catalogue.
func (c *Catalog) ValidateForm(p *motcua.Procedure, form json.RawMessage) map[string]string {
	if len(p.Form) == 0 {
		return map[string]string{"": "Thủ tục này không tiếp nhận biểu mẫu trực tuyến"}
	}
	sch, err := c.forms.schema(p.Form)
	if err != nil {
		return map[string]string{"": "Biểu mẫu của thủ tục đang bị lỗi, vui lòng liên hệ cơ quan giải quyết"}
	}
	return formErrors(sch, form)
}

func formErrors(sch *jsonschema.Schema, form json.RawMessage) map[string]string {
	if len(bytes.TrimSpace(form)) == 0 {
		return map[string]string{"": "Chưa có nội dung biểu mẫu"}
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(form))
	if err != nil {
		return map[string]string{"": "Dữ liệu biểu mẫu không đọc được (không đúng định dạng JSON)"}
	}
	err = sch.Validate(inst)
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
	}
	return out
}

type fieldMessage struct {
	rank int // lower wins when one field fails several keywords
	text string
}

// fieldErrors keeps one message per field: the most basic failure, so a
// citizen who left a field empty reads "required", not "too short".
type fieldErrors map[string]fieldMessage

func (fe fieldErrors) add(loc []string, rank int, text string) {
	path := strings.Join(loc, ".")
	if old, ok := fe[path]; ok && (old.rank < rank || old.rank == rank && old.text <= text) {
		return
	}
	fe[path] = fieldMessage{rank, text}
}

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
			fe.add(append(loc[:len(loc):len(loc)], m), 0, "Trường này là bắt buộc")
		}
	case *kind.DependentRequired:
		for _, m := range k.Missing {
			fe.add(append(loc[:len(loc):len(loc)], m), 0, "Trường này là bắt buộc")
		}
	case *kind.Dependency:
		for _, m := range k.Missing {
			fe.add(append(loc[:len(loc):len(loc)], m), 0, "Trường này là bắt buộc")
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
			return 1, "Trường này không được để trống"
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
			return 3, "Trường này không được để trống"
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
