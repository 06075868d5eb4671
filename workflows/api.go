// Package workflows holds the shapes: the Temporal workflows that run cases.
// This file is the contract: what a caller needs to start, act on and query
// a case. A case is one workflow execution whose ID is the case code.
package workflows

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/motcua/motcua"
)

// QueryCase returns the live motcua.Case.
const QueryCase = "case"

// SignalResync asks a case to record itself again as it stands: the read
// model shows a record its workflow never made durable (a phantom, see
// Record.Clock). worker.ResyncCase sends it; cases before
// versionLocalRecords cannot leave one and ignore it.
const SignalResync = "resync"

// UpdateSubmit is sent with the start (Update-with-Start): its result is the
// receipt, the case as it stands once recorded. Every other action is an
// Update named after the motcua.Action (see Specs), taking a
// motcua.ActionRequest and returning the new motcua.Case.
const UpdateSubmit = "submit"

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
	// Notify is how the applicant wants to hear of progress (sms, email).
	Notify []string `json:"notify,omitempty"`
	// ReceivedBy is the one-stop desk that received the file when it is
	// not Agency, the competent agency (reception regardless of the
	// administrative boundary, Decree 118/2025/NĐ-CP Điều 14 khoản 2,
	// Điều 20).
	ReceivedBy string `json:"received_by,omitempty"`
	// ReconcileAfter is how long an online payment may wait for the
	// gateway's callback before the case asks the gateway itself.
	ReconcileAfter time.Duration `json:"reconcile_after,omitempty"`
	// Attachments bound the files the case takes (bounds.go).
	Attachments AttachLimits `json:"attachments,omitzero"`
	// Anonymous: a denunciation whose denouncer is unknown (Luật Tố cáo
	// 2018 Điều 25).
	Anonymous bool `json:"anonymous,omitempty"`
	// FirstInstance is the code of the first-instance complaint a
	// second-instance complaint is filed against (Luật Khiếu nại 2011
	// Điều 33); the API checks the right to file it.
	FirstInstance string `json:"first_instance,omitempty"`
}

// ReadModelOf is the case the read model holds after records, written in
// order: each record's case, with the form and documents that earlier
// records carried (from versionQuickAnswers on a record sends the form once
// and each document once; from versionLeanRecords the procedure and the fee
// lines once), and every event.
func ReadModelOf(records []Record) motcua.Case {
	var c motcua.Case
	var form json.RawMessage
	var docs []motcua.Document
	var events []motcua.Event
	for _, r := range records {
		proc, lines := c.Procedure, c.FeeLines
		c = r.Case
		if c.Procedure.Code == "" { // left out after the first record (versionLeanRecords)
			c.Procedure, c.FeeLines = proc, lines
		}
		if len(r.Case.Form) > 0 {
			form = r.Case.Form
		}
		for _, d := range r.Case.Documents {
			if !slices.ContainsFunc(docs, func(x motcua.Document) bool { return x.ID == d.ID }) {
				docs = append(docs, d)
			}
		}
		events = append(events, r.Events...)
	}
	c.Form, c.Documents, c.Timeline = form, docs, events
	return c
}

// Record is the input of the RecordCase activity: the case as it now stands (no
// timeline) and the events not yet recorded.
type Record struct {
	Case   motcua.Case    `json:"case"`
	Events []motcua.Event `json:"events"`
	// Clock is the history length when the workflow task that made the
	// record started (versionLocalRecords on; 0 before). A local activity
	// writes its record before its task is durable, so a crash can lose
	// the task and keep the record; the store orders records by Clock
	// first, and the workflow's next record replaces the lost one.
	Clock int64 `json:"clock,omitempty"`
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
	// ApologyBy (kinds "due" and "warn") is 17:00 of the working day before
	// At: the latest an apology and new appointment for missing At may come
	// (Decree 118/2025 Điều 19 khoản 6). Histories recorded before it was
	// answered replay with it zero.
	ApologyBy time.Time `json:"apology_by,omitempty"`
	// Covered is false when the date lies beyond the calendar's years (the
	// province has not published that year yet): weekdays were assumed.
	Covered bool `json:"covered"`
}

// Deadline kinds.
const (
	DeadlineDue   = "due"
	DeadlineAfter = "after"
	// DeadlineWarn: when a case due at From warns (Warn), from
	// versionLawClock on (a new appointment, an extension).
	DeadlineWarn = "warn"
	// DeadlineDays: the end of the day Days days (not working days) after
	// From, for the periods the law counts in days: the closure of a file
	// left incomplete (Decree 118/2025 Điều 19 khoản 5), from
	// versionDecree118 on.
	DeadlineDays = "days"
	// DeadlineSameTime: the same clock time as From on the Days-th working
	// day after From's date (from 17:00 when From is later in the day or
	// on a day off): periods the law gives in working hours, 8 working
	// hours counted as one working day — the reply to an online filing
	// (Decree 118/2025 Điều 17 khoản 2 điểm c), from versionOnlineReception
	// on.
	DeadlineSameTime = "same_time"
)

// ErrBusy is the application-error type of an action refused because the
// case is still applying another one; the caller may retry at once.
const ErrBusy = "busy"

