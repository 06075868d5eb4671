package web

import (
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"path"
	"strings"
)

// templates are the pages, each parsed with the layout and the shared
// partials (form controls, error summary).
type templates struct {
	pages map[string]*template.Template
}

func mustTemplates() *templates {
	names, err := fs.Glob(files, "templates/*.html")
	if err != nil {
		panic(err)
	}
	t := &templates{pages: map[string]*template.Template{}}
	for _, n := range names {
		base := strings.TrimSuffix(path.Base(n), ".html")
		if base == "layout" || base == "partials" {
			continue
		}
		t.pages[base] = template.Must(template.New("layout.html").Funcs(funcs).
			ParseFS(files, "templates/layout.html", "templates/partials.html", n))
	}
	return t
}

func (t *templates) execute(w io.Writer, name string, data any) error {
	tp, ok := t.pages[name]
	if !ok {
		return fmt.Errorf("no page %q", name)
	}
	return tp.ExecuteTemplate(w, "layout.html", data)
}
