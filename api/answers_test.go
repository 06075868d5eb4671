package api

// Live answers of the server, with fake Temporal, store and blobs, checked
// against openapi.json: every status, content type, body and header.

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/documents"
	"github.com/motcua/motcua/procedures"
	"github.com/motcua/motcua/sim"
)

type fakeStore struct {
	cases   map[string]*motcua.Case
	created bool
}

func (f *fakeStore) Case(_ context.Context, code string) (*motcua.Case, error) {
	c, ok := f.cases[code]
	if !ok {
		return nil, motcua.Errorf(motcua.ENOTFOUND, "Không tìm thấy hồ sơ %s.", code)
	}
	cp := *c
	return &cp, nil
}

func (f *fakeStore) page() *motcua.Page {
	p := &motcua.Page{Next: "MjAyNS0wMy0xNFQwMjowMDowMFp8Q0FULTI1MDMxNC0wMDAx"}
	for _, code := range []string{"CAT-250314-0001", "CAT-250314-0002"} {
		c := *f.cases[code]
		c.Timeline, c.Form = nil, nil
		p.Cases = append(p.Cases, c)
	}
	return p
}

func (f *fakeStore) Inbox(_ context.Context, q motcua.InboxQuery) (*motcua.Page, error) {
	if q.Cursor == "bad" {
		return nil, &motcua.Error{Code: motcua.EINVALID, Message: "Tham số cursor không hợp lệ.", Fields: map[string]string{"cursor": "không hợp lệ"}}
	}
	return f.page(), nil
}

func (f *fakeStore) CasesByOwner(context.Context, string, int, string) (*motcua.Page, error) {
	return f.page(), nil
}

func (f *fakeStore) AllocateCode(context.Context, string, string, string) (string, bool, error) {
	return "CAT-250314-0002", f.created, nil
}

func (f *fakeStore) ReleaseCode(context.Context, string) error { return nil }

func (f *fakeStore) Ping(context.Context) error { return nil }

func (f *fakeStore) CaseByTracking(_ context.Context, tracking string) (*motcua.Case, error) {
	for _, c := range f.cases {
		if tracking != "" && c.Delivery.Tracking == tracking {
			cp := *c
			return &cp, nil
		}
	}
	return nil, motcua.Errorf(motcua.ENOTFOUND, "Không có hồ sơ gửi theo số hiệu %s.", tracking)
}

func (f *fakeStore) Document(_ context.Context, id string) (*motcua.Document, string, error) {
	for _, c := range f.cases {
		for _, d := range c.Documents {
			if d.ID == id {
				return &d, c.Code, nil
			}
		}
	}
	return nil, "", motcua.Errorf(motcua.ENOTFOUND, "Không tìm thấy văn bản %s.", id)
}

type fakeBlobs struct {
	mu    sync.Mutex
	files map[string][]byte
}

func (b *fakeBlobs) Put(_ context.Context, r io.Reader, limit int64) (string, int64, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return "", 0, err
	}
	if int64(len(data)) > limit {
		return "", 0, motcua.Errorf(motcua.ETOOLARGE, "Tệp vượt quá dung lượng cho phép.")
	}
	sum := fmt.Sprintf("%064x", len(data))
	b.mu.Lock()
	b.files[sum] = data
	b.mu.Unlock()
	return sum, int64(len(data)), nil
}

func (b *fakeBlobs) Open(_ context.Context, sum string) (io.ReadCloser, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	data, ok := b.files[sum]
	if !ok {
		return nil, motcua.Errorf(motcua.ENOTFOUND, "Không tìm thấy tệp.")
	}
	return io.NopCloser(bytes.NewReader(data)), nil
}

// fakeTemporal answers Updates with a case, as the workflow would, or
// with a set error.
type fakeTemporal struct {
	client.Client
	store *fakeStore
	err   error
}

type fakeHandle struct {
	view motcua.Case
	err  error
}