// CheckRequest asks a back-end about a case. IdempotencyKey makes a call
// with an effect (registering an enterprise) act once however often the
// activity is retried.
type CheckRequest struct {
	Kind           string           `json:"kind"`
	CaseCode       string           `json:"case_code"`
	Applicant      motcua.Applicant `json:"applicant"`
	Form           json.RawMessage  `json:"form"`
	Field          string           `json:"field,omitempty"`
	IdempotencyKey string           `json:"idempotency_key"`
}

// CheckResult is a back-end's answer: a summary for the timeline, the raw
// answer, and for registrations the number issued.
type CheckResult struct {
	OK      bool            `json:"ok"`
	Summary string          `json:"summary"`
	Number  string          `json:"number,omitempty"`
	Data    json.RawMessage `json:"data,omitempty"`
}

// PaymentOrder is an online payment order for a case's fee.
type PaymentOrder struct {
	OrderID     string `json:"order_id"`
	Amount      int64  `json:"amount"`
	Description string `json:"description"`
	GatewayRef  string `json:"gateway_ref,omitempty"`
	PayURL      string `json:"pay_url,omitempty"`
}

// PaymentState is what the gateway says of an order.
type PaymentState struct {
	OrderID    string    `json:"order_id"`
	GatewayRef string    `json:"gateway_ref"`
	Status     string    `json:"status"` // pending, paid, failed, refunded
	Amount     int64     `json:"amount"`
	PaidAt     time.Time `json:"paid_at,omitempty"`
}

// RefundRequest returns a paid fee.
type RefundRequest struct {
	OrderID        string `json:"order_id"`
	Reason         string `json:"reason"`
	IdempotencyKey string `json:"idempotency_key"`
}

// RefundResult is the gateway's refund reference.
type RefundResult struct {
	RefundRef string `json:"refund_ref"`
}

// ShipmentRequest posts the result to the applicant.
type ShipmentRequest struct {
	IdempotencyKey string `json:"idempotency_key"`
	Recipient      string `json:"recipient"`
	Phone          string `json:"phone"`
	Address        string `json:"address"`
	Contents       string `json:"contents"`
}

// Shipment is a posted result.
type Shipment struct {
	Tracking string `json:"tracking"`
}

// Notification tells the applicant of progress by SMS and/or e-mail.
type Notification struct {
	IdempotencyKey string   `json:"idempotency_key"`
	CaseCode       string   `json:"case_code"`
	Channels       []string `json:"channels"`
	Phone          string   `json:"phone,omitempty"`
	Email          string   `json:"email,omitempty"`
	Subject        string   `json:"subject"`
	Text           string   `json:"text"`
	// Links are pages the message points to, by their path on the
	// portal: the notifier writes them out under its public URL.
	Links []Link `json:"links,omitempty"`
}

// Link is a labelled path on the portal.
type Link struct {
	Label string `json:"label"`
	Path  string `json:"path"`
}

// DocumentRequest renders, stores and signs a receipt or a result. The
// activity names the document: an ID no one can guess from the case code.
type DocumentRequest struct {
	Kind   string         `json:"kind"` // receipt, result
	Case   motcua.Case    `json:"case"`
	Result *motcua.Result `json:"result,omitempty"`
	By     string         `json:"by"`
	// Received lists the documents the receipt acknowledges.
	Received []string `json:"received,omitempty"`
	// Slips: what to add, or the reasons (one a line of the officer's
	// reason), and whether a refusal comes after the review.
	Items       []string `json:"items,omitempty"`
	AfterReview bool     `json:"after_review,omitempty"`
	// Seq is the timeline position of the action a slip goes with: a case
	// may have several slips of a kind.
	Seq int `json:"seq,omitempty"`
	// At is when the slip was drawn up (the action's time).
	At time.Time `json:"at,omitempty"`
	// Template and Approver (results, versionResultTemplates on): the
	// definition's result template and who approved the result, who signs
	// it; without them the result is the plain letter of earlier versions.
	Template *motcua.ResultTemplate `json:"template,omitempty"`
	Approver *motcua.ActorRef       `json:"approver,omitempty"`
}

// PaymentResultData is the data of a payment_result Update (from the
// gateway's callback, or the worker's reconciliation).
type PaymentResultData struct {
	OrderID    string    `json:"order_id"`
	GatewayRef string    `json:"gateway_ref"`
	Status     string    `json:"status"`
	Amount     int64     `json:"amount"`
	PaidAt     time.Time `json:"paid_at"`
}

// TrackingData is the data of a postal_tracking Update.
type TrackingData struct {
	Tracking string    `json:"tracking_number"`
	Status   string    `json:"status"` // accepted, in_transit, out_for_delivery, delivered, returned
	At       time.Time `json:"at"`
	Note     string    `json:"note"`
}

// PaymentOrderID is the ID of a case's n-th online payment order: the
// gateway knows the case by it, and its callbacks name it.
func PaymentOrderID(code string, n int) string { return fmt.Sprintf("%s%s%d", code, orderMark, n) }

// CounterPaymentID is the ID of a fee paid at the counter.
func CounterPaymentID(code string) string { return code + "-fee" }

// CaseOfPaymentOrder returns the case code an online order ID names.
func CaseOfPaymentOrder(orderID string) (code string, ok bool) {
	code, n, ok := strings.Cut(orderID, orderMark)
	if !ok || code == "" || n == "" || strings.Trim(n, "0123456789") != "" {
		return "", false
	}
	return code, true
}

const orderMark = "-fee-"
