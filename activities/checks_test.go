package activities

import (
	"testing"

	"github.com/motcua/motcua"
)

// Every check kind a definition may name has a client, and every client a
// description: a back-end added to one and not the other fails here.
func TestEveryCheckHasAClient(t *testing.T) {
	for _, c := range motcua.Checks {
		if checks[c.Kind] == nil {
			t.Errorf("check %s has no client in activities", c.Kind)
		}
		if _, ok := motcua.BackendOf(c.Backend); !ok {
			t.Errorf("check %s is answered by %q, which is no back-end", c.Kind, c.Backend)
		}
	}
	for kind := range checks {
		if _, ok := motcua.CheckOf(kind); !ok {
			t.Errorf("client of %s, which motcua.Checks does not describe", kind)
		}
	}
}
