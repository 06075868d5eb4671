// Package workflows holds the shapes: the Temporal workflows that run cases.
// This file is the contract: what a caller needs to start, act on and query
// a case. A case is one workflow execution whose ID is the case code.
package workflows

import (
	"encoding/json"
	"time"

	"github.com/motcua/motcua"
)

// Workflow type names, one per shape.
const (
	StandardWorkflow  = "StandardCase"
	ComplaintWorkflow = "ComplaintCase"
)

// WorkflowFor returns the workflow type that runs a shape ("" if none).
func WorkflowFor(shape string) string {
	switch shape {
	case motcua.ShapeStandard, "":
		return StandardWorkflow
	case motcua.ShapeComplaint:
		return ComplaintWorkflow
	}
	return ""
}

// QueryCase returns the live motcua.Case.
const QueryCase = "case"

// UpdateSubmit is sent with the start (Update-with-Start): its result is the
// receipt, the case as it stands once recorded. Every other action is an
// Update named after the motcua.Action, taking a motcua.ActionRequest and
// returning the new motcua.Case.
const UpdateSubmit = "submit"

// Activity names. Workflows call activities by name so that they never
// import the adapters behind them.
const (
	// ActivityRecordCase writes a Record to the read model.
	ActivityRecordCase = "RecordCase"
	// ActivityDeadline (local) does working-day arithmetic on the
	// province's calendar. It runs as an activity because the calendar file
	// changes every year: its answers must come from history on replay.
	ActivityDeadline = "Deadline"
)

// CaseInput starts a case. Procedure is the whole definition as it stood at
// submission: the case runs under it even if the file changes later.
type CaseInput struct {
	Code        string           `json:"code"`
	Procedure   motcua.Procedure `json:"procedure"`
	Agency      string           `json:"agency"`
	Applicant   motcua.Applicant `json:"applicant"`
	Owner       string           `json:"owner"`
	Channel     string           `json:"channel"`
	Delivery    motcua.Delivery  `json:"delivery"`
	Form        json.RawMessage  `json:"form"`
	SubmittedBy motcua.Actor     `json:"submitted_by"`
}

// Record is the input of ActivityRecordCase: the case as it now stands (no
// timeline) and the events not yet recorded.
type Record struct {
	Case   motcua.Case    `json:"case"`
	Events []motcua.Event `json:"events"`
}

// DeadlineRequest asks for a due time. Kind says which:
//   - "due": the legal due time, Days working days after From (the
//     reception), skipping Pauses; 17:00 local time. Warn is when the case
//     warns, the configured number of working days before.
//   - "after": 17:00 on the Days-th working day after From (sub-deadlines,
//     supplement deadlines).
type DeadlineRequest struct {
	Kind   string         `json:"kind"`
	From   time.Time      `json:"from"`
	Days   int            `json:"days"`
	Pauses []motcua.Pause `json:"pauses,omitempty"`
}

// Deadline answers a DeadlineRequest.
type Deadline struct {
	At   time.Time `json:"at"`
	Warn time.Time `json:"warn,omitempty"`
	// Covered is false when the date lies beyond the calendar's years (the
	// province has not published that year yet): weekdays were assumed.
	Covered bool `json:"covered"`
}

// Deadline kinds.
const (
	DeadlineDue   = "due"
	DeadlineAfter = "after"
)

// ErrBusy is the application-error type of an action refused because the
// case is still applying another one; the caller may retry at once.
const ErrBusy = "busy"
