package api

import (
	"context"
	"fmt"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua"
)

// tracingStore records what the API asks the read model, in order.
type tracingStore struct {
	*fakeStore
	mu    sync.Mutex
	calls []string
}

func (t *tracingStore) trace(call string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.calls = append(t.calls, call)
}

func (t *tracingStore) take() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := t.calls
	t.calls = nil
	return out
}

func (t *tracingStore) Case(ctx context.Context, code string) (*motcua.Case, error) {
	t.trace("Case")
	return t.fakeStore.Case(ctx, code)
}

func (t *tracingStore) CaseAccess(_ context.Context, code string) (motcua.CaseAccess, error) {
	t.trace("CaseAccess")
	c, ok := t.cases[code]
	if !ok {
		return motcua.CaseAccess{}, nil
	}
	return motcua.CaseAccess{Found: true, Owner: c.Owner, Agencies: c.Agencies}, nil
}

func (t *tracingStore) SecretState(context.Context, string) (motcua.SecretState, error) {
	t.trace("SecretState")
	return motcua.SecretState{}, nil
}

func (t *tracingStore) SetSecretState(context.Context, string, motcua.SecretState) error { return nil }

// Existence by timing (issue 16, finding 7): a look-up refused for a case
// that exists does exactly the work, in the same order, of one for a code
// that does not, and answers the same but for the code; so no timing
// tells them apart, however many samples. (A statistical test of response
// times would prove less and flake on a busy machine.)
func TestRefusedLookupsDoTheSameWork(t *testing.T) {
	full, fresh := testCases()
	ts := &tracingStore{fakeStore: &fakeStore{cases: map[string]*motcua.Case{full.Code: full, fresh.Code: fresh}}}
	h := New(Deps{Store: ts, Auth: testDev, Secrets: motcua.CaseSecrets{Key: []byte("k")}, LookupPerMinute: 6000, Logger: quiet})
	stranger, _, _ := testDev.Issue(motcua.Actor{Kind: motcua.KindCitizen, Subject: "079999000001"}, time.Now())
	officer, _, _ := testDev.Issue(motcua.Actor{Kind: motcua.KindOfficer, Subject: "cb", Agency: "SXD", Roles: []motcua.Role{motcua.RoleReceiver}}, time.Now())
	missing := "CAT-250314-0999" // same shape as full.Code
	lookup := func(code, token, secret string) (int, string, []string) {
		req := httptest.NewRequest("GET", "/api/v1/cases/"+code, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		if secret != "" {
			req.Header.Set("X-Case-Secret", secret)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Code, strings.ReplaceAll(rec.Body.String(), code, "CODE"), ts.take()
	}
	for name, who := range map[string]struct{ token, secret string }{
		"a citizen signed in":            {stranger, ""},
		"an officer of another agency":   {officer, ""},
		"a wrong secret, not signed in":  {"", "ABCDEFGHJK"},
		"a wrong secret, signed in":      {stranger, "ABCDEFGHJK"},
		"a secret of another case":       {"", motcua.CaseSecrets{Key: []byte("k")}.Of(fresh.Code)},
		"an officer with a wrong secret": {officer, "0000000000"},
	} {
		s1, b1, w1 := lookup(full.Code, who.token, who.secret)
		s2, b2, w2 := lookup(missing, who.token, who.secret)
		if s1 != 404 || s1 != s2 || b1 != b2 || !slices.Equal(w1, w2) {
			t.Errorf("%s: existing %d %s %v; missing %d %s %v", name, s1, b1, w1, s2, b2, w2)
		}
	}
	// The owner is shown the case: the full read comes after the access
	// read, only then.
	owner, _, _ := testDev.Issue(motcua.Actor{Kind: motcua.KindCitizen, Subject: full.Owner}, time.Now())
	if status, _, work := lookup(full.Code, owner, ""); status != 200 || !slices.Equal(work, []string{"CaseAccess", "Case"}) {
		t.Errorf("the owner's look-up: %d %v", status, work)
	}
}

// Signed-in look-ups that miss are limited per subject (whatever address
// they come from) and per address (whatever subject signs in).
func TestSignedInMissesLimitedPerSubjectAndAddress(t *testing.T) {
	h := New(Deps{Store: &fakeStore{cases: map[string]*motcua.Case{}}, Auth: testDev, LookupPerMinute: 30, Logger: quiet})
	probe := func(subject, addr string, i int) int {
		tok, _, _ := testDev.Issue(motcua.Actor{Kind: motcua.KindCitizen, Subject: subject}, time.Now())
		req := httptest.NewRequest("GET", fmt.Sprintf("/api/v1/cases/CAT-250314-%04d", i), nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		req.RemoteAddr = addr + ":40000"
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Code
	}
	first429 := func(next func(i int) int) int {
		for i := range 100 {
			if next(i) == 429 {
				return i
			}
		}
		return -1
	}
	// Burst of 10 (30 a minute): one subject hopping addresses.
	if n := first429(func(i int) int { return probe("079201000001", fmt.Sprintf("10.0.%d.%d", i/250, i%250+1), i) }); n != 10 {
		t.Errorf("one subject over many addresses refused after %d misses, want 10", n)
	}
	// One address, a new subject each time.
	if n := first429(func(i int) int { return probe(fmt.Sprintf("0792010%05d", i+100), "192.0.2.7", i) }); n != 10 {
		t.Errorf("one address over many subjects refused after %d misses, want 10", n)
	}
	// Someone else, elsewhere, is not held back.
	if got := probe("079201009999", "198.51.100.9", 1); got != 404 {
		t.Errorf("an unrelated look-up: %d", got)
	}
}
