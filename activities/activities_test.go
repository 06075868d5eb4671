package activities_test

import (
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/activities"
	"github.com/motcua/motcua/documents"
	"github.com/motcua/motcua/documents/pdftext"
	"github.com/motcua/motcua/procedures"
	"github.com/motcua/motcua/sim"
	"github.com/motcua/motcua/store"
	"github.com/motcua/motcua/workflows"
)

func simulator(t *testing.T) (*sim.Sim, *activities.Backends) {
	s := sim.New(sim.Options{PaymentSecret: []byte("k"), Logger: slog.New(slog.DiscardHandler)})
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	t.Cleanup(func() { s.Close() })
	u := srv.URL
	backends := &activities.Backends{HTTP: &http.Client{Timeout: 5 * time.Second}, URLs: map[string]string{}}
	for _, b := range motcua.Backends {
		backends.URLs[b.Name] = u
	}
	return s, backends
}

// run executes an activity in Temporal's activity test environment.
func run(t *testing.T, fn any, arg any, out any) error {
	var ts testsuite.WorkflowTestSuite
	env := ts.NewTestActivityEnvironment()
	env.RegisterActivity(fn)
	v, err := env.ExecuteActivity(fn, arg)
	if err == nil && out != nil {
		err = v.Get(out)
	}
	return err
}

func form(name string) json.RawMessage {
	b, _ := json.Marshal(map[string]any{"enterprise": map[string]any{"name_vi": name}})
	return b
}

// A back-end's rule is final (non-retryable, in its words); an outage is
// retried.
func TestBackendErrorsAreClassified(t *testing.T) {
	s, b := simulator(t)
	req := workflows.CheckRequest{Kind: motcua.CheckBusinessName, CaseCode: "SKHDT-1", Field: "enterprise.name_vi",
		Form: form("Công ty TNHH Nhà nước Tam Kỳ"), IdempotencyKey: "SKHDT-1-name"}
	err := run(t, b.RunCheck, req, nil)
	var appErr *temporal.ApplicationError
	if !errors.As(err, &appErr) || !appErr.NonRetryable() || !strings.Contains(appErr.Message(), "dành riêng") {
		t.Fatalf("rule violation: %v", err)
	}
	s.SetFault("business.name_check", sim.Fault{FailureRate: 1})
	req.Form = form("Công ty TNHH Hoa Sen")
	err = run(t, b.RunCheck, req, nil)
	if err == nil || (errors.As(err, &appErr) && appErr.NonRetryable()) {
		t.Fatalf("outage must be retryable: %v", err)
	}
	s.SetFault("business.name_check", sim.Fault{})
	var res workflows.CheckResult
	if err := run(t, b.RunCheck, req, &res); err != nil || !res.OK || !strings.Contains(res.Summary, "Hoa Sen") {
		t.Fatalf("free name: %+v %v", res, err)
	}
	if err := run(t, (&activities.Backends{HTTP: http.DefaultClient}).RunCheck, req, nil); !errors.As(err, &appErr) || !appErr.NonRetryable() {
		t.Fatalf("unconfigured back-end: %v", err)
	}
}

// Registering twice with the same idempotency key registers once.
func TestRegistrationIsIdempotent(t *testing.T) {
	_, b := simulator(t)
	req := workflows.CheckRequest{Kind: motcua.CheckBusinessRegister, CaseCode: "SKHDT-2", Field: "enterprise.name_vi",
		Form: form("Công ty TNHH Sen Vàng"), Applicant: motcua.Applicant{IDNumber: "049090001234"}, IdempotencyKey: "SKHDT-2-business_register"}
	var first, again workflows.CheckResult
	if err := run(t, b.RunCheck, req, &first); err != nil || !strings.HasPrefix(first.Number, "40") {
		t.Fatalf("register: %+v %v", first, err)
	}
	if err := run(t, b.RunCheck, req, &again); err != nil || again.Number != first.Number {
		t.Fatalf("retry registered again: %s vs %s (%v)", again.Number, first.Number, err)
	}
	req.IdempotencyKey = "another-case"
	err := run(t, b.RunCheck, req, nil)
	var appErr *temporal.ApplicationError
	if !errors.As(err, &appErr) || !appErr.NonRetryable() {
		t.Fatalf("same name by another case: %v", err)
	}
}

