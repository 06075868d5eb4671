package activities

import (
	"bytes"
	"cmp"
	"context"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"

	"go.temporal.io/sdk/temporal"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/documents"
	"github.com/motcua/motcua/procedures"
	"github.com/motcua/motcua/workflows"
)

// Documents renders the receipt and the result of a case as PDF, stores
// them and signs their SHA-256 with the agency's key.
type Documents struct {
	Blobs    motcua.Blobs
	Signer   *documents.Signer
	Agencies *procedures.Agencies
	Secrets  motcua.CaseSecrets
	// PublicURL is where citizens reach the API; the QR code links to the
	// document's verification there.
	PublicURL string
}

// IssueDocument renders, stores and signs one document. Rendering is
// deterministic, so a retry stores the same bytes under the same hash.
func (d *Documents) IssueDocument(ctx context.Context, req workflows.DocumentRequest) (motcua.Document, error) {
	c := req.Case
	id := c.Code + "-" + req.Kind + "-" + strings.ToLower(d.Secrets.Of(c.Code + "/" + req.Kind))[:8]
	if req.Seq > 0 { // a slip: one per action that raised it
		key := fmt.Sprintf("%s-%d", req.Kind, req.Seq)
		id = c.Code + "-" + key + "-" + strings.ToLower(d.Secrets.Of(c.Code + "/" + key))[:8]
	}
	verify := d.PublicURL + "/api/v1/verify/" + id
	agency := d.agencyName(c.Agency)
	var (
		pdf  []byte
		err  error
		name string
	)
	switch req.Kind {
	case motcua.DocumentReceipt:
		if c.ReceivedAt == nil || c.DueAt == nil {
			return motcua.Document{}, temporal.NewNonRetryableApplicationError("receipt of a case not received", motcua.EINVALID, nil)
		}
		pdf, err = documents.RenderReceipt(documents.Receipt{
			DocumentID: id, CaseCode: c.Code, Secret: d.Secrets.Of(c.Code), AgencyName: agency,
			ProcedureName: c.Procedure.Name, Applicant: c.Applicant, Documents: req.Received,
			ReceivedAt: *c.ReceivedAt, DueAt: *c.DueAt, ReceivedBy: req.By, Delivery: deliveryName(c.Delivery.Method), VerifyURL: verify,
			Fees: feeLines(c),
		})
		name = "giay-tiep-nhan-" + c.Code + ".pdf"
	case motcua.DocumentResult:
		if req.Result == nil {
			return motcua.Document{}, temporal.NewNonRetryableApplicationError("result document without a result", motcua.EINVALID, nil)
		}
		r := req.Result
		doc := documents.Result{
			DocumentID: id, CaseCode: c.Code, Number: r.Number, Title: strings.ToUpper(r.Name), AgencyName: agency,
			ProcedureName: c.Procedure.Name, Applicant: c.Applicant, Lines: resultLines(c, r), IssuedAt: r.IssuedAt,
			IssuedBy: req.By, VerifyURL: verify,
		}
		if req.Template != nil {
			d.fillTemplate(&doc, req)
		}
		pdf, err = documents.RenderResult(doc)
		name = "ket-qua-" + c.Code + ".pdf"
	case motcua.DocumentApology: // issue 12 (lawclock)
		pdf, name, err = d.apology(c, id, verify, req.By)
	case motcua.DocumentSupplementRequest, motcua.DocumentRefusal:
		at := req.At
		if at.IsZero() {
			at = c.SubmittedAt
		}
		slip := documents.Slip{DocumentID: id, CaseCode: c.Code, AgencyName: agency, ProcedureName: c.Procedure.Name,
			Applicant: c.Applicant, Items: req.Items, AfterReview: req.AfterReview, At: at, By: req.By, VerifyURL: verify}
		if req.Kind == motcua.DocumentRefusal {
			pdf, err = documents.RenderRefusal(slip)
			name = "phieu-tu-choi-" + c.Code + ".pdf"
		} else {
			pdf, err = documents.RenderSupplementRequest(slip)
			name = fmt.Sprintf("phieu-yeu-cau-bo-sung-%s-%d.pdf", c.Code, req.Seq)
		}
	default:
		return motcua.Document{}, temporal.NewNonRetryableApplicationError("unknown document kind "+req.Kind, motcua.EINVALID, nil)
	}
	if err != nil {
		return motcua.Document{}, temporal.NewNonRetryableApplicationError("render "+req.Kind+": "+err.Error(), errRender, nil)
	}
	sum, size, err := d.Blobs.Put(ctx, bytes.NewReader(pdf), int64(len(pdf)))
	if err != nil {
		return motcua.Document{}, err
	}
	raw, _ := hex.DecodeString(sum)
	return motcua.Document{
		ID: id, Name: name, Type: "application/pdf", Size: size, SHA256: sum, Kind: req.Kind,
		Signature: base64.StdEncoding.EncodeToString(d.Signer.Sign(id, raw)), KeyID: d.Signer.KeyID(),
	}, nil
}

func (d *Documents) agencyName(code string) string {
	if d.Agencies != nil {
		if a, ok := d.Agencies.Get(code); ok {
			return a.Name
		}
	}
	return code
}

func deliveryName(method string) string {
	switch method {
	case motcua.DeliveryOnline:
		return "Trực tuyến trên Cổng dịch vụ công"
	case motcua.DeliveryPost:
		return "Qua dịch vụ bưu chính công ích"
	}
	return "Tại bộ phận tiếp nhận và trả kết quả"
}

// resultLines is the body of the result: who, what, and the issuing
// officer's note (the number heads the document).
func resultLines(c motcua.Case, r *motcua.Result) []string {
	if r.Outcome != "" {
		return append([]string{
			fmt.Sprintf("Giải quyết đơn của %s (số định danh %s): %s.", c.Applicant.Name, c.Applicant.IDNumber, c.Procedure.Name),
			"Kết luận: " + outcomes[r.Outcome] + ".",
		}, nonEmpty(r.Note)...)
	}
	return append([]string{fmt.Sprintf("Chấp thuận đề nghị của %s (số định danh %s) về việc: %s.",
		c.Applicant.Name, c.Applicant.IDNumber, c.Procedure.Name)}, nonEmpty(r.Note)...)
}

// fillTemplate draws the result up from the definition's template, signed
// by the approver for their agency.
func (d *Documents) fillTemplate(doc *documents.Result, req workflows.DocumentRequest) {
	r := req.Result
	if a := req.Approver; a != nil {
		doc.IssuedBy = cmp.Or(a.Name, a.Subject, req.By)
		if a.Agency != "" {
			doc.AgencyName = d.agencyName(a.Agency)
		}
	}
	doc.Apply(req.Template, r.Name, motcua.ResultValues{Case: req.Case, Result: *r, AgencyName: doc.AgencyName,
		Outcome: outcomes[r.Outcome]})
}

// outcomes word a complaint's conclusion (Luật Khiếu nại 2011, Điều 31).
var outcomes = map[string]string{
	"upheld":        "nội dung khiếu nại, tố cáo là đúng",
	"partly_upheld": "nội dung khiếu nại, tố cáo đúng một phần",
	"dismissed":     "nội dung khiếu nại, tố cáo là sai, không có cơ sở",
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

// feeLines are the fee lines the receipt shows: the case's quote, or, for
// a case filed before fees were quoted, its one amount.
func feeLines(c motcua.Case) []motcua.FeeLine {
	if len(c.FeeLines) > 0 || c.Fee == 0 {
		return c.FeeLines
	}
	return []motcua.FeeLine{{Name: "Phí, lệ phí", Amount: c.Fee}}
}
