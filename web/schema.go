package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// schema is the part of a JSON Schema (draft 2020-12) the pages read to
// build a form: a procedure's application form or an action's input. The
// properties keep the order the author wrote them in.
type schema struct {
	Title       string    `json:"title"`
	TitleEn     string    `json:"x-title-en"`
	Description string    `json:"description"`
	Type        typeNames `json:"type"`
	Format      string    `json:"format"`
	Pattern     string    `json:"pattern"`
	Enum        []any     `json:"enum"`
	EnumTitles  []string  `json:"x-enum-titles"`
	EnumTitlesE []string  `json:"x-enum-titles-en"`
	Const       any       `json:"const"`
	Properties  props     `json:"properties"`
	Required    []string  `json:"required"`
	Items       *schema   `json:"items"`
	MinItems    *int      `json:"minItems"`
	MaxItems    *int      `json:"maxItems"`
	UniqueItems bool      `json:"uniqueItems"`
	MinLength   *int      `json:"minLength"`
	MaxLength   *int      `json:"maxLength"`
	Minimum     *float64  `json:"minimum"`
	Maximum     *float64  `json:"maximum"`
	ExclMinimum *float64  `json:"exclusiveMinimum"`
	ExclMaximum *float64  `json:"exclusiveMaximum"`
}

// typeNames is "type": one name or a list ("string", ["string","null"]).
type typeNames []string

func (t *typeNames) UnmarshalJSON(b []byte) error {
	var one string
	if json.Unmarshal(b, &one) == nil {
		*t = typeNames{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return err
	}
	*t = many
	return nil
}

// is reports whether the schema's (first non-null) type is name.
func (s *schema) is(name string) bool {
	for _, t := range s.Type {
		if t != "null" {
			return t == name
		}
	}
	return name == "object" && len(s.Properties) > 0
}

type prop struct {
	Name   string
	Schema *schema
}

// props are the properties in the order they were written.
type props []prop

func (p *props) UnmarshalJSON(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return fmt.Errorf("properties: want an object")
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return err
		}
		name, _ := t.(string)
		var s schema
		if err := dec.Decode(&s); err != nil {
			return err
		}
		*p = append(*p, prop{name, &s})
	}
	return nil
}

func parseSchema(raw json.RawMessage) (*schema, error) {
	var s schema
	if len(raw) == 0 {
		return &schema{Type: typeNames{"object"}}, nil
	}
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, err
	}
	return &s, nil
}

func (s *schema) title(lang string) string {
	if lang == "en" && s.TitleEn != "" {
		return s.TitleEn
	}
	return s.Title
}

func (s *schema) enumTitle(lang string, i int) string {
	if lang == "en" && i < len(s.EnumTitlesE) {
		return s.EnumTitlesE[i]
	}
	if i < len(s.EnumTitles) {
		return s.EnumTitles[i]
	}
	return display(s.Enum[i])
}

func display(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case float64:
		if v == math.Trunc(v) && math.Abs(v) < 1e15 {
			return strconv.FormatInt(int64(v), 10)
		}
		return strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		if v {
			return "true"
		}
		return "false"
	case nil:
		return ""
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// Values are what a form posted, by input name (dotted paths).
type Values map[string][]string

func (v Values) get(name string) string {
	if vs := v[name]; len(vs) > 0 {
		return vs[0]
	}
	return ""
}

// countName names the hidden input that says how many items a list has.
func countName(path string) string { return path + "#n" }

// decode turns posted values into the JSON value of s at path: what the
// person typed, typed by the schema. A value that does not parse as its
// type is passed on as text, so the server's validation names the field.
// Empty inputs give nil (absent), so "required" is what is reported.
func (s *schema) decode(path string, v Values) any {
	switch {
	case s.is("object"):
		out := map[string]any{}
		for _, p := range s.Properties {
			if x := p.Schema.decode(join(path, p.Name), v); x != nil {
				out[p.Name] = x
			}
		}
		if len(out) == 0 {
			return nil
		}
		return out
	case s.is("array"):
		if s.Items != nil && len(s.Items.Enum) > 0 {
			var out []any
			for _, x := range v[path] {
				out = append(out, scalar(s.Items, x))
			}
			if len(out) == 0 {
				return nil
			}
			return out
		}
		n, _ := strconv.Atoi(v.get(countName(path)))
		var out []any
		for i := range min(n, 500) {
			if s.Items == nil {
				break
			}
			if x := s.Items.decode(join(path, strconv.Itoa(i)), v); x != nil {
				out = append(out, x)
			}
		}
		if len(out) == 0 {
			return nil
		}
		return out
	}
	raw, ok := v[path]
	if !ok || len(raw) == 0 {
		return nil
	}
	x := strings.TrimSpace(raw[0])
	if x == "" {
		return nil
	}
	return scalar(s, x)
}

func scalar(s *schema, x string) any {
	switch {
	case s.is("integer"):
		if n, err := strconv.ParseInt(strings.ReplaceAll(strings.ReplaceAll(x, ".", ""), " ", ""), 10, 64); err == nil {
			return n
		}
	case s.is("number"):
		if f, err := strconv.ParseFloat(strings.ReplaceAll(x, ",", "."), 64); err == nil {
			return f
		}
	case s.is("boolean"):
		switch x {
		case "true":
			return true
		case "false":
			return false
		}
	}
	return x
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// encode is the inverse of decode: the values a JSON value fills a form
// with (an example form, a case's data shown for correction).
func (s *schema) encode(path string, x any, v Values) {
	switch {
	case s.is("object"):
		m, _ := x.(map[string]any)
		for _, p := range s.Properties {
			if c, ok := m[p.Name]; ok {
				p.Schema.encode(join(path, p.Name), c, v)
			}
		}
	case s.is("array"):
		items, _ := x.([]any)
		if s.Items != nil && len(s.Items.Enum) > 0 {
			for _, it := range items {
				v[path] = append(v[path], display(it))
			}
			return
		}
		v[countName(path)] = []string{strconv.Itoa(len(items))}
		for i, it := range items {
			if s.Items != nil {
				s.Items.encode(join(path, strconv.Itoa(i)), it, v)
			}
		}
	default:
		v[path] = []string{display(x)}
	}
}

// FormValues are the inputs a generated form posts for value under prefix
// (e.g. a procedure's example form under "form"): what a person filling
// the form in would send. Tests use it; so could a pre-filled form.
func FormValues(schemaJSON json.RawMessage, prefix string, value json.RawMessage) (map[string][]string, error) {
	s, err := parseSchema(schemaJSON)
	if err != nil {
		return nil, err
	}
	var x any
	if err := json.Unmarshal(value, &x); err != nil {
		return nil, err
	}
	v := Values{}
	s.encode(prefix, x, v)
	return v, nil
}