func (h fakeHandle) WorkflowID() string { return h.view.Code }
func (h fakeHandle) RunID() string      { return "run" }
func (h fakeHandle) UpdateID() string   { return "update" }
func (h fakeHandle) Get(_ context.Context, v any) error {
	if h.err != nil || v == nil {
		return h.err
	}
	b, err := json.Marshal(h.view)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

func (f *fakeTemporal) NewWithStartWorkflowOperation(client.StartWorkflowOptions, any, ...any) client.WithStartWorkflowOperation {
	return nil
}

func (f *fakeTemporal) UpdateWithStartWorkflow(context.Context, client.UpdateWithStartWorkflowOptions) (client.WorkflowUpdateHandle, error) {
	return fakeHandle{view: *f.store.cases["CAT-250314-0002"], err: f.err}, nil
}

func (f *fakeTemporal) UpdateWorkflow(_ context.Context, o client.UpdateWorkflowOptions) (client.WorkflowUpdateHandle, error) {
	view := *f.store.cases[o.WorkflowID]
	view.Documents = slices.Clone(view.Documents)
	if req, ok := o.Args[0].(motcua.ActionRequest); ok && req.Action == motcua.ActionAttach {
		var d motcua.Document
		if err := json.Unmarshal(req.Data, &d); err != nil {
			return nil, err
		}
		d.Uploaded, d.By, d.Kind = time.Now(), req.Actor.Ref(motcua.RoleApplicant), motcua.DocumentApplication
		view.Documents = append(view.Documents, d)
		if f.err == nil {
			f.store.cases[o.WorkflowID] = &view // as the worker records it
		}
	}
	return fakeHandle{view: view, err: f.err}, nil
}

func ptr[T any](v T) *T { return &v }

// The agency's signing key in tests, and the content of the result it
// issued on the full test case.
var (
	testSigner = documents.NewSigner(ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize)))
	issuedPDF  = []byte("%PDF-1.4\n% ket qua CAT-250314-0001\n")
)

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// issuedDocument is a document the agency issued and signed, as the
// IssueDocument activity returns it.
func issuedDocument(id, kind, name string, content []byte, at time.Time) motcua.Document {
	sum := sha256.Sum256(content)
	return motcua.Document{ID: id, Name: name, Type: "application/pdf", Size: int64(len(content)), SHA256: hex.EncodeToString(sum[:]),
		Kind: kind, Uploaded: at, By: motcua.SystemActor.Ref(motcua.RoleSystem),
		Signature: base64.StdEncoding.EncodeToString(testSigner.Sign(id, sum[:])), KeyID: testSigner.KeyID()}
}

// testCases returns a case with every field set and one as just submitted.
func testCases() (full, fresh *motcua.Case) {
	at := time.Date(2025, 3, 14, 2, 0, 0, 0, time.UTC)
	citizen := motcua.ActorRef{Kind: motcua.KindCitizen, Subject: "046301002468", Name: "Hồ Thị Thanh Tâm", Role: motcua.RoleApplicant}
	officer := motcua.ActorRef{Kind: motcua.KindOfficer, Subject: "thamdinh.cat", Name: "Lê Văn Cường", Agency: "CAT", Role: motcua.RoleReviewer}
	ref := motcua.ProcedureRef{Code: "dang-ky-tam-tru", Version: 1, Hash: strings.Repeat("ab", 32), Name: "Đăng ký tạm trú", Shape: "standard", Level: 4}
	full = &motcua.Case{
		Code: "CAT-250314-0001", Procedure: ref, Agency: "CAT", Agencies: []string{"CAT", "UBND-HOIAN"},
		Status: motcua.StatusInReview, Step: "review", Channel: motcua.ChannelOnline, Owner: "046301002468",
		Applicant: motcua.Applicant{Name: "Hồ Thị Thanh Tâm", IDNumber: "046301002468", Phone: "0978123456", Email: "tam@example.com", Address: "Hội An"},
		Delivery:  motcua.Delivery{Method: motcua.DeliveryPost, Address: "Kiệt 24 Trần Cao Vân, Hội An", Tracking: "EB123456785VN"},
		Notify:    []string{motcua.NotifyEmail, motcua.NotifySMS},
		Form:      json.RawMessage(`{"stay_from":"2025-03-01"}`), Fee: 15000, SubmittedAt: at,
		ReceivedAt: ptr(at.Add(time.Hour)), DueAt: ptr(at.Add(72 * time.Hour)), Paused: true, Overdue: true,
		RescheduledTo: ptr(at.Add(96 * time.Hour)), ClosedAt: ptr(at.Add(120 * time.Hour)),
		Pauses: []motcua.Pause{{From: at, To: ptr(at.Add(time.Hour))}, {From: at.Add(2 * time.Hour)}},
		Opinions: []motcua.Opinion{{Agency: "UBND-HOIAN", DueAt: ptr(at), Answered: ptr(at), Agree: ptr(false), Note: "Chưa đủ điều kiện.", Overdue: true},
			{Agency: "SXD"}},
		Documents: []motcua.Document{{ID: "5f0c2d6e8a1b4c3d2e1f0a9b", Name: "to-khai.pdf", Type: "application/pdf", Size: 2048,
			SHA256: fmt.Sprintf("%064x", 4), Kind: "application", Uploaded: at, By: citizen},
			issuedDocument("CAT-250314-0001-result", motcua.DocumentResult, "ket-qua-CAT-250314-0001.pdf", issuedPDF, at)},
		Payments: []motcua.Payment{
			{ID: "CAT-250314-0001-fee-1", Amount: 15000, Method: "online", Reference: "GW2503140001", Status: motcua.PaymentFailed,
				PayURL: "https://pay.example.vn/payments/pay/GW2503140001", At: at},
			{ID: "CAT-250314-0001-fee-2", Amount: 15000, Method: "online", Reference: "GW2503140002", Status: motcua.PaymentPending,
				PayURL: "https://pay.example.vn/payments/pay/GW2503140002", At: at},
			{ID: "CAT-250314-0001-fee", Amount: 15000, Method: "counter", Reference: "BL-000123", Status: motcua.PaymentPaid, At: at}},
		Result: &motcua.Result{Type: "certificate", Name: "Xác nhận đăng ký tạm trú", Number: "123/XN", Outcome: "upheld",
			IssuedAt: at, IssuedBy: officer, Note: "Đã ký."},
		Timeline: []motcua.Event{
			{Seq: 1, At: at, Action: motcua.ActionSubmit, Status: motcua.StatusSubmitted, Actor: citizen},
			{Seq: 2, At: at, Action: motcua.ActionCoReview, Status: motcua.StatusCoReview, Actor: officer, Note: "Ý kiến.", Reason: "Lý do.",
				Data: json.RawMessage(`{"agree":false}`)},
			{Seq: 3, At: at, Action: motcua.EventOverdue, Status: motcua.StatusInReview, Actor: motcua.ActorRef{Kind: motcua.KindSystem}},
			{Seq: 4, At: at, Action: motcua.EventCheck, Status: motcua.StatusInReview, Actor: motcua.SystemActor.Ref(motcua.RoleSystem),
				Note: "Thông tin công dân khớp.", Data: json.RawMessage(`{"kind":"population","ok":true,"result":null}`)},
			{Seq: 5, At: at, Action: motcua.ActionPaymentResult, Status: motcua.StatusInReview, Actor: motcua.SystemActor.Ref(motcua.RoleSystem),
				Data: json.RawMessage(`{"order_id":"CAT-250314-0001-fee-1","gateway_ref":"GW2503140001","status":"failed","amount":15000}`)},
			{Seq: 6, At: at, Action: motcua.EventPosted, Status: motcua.StatusInReview, Actor: motcua.SystemActor.Ref(motcua.RoleSystem),
				Note: "Đã gửi kết quả qua bưu chính công ích, số hiệu EB123456785VN."},
		},
		Actions: []motcua.Permission{{Action: motcua.ActionReview, Role: motcua.RoleReviewer, Agency: "CAT", Subject: "thamdinh.cat"},
			{Action: motcua.ActionWithdraw, Role: motcua.RoleApplicant}, {Action: motcua.ActionPaymentResult, Role: motcua.RoleSystem},
			{Action: motcua.ActionPay, Role: motcua.RoleApplicant}},
		Version: 6,
	}
	fresh = &motcua.Case{
		Code: "CAT-250314-0002", Procedure: ref, Agency: "CAT", Agencies: []string{"CAT"}, Status: motcua.StatusSubmitted,
		Step: "reception", Channel: motcua.ChannelOnline, Owner: "046301002468",
		Applicant: motcua.Applicant{Name: "Hồ Thị Thanh Tâm", IDNumber: "046301002468"}, Delivery: motcua.Delivery{Method: motcua.DeliveryOnline},
		Form: json.RawMessage(`{}`), SubmittedAt: at, Pauses: []motcua.Pause{}, Documents: []motcua.Document{}, Payments: []motcua.Payment{},
		Actions:  []motcua.Permission{},
		Timeline: []motcua.Event{{Seq: 1, At: at, Action: motcua.ActionSubmit, Status: motcua.StatusSubmitted, Actor: citizen}},
		Version:  1,
	}
	return full, fresh
}