func TestPaymentOrderStatusRefund(t *testing.T) {
	_, b := simulator(t)
	var o workflows.PaymentOrder
	if err := run(t, b.CreatePayment, workflows.PaymentOrder{OrderID: "C-fee-1", Amount: 50000, Description: "Lệ phí"}, &o); err != nil || o.PayURL == "" {
		t.Fatalf("order: %+v %v", o, err)
	}
	var st workflows.PaymentState
	if err := run(t, b.PaymentStatus, o, &st); err != nil || st.Status != motcua.PaymentPending {
		t.Fatalf("status: %+v %v", st, err)
	}
	res, err := http.PostForm(o.PayURL, map[string][]string{"result": {"success"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if err := run(t, b.PaymentStatus, o, &st); err != nil || st.Status != motcua.PaymentPaid {
		t.Fatalf("after paying: %+v %v", st, err)
	}
	var r workflows.RefundResult
	if err := run(t, b.RefundPayment, workflows.RefundRequest{OrderID: o.OrderID, IdempotencyKey: "C-fee-1-refund"}, &r); err != nil || r.RefundRef == "" {
		t.Fatalf("refund: %+v %v", r, err)
	}
}

func TestNotifyBySMSAndEmail(t *testing.T) {
	s, b := simulator(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = s.ServeSMTP(ln) }()
	n := &activities.Notifier{Backends: b, SMTPAddr: ln.Addr().String(), From: "Cổng dịch vụ công <no-reply@dvc.local>"}
	msg := workflows.Notification{IdempotencyKey: "C-3-2", CaseCode: "C-3", Channels: []string{motcua.NotifySMS, motcua.NotifyEmail},
		Phone: "0905123456", Email: "an@example.vn", Subject: "Hồ sơ đã được tiếp nhận", Text: "Hồ sơ C-3 đã được tiếp nhận. Hẹn trả kết quả: 17:00 02/12/2026."}
	if err := run(t, n.Notify, msg, nil); err != nil {
		t.Fatal(err)
	}
	if out := s.Outbox(); len(out) != 1 || out[0].Text != msg.Text || out[0].To != "0905123456" {
		t.Fatalf("sms %+v", out)
	}
	mails := s.Mailbox()
	if len(mails) != 1 || mails[0].Subject != "[C-3] Hồ sơ đã được tiếp nhận" || !strings.Contains(mails[0].Body, "Hẹn trả kết quả: 17:00 02/12/2026") ||
		mails[0].From != n.From {
		t.Fatalf("mail %+v", mails)
	}
}

// newIssuer is the documents activity over the embedded catalogue, a new
// key and a blob store in a temporary folder.
func newIssuer(t *testing.T) (*activities.Documents, store.DirBlobs, *documents.Signer, *procedures.Catalog) {
	t.Helper()
	cat, err := procedures.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	signer, err := documents.LoadOrCreateKey(filepath.Join(t.TempDir(), "k.pem"))
	if err != nil {
		t.Fatal(err)
	}
	blobs := store.DirBlobs{Dir: t.TempDir()}
	return &activities.Documents{Blobs: blobs, Signer: signer, Agencies: cat.Agencies(), Secrets: motcua.CaseSecrets{Key: []byte("s")}, PublicURL: "https://dvc.example"}, blobs, signer, cat
}

// A receipt is rendered, stored and signed; rendering twice gives the same
// document, so a retried activity stores nothing new.
func TestIssueDocument(t *testing.T) {
	d, blobs, signer, _ := newIssuer(t)
	recv, due := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), time.Date(2026, 3, 5, 10, 0, 0, 0, time.UTC)
	req := workflows.DocumentRequest{Kind: motcua.DocumentReceipt, By: "Lê Văn Bình", Received: []string{"Giấy đề nghị"},
		Case: motcua.Case{Code: "SKHDT-260302-0001", Agency: "SKHDT", ReceivedAt: &recv, DueAt: &due,
			Procedure: motcua.ProcedureRef{Name: "Đăng ký thành lập doanh nghiệp"}, Applicant: motcua.Applicant{Name: "Trần Thị Ngọc", IDNumber: "049188001234"}}}
	var a, b motcua.Document
	if err := run(t, d.IssueDocument, req, &a); err != nil {
		t.Fatal(err)
	}
	if err := run(t, d.IssueDocument, req, &b); err != nil {
		t.Fatal(err)
	}
	if a.ID != b.ID || a.SHA256 != b.SHA256 || !strings.HasPrefix(a.ID, "SKHDT-260302-0001-receipt-") || a.Kind != "receipt" {
		t.Fatalf("not deterministic: %+v vs %+v", a, b)
	}
	f, err := blobs.Open(context.Background(), a.SHA256)
	if err != nil {
		t.Fatal(err)
	}
	pdf, _ := io.ReadAll(f)
	f.Close()
	sum, _ := hex.DecodeString(a.SHA256)
	sig, _ := base64.StdEncoding.DecodeString(a.Signature)
	if !strings.HasPrefix(string(pdf), "%PDF-") || !signer.Verify(a.ID, sum, sig) || a.KeyID != signer.KeyID() {
		t.Fatalf("stored document does not verify: %+v", a)
	}
}

// From versionResultTemplates on, the result is drawn up from the
// definition's template and signed by the approver as the template's title
// for their agency; a case of an earlier version, given no template, keeps
// its plain letter signed by the issuing officer.
func TestIssueResultFromTemplate(t *testing.T) {
	d, blobs, _, cat := newIssuer(t)
	p, _ := cat.Get("tiep-nhan-giao-vien")
	issued := time.Date(2026, 3, 12, 9, 0, 0, 0, time.UTC)
	req := workflows.DocumentRequest{Kind: motcua.DocumentResult, By: "Văn thư Hà",
		Case: motcua.Case{Code: "SGDDT-260302-0001", Agency: "SGDDT", Form: p.ExampleForm,
			Procedure: motcua.ProcedureRef{Name: p.Name.Vi}, Applicant: motcua.Applicant{Name: "Trần Thị Ngọc", IDNumber: "049188001234"}},
		Result:   &motcua.Result{Type: p.Result.Type, Name: p.Result.Name, Number: "15/QĐ-SGDĐT", IssuedAt: issued},
		Template: p.Result.Template,
		Approver: &motcua.ActorRef{Kind: motcua.KindOfficer, Name: "Lê Văn Giám", Agency: "SGDDT", Role: motcua.RoleApprover}}
	text := func(req workflows.DocumentRequest) string {
		var doc motcua.Document
		if err := run(t, d.IssueDocument, req, &doc); err != nil {
			t.Fatal(err)
		}
		f, err := blobs.Open(context.Background(), doc.SHA256)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		data, _ := io.ReadAll(f)
		parsed, err := pdftext.Parse(data)
		if err != nil {
			t.Fatal(err)
		}
		return parsed.Text()
	}
	got := text(req)
	for _, want := range []string{"QUYẾT ĐỊNH", "Về việc tiếp nhận và phân công công tác viên chức", "GIÁM ĐỐC SỞ GIÁO DỤC VÀ ĐÀO TẠO",
		"Điều 1. Tiếp nhận và phân công công tác đối với ông (bà) Trần Thị Ngọc", "GIÁM ĐỐC (Đã ký) Lê Văn Giám"} {
		if !strings.Contains(got, pdftext.Normalise(want)) {
			t.Errorf("the templated result lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "Văn thư Hà") {
		t.Error("the result is signed by the officer who issued it, not the approver")
	}
	req.Template, req.Approver = nil, nil
	if got := text(req); !strings.Contains(got, "Chấp thuận đề nghị của Trần Thị Ngọc") || !strings.Contains(got, "Văn thư Hà") {
		t.Errorf("without a template the result is not the plain letter:\n%s", got)
	}
}
