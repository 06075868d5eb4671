package motcua

import (
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
)

// placeholder is a {name} in a result template's text.
var placeholder = regexp.MustCompile(`\{([a-z_]+(?:\.[a-z0-9_]+)*)\}`)

// isoDate is how a form's date fields hold a date.
var isoDate = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// resultData are the placeholders other than form.*.
var resultData = []string{"applicant.name", "applicant.id_number", "applicant.address", "case.code",
	"procedure.name", "result.number", "result.note", "result.outcome", "agency.name"}

// Placeholders lists the {names} in s.
func Placeholders(s string) []string {
	var out []string
	for _, m := range placeholder.FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	return out
}

// KnownPlaceholder reports whether name is data a result can print; a
// form.* name must also be a field of the definition's form (checked by
// the definition's validation).
func KnownPlaceholder(name string) bool {
	if strings.HasPrefix(name, "form.") {
		return len(name) > len("form.")
	}
	for _, d := range resultData {
		if d == name {
			return true
		}
	}
	return false
}

// ResultValues are the case data a result template fills in.
type ResultValues struct {
	Case       Case
	Result     Result
	AgencyName string
	Outcome    string // the outcome as the result words it
}

// Fill replaces the placeholders of s with the case's data. A form value
// the case does not have leaves a dotted blank for the officer's pen, as
// the printed forms do.
func (v ResultValues) Fill(s string) string {
	var form map[string]any
	if len(v.Case.Form) > 0 {
		_ = json.Unmarshal(v.Case.Form, &form)
	}
	return placeholder.ReplaceAllStringFunc(s, func(m string) string {
		name := m[1 : len(m)-1]
		var out string
		switch name {
		case "applicant.name":
			out = v.Case.Applicant.Name
		case "applicant.id_number":
			out = v.Case.Applicant.IDNumber
		case "applicant.address":
			out = v.Case.Applicant.Address
		case "case.code":
			out = v.Case.Code
		case "procedure.name":
			out = v.Case.Procedure.Name
		case "result.number":
			out = v.Result.Number
		case "result.note":
			out = v.Result.Note
		case "result.outcome":
			out = v.Outcome
		case "agency.name":
			out = v.AgencyName
		default:
			if path, ok := strings.CutPrefix(name, "form."); ok {
				out = formText(lookup(form, path))
			}
		}
		if strings.TrimSpace(out) == "" {
			return "…"
		}
		return out
	})
}

// lookup follows a dotted path through decoded JSON.
func lookup(node any, path string) any {
	for _, k := range strings.Split(path, ".") {
		m, ok := node.(map[string]any)
		if !ok {
			return nil
		}
		node = m[k]
	}
	return node
}

// formText writes a form value as text: lists joined by commas, yes/no in
// words, numbers without exponent.
func formText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		if isoDate.MatchString(x) { // a date field: 2026-03-05 → 05/03/2026
			return x[8:10] + "/" + x[5:7] + "/" + x[:4]
		}
		return x
	case bool:
		if x {
			return "có"
		}
		return "không"
	case float64:
		if x == float64(int64(x)) {
			if n := int64(x); n >= 10000 { // years and small counts stay as they are
				return GroupThousands(n)
			}
			return fmt.Sprint(int64(x))
		}
		return strings.Replace(fmt.Sprint(x), ".", ",", 1)
	case []any:
		parts := make([]string, 0, len(x))
		for _, e := range x {
			if s := formText(e); s != "" {
				parts = append(parts, s)
			}
		}
		return strings.Join(parts, "; ")
	case map[string]any:
		// An object in a list (an owner, an outlet): its text values.
		var parts []string
		for _, k := range slices.Sorted(maps.Keys(x)) {
			if s := formText(x[k]); s != "" {
				parts = append(parts, s)
			}
		}
		return strings.Join(parts, ", ")
	}
	return fmt.Sprint(v)
}
