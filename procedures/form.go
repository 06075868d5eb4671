package procedures

import (
	"encoding/json"
	"sync"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/schema"
)

// maxCachedForms bounds the cache: cases pin old definitions whose forms are
// compiled on first use, and a long-running worker must not grow forever.
const maxCachedForms = 512

// formCache holds compiled schemas keyed by the form's JSON text, so a form
// pinned by a case validates whether or not it is still in the catalogue.
type formCache struct {
	mu      sync.RWMutex
	schemas map[string]*schema.Schema
}

func newFormCache() *formCache {
	return &formCache{schemas: map[string]*schema.Schema{}}
}

func (fc *formCache) schema(form json.RawMessage) (*schema.Schema, error) {
	key := string(form)
	fc.mu.RLock()
	sch := fc.schemas[key]
	fc.mu.RUnlock()
	if sch != nil {
		return sch, nil
	}
	sch, err := schema.Compile(form)
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
	return sch.Errors(form)
}
