package web

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/procedures"
)

// Every procedure's example form survives the trip through its generated
// form: encoded into inputs, posted, decoded by the schema, it is the same
// JSON; and every input the values name is a control of the form.
func TestEveryExampleFormRoundTrips(t *testing.T) {
	cat, err := procedures.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, p := range cat.All() {
		if len(p.Form) == 0 || len(p.ExampleForm) == 0 {
			continue
		}
		n++
		s, err := parseSchema(p.Form)
		if err != nil {
			t.Fatalf("%s: %v", p.Code, err)
		}
		var want any
		_ = json.Unmarshal(p.ExampleForm, &want)
		v := Values{}
		s.encode("form", want, v)
		got := s.decode("form", v)
		gb, _ := json.Marshal(got)
		var gotJSON any
		_ = json.Unmarshal(gb, &gotJSON)
		if !reflect.DeepEqual(gotJSON, want) {
			t.Errorf("%s: round trip\n got  %s\n want %s", p.Code, gb, p.ExampleForm)
		}
		if errs := cat.ValidateForm(p, gb); len(errs) > 0 {
			t.Errorf("%s: the decoded example is invalid: %v", p.Code, errs)
		}
		root := s.build("form", v, nil, "vi", true, &formTexts{})
		names := map[string]bool{}
		var walk func(f *Field)
		walk = func(f *Field) {
			names[f.Name] = true
			if f.Kind == "list" {
				names[countName(f.Name)] = true
			}
			for _, c := range f.Children {
				walk(c)
			}
			for _, c := range f.Items {
				walk(c)
			}
		}
		walk(root)
		for name := range v {
			if !names[name] {
				t.Errorf("%s: value %s has no control", p.Code, name)
			}
		}
	}
	if n < 40 {
		t.Fatalf("only %d forms", n)
	}
}

func TestBuildKinds(t *testing.T) {
	s, _ := parseSchema(json.RawMessage(`{"type":"object","required":["a","agree"],"properties":{
		"a":{"type":"string","title":"Chữ","x-title-en":"Text","maxLength":20},
		"long":{"type":"string","maxLength":1000},
		"d":{"type":"string","format":"date"},
		"few":{"type":"string","enum":["x","y"]},
		"many":{"type":"string","enum":["1","2","3","4","5"],"x-enum-titles":["một","hai","ba","bốn","năm"]},
		"n":{"type":"integer","minimum":1},
		"agree":{"type":"boolean"},
		"sure":{"type":"boolean","const":true},
		"tags":{"type":"array","uniqueItems":true,"items":{"type":"string","enum":["p","q"]}},
		"people":{"type":"array","minItems":1,"maxItems":2,"items":{"type":"object","properties":{"name":{"type":"string"}}}}}}`))
	f := s.build("", Values{}, nil, "en", true, &formTexts{})
	kinds := map[string]string{}
	for _, c := range f.Children {
		kinds[c.Name] = c.Kind
	}
	want := map[string]string{"a": "text", "long": "textarea", "d": "date", "few": "radios", "many": "select", "n": "integer",
		"agree": "radios", "sure": "checkbox", "tags": "checkboxes", "people": "list"}
	if !reflect.DeepEqual(kinds, want) {
		t.Fatalf("kinds %v", kinds)
	}
	if f.Children[0].Label != "Text" || !f.Children[0].Required || f.Children[1].Required {
		t.Fatalf("label/required: %+v", f.Children[0])
	}
	if f.Children[4].Options[1].Label != "hai" {
		t.Fatalf("enum titles: %+v", f.Children[4].Options)
	}
	people := f.Children[9]
	if people.Count != 1 || !people.CanAdd || people.Items[0].CanDel {
		t.Fatalf("list at minItems: %+v", people)
	}
}

