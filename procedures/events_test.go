package procedures_test

import (
	"slices"
	"testing"

	"github.com/motcua/motcua/procedures"
)

// Every life event leads to procedures of the catalogue, every code it
// names is a definition, and browsing by event, field and agency filters.
func TestLifeEventsAndBrowsing(t *testing.T) {
	cat, err := procedures.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	evs := procedures.LifeEvents()
	if len(evs) < 4 {
		t.Fatalf("%d life events", len(evs))
	}
	for _, e := range evs {
		if e.Name.Vi == "" || e.Name.En == "" {
			t.Errorf("%s: name in both languages", e.Code)
		}
		for _, code := range e.Procedures {
			if _, ok := cat.Get(code); !ok {
				t.Errorf("%s names %s, which is no definition", e.Code, code)
			}
		}
		if len(e.Procedures) > 0 && len(cat.EventProcedures(e.Code)) < len(e.Procedures) {
			t.Errorf("%s lists %d of its procedures", e.Code, len(cat.EventProcedures(e.Code)))
		}
	}
	build := cat.Search(procedures.Query{Event: "xay-nha"})
	if len(build) != 4 || build[1].Code != "cap-giay-phep-xay-dung-nha-o-rieng-le" {
		t.Fatalf("xây nhà: %v", codes(build))
	}
	if got := cat.Search(procedures.Query{Event: "xay-nha", Text: "giay phep"}); !slices.Equal(codes(got), []string{"cap-giay-phep-xay-dung-nha-o-rieng-le"}) {
		t.Errorf("xây nhà + giấy phép: %v", codes(got))
	}
	fields := cat.Fields()
	i := slices.IndexFunc(fields, func(f procedures.Facet) bool { return f.Value == "Đất đai" })
	if i < 0 || fields[i].Count < 4 {
		t.Fatalf("fields %v", fields)
	}
	land := cat.Search(procedures.Query{Field: "Đất đai", Limit: 100})
	if len(land) != fields[i].Count {
		t.Errorf("Đất đai: %d procedures, facet says %d", len(land), fields[i].Count)
	}
	for _, p := range cat.Search(procedures.Query{Agency: "CAT", Limit: 100}) {
		if !p.OffersAgency("CAT") {
			t.Errorf("%s is not offered by CAT", p.Code)
		}
	}
	if got := cat.Search(procedures.Query{Event: "no-such-event"}); len(got) != 0 {
		t.Errorf("an unknown event lists %v", codes(got))
	}
}
