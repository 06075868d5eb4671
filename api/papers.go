package api

import (
	"bytes"
	"cmp"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/documents"
)

// Papers the desk draws up from the read model (issue 12, papers): the
// control sheet of a case (phiếu kiểm soát quá trình giải quyết hồ sơ) and
// the register of an agency for a period (sổ theo dõi hồ sơ). Both are
// signed PDFs whose QR code verifies at /api/v1/verify/{id}, like the
// documents a case issues (Thông tư 01/2018/TT-VPCP Điều 10 khoản 1: kept
// in the electronic one-stop system, printable, signed).

// maxRegisterDays bounds a register's period: a year of cases at most.
const maxRegisterDays = 366

func (s *Server) papers() (motcua.Papers, bool) {
	p, ok := s.Store.(motcua.Papers)
	return p, ok && s.Signer != nil
}

var errNoPapers = &motcua.Error{Code: motcua.EUNAVAILABLE, Message: "Chưa lập được văn bản ký số trên máy chủ này.",
	En: "Signed papers cannot be drawn up on this server."}

// controlSheet draws up the case's control sheet from its timeline as it
// stands, signs it and puts it among the case's documents
// (POST /cases/{code}/control-sheet, the officers of the case). Asked again
// after the case moved on, it draws up a new one; asked again with nothing
// new, it answers the same paper.
func (s *Server) controlSheet(c *gin.Context) {
	store, ok := s.papers()
	if !ok {
		s.fail(c, errNoPapers)
		return
	}
	cs, a, ok := s.visibleCase(c)
	if !ok {
		return
	}
	if a.Kind != motcua.KindOfficer && a.Kind != motcua.KindAdmin {
		s.fail(c, &motcua.Error{Code: motcua.EFORBIDDEN, Message: "Phiếu kiểm soát chỉ dành cho cán bộ giải quyết hồ sơ.",
			En: "The control sheet is for the officers handling the case."})
		return
	}
	if cs.ReceivedAt == nil {
		s.fail(c, &motcua.Error{Code: motcua.ECONFLICT, Message: "Hồ sơ chưa được tiếp nhận nên chưa có phiếu kiểm soát.",
			En: "The case has not been received, so it has no control sheet yet."})
		return
	}
	// One paper per state of the case: the version names it.
	key := fmt.Sprintf("control-%d", cs.Version)
	id := cs.Code + "-" + key + "-" + strings.ToLower(s.Secrets.Of(cs.Code + "/" + key))[:8]
	if i := slices.IndexFunc(cs.Documents, func(d motcua.Document) bool { return d.ID == id }); i >= 0 {
		c.JSON(http.StatusOK, cs.Documents[i])
		return
	}
	at := s.Now()
	if cs.ClosedAt != nil {
		at = *cs.ClosedAt
	}
	due := time.Time{}
	if cs.DueAt != nil {
		due = *cs.DueAt
	}
	pdf, err := documents.RenderControlSheet(documents.ControlSheet{DocumentID: id, CaseCode: cs.Code,
		AgencyName: s.agencyName(cs.Agency), ProcedureName: cs.Procedure.Name, Applicant: cs.Applicant,
		ReceivedAt: *cs.ReceivedAt, DueAt: due, Rows: documents.ControlRows(*cs, s.agencyName), At: at,
		VerifyURL: s.verifyURL(id)})
	if err != nil {
		s.fail(c, err)
		return
	}
	doc, err := s.signPaper(c, id, "phieu-kiem-soat-"+cs.Code+".pdf", motcua.DocumentControlSheet, pdf, a)
	if err != nil {
		s.fail(c, err)
		return
	}
	if err := store.AddCaseDocument(c.Request.Context(), cs.Code, doc); err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Location", "/api/v1/cases/"+cs.Code+"/documents/"+doc.ID)
	c.JSON(http.StatusCreated, doc)
}