type liveCall struct {
	name   string
	method string
	route  string // as documented
	path   string // as requested ("" = route)
	header map[string]string
	body   string
	setup  func()
	want   int
	// check, when set, looks further into a body that satisfies its schema.
	check func(body []byte) error
}

func TestOpenAPILiveAnswers(t *testing.T) {
	doc := loadOpenAPI(t)
	contract := newContract(t, doc)
	catalog, err := procedures.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	full, fresh := testCases()
	store := &fakeStore{cases: map[string]*motcua.Case{full.Code: full, fresh.Code: fresh}, created: true}
	temporalFake := &fakeTemporal{store: store}
	blobs := &fakeBlobs{files: map[string][]byte{full.Documents[0].SHA256: []byte("%PDF-1.4 test"), sha256Hex(issuedPDF): issuedPDF}}
	dev := testDev
	secrets := motcua.CaseSecrets{Key: []byte("k")}
	callbackSecret := []byte("callback-secret")
	mails := []sim.Mail{{From: "motcua <no-reply@motcua.local>", To: []string{"tam@example.com"}, Subject: "Hồ sơ đã được tiếp nhận",
		Body: "Hồ sơ CAT-250314-0001 đã được tiếp nhận.", At: time.Date(2025, 3, 14, 3, 0, 0, 0, time.UTC)}}
	h := New(Deps{
		Temporal: temporalFake, TaskQueue: "cases", Store: store, Catalog: catalog, Blobs: blobs, Auth: dev, Dev: dev,
		Secrets: secrets, MaxUpload: 1 << 10, AllowedTypes: []string{"application/pdf", "image/png", "image/jpeg"},
		ActionTimeout: 5 * time.Second, LookupPerMinute: 600, Logger: quiet,
		CallbackSecret: callbackSecret, Verifier: testSigner, DevMailbox: func() any { return mails },
		// The fixtures' day (CAT-250314-…): the provincial police were competent.
		FilingClock: func() time.Time { return time.Date(2025, 3, 14, 9, 0, 0, 0, time.UTC) },
		Ready: func(context.Context) map[string]error {
			return map[string]error{"temporal": nil, "database": errors.New("down")}
		},
	})
	token := func(a motcua.Actor) string {
		tok, _, err := dev.Issue(a, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		return "Bearer " + tok
	}
	citizen := map[string]string{"Authorization": token(motcua.Actor{Kind: motcua.KindCitizen, Subject: "046301002468"})}
	receiver := map[string]string{"Authorization": token(motcua.Actor{Kind: motcua.KindOfficer, Subject: "tiepnhan.cat", Agency: "CAT", Roles: []motcua.Role{motcua.RoleReceiver}})}
	admin := map[string]string{"Authorization": token(motcua.Actor{Kind: motcua.KindAdmin, Subject: "admin"})}
	with := func(h map[string]string, kv ...string) map[string]string {
		out := map[string]string{}
		for k, v := range h {
			out[k] = v
		}
		for i := 0; i+1 < len(kv); i += 2 {
			out[kv[i]] = kv[i+1]
		}
		return out
	}
	submitBody, _ := json.Marshal(doc.Paths.Find("/api/v1/cases").Post.RequestBody.Value.Content.Get("application/json").Example)
	multipartBody := func(field, name string, content []byte) (string, string) {
		var b bytes.Buffer
		w := multipart.NewWriter(&b)
		fw, _ := w.CreateFormFile(field, name)
		_, _ = fw.Write(content)
		_ = w.Close()
		return b.String(), w.FormDataContentType()
	}
	pdf, pdfType := multipartBody("file", "giay-to.pdf", []byte("%PDF-1.4\n%test file\n"))
	text, textType := multipartBody("file", "note.txt", []byte("plain words, not a document"))
	empty, emptyType := multipartBody("file", "empty.pdf", nil)
	big, bigType := multipartBody("file", "big.pdf", append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("x"), 4<<10)...))
	copyOK, copyOKType := multipartBody("file", "ket-qua.pdf", issuedPDF)
	copyAltered, copyAlteredType := multipartBody("file", "ket-qua.pdf", append(slices.Clone(issuedPDF), ' '))
	noFile, noFileType := multipartBody("document", "ket-qua.pdf", issuedPDF)
	const (
		caseRoute    = "/api/v1/cases/{code}"
		actRoute     = "/api/v1/cases/{code}/actions/{action}"
		uploadRoute  = "/api/v1/cases/{code}/documents"
		docRoute     = "/api/v1/cases/{code}/documents/{id}"
		verifyRoute  = "/api/v1/verify/{id}"
		paymentRoute = "/api/v1/payments/callback"
		postRoute    = "/api/v1/post/callback"
	)
	issued := full.Documents[1]
	// signed gives the header of a callback body signed as the gateway and
	// the post office sign (sim.Sign), with key, by default the server's.
	signed := func(body string, key ...byte) map[string]string {
		if key == nil {
			key = callbackSecret
		}
		return map[string]string{sim.SignatureHeader: sim.Sign(key, []byte(body))}
	}
	authentic := func(want bool) func([]byte) error {
		return func(b []byte) error {
			var v verification
			if err := json.Unmarshal(b, &v); err != nil {
				return err
			}
			if v.Authentic != want || v.DocumentID != issued.ID || v.CaseCode != full.Code || v.KeyID != testSigner.KeyID() {
				return fmt.Errorf("authentic %v, document %s of %s, key %s; want %v, %s of %s, %s",
					v.Authentic, v.DocumentID, v.CaseCode, v.KeyID, want, issued.ID, full.Code, testSigner.KeyID())
			}
			return nil
		}
	}
	acknowledged := func(code, note string) func([]byte) error {
		return func(b []byte) error {
			var a struct {
				OK   bool   `json:"ok"`
				Case string `json:"case"`
				Note string `json:"note"`
			}
			if err := json.Unmarshal(b, &a); err != nil {
				return err
			}
			if !a.OK || a.Case != code || a.Note != note {
				return fmt.Errorf("got %+v, want ok for case %s, note %q", a, code, note)
			}
			return nil
		}
	}
	const (
		paidBody    = `{"order_id":"CAT-250314-0001-fee-2","gateway_ref":"GW2503140002","status":"paid","amount":15000,"paid_at":"2025-03-20T03:15:00Z"}`
		trackedBody = `{"tracking_number":"EB123456785VN","status":"in_transit","at":"2025-03-21T01:00:00Z","note":"Bưu gửi đang được vận chuyển."}`
	)
	secretHeader := map[string]string{"X-Case-Secret": strings.ToLower(secrets.Of(fresh.Code))}
	calls := []liveCall{
		{name: "health", method: "GET", route: "/healthz", want: 200},
		{name: "not ready", method: "GET", route: "/readyz", want: 503},
		{name: "document", method: "GET", route: "/api/v1/openapi.json", want: 200},
		{name: "bad bearer", method: "GET", route: "/api/v1/openapi.json", header: map[string]string{"Authorization": "Bearer nope"}, want: 401},
		{name: "not bearer", method: "GET", route: "/api/v1/procedures", header: map[string]string{"Authorization": "Basic eDp5"}, want: 401},
		{name: "procedures", method: "GET", route: "/api/v1/procedures", path: "/api/v1/procedures?q=tam+tru&limit=5", want: 200},
		{name: "all procedures", method: "GET", route: "/api/v1/procedures", want: 200},
		{name: "bad level", method: "GET", route: "/api/v1/procedures", path: "/api/v1/procedures?level=5", want: 422},
		{name: "bad limit", method: "GET", route: "/api/v1/procedures", path: "/api/v1/procedures?limit=201", want: 422},
		{name: "no procedure", method: "GET", route: "/api/v1/procedures/{code}", path: "/api/v1/procedures/khong-co", want: 404},
		{name: "submit anonymously", method: "POST", route: "/api/v1/cases", body: string(submitBody), want: 401},
		{name: "submit without key", method: "POST", route: "/api/v1/cases", header: citizen, body: string(submitBody), want: 400},
		{name: "submit bad JSON", method: "POST", route: "/api/v1/cases", header: with(citizen, "Idempotency-Key", "k1"), body: "{", want: 400},
		{name: "submit unknown field", method: "POST", route: "/api/v1/cases", header: with(citizen, "Idempotency-Key", "k1"), body: `{"procedur":"x"}`, want: 422},
		{name: "submit invalid", method: "POST", route: "/api/v1/cases", header: with(citizen, "Idempotency-Key", "k1"), body: `{"procedure":"dang-ky-tam-tru","applicant":{"name":"A","id_number":"12"},"form":{},"delivery":{"method":"post"}}`, want: 422},
		{name: "submit too large", method: "POST", route: "/api/v1/cases", header: with(citizen, "Idempotency-Key", "k1"), body: `{"procedure":"` + strings.Repeat("x", 1<<20) + `"}`, want: 413},
		{name: "submit as admin", method: "POST", route: "/api/v1/cases", header: with(admin, "Idempotency-Key", "k1"), body: string(submitBody), want: 403},
		{name: "submit", method: "POST", route: "/api/v1/cases", header: with(citizen, "Idempotency-Key", "k1"), body: string(submitBody), want: 201},
		{name: "submit at the counter", method: "POST", route: "/api/v1/cases", header: with(receiver, "Idempotency-Key", "k2"), body: string(submitBody), want: 201},
		{name: "submit again", method: "POST", route: "/api/v1/cases", header: with(citizen, "Idempotency-Key", "k1"), body: string(submitBody), setup: func() { store.created = false }, want: 200},
		{name: "submit, Temporal down", method: "POST", route: "/api/v1/cases", header: with(citizen, "Idempotency-Key", "k3"), body: string(submitBody),
			setup: func() { store.created, temporalFake.err = true, serviceerror.NewUnavailable("down") }, want: 503},
		{name: "my cases", method: "GET", route: "/api/v1/cases", path: "/api/v1/cases?mine=1&limit=2", header: citizen, setup: func() { temporalFake.err = nil }, want: 200},
		{name: "my cases without mine", method: "GET", route: "/api/v1/cases", header: citizen, want: 422},
		{name: "my cases as officer", method: "GET", route: "/api/v1/cases", path: "/api/v1/cases?mine=true", header: receiver, want: 403},
		{name: "my cases anonymously", method: "GET", route: "/api/v1/cases", path: "/api/v1/cases?mine=1", want: 401},
		{name: "case as admin", method: "GET", route: caseRoute, path: "/api/v1/cases/" + full.Code, header: admin, want: 200},
		{name: "case as owner", method: "GET", route: caseRoute, path: "/api/v1/cases/" + fresh.Code, header: citizen, want: 200},
		{name: "case with secret", method: "GET", route: caseRoute, path: "/api/v1/cases/" + fresh.Code, header: secretHeader, want: 200},
		{name: "case with a wrong secret", method: "GET", route: caseRoute, path: "/api/v1/cases/" + fresh.Code, header: map[string]string{"X-Case-Secret": "0000000000"}, want: 404},
		{name: "case anonymously", method: "GET", route: caseRoute, path: "/api/v1/cases/" + fresh.Code, want: 404},
		{name: "no case", method: "GET", route: caseRoute, path: "/api/v1/cases/CAT-250314-9999", header: admin, want: 404},
		{name: "act", method: "POST", route: actRoute, path: "/api/v1/cases/" + fresh.Code + "/actions/receive", header: with(receiver, "Idempotency-Key", "a1"), body: `{"note":"Đủ."}`, want: 200},
		{name: "act without body", method: "POST", route: actRoute, path: "/api/v1/cases/" + fresh.Code + "/actions/supplement", header: with(secretHeader, "Idempotency-Key", "a2"), want: 200},
		{name: "act without key", method: "POST", route: actRoute, path: "/api/v1/cases/" + fresh.Code + "/actions/receive", header: receiver, want: 400},
		{name: "unknown action", method: "POST", route: actRoute, path: "/api/v1/cases/" + fresh.Code + "/actions/fly", header: with(receiver, "Idempotency-Key", "a1"), want: 404},
		{name: "act, unknown field", method: "POST", route: actRoute, path: "/api/v1/cases/" + fresh.Code + "/actions/receive", header: with(receiver, "Idempotency-Key", "a1"), body: `{"notes":"x"}`, want: 422},
		{name: "act, forbidden", method: "POST", route: actRoute, path: "/api/v1/cases/" + fresh.Code + "/actions/approve", header: with(receiver, "Idempotency-Key", "a3"),
			setup: func() {
				temporalFake.err = temporal.NewApplicationError("Bạn không có quyền.", motcua.EFORBIDDEN)
			}, want: 403},
		{name: "act, conflict", method: "POST", route: actRoute, path: "/api/v1/cases/" + fresh.Code + "/actions/approve", header: with(receiver, "Idempotency-Key", "a3"),
			setup: func() { temporalFake.err = temporal.NewApplicationError("Không thể.", motcua.ECONFLICT) }, want: 409},
		{name: "act, invalid data", method: "POST", route: actRoute, path: "/api/v1/cases/" + fresh.Code + "/actions/reschedule", header: with(receiver, "Idempotency-Key", "a3"),
			setup: func() {
				temporalFake.err = temporal.NewApplicationError("Dữ liệu gửi kèm thao tác không hợp lệ.", motcua.EINVALID, map[string]string{"data.new_date": "Ngày hẹn mới phải sau hôm nay."})
			}, want: 422},
		{name: "act, Temporal down", method: "POST", route: actRoute, path: "/api/v1/cases/" + fresh.Code + "/actions/receive", header: with(receiver, "Idempotency-Key", "a3"),
			setup: func() { temporalFake.err = serviceerror.NewUnavailable("down") }, want: 503},
		{name: "act, internal", method: "POST", route: actRoute, path: "/api/v1/cases/" + fresh.Code + "/actions/receive", header: with(receiver, "Idempotency-Key", "a3"),
			setup: func() { temporalFake.err = errors.New("boom") }, want: 500},
		{name: "upload", method: "POST", route: uploadRoute, path: "/api/v1/cases/" + fresh.Code + "/documents", header: with(citizen, "Content-Type", pdfType), body: pdf,
			setup: func() { temporalFake.err = nil }, want: 201},
		{name: "upload text", method: "POST", route: uploadRoute, path: "/api/v1/cases/" + fresh.Code + "/documents", header: with(citizen, "Content-Type", textType), body: text, want: 415},
		{name: "upload empty", method: "POST", route: uploadRoute, path: "/api/v1/cases/" + fresh.Code + "/documents", header: with(citizen, "Content-Type", emptyType), body: empty, want: 422},
		{name: "upload too large", method: "POST", route: uploadRoute, path: "/api/v1/cases/" + fresh.Code + "/documents", header: with(citizen, "Content-Type", bigType), body: big, want: 413},
		{name: "upload not multipart", method: "POST", route: uploadRoute, path: "/api/v1/cases/" + fresh.Code + "/documents", header: with(citizen, "Content-Type", "application/pdf"), body: "%PDF-1.4", want: 415},
		{name: "download", method: "GET", route: docRoute, path: "/api/v1/cases/" + full.Code + "/documents/" + full.Documents[0].ID, header: admin, want: 200},
		{name: "no document", method: "GET", route: docRoute, path: "/api/v1/cases/" + full.Code + "/documents/nope", header: admin, want: 404},
		{name: "inbox", method: "GET", route: "/api/v1/inbox", path: "/api/v1/inbox?status=in_review&overdue=true", header: receiver, want: 200},
		{name: "inbox, bad overdue", method: "GET", route: "/api/v1/inbox", path: "/api/v1/inbox?overdue=maybe", header: receiver, want: 422},
		{name: "inbox, bad cursor", method: "GET", route: "/api/v1/inbox", path: "/api/v1/inbox?cursor=bad", header: receiver, want: 422},
		{name: "inbox as citizen", method: "GET", route: "/api/v1/inbox", header: citizen, want: 403},
		{name: "inbox anonymously", method: "GET", route: "/api/v1/inbox", want: 401},
		{name: "dev login citizen", method: "POST", route: "/api/v1/dev/login", body: `{"role":"citizen","subject":"046301002468","name":"Hồ Thị Thanh Tâm"}`, want: 200},
		{name: "dev login officer", method: "POST", route: "/api/v1/dev/login", body: `{"role":"officer","subject":"tiepnhan.cat","agency":"CAT","roles":["receiver","head"]}`, want: 200},
		{name: "dev login admin", method: "POST", route: "/api/v1/dev/login", body: `{"role":"admin"}`, want: 200},
		{name: "dev login, bad officer", method: "POST", route: "/api/v1/dev/login", body: `{"role":"officer","agency":"NOWHERE","roles":["king"]}`, want: 422},
		{name: "dev login, bad JSON", method: "POST", route: "/api/v1/dev/login", body: `role=admin`, want: 400},

		{name: "verify", method: "GET", route: verifyRoute, path: "/api/v1/verify/" + issued.ID, want: 200, check: authentic(true)},
		{name: "verify signed in", method: "GET", route: verifyRoute, path: "/api/v1/verify/" + issued.ID, header: citizen, want: 200, check: authentic(true)},
		{name: "verify, bad bearer", method: "GET", route: verifyRoute, path: "/api/v1/verify/" + issued.ID, header: map[string]string{"Authorization": "Bearer nope"}, want: 401},
		{name: "verify unknown", method: "GET", route: verifyRoute, path: "/api/v1/verify/CAT-250314-9999-result", want: 404},
		{name: "verify attached", method: "GET", route: verifyRoute, path: "/api/v1/verify/" + full.Documents[0].ID, want: 404},
		{name: "verify copy", method: "POST", route: verifyRoute, path: "/api/v1/verify/" + issued.ID, header: map[string]string{"Content-Type": copyOKType}, body: copyOK, want: 200, check: authentic(true)},
		{name: "verify altered copy", method: "POST", route: verifyRoute, path: "/api/v1/verify/" + issued.ID, header: map[string]string{"Content-Type": copyAlteredType}, body: copyAltered, want: 200, check: authentic(false)},
		{name: "verify copy, no file", method: "POST", route: verifyRoute, path: "/api/v1/verify/" + issued.ID, header: map[string]string{"Content-Type": noFileType}, body: noFile, want: 400},
		{name: "verify copy, not multipart", method: "POST", route: verifyRoute, path: "/api/v1/verify/" + issued.ID, body: `{"file":"x"}`, want: 400},
		{name: "verify copy, unknown", method: "POST", route: verifyRoute, path: "/api/v1/verify/nope", header: map[string]string{"Content-Type": copyOKType}, body: copyOK, want: 404},

		{name: "payment, no signature", method: "POST", route: paymentRoute, body: paidBody, want: 401},
		{name: "payment, bad signature", method: "POST", route: paymentRoute, header: signed(paidBody, []byte("another secret")...), body: paidBody, want: 401},
		{name: "payment, signature of another body", method: "POST", route: paymentRoute, header: signed(paidBody), body: strings.Replace(paidBody, "15000", "1", 1), want: 401},
		{name: "payment, not hex", method: "POST", route: paymentRoute, header: map[string]string{sim.SignatureHeader: "not hex"}, body: paidBody, want: 401},
		{name: "payment, unknown order", method: "POST", route: paymentRoute, header: signed(`{"order_id":"GW-0001","status":"paid"}`), body: `{"order_id":"GW-0001","status":"paid"}`, want: 404},
		{name: "payment, unknown case", method: "POST", route: paymentRoute, header: signed(`{"order_id":"CAT-250314-9999-fee-1","status":"paid"}`), body: `{"order_id":"CAT-250314-9999-fee-1","status":"paid"}`, want: 404},
		{name: "payment, no order", method: "POST", route: paymentRoute, header: signed(`{"status":"paid"}`), body: `{"status":"paid"}`, want: 422},
		{name: "payment, not JSON", method: "POST", route: paymentRoute, header: signed(`paid`), body: `paid`, want: 422},
		{name: "payment", method: "POST", route: paymentRoute, header: signed(paidBody), body: paidBody, want: 200, check: acknowledged(full.Code, "")},
		{name: "payment, repeated late", method: "POST", route: paymentRoute, header: signed(paidBody), body: paidBody,
			setup: func() { temporalFake.err = temporal.NewApplicationError("Không thể.", motcua.ECONFLICT) }, want: 200, check: acknowledged(full.Code, "already recorded")},
		{name: "payment, invalid status", method: "POST", route: paymentRoute, header: signed(paidBody), body: paidBody,
			setup: func() {
				temporalFake.err = temporal.NewApplicationError("Dữ liệu gửi kèm thao tác không hợp lệ.", motcua.EINVALID, map[string]string{"data": "Kết quả thanh toán phải có order_id và status paid hoặc failed."})
			}, want: 422},
		{name: "payment, Temporal down", method: "POST", route: paymentRoute, header: signed(paidBody), body: paidBody,
			setup: func() { temporalFake.err = serviceerror.NewUnavailable("down") }, want: 503},
		{name: "payment, Temporal slow", method: "POST", route: paymentRoute, header: signed(paidBody), body: paidBody,
			setup: func() { temporalFake.err = context.DeadlineExceeded }, want: 503},

		{name: "post, bad signature", method: "POST", route: postRoute, header: signed(trackedBody, []byte("another secret")...), body: trackedBody,
			setup: func() { temporalFake.err = nil }, want: 401},
		{name: "post, unknown tracking", method: "POST", route: postRoute, header: signed(`{"tracking_number":"EB000000000VN","status":"delivered"}`), body: `{"tracking_number":"EB000000000VN","status":"delivered"}`, want: 404},
		{name: "post, no tracking", method: "POST", route: postRoute, header: signed(`{"status":"delivered"}`), body: `{"status":"delivered"}`, want: 422},
		{name: "post", method: "POST", route: postRoute, header: signed(trackedBody), body: trackedBody, want: 200, check: acknowledged(full.Code, "")},
		{name: "post, repeated late", method: "POST", route: postRoute, header: signed(trackedBody), body: trackedBody,
			setup: func() { temporalFake.err = temporal.NewApplicationError("Không thể.", motcua.ECONFLICT) }, want: 200, check: acknowledged(full.Code, "already recorded")},
		{name: "post, internal", method: "POST", route: postRoute, header: signed(trackedBody), body: trackedBody,
			setup: func() { temporalFake.err = errors.New("boom") }, want: 500},

		{name: "dev mailbox", method: "GET", route: "/dev/mailbox", setup: func() { temporalFake.err = nil }, want: 200,
			check: func(b []byte) error {
				var box struct{ Messages []sim.Mail }
				if err := json.Unmarshal(b, &box); err != nil || len(box.Messages) != 1 || box.Messages[0].Subject != mails[0].Subject {
					return fmt.Errorf("want the one mail of the mailbox (%v)", err)
				}
				return nil
			}},
		{name: "dev mailbox ignores tokens", method: "GET", route: "/dev/mailbox", header: map[string]string{"Authorization": "Bearer nope"}, want: 200},
	}
	// Every documented example of an action body is accepted by the HTTP
	// layer (what the case then decides is the workflow's business).
	for name, ex := range doc.Paths.Find(actRoute).Post.RequestBody.Value.Content.Get("application/json").Examples {
		b, _ := json.Marshal(ex.Value.Value)
		calls = append(calls, liveCall{name: "act example " + name, method: "POST", route: actRoute,
			path: "/api/v1/cases/" + fresh.Code + "/actions/" + name, header: with(receiver, "Idempotency-Key", "ex-"+name), body: string(b), want: 200})
	}
	for _, c := range calls {
		if c.setup != nil {
			c.setup()
		}
		path := c.path
		if path == "" {
			path = c.route
		}
		var body io.Reader
		if c.body != "" {
			body = strings.NewReader(c.body)
		}
		req := httptest.NewRequest(c.method, path, body)
		if c.body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		for k, v := range c.header {
			req.Header.Set(k, v)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != c.want {
			t.Errorf("%s: %s %s answered %d, want %d: %s", c.name, c.method, path, rec.Code, c.want, rec.Body.String())
			continue
		}
		if rec.Code >= 400 && !strings.HasSuffix(c.route, "/callback") { // callbacks answer machines
			assertPlainVietnamese(t, c.name, rec.Body.Bytes()) // no codes or English in vi
		}
		if err := contract.check(req, rec.Code, rec.Header(), rec.Body.Bytes()); err != nil {
			t.Errorf("%s: %v", c.name, err)
		} else if c.check != nil {
			if err := c.check(rec.Body.Bytes()); err != nil {
				t.Errorf("%s: %v\n%s", c.name, err, rec.Body.String())
			}
		}
	}

	// Every procedure definition satisfies the Procedure schema.
	for _, p := range catalog.All() {
		rec, req := httptest.NewRecorder(), httptest.NewRequest("GET", "/api/v1/procedures/"+p.Code, nil)
		h.ServeHTTP(rec, req)
		if rec.Code != 200 {
			t.Errorf("procedure %s: %d", p.Code, rec.Code)
		} else if err := contract.check(req, rec.Code, rec.Header(), rec.Body.Bytes()); err != nil {
			t.Errorf("procedure %s does not satisfy the document: %v", p.Code, err)
		}
	}

	// The router's own answers: an unknown path, a wrong method.
	errSchema := doc.Components.Schemas["Error"].Value
	for _, c := range []struct {
		method, path string
		want         int
		code         string
	}{
		{"GET", "/api/v1/nowhere", 404, motcua.ENOTFOUND},
		{"DELETE", "/healthz", 405, motcua.EMETHOD},
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(c.method, c.path, nil))
		if rec.Code != c.want {
			t.Errorf("%s %s: %d, want %d", c.method, c.path, rec.Code, c.want)
		}
		var body any
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || errSchema.VisitJSON(body, openapi3.EnableJSONSchema2020()) != nil {
			t.Errorf("%s %s: not an Error: %s", c.method, c.path, rec.Body)
		}
		var e errorBody
		if json.Unmarshal(rec.Body.Bytes(), &e) != nil || e.Error.Code != c.code {
			t.Errorf("%s %s: code %q, want %q", c.method, c.path, e.Error.Code, c.code)
		}
	}
}

