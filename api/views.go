package api

import lru "github.com/hashicorp/golang-lru/v2"

// viewBodies keeps the JSON of case views by their ETag. The ETag names
// the case's version, its documents, its incident and its second-instance
// state — everything a view shows — so a body encoded once for an ETag is
// the body for it; encoding the case was a quarter of a look-up's CPU.
type viewBodies struct{ c *lru.Cache[string, []byte] }

// viewBodiesSize bounds the bodies kept (a view is about 10 KiB).
const viewBodiesSize = 1024

func newViewBodies() viewBodies {
	c, _ := lru.New[string, []byte](viewBodiesSize) // fails only on a size < 1
	return viewBodies{c}
}

func (v viewBodies) body(etag string) ([]byte, bool) { return v.c.Get(etag) }

func (v viewBodies) keep(etag string, body []byte) { v.c.Add(etag, body) }
