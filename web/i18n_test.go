package web

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"testing"

	"go.yaml.in/yaml/v3"
)

// Every timeline event a case can record (each motcua.Action constant)
// has its words in both catalogues: a missing one shows people the raw key
// ("event.result_signed").
func TestEveryEventHasWords(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	var events []string
	fset := token.NewFileSet()
	for _, f := range files {
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range file.Decls {
			gen, ok := d.(*ast.GenDecl)
			if !ok || gen.Tok != token.CONST {
				continue
			}
			for _, spec := range gen.Specs {
				vs := spec.(*ast.ValueSpec)
				if id, ok := vs.Type.(*ast.Ident); !ok || id.Name != "Action" {
					continue
				}
				for _, v := range vs.Values {
					if lit, ok := v.(*ast.BasicLit); ok {
						s, _ := strconv.Unquote(lit.Value)
						events = append(events, s)
					}
				}
			}
		}
	}
	if len(events) < 40 {
		t.Fatalf("found %d Action constants in the root package; the parse is wrong", len(events))
	}
	for _, lang := range []string{"vi", "en"} {
		raw, err := locales.ReadFile("locales/" + lang + ".yaml")
		if err != nil {
			t.Fatal(err)
		}
		var msgs map[string]string
		if err := yaml.Unmarshal(raw, &msgs); err != nil {
			t.Fatal(err)
		}
		for _, e := range events {
			if msgs["event."+e] == "" {
				t.Errorf("locales/%s.yaml has no event.%s", lang, e)
			}
		}
	}
}
