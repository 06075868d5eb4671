package workflows

import (
	"testing"

	"github.com/motcua/motcua"
)

func TestAttachRefusal(t *testing.T) {
	proc := &motcua.Procedure{Documents: []motcua.DocumentSpec{{Name: "Tờ khai"}, {Name: "Điều lệ"}}}
	l := AttachLimits{FilesPerDocument: 2, FilesPerCase: 10, CaseBytes: 1000}
	docs := func(kind string, n int, size int64) []motcua.Document {
		var out []motcua.Document
		for range n {
			out = append(out, motcua.Document{Kind: kind, Size: size})
		}
		return out
	}
	for name, c := range map[string]struct {
		docs        []motcua.Document
		byApplicant bool
		size        int64
		refused     bool
	}{
		"room left":                          {docs(motcua.DocumentApplication, 3, 10), true, 10, false},
		"two per listed document":            {docs(motcua.DocumentApplication, 4, 10), true, 10, true},
		"supplements count too":              {append(docs(motcua.DocumentApplication, 2, 10), docs(motcua.DocumentSupplement, 2, 10)...), true, 10, true},
		"issued documents do not count":      {append(docs(motcua.DocumentReceipt, 5, 10), docs(motcua.DocumentApplication, 3, 10)...), true, 10, false},
		"officers' papers count apart":       {docs(motcua.DocumentApplication, 4, 10), false, 10, false},
		"officers up to files_per_case":      {docs(motcua.DocumentWorking, 10, 10), false, 10, true},
		"bytes of everyone together":         {append(docs(motcua.DocumentWorking, 2, 400), docs(motcua.DocumentApplication, 1, 150)...), true, 100, true},
		"bytes exactly at the bound":         {docs(motcua.DocumentWorking, 2, 450), true, 100, false},
		"no limits given: the defaults hold": {docs(motcua.DocumentApplication, 9, 1), true, 1, false},
	} {
		lim := l
		if name == "no limits given: the defaults hold" {
			lim = AttachLimits{}
		}
		if got := AttachRefusal(lim, proc, c.docs, c.byApplicant, c.size); (got != "") != c.refused {
			t.Errorf("%s: %q", name, got)
		}
	}
	if got := (AttachLimits{FilesPerDocument: 5, FilesPerCase: 40}).ApplicantFiles(&motcua.Procedure{}); got != 5 {
		t.Errorf("a procedure listing no document: %d files", got)
	}
}
