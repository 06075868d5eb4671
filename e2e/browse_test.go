package e2e

import (
	"slices"
	"testing"
)

// The catalogue is browsed by field, lead agency and life event, as the
// national portal does; every answer is checked against the document.
func TestBrowseCatalogue(t *testing.T) {
	e := newEnv(t)
	var facets struct {
		Fields []struct {
			Value string `json:"value"`
			Count int    `json:"count"`
		} `json:"fields"`
		Agencies []struct {
			Code  string `json:"code"`
			Count int    `json:"count"`
		} `json:"agencies"`
		Events []struct {
			Code string `json:"code"`
		} `json:"events"`
	}
	e.must(e.call("GET", "/api/v1/catalogue", "", nil), 200).json(&facets)
	i := slices.IndexFunc(facets.Fields, func(f struct {
		Value string `json:"value"`
		Count int    `json:"count"`
	}) bool {
		return f.Value == "Đất đai"
	})
	if i < 0 || len(facets.Agencies) < 10 || len(facets.Events) < 4 {
		t.Fatalf("facets %+v", facets)
	}
	var list struct {
		Procedures []struct {
			Code  string `json:"code"`
			Field string `json:"field"`
		} `json:"procedures"`
	}
	e.must(e.call("GET", "/api/v1/procedures?field=%C4%90%E1%BA%A5t%20%C4%91ai&limit=100", "", nil), 200).json(&list)
	if len(list.Procedures) != facets.Fields[i].Count {
		t.Fatalf("Đất đai: %d procedures, the facet says %d", len(list.Procedures), facets.Fields[i].Count)
	}
	list.Procedures = nil
	e.must(e.call("GET", "/api/v1/procedures?event=xay-nha", "", nil), 200).json(&list)
	if len(list.Procedures) != 4 || list.Procedures[1].Code != "cap-giay-phep-xay-dung-nha-o-rieng-le" {
		t.Fatalf("xây nhà: %+v", list.Procedures)
	}
}
