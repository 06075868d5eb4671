package e2e

import (
	"testing"

	"github.com/motcua/motcua"
)

// The receipt's secret can be re-issued (the old one stops working) and
// revoked (none works) by the owner signed in or the desk, never by someone
// holding only the secret or by another citizen.
func TestSecretReissuedAndRevoked(t *testing.T) {
	e := newEnv(t)
	owner := e.citizen("079201001234")
	r := e.submit(owner, business, motcua.DeliveryCounter)
	lookup := func(secret string) int {
		return e.call("GET", "/api/v1/cases/"+r.Code, "", nil, "X-Case-Secret", secret).status
	}
	if got := lookup(r.Secret); got != 200 {
		t.Fatalf("the receipt's secret: %d", got)
	}
	if got := e.call("POST", "/api/v1/cases/"+r.Code+"/secret", "", nil, "X-Case-Secret", r.Secret).status; got != 401 {
		t.Fatalf("re-issued by a secret holder: %d", got)
	}
	if got := e.call("POST", "/api/v1/cases/"+r.Code+"/secret", e.citizen("001099000001"), nil).status; got != 404 {
		t.Fatalf("re-issued by another citizen: %d", got)
	}
	var fresh struct {
		Secret string `json:"secret"`
	}
	e.must(e.call("POST", "/api/v1/cases/"+r.Code+"/secret", owner, nil), 200).json(&fresh)
	if fresh.Secret == "" || fresh.Secret == r.Secret || lookup(r.Secret) != 404 || lookup(fresh.Secret) != 200 {
		t.Fatalf("after re-issue: new %q, old answers %d, new answers %d", fresh.Secret, lookup(r.Secret), lookup(fresh.Secret))
	}
	other := e.officer("tiepnhan", "SXD", "receiver")
	if got := e.call("DELETE", "/api/v1/cases/"+r.Code+"/secret", other, nil).status; got != 404 {
		t.Fatalf("revoked by another agency's desk: %d", got)
	}
	desk := e.officer("tiepnhan", r.Agency, "receiver")
	e.must(e.call("DELETE", "/api/v1/cases/"+r.Code+"/secret", desk, nil), 204)
	if lookup(fresh.Secret) != 404 || lookup(r.Secret) != 404 {
		t.Fatal("a revoked secret still opens the case")
	}
	if got := e.call("GET", "/api/v1/cases/"+r.Code, owner, nil).status; got != 200 {
		t.Fatalf("the owner signed in after revocation: %d", got)
	}
	e.must(e.call("POST", "/api/v1/cases/"+r.Code+"/secret", desk, nil), 200).json(&fresh)
	if lookup(fresh.Secret) != 200 {
		t.Fatal("a secret re-issued after revocation does not open the case")
	}
}

// A citizen files as themselves: an applicant ID number other than their
// own needs them to say they file on behalf of that person, and the case
// then shows them as its owner.
func TestFilingOnBehalfIsSaid(t *testing.T) {
	e := newEnv(t)
	citizen := e.citizen("079201001234")
	body := e.submission(business, motcua.DeliveryCounter) // for Trần Thị Bích Ngọc, 049188001234
	delete(body, "on_behalf")
	r := e.call("POST", "/api/v1/cases", citizen, body, "Idempotency-Key", "thay-1")
	var out struct {
		Error motcua.Error `json:"error"`
	}
	r.json(&out)
	if r.status != 422 || out.Error.Fields["applicant.id_number"] == "" {
		t.Fatalf("another person's number, not said: %d %s", r.status, r.body)
	}
	body["on_behalf"] = true
	var rec receipt
	e.must(e.call("POST", "/api/v1/cases", citizen, body, "Idempotency-Key", "thay-2"), 201).json(&rec)
	if rec.Owner != "079201001234" || rec.Applicant.IDNumber != "049188001234" {
		t.Fatalf("filed on behalf: owner %s, applicant %s", rec.Owner, rec.Applicant.IDNumber)
	}
}