// register answers the agency's register of files for a period
// (GET /agencies/{agency}/register?from=&to=&format=pdf|csv, the agency's
// officers): every case it received from the first day to the last, both
// included. The PDF is signed and kept for verification.
func (s *Server) register(c *gin.Context) {
	store, ok := s.papers()
	if !ok {
		s.fail(c, errNoPapers)
		return
	}
	a, ok := s.requireActor(c)
	if !ok {
		return
	}
	agency := c.Param("agency")
	if a.Kind != motcua.KindAdmin && (a.Kind != motcua.KindOfficer || a.Agency != agency) {
		s.fail(c, &motcua.Error{Code: motcua.EFORBIDDEN, Message: "Sổ theo dõi hồ sơ chỉ dành cho cán bộ của cơ quan.",
			En: "The register is for the agency's own officers."})
		return
	}
	if _, known := s.Catalog.Agencies().Get(agency); !known {
		s.fail(c, &motcua.Error{Code: motcua.ENOTFOUND, Message: "Không có cơ quan này.", En: "No such agency."})
		return
	}
	from, to, ok := s.registerPeriod(c)
	if !ok {
		return
	}
	format := c.DefaultQuery("format", "pdf")
	if format != "pdf" && format != "csv" {
		s.fail(c, motcua.FieldErrors("Tham số không hợp lệ.", map[string]string{"format": "pdf hoặc csv."}))
		return
	}
	cases, err := store.ReceivedCases(c.Request.Context(), agency, from, to)
	if err != nil {
		s.fail(c, err)
		return
	}
	rows := make([]documents.RegisterRow, len(cases))
	for i := range cases {
		rows[i] = documents.RegisterRowOf(cases[i], s.agencyName)
	}
	period := from.Format("20060102") + "-" + to.AddDate(0, 0, -1).Format("20060102")
	if format == "csv" {
		c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="so-theo-doi-%s-%s.csv"`, strings.ToLower(agency), period))
		c.Header("Content-Type", "text/csv; charset=utf-8")
		c.Status(http.StatusOK)
		_ = documents.WriteRegisterCSV(c.Writer, rows)
		return
	}
	at := s.Now()
	key := "register/" + agency + "/" + period + "/" + at.UTC().Format(time.RFC3339Nano)
	id := "SO-" + agency + "-" + period + "-" + strings.ToLower(s.Secrets.Of(key))[:8]
	pdf, err := documents.RenderRegister(documents.Register{DocumentID: id, AgencyName: s.agencyName(agency),
		From: from, To: to, Rows: rows, At: at, By: cmp.Or(a.Name, a.Subject), VerifyURL: s.verifyURL(id)})
	if err != nil {
		s.fail(c, err)
		return
	}
	name := "so-theo-doi-" + strings.ToLower(agency) + "-" + period + ".pdf"
	doc, err := s.signPaper(c, id, name, motcua.DocumentRegister, pdf, a)
	if err != nil {
		s.fail(c, err)
		return
	}
	if err := store.AddAgencyPaper(c.Request.Context(), agency, doc); err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"`, name))
	c.Header("X-Document-ID", doc.ID)
	c.Data(http.StatusOK, "application/pdf", pdf)
}

// registerPeriod reads from and to (YYYY-MM-DD, both days included) as
// [from, to+1 day) in Vietnam's time; by default the current month so far.
func (s *Server) registerPeriod(c *gin.Context) (time.Time, time.Time, bool) {
	now := s.Now().In(calendar.Location)
	from := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, calendar.Location)
	to := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, calendar.Location)
	problems := map[string]string{}
	for name, dst := range map[string]*time.Time{"from": &from, "to": &to} {
		if v := c.Query(name); v != "" {
			d, err := time.ParseInLocation(time.DateOnly, v, calendar.Location)
			if err != nil {
				problems[name] = "Ngày theo dạng YYYY-MM-DD."
				continue
			}
			*dst = d
		}
	}
	to = to.AddDate(0, 0, 1)
	switch {
	case len(problems) > 0:
	case !to.After(from):
		problems["to"] = "Ngày cuối kỳ không được trước ngày đầu kỳ."
	case to.Sub(from) > maxRegisterDays*24*time.Hour+time.Hour:
		problems["to"] = fmt.Sprintf("Một sổ theo dõi gồm tối đa %d ngày.", maxRegisterDays)
	}
	if len(problems) > 0 {
		s.fail(c, motcua.FieldErrors("Kỳ của sổ theo dõi không hợp lệ.", problems))
		return time.Time{}, time.Time{}, false
	}
	return from, to, true
}

// signPaper stores a rendered paper and signs its SHA-256 bound to its id,
// as the issuing activity signs a case's documents.
func (s *Server) signPaper(c *gin.Context, id, name, kind string, pdf []byte, by motcua.Actor) (motcua.Document, error) {
	sum, size, err := s.Blobs.Put(c.Request.Context(), bytes.NewReader(pdf), int64(len(pdf)))
	if err != nil {
		return motcua.Document{}, err
	}
	raw, _ := hex.DecodeString(sum)
	role := motcua.RoleReceiver
	if len(by.Roles) > 0 {
		role = by.Roles[0]
	}
	return motcua.Document{ID: id, Name: name, Type: "application/pdf", Size: size, SHA256: sum, Kind: kind,
		Uploaded: s.Now().UTC(), By: by.Ref(role),
		Signature: base64.StdEncoding.EncodeToString(s.Signer.Sign(id, raw)), KeyID: s.Signer.KeyID()}, nil
}

func (s *Server) verifyURL(id string) string {
	if s.PublicURL == "" {
		return ""
	}
	return strings.TrimRight(s.PublicURL, "/") + "/api/v1/verify/" + id
}

// agencyName is an agency's name from the catalogue, its code if unknown.
func (s *Server) agencyName(code string) string {
	if s.Catalog != nil {
		if a, ok := s.Catalog.Agencies().Get(code); ok {
			return a.Name
		}
	}
	return code
}
