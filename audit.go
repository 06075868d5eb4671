package motcua

import (
	"context"
	"time"
)

// AuditEntry records one action an officer or an administrator took: who
// (subject, kind, roles, agency), what (action, case, outcome), when and
// from where. Entries are appended and never changed.
type AuditEntry struct {
	ID        int64     `json:"id"`
	At        time.Time `json:"at"`
	Subject   string    `json:"subject"`
	Kind      ActorKind `json:"kind"`
	Roles     []Role    `json:"roles,omitempty"`
	Agency    string    `json:"agency,omitempty"`
	Action    string    `json:"action"`
	Case      string    `json:"case,omitempty"`
	Method    string    `json:"method"`
	Path      string    `json:"path"`
	Status    int       `json:"status"`
	Outcome   string    `json:"outcome"` // "ok", or the error code the request was answered with
	ClientIP  string    `json:"client_ip"`
	UserAgent string    `json:"user_agent,omitempty"`
}

// AuditQuery selects audit entries, newest first. Empty fields do not
// filter; Before is the ID the next page starts below (0: the newest).
type AuditQuery struct {
	Subject string
	Agency  string
	Case    string
	Action  string
	Outcome string
	From    time.Time
	To      time.Time
	Limit   int
	Before  int64
}

// AuditLog keeps the audit trail.
type AuditLog interface {
	AppendAudit(ctx context.Context, e AuditEntry) error
	// Audit returns the entries q selects and the Before of the next page
	// (0 on the last).
	Audit(ctx context.Context, q AuditQuery) ([]AuditEntry, int64, error)
}
