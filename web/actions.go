package web

import (
	"encoding/json"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/workflows"
)

// actionEntry is an open action in the API's case view. Title and Input
// come from the workflows' action registry (one schema per action, the one
// the Update validator enforces); the pages render the form from Input.
// The registry's own labels are used for titles.
type actionEntry struct {
	motcua.Permission
	Title *motcua.Text    `json:"title,omitempty"`
	Input json.RawMessage `json:"input,omitempty"`
}

// offered reports whether people take action a through a form: not the
// system's callbacks, not uploads (they have their own control).
func offered(a motcua.Action) bool {
	spec, ok := workflows.Spec(a)
	return ok && spec.Via == workflows.ViaActions
}

func (e actionEntry) schema() *schema {
	raw := e.Input
	if len(raw) == 0 {
		if spec, ok := workflows.Spec(e.Action); ok {
			raw = spec.Input
		}
	}
	s, err := parseSchema(raw)
	if err != nil {
		s, _ = parseSchema(nil)
	}
	return s
}

// actionTitle is the registry's label of a, in lang.
func (s *Server) actionTitle(a motcua.Action, lang string) string {
	return actionEntry{Permission: motcua.Permission{Action: a}}.title(lang)
}

func (e actionEntry) title(lang string) string {
	if e.Title == nil {
		if spec, ok := workflows.Spec(e.Action); ok {
			e.Title = &spec.Title
		}
	}
	if e.Title != nil {
		if lang == "en" && e.Title.En != "" {
			return e.Title.En
		}
		if e.Title.Vi != "" {
			return e.Title.Vi
		}
	}
	return tr(lang, "action."+string(e.Action))
}