// TestOpenAPIRateLimit checks the 429 answer of look-ups by secret.
func TestOpenAPIRateLimit(t *testing.T) {
	doc := loadOpenAPI(t)
	_, fresh := testCases()
	store := &fakeStore{cases: map[string]*motcua.Case{fresh.Code: fresh}}
	h := New(Deps{Store: store, LookupPerMinute: 1, Secrets: motcua.CaseSecrets{Key: []byte("k")}, Logger: quiet})
	var last *httptest.ResponseRecorder
	for range 3 {
		last = httptest.NewRecorder()
		req := httptest.NewRequest("GET", "/api/v1/cases/"+fresh.Code, nil)
		req.Header.Set("X-Case-Secret", "wrong")
		h.ServeHTTP(last, req)
	}
	if last.Code != http.StatusTooManyRequests {
		t.Fatalf("third look-up in a minute answered %d, want 429", last.Code)
	}
	if last.Header().Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
	req := httptest.NewRequest("GET", "/api/v1/cases/"+fresh.Code, nil)
	if err := newContract(t, doc).check(req, last.Code, last.Header(), last.Body.Bytes()); err != nil {
		t.Error(err)
	}
}

var (
	quiet   = slog.New(slog.NewTextHandler(io.Discard, nil))
	testDev = &DevTokens{Secret: []byte("test-secret"), Audience: "motcua", TTL: time.Hour}
)
