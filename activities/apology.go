package activities

import (
	"time"

	"go.temporal.io/sdk/temporal"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/documents"
)

// apology renders the apology and new appointment slip (issue 12) for the
// case's newest apology, signed in the name of the agency at fault.
func (d *Documents) apology(c motcua.Case, id, verify, by string) ([]byte, string, error) {
	if c.Law == nil || len(c.Law.Apologies) == 0 {
		return nil, "", temporal.NewNonRetryableApplicationError("apology slip of a case without an apology", motcua.EINVALID, nil)
	}
	a := c.Law.Apologies[len(c.Law.Apologies)-1]
	var received time.Time
	if c.ReceivedAt != nil {
		received = *c.ReceivedAt
	}
	pdf, err := documents.RenderApology(documents.Apology{DocumentID: id, CaseCode: c.Code, AgencyName: d.agencyName(a.Agency),
		ProcedureName: c.Procedure.Name, Applicant: c.Applicant, ReceivedAt: received, DueWas: a.DueWas, NewDue: a.NewDue,
		Reason: a.Reason, SignedBy: by, IssuedAt: a.At, VerifyURL: verify})
	return pdf, "xin-loi-hen-lai-" + c.Code + ".pdf", err
}
