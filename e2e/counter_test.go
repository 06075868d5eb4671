package e2e

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/procedures"
)

// Every procedure of the province can become a case: an entry imported from
// the national database (level 2, no steps) is filed at the counter by the
// desk and runs the standard shape's default steps to its result, fee
// included; online filing of it is refused.
func TestCounterCaseOfImportedProcedure(t *testing.T) {
	dir, p := importedCatalogue(t)
	if p.Level != 2 || len(p.Steps) != 0 || p.FeeAmount() != 100000 || !slices.Equal(p.Agencies, []string{"STP"}) {
		t.Fatalf("the imported entry changed: %+v", p)
	}

	e := newEnv(t, func(o *envOptions) { o.proceduresDir = dir })
	body := e.submission(p.Code, motcua.DeliveryCounter)
	body["agency"] = "STP"
	body["form"] = map[string]any{"applicant": map[string]any{"name": "Lê Minh Tuấn", "address": "Tam Kỳ", "phone": "0905123456"},
		"request": "Đăng ký hành nghề luật sư với tư cách cá nhân"}
	citizen := e.citizen("049090001234")
	if r := e.call("POST", "/api/v1/cases", citizen, body, "Idempotency-Key", "online-1"); r.status != 422 {
		t.Fatalf("a level-2 procedure filed online: %d %s", r.status, r.body)
	}
	desk := e.officer("motcua.stp", "STP", "receiver", "reviewer", "cashier")
	var r receipt
	e.must(e.call("POST", "/api/v1/cases", desk, body, "Idempotency-Key", "counter-1"), 201).json(&r)
	if r.Channel != motcua.ChannelCounter || r.DueAt != nil {
		t.Fatalf("filed at the counter: %+v", r.Case)
	}
	e.actOK(desk, r.Code, motcua.ActionReceive, nil)
	v := e.actOK(desk, r.Code, motcua.ActionReview, nil)
	if v.Status != motcua.StatusAwaitingPayment || v.DueAt == nil {
		t.Fatalf("after review: %s due %v", v.Status, v.DueAt)
	}
	e.actOK(desk, r.Code, motcua.ActionConfirmPayment, map[string]any{"data": map[string]any{"receipt_no": "BL-STP-1"}})
	e.actOK(desk, r.Code, motcua.ActionIssue, map[string]any{"data": map[string]any{"number": "123/GCN"}})
	v = e.actOK(desk, r.Code, motcua.ActionDeliver, nil)
	if v.Status != motcua.StatusCompleted || v.Result == nil || v.Result.Number != "123/GCN" || len(v.Payments) != 1 || v.Payments[0].Amount != 100000 {
		t.Fatalf("final %s result %+v payments %+v", v.Status, v.Result, v.Payments)
	}
}

// importedCatalogue writes the embedded definitions and those imported from
// the national sample into a folder (for procedures.dir) and returns it with
// the imported lawyer's registration: level 2, no steps, a fee, led by STP.
func importedCatalogue(t *testing.T) (string, *motcua.Procedure) {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "procedures", "testdata", "national-sample.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := procedures.ReadNational(f.Name(), f)
	if err != nil {
		t.Fatal(err)
	}
	embedded, err := procedures.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	defs, _, ps := procedures.Import(rows, procedures.ImportOptions{Existing: embedded, Place: "Quảng Nam"})
	if len(ps) > 0 {
		t.Fatal(ps)
	}
	dir := t.TempDir()
	files, err := procedures.EmbeddedFiles()
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range procedures.ImportFiles(defs) {
		files[name] = data
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	i := slices.IndexFunc(defs, func(d procedures.Imported) bool {
		return d.Procedure.Name.Vi == "Đăng ký hành nghề luật sư với tư cách cá nhân"
	})
	if i < 0 {
		t.Fatal("the sample lost its lawyer row")
	}
	p := defs[i].Procedure
	return dir, p
}
