package api

import (
	"mime"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/documents"
	"github.com/motcua/motcua/procedures"
)

// procedureItem is a procedure in the catalogue list.
type procedureItem struct {
	Code           string   `json:"code"`
	Name           string   `json:"name"`
	NameEn         string   `json:"name_en"`
	Agency         string   `json:"agency"`
	Agencies       []string `json:"agencies"`
	Tier           string   `json:"tier"`
	Level          int      `json:"level"`
	Online         string   `json:"online,omitempty"`
	Fee            *int64   `json:"fee"`
	ProcessingDays int      `json:"processing_days"`
	NationalCode   string   `json:"national_code,omitempty"`
	Field          string   `json:"field,omitempty"`
	// Competent are the agencies that may lead a case filed today.
	Competent []competentAgency `json:"competent"`
}

// listProcedures searches the catalogue (GET /procedures?q=&agency=&level=&limit=).
func (s *Server) listProcedures(c *gin.Context) {
	q := procedures.Query{Text: c.Query("q"), Agency: c.Query("agency"), Field: c.Query("field"), Event: c.Query("event")}
	if v := c.Query("level"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 4 {
			s.fail(c, motcua.FieldErrors("Tham số không hợp lệ.", map[string]string{"level": "Mức độ từ 1 đến 4."}))
			return
		}
		q.Level = n
	}
	limit, ok := s.limitParam(c)
	if !ok {
		return
	}
	q.Limit = limit
	found := s.Catalog.Search(q)
	items := make([]procedureItem, len(found))
	for i, p := range found {
		items[i] = procedureItem{Code: p.Code, Name: p.Name.Vi, NameEn: p.Name.En, Agency: p.Agencies[0], Agencies: p.Agencies,
			Tier: p.Tier, Level: p.Level, Online: p.Online, ProcessingDays: p.ProcessingDays, NationalCode: p.NationalCode, Field: p.Field,
			Competent: s.competent(p)}
		if p.Fee != nil {
			items[i].Fee = &p.Fee.Amount
		}
	}
	c.JSON(http.StatusOK, gin.H{"procedures": items})
}

type agencyFacet struct {
	Code  string `json:"code"`
	Name  string `json:"name"`
	Count int    `json:"count"`
}

// catalogue lists what the catalogue can be browsed by (GET /catalogue):
// fields, lead agencies and life events.
func (s *Server) catalogue(c *gin.Context) {
	counts := map[string]int{}
	for _, p := range s.Catalog.All() {
		for _, a := range p.Agencies {
			counts[a]++
		}
	}
	agencies := []agencyFacet{}
	for _, a := range s.Catalog.Agencies().All() {
		if n := counts[a.Code]; n > 0 {
			agencies = append(agencies, agencyFacet{Code: a.Code, Name: a.Name, Count: n})
		}
	}
	c.JSON(http.StatusOK, gin.H{"fields": s.Catalog.Fields(), "agencies": agencies, "events": procedures.LifeEvents()})
}

// getProcedure returns a definition: the level-1 information, the form
// schema with an example that satisfies it, documents, fee and time.
func (s *Server) getProcedure(c *gin.Context) {
	p, ok := s.Catalog.Get(c.Param("code"))
	if !ok {
		s.fail(c, motcua.Errorf(motcua.ENOTFOUND, "Không có thủ tục %q.", c.Param("code")))
		return
	}
	out := procedureView{*p, s.competent(p)}
	out.FormFile = "/api/v1/procedures/" + p.Code + "/form.pdf"
	c.JSON(http.StatusOK, out)
}

// procedureForm downloads the printable form of a procedure (level 2: fill
// it in by hand and bring it to the one-stop desk), generated from the
// definition's form schema.
func (s *Server) procedureForm(c *gin.Context) {
	p, ok := s.Catalog.Get(c.Param("code"))
	if !ok {
		s.fail(c, motcua.Errorf(motcua.ENOTFOUND, "Không có thủ tục %q.", c.Param("code")))
		return
	}
	agency := p.Agencies[0]
	if a, ok := s.Catalog.Agencies().Get(agency); ok {
		agency = a.Name
	}
	if now := s.competent(p); len(now) == 1 {
		agency = now[0].Name
	}
	pdf, err := documents.RenderForm(p, agency)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": "mau-don-" + p.Code + ".pdf"}))
	c.Header("Cache-Control", "public, max-age=3600")
	c.Data(http.StatusOK, "application/pdf", pdf)
}
