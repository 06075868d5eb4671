package web

import (
	"slices"
	"strconv"
	"strings"
)

// Field is one control of a generated form, or a group of them. The
// templates render it by Kind; nothing about a particular procedure or
// action is written in Go or HTML.
type Field struct {
	Kind     string // text, textarea, email, date, datetime, integer, number, select, radios, checkbox, checkboxes, group, list
	Name     string // the input's name: a dotted path into the JSON value
	ID       string
	Label    string
	Hint     string
	Required bool
	Value    string
	Values   []string // checkboxes
	Error    string
	Options  []Option
	Children []*Field   // group
	Items    []*Field   // list: one group per item
	Count    int        // list: number of items
	MinLen   int        // maxlength/minlength hints
	MaxLen   int        //
	Min, Max string     // number bounds
	Step     string     //
	Texts    *formTexts // shared labels (add, remove, item)
	CanAdd   bool
	CanDel   bool
	Index    int // list item: 1-based
	// Plain: a list item that is one value, whose control carries the
	// item's label (no legend around it, no label made of its index).
	Plain bool
}

// Option is a choice of a select, radios or checkboxes.
type Option struct {
	Value, Label string
	Selected     bool
	ID           string
}

type formTexts struct {
	Add, Remove, Item, Choose, Yes, No, Optional string
}

// fieldID is an element ID for a dotted path.
func fieldID(path string) string {
	return "f-" + strings.NewReplacer(".", "-", "#", "-").Replace(path)
}

// build lays out the form for s at path, filled from v, with errors.
func (s *schema) build(path string, v Values, errs map[string]string, lang string, required bool, tx *formTexts) *Field {
	f := &Field{Name: path, ID: fieldID(path), Label: s.title(lang), Hint: s.Description, Required: required, Error: errs[path], Texts: tx}
	if f.Label == "" {
		f.Label = path[strings.LastIndex(path, ".")+1:]
	}
	switch {
	case s.is("object"):
		f.Kind = "group"
		for _, p := range s.Properties {
			f.Children = append(f.Children, p.Schema.build(join(path, p.Name), v, errs, lang, slices.Contains(s.Required, p.Name), tx))
		}
	case s.is("array") && s.Items != nil && len(s.Items.Enum) > 0:
		f.Kind = "checkboxes"
		f.Values = v[path]
		for i, e := range s.Items.Enum {
			val := display(e)
			f.Options = append(f.Options, Option{Value: val, Label: s.Items.enumTitle(lang, i), Selected: slices.Contains(f.Values, val), ID: f.ID + "-" + strconv.Itoa(i)})
		}
	case s.is("array"):
		f.Kind = "list"
		n, err := strconv.Atoi(v.get(countName(path)))
		if err != nil {
			n = 1
			if s.MinItems != nil {
				n = max(n, *s.MinItems)
			}
		}
		f.Count = n
		for i := range n {
			item := &schema{Type: typeNames{"string"}}
			if s.Items != nil {
				item = s.Items
			}
			it := item.build(join(path, strconv.Itoa(i)), v, errs, lang, true, tx)
			label := f.Label + " " + strconv.Itoa(i+1)
			if it.Kind != "group" { // a list of plain values: one control per item
				it.Label = label
				it = &Field{Kind: "group", Name: it.Name, ID: it.ID + "-item", Children: []*Field{it}, Texts: tx, Plain: true}
			}
			it.Label = label
			it.Index = i + 1
			it.CanDel = s.MinItems == nil || n > *s.MinItems
			f.Items = append(f.Items, it)
		}
		f.CanAdd = s.MaxItems == nil || n < *s.MaxItems
	case len(s.Enum) > 0:
		f.Value = v.get(path)
		f.Kind = "select"
		if len(s.Enum) <= 4 {
			f.Kind = "radios"
		}
		for i, e := range s.Enum {
			val := display(e)
			f.Options = append(f.Options, Option{Value: val, Label: s.enumTitle(lang, i), Selected: f.Value == val, ID: f.ID + "-" + strconv.Itoa(i)})
		}
	case s.is("boolean"):
		f.Value = v.get(path)
		if s.Const == true || !required {
			f.Kind = "checkbox"
			break
		}
		f.Kind = "radios"
		f.Options = []Option{
			{Value: "true", Label: tx.Yes, Selected: f.Value == "true", ID: f.ID + "-0"},
			{Value: "false", Label: tx.No, Selected: f.Value == "false", ID: f.ID + "-1"},
		}
	case s.is("integer"), s.is("number"):
		f.Value = v.get(path)
		f.Kind = "number"
		f.Step = "any"
		if s.is("integer") {
			f.Kind, f.Step = "integer", "1"
		}
		if s.Minimum != nil {
			f.Min = display(*s.Minimum)
		}
		if s.Maximum != nil {
			f.Max = display(*s.Maximum)
		}
	default:
		f.Value = v.get(path)
		f.Kind = "text"
		switch s.Format {
		case "date":
			f.Kind = "date"
		case "email":
			f.Kind = "email"
		case "date-time":
			f.Kind = "datetime"
		}
		if s.MaxLength != nil {
			f.MaxLen = *s.MaxLength
			if f.Kind == "text" && *s.MaxLength > 300 {
				f.Kind = "textarea"
			}
		}
	}
	return f
}

