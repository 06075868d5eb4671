package e2e

import (
	"testing"

	"github.com/motcua/motcua"
)

// A client polling a case sends the ETag of the view it holds: it hears
// "no change" (304, no body) until an action changes the case, and never
// misses that action.
func TestLookupConditionalGet(t *testing.T) {
	e := newEnv(t)
	citizen := e.citizen("079201001234")
	r := e.submit(citizen, business, motcua.DeliveryCounter)
	view := e.settled(citizen, r.Code) // the back-ends' answers to the filing are in
	first := e.call("GET", "/api/v1/cases/"+r.Code, "", nil, "X-Case-Secret", r.Secret)
	etag := first.header.Get("ETag")
	if first.status != 200 || etag == "" {
		t.Fatalf("first look-up: %d, ETag %q", first.status, etag)
	}
	same := e.call("GET", "/api/v1/cases/"+r.Code, "", nil, "X-Case-Secret", r.Secret, "If-None-Match", etag)
	if same.status != 304 || len(same.body) != 0 || same.header.Get("ETag") != etag {
		t.Fatalf("unchanged case: %d %q %s", same.status, same.header.Get("ETag"), same.body)
	}
	e.actOK(e.officer("tiepnhan", view.Agency, "receiver"), r.Code, motcua.ActionReceive, nil)
	changed := e.call("GET", "/api/v1/cases/"+r.Code, "", nil, "X-Case-Secret", r.Secret, "If-None-Match", etag)
	if changed.status != 200 || changed.header.Get("ETag") == etag || changed.caseView().Status != motcua.StatusInReview {
		t.Fatalf("after receive: %d %q", changed.status, changed.header.Get("ETag"))
	}
}
