package motcua

import (
	"context"
	"io"
	"time"
)

// ReadModel is what the API reads: cases, inboxes and the numbering of new
// cases. The store implements it over PostgreSQL or SQLite.
type ReadModel interface {
	Case(ctx context.Context, code string) (*Case, error)
	Inbox(ctx context.Context, q InboxQuery) (*Page, error)
	CasesByOwner(ctx context.Context, owner string, limit int, cursor string) (*Page, error)
	// AllocateCode gives the submission identified by submitKey its case
	// code (agency-YYMMDD-NNNN), the same one on every retry.
	AllocateCode(ctx context.Context, submitKey, agency, day string) (code string, created bool, err error)
	// ReleaseCode drops a submission's code (found taken in Temporal), so
	// AllocateCode gives it the next number.
	ReleaseCode(ctx context.Context, submitKey string) error
	CaseByTracking(ctx context.Context, tracking string) (*Case, error)
	// Document finds an issued or attached document and its case's code.
	Document(ctx context.Context, id string) (*Document, string, error)
	Ping(ctx context.Context) error
}

// InboxQuery selects the open cases an officer can act on.
type InboxQuery struct {
	Agency    string
	Subject   string // the officer: tasks narrowed to another officer are not theirs
	Roles     []Role
	Status    string
	Procedure string
	Overdue   *bool
	Limit     int
	Cursor    string
}

// Page is one page of cases as a list shows them (code, procedure, agency,
// status, step, channel, the applicant's name, dates, overdue, paused,
// whether reception was late, and open actions; a citizen's own list also
// the owner and version; not the form, timeline, documents, payments or
// result) and the cursor of the next page, "" on the last.
type Page struct {
	Cases []Case
	Next  string
}

// Blobs keeps file contents (attachments, issued documents) by SHA-256.
type Blobs interface {
	// Put stores r and returns its SHA-256 (hex) and size. It reads at
	// most limit bytes and fails with ETOOLARGE beyond that.
	Put(ctx context.Context, r io.Reader, limit int64) (sum string, size int64, err error)
	Open(ctx context.Context, sum string) (io.ReadCloser, error)
}

// Clock tells the time; tests replace it.
type Clock func() time.Time

// Idempotency keeps, for a while, the answer given to each request under
// its Idempotency-Key, so that a retry gets the original answer even when
// acting again is no longer possible (the case has closed), and a key
// reused for another request is recognised (IETF Idempotency-Key draft).
// The store implements it over the read model's database.
type Idempotency interface {
	// BeginRequest claims key for the request with hash until leaseUntil.
	// A key held by another request (in progress, or answered and still
	// kept) is not claimed: its entry is returned instead. A key whose
	// lease or keeping time has passed is free.
	BeginRequest(ctx context.Context, key, hash string, now, leaseUntil time.Time) (IdempotentRequest, error)
	// FinishRequest keeps the answer of the request holding key until
	// keepUntil.
	FinishRequest(ctx context.Context, key string, status int, body []byte, keepUntil time.Time) error
	// AbandonRequest frees key, held by a request that got no answer
	// worth keeping (an error: the retry may act).
	AbandonRequest(ctx context.Context, key string) error
}

// SecretStates keeps where each case's look-up secret stands, so the owner
// or the desk can re-issue or revoke it (the store implements it; a case
// never re-issued has none).
type SecretStates interface {
	SecretState(ctx context.Context, code string) (SecretState, error)
	SetSecretState(ctx context.Context, code string, st SecretState) error
}

// IdempotentRequest is what is kept under an Idempotency-Key.
type IdempotentRequest struct {
	Claimed bool   // the caller holds the key now
	Hash    string // the request's hash
	Status  int    // the answer's HTTP status, 0 while in progress
	Body    []byte // the answer's body
}

// Papers keeps the papers the desk draws up from the read model (issue 12,
// papers): a case's control sheet goes among its documents; an agency's
// register is kept so its QR code verifies.
type Papers interface {
	AddCaseDocument(ctx context.Context, code string, d Document) error
	AddAgencyPaper(ctx context.Context, agency string, d Document) error
	// ReceivedCases are the cases agency received in [from, to), by time
	// of reception, with the events a register reads.
	ReceivedCases(ctx context.Context, agency string, from, to time.Time) ([]Case, error)
}