// Lists grow and shrink with buttons (no JavaScript): removing an item
// shifts the later ones down, values kept.
func TestListOps(t *testing.T) {
	v := Values{"p#n": {"3"}, "p.0.name": {"An"}, "p.1.name": {"Bình"}, "p.2.name": {"Chi"}, "p.2.kids#n": {"1"}, "p.2.kids.0": {"Dũng"}, "other": {"x"}}
	if !listOp("del:p:1", v) {
		t.Fatal("del refused")
	}
	want := Values{"p#n": {"2"}, "p.0.name": {"An"}, "p.1.name": {"Chi"}, "p.1.kids#n": {"1"}, "p.1.kids.0": {"Dũng"}, "other": {"x"}}
	if !reflect.DeepEqual(v, want) {
		t.Fatalf("after del: %v", v)
	}
	listOp("add:p", v)
	if v.get("p#n") != "3" {
		t.Fatalf("after add: %v", v)
	}
	if listOp("del:p:7", v) || listOp("bogus", v) {
		t.Fatal("a bad op was applied")
	}
}

// Errors go beside their control; one without a control goes to its
// nearest group, and the summary follows the page's order.
func TestAttachErrors(t *testing.T) {
	s, _ := parseSchema(json.RawMessage(`{"type":"object","properties":{"a":{"type":"object","title":"A","properties":{"b":{"type":"string","title":"B"}}},"c":{"type":"string","title":"C"}}}`))
	f := s.build("form", Values{}, nil, "vi", true, &formTexts{})
	links := attach(f, map[string]string{"form.c": "sai c", "form.a.b": "sai b", "form.a.zz": "lạ"}, "top")
	if len(links) != 3 || links[0].Href != "#f-form-a-b" || links[1].Href != "#f-form-c" || links[2].Href != "#f-form-a" {
		t.Fatalf("links %+v", links)
	}
	if f.Children[0].Children[0].Error != "sai b" || f.Children[0].Error != "lạ" {
		t.Fatal("errors not beside their controls")
	}
}

func TestLocalizeError(t *testing.T) {
	e := motcua.FieldErrors("Hồ sơ chưa hợp lệ, vui lòng kiểm tra các trường được đánh dấu.", map[string]string{
		"form.x": "Tối đa 100 ký tự", "reason": "Cần ghi rõ lý do từ chối.", "odd": "Chưa dịch"})
	en := LocalizeError("en-GB,en;q=0.9", e)
	if en.Message != "The application is not valid; please check the fields marked." || en.Fields["form.x"] != "At most 100 characters" ||
		en.Fields["reason"] != "Give the reason for rejecting." || en.Fields["odd"] != "Chưa dịch" {
		t.Fatalf("en: %+v", en)
	}
	if got := LocalizeError("", e); got != e {
		t.Fatal("Vietnamese is the default")
	}
	if got := LocalizeError("fr, vi;q=0.5, en;q=0.4", e); got.Message != e.Message {
		t.Fatal("vi preferred to en")
	}
	nf := LocalizeError("en", motcua.Errorf(motcua.ENOTFOUND, "Không tìm thấy hồ sơ %s.", "SXD-260101-0001"))
	if nf.Message != "Case SXD-260101-0001 not found." {
		t.Fatalf("pattern: %q", nf.Message)
	}
	// Every key of the pages' catalogues exists in both languages.
	viKeys, enKeys := catalogueKeys(t, "locales/vi.yaml"), catalogueKeys(t, "locales/en.yaml")
	for k := range viKeys {
		if !enKeys[k] {
			t.Errorf("%s has no English", k)
		}
	}
	for k := range enKeys {
		if !viKeys[k] {
			t.Errorf("%s has no Vietnamese", k)
		}
	}
}

func catalogueKeys(t *testing.T, file string) map[string]bool {
	data, err := locales.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, line := range strings.Split(string(data), "\n") {
		if k, _, ok := strings.Cut(line, ": "); ok && !strings.HasPrefix(line, "#") {
			out[k] = true
		}
	}
	return out
}