// ErrorLink is one line of the error summary: the message and the control
// it links to.
type ErrorLink struct {
	Href    string
	Label   string
	Message string
}

// attach puts each error beside the control it belongs to, and returns the
// summary lines in the order the controls appear. An error whose path has
// no control (a whole group, the whole form) goes to the nearest group
// that has one, else to the top of the form.
func attach(root *Field, errs map[string]string, topID string) []ErrorLink {
	var out []ErrorLink
	placed := map[string]bool{}
	var walk func(f *Field)
	walk = func(f *Field) {
		if msg, ok := errs[f.Name]; ok && f.Name != "" {
			f.Error = msg
			placed[f.Name] = true
			href := "#" + f.ID
			switch f.Kind {
			case "radios", "checkboxes":
				if len(f.Options) > 0 {
					href = "#" + f.Options[0].ID
				}
			case "group", "list":
				href = "#" + f.ID
			}
			out = append(out, ErrorLink{Href: href, Label: f.Label, Message: msg})
		}
		for _, c := range f.Children {
			walk(c)
		}
		for _, c := range f.Items {
			walk(c)
		}
	}
	walk(root)
	keys := make([]string, 0, len(errs))
	for k := range errs {
		if !placed[k] {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		target := findField(root, k)
		href := "#" + topID
		label := ""
		if target != nil {
			href, label = "#"+target.ID, target.Label
			if target.Error == "" {
				target.Error = errs[k]
			}
		}
		out = append(out, ErrorLink{Href: href, Label: label, Message: errs[k]})
	}
	return out
}

// findField finds the control of path, or of its nearest ancestor.
func findField(root *Field, path string) *Field {
	for p := path; p != ""; {
		var found *Field
		var walk func(f *Field)
		walk = func(f *Field) {
			if found != nil {
				return
			}
			if f.Name == p {
				found = f
				return
			}
			for _, c := range f.Children {
				walk(c)
			}
			for _, c := range f.Items {
				walk(c)
			}
		}
		walk(root)
		if found != nil && found.Name != "" {
			return found
		}
		i := strings.LastIndex(p, ".")
		if i < 0 {
			break
		}
		p = p[:i]
	}
	return nil
}

// listOp applies an add or remove button of a list ("add:path",
// "del:path:i") to the posted values: the page is shown again with one
// item more or less, and nothing else changes.
func listOp(op string, v Values) bool {
	kind, rest, _ := strings.Cut(op, ":")
	switch kind {
	case "add":
		n, _ := strconv.Atoi(v.get(countName(rest)))
		v[countName(rest)] = []string{strconv.Itoa(n + 1)}
		return true
	case "del":
		i := strings.LastIndex(rest, ":")
		if i < 0 {
			return false
		}
		path := rest[:i]
		idx, err := strconv.Atoi(rest[i+1:])
		if err != nil {
			return false
		}
		n, _ := strconv.Atoi(v.get(countName(path)))
		if idx < 0 || idx >= n {
			return false
		}
		// Shift the later items down by one.
		prefix := path + "."
		moved := Values{}
		for k, vals := range v {
			rest, ok := strings.CutPrefix(k, prefix)
			if !ok {
				continue
			}
			numStr, tail, _ := strings.Cut(rest, ".")
			num, err := strconv.Atoi(strings.TrimSuffix(numStr, "#n"))
			if err != nil {
				continue
			}
			delete(v, k)
			switch {
			case num < idx:
				moved[k] = vals
			case num > idx:
				nk := prefix + strconv.Itoa(num-1)
				if strings.HasSuffix(numStr, "#n") {
					nk += "#n"
				}
				if tail != "" {
					nk += "." + tail
				}
				moved[nk] = vals
			}
		}
		for k, vals := range moved {
			v[k] = vals
		}
		v[countName(path)] = []string{strconv.Itoa(n - 1)}
		return true
	}
	return false
}
