package motcua

import (
	"context"
	"time"
)

// Incident is something wrong with a case that no retry will mend and an
// administrator must look at: its workflow ended although the case is open
// in the read model (terminated, timed out, failed), or the read model
// refused to record it. While an incident is open the case offers no
// action; an administrator resolves it, saying what was done.
type Incident struct {
	ID         int64      `json:"id"`
	Code       string     `json:"code"`   // the case's
	RunID      string     `json:"run_id"` // the workflow run that ended
	Kind       string     `json:"kind"`   // one of the Incident* kinds
	Detail     string     `json:"detail"`
	OpenedAt   time.Time  `json:"opened_at"`
	ResolvedAt *time.Time `json:"resolved_at,omitempty"`
	ResolvedBy string     `json:"resolved_by,omitempty"`
	Resolution string     `json:"resolution,omitempty"`
}

// Incident kinds: how a case's workflow ended unexpectedly.
const (
	IncidentTerminated = "workflow_terminated"
	IncidentTimedOut   = "workflow_timed_out"
	IncidentFailed     = "workflow_failed"
	IncidentCanceled   = "workflow_canceled"
)

// Incidents keeps the incidents of cases (the store implements it).
type Incidents interface {
	// OpenIncident records inc unless its run already has one; it returns
	// the incident that stands and whether it is new.
	OpenIncident(ctx context.Context, inc Incident) (Incident, bool, error)
	// OpenIncidentOf is the case's open incident, nil if none.
	OpenIncidentOf(ctx context.Context, code string) (*Incident, error)
	// ListIncidents lists incidents, newest first, only open ones unless
	// all; at most limit.
	ListIncidents(ctx context.Context, all bool, limit int) ([]Incident, error)
	// ResolveIncident closes incident id, saying who and how.
	ResolveIncident(ctx context.Context, id int64, by, resolution string, at time.Time) (Incident, error)
}
