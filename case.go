package motcua

import (
	"cmp"
	"encoding/json"
	"slices"
	"time"
)

// Status is where a case stands. The standard shape moves
// submitted → received → in_review → (co_review) → awaiting_approval →
// awaiting_payment → awaiting_issue → result_ready → completed, with
// awaiting_supplement on the way and rejected, withdrawn, cancelled as other
// ends. Other shapes add their own.
type Status string

const (
	StatusSubmitted          Status = "submitted"           // nộp, chờ tiếp nhận
	StatusAwaitingSupplement Status = "awaiting_supplement" // chờ bổ sung
	StatusReceived           Status = "received"            // đã tiếp nhận
	StatusInReview           Status = "in_review"           // đang thẩm định
	StatusCoReview           Status = "co_review"           // lấy ý kiến liên thông
	StatusAwaitingApproval   Status = "awaiting_approval"   // chờ phê duyệt
	StatusAwaitingPayment    Status = "awaiting_payment"    // chờ nộp phí, lệ phí
	StatusAwaitingIssue      Status = "awaiting_issue"      // chờ ban hành kết quả
	StatusResultReady        Status = "result_ready"        // có kết quả, chờ trả
	StatusCompleted          Status = "completed"           // đã trả kết quả
	StatusRejected           Status = "rejected"            // từ chối
	StatusWithdrawn          Status = "withdrawn"           // rút hồ sơ
	StatusCancelled          Status = "cancelled"           // hủy (quá hạn bổ sung)

	// Complaints and denunciations (khiếu nại, tố cáo).
	StatusAwaitingAssignment Status = "awaiting_assignment" // chờ giao người xác minh
	StatusInvestigating      Status = "investigating"       // đang xác minh
	StatusAwaitingConclusion Status = "awaiting_conclusion" // chờ kết luận
)

// Final reports whether no further action can change the case.
func (s Status) Final() bool {
	switch s {
	case StatusCompleted, StatusRejected, StatusWithdrawn, StatusCancelled:
		return true
	}
	return false
}

// Action names what an actor does to a case. Each is a Temporal Update.
type Action string

const (
	ActionSubmit         Action = "submit"
	ActionReceive        Action = "receive"      // tiếp nhận
	ActionReturn         Action = "return"       // trả lại, hướng dẫn bổ sung
	ActionReject         Action = "reject"       // từ chối
	ActionRequestInfo    Action = "request_info" // yêu cầu bổ sung
	ActionSupplement     Action = "supplement"   // công dân bổ sung
	ActionReview         Action = "review"       // thẩm định
	ActionCoReview       Action = "co_review"    // ý kiến cơ quan phối hợp
	ActionApprove        Action = "approve"      // phê duyệt
	ActionConfirmPayment Action = "confirm_payment"
	ActionIssue          Action = "issue"   // ban hành kết quả
	ActionDeliver        Action = "deliver" // trả kết quả
	ActionWithdraw       Action = "withdraw"
	ActionReschedule     Action = "reschedule" // xin lỗi, hẹn lại ngày trả
	ActionAttach         Action = "attach"     // đính kèm tài liệu

	ActionPay            Action = "pay"             // applicant asks for a (new) online payment link
	ActionPaymentResult  Action = "payment_result"  // the payment gateway's answer (system)
	ActionPostalTracking Action = "postal_tracking" // the postal service's tracking event (system)

	// Complaints and denunciations.
	ActionAssign   Action = "assign"   // giao người xác minh
	ActionVerify   Action = "verify"   // báo cáo xác minh
	ActionConclude Action = "conclude" // kết luận, quyết định giải quyết
)

// Events recorded by the system rather than requested by an actor.
const (
	EventTransferred       Action = "transferred"       // chuyển phòng chuyên môn
	EventCoReviewStarted   Action = "co_review_started" // gửi lấy ý kiến
	EventDueSoon           Action = "due_soon"
	EventOverdue           Action = "overdue"
	EventCoReviewOverdue   Action = "co_review_overdue"
	EventSupplementExpiry  Action = "supplement_expired"
	EventDelivered         Action = "delivered"
	EventCheck             Action = "check"        // a back-end check answered
	EventCheckFailed       Action = "check_failed" // a back-end refused (its rule, its words)
	EventReceiptIssued     Action = "receipt_issued"
	EventResultSigned      Action = "result_signed" // the signed result document is on the case
	EventSlipIssued        Action = "slip_issued"   // a signed supplement request or refusal slip is on the case
	EventPaymentOrdered    Action = "payment_ordered"
	EventPaymentReconciled Action = "payment_reconciled"
	EventRefunded          Action = "refunded"
	EventPosted            Action = "posted"

	// Agencies over time (Decree 118/2025/NĐ-CP; hand-over of open cases).
	EventHandedOver Action = "handed_over" // chuyển giao hồ sơ sang cơ quan kế thừa thẩm quyền
	EventForwarded  Action = "forwarded"   // bộ phận một cửa tiếp nhận, chuyển cơ quan có thẩm quyền
	// EventResultIssued: the back-ends called at issue answered and the
	// result is issued (it follows the officer's issue action, versionSlowBackends).
	EventResultIssued Action = "result_issued"
)

// Permission is an action open on a case and who may take it: an officer
// holding Role at Agency, or the applicant when Role is RoleApplicant.
type Permission struct {
	Action Action `json:"action"`
	Role   Role   `json:"role"`
	Agency string `json:"agency,omitempty"`
	// Subject, when set, narrows the permission to one officer (the
	// investigator a complaint was assigned to).
	Subject string `json:"subject,omitempty"`
}

// SortPermissions orders permissions by agency, role and action, the one
// order every view of a case uses.
func SortPermissions(ps []Permission) {
	slices.SortFunc(ps, func(a, b Permission) int {
		return cmp.Or(cmp.Compare(a.Agency, b.Agency), cmp.Compare(a.Role, b.Role),
			cmp.Compare(a.Subject, b.Subject), cmp.Compare(a.Action, b.Action))
	})
}

// ActionRequest is one actor's request to act on a case.
type ActionRequest struct {
	Action Action          `json:"action"`
	Actor  Actor           `json:"actor"`
	Note   string          `json:"note,omitempty"`
	Reason string          `json:"reason,omitempty"`
	Data   json.RawMessage `json:"data,omitempty"`
}

// Applicant is the person or business representative who submits a case.
type Applicant struct {
	Name     string `json:"name"`
	IDNumber string `json:"id_number"`
	Phone    string `json:"phone,omitempty"`
	Email    string `json:"email,omitempty"`
	Address  string `json:"address,omitempty"`
}

// Delivery methods of a result.
const (
	DeliveryOnline  = "online"
	DeliveryCounter = "counter"
	DeliveryPost    = "post"
)

// Delivery is how the applicant wants the result; Tracking is the postal
// tracking number once the result is posted.
type Delivery struct {
	Method   string `json:"method"`
	Address  string `json:"address,omitempty"`
	Tracking string `json:"tracking,omitempty"`
}

// Notification channels an applicant may choose.
const (
	NotifySMS   = "sms"
	NotifyEmail = "email"
)

// Channels through which a case was submitted (statistics of Decision 766).
const (
	ChannelOnline  = "online"
	ChannelCounter = "counter"
)

// Event is one line of a case's timeline.
type Event struct {
	Seq    int             `json:"seq"`
	At     time.Time       `json:"at"`
	Action Action          `json:"action"`
	Status Status          `json:"status"` // status after the event
	Actor  ActorRef        `json:"actor"`
	Note   string          `json:"note,omitempty"`
	Reason string          `json:"reason,omitempty"`
	Data   json.RawMessage `json:"data,omitempty"`
	// Agency is the agency that handled the case when the event happened
	// (the lead agency then, or the desk that received it): a case handed
	// over keeps each part attributed to who did it.
	Agency string `json:"agency,omitempty"`
}

// Pause is an interval during which the legal clock stood still while the
// case waited for the applicant.
type Pause struct {
	From time.Time  `json:"from"`
	To   *time.Time `json:"to,omitempty"`
	// Wait is what the case waited for (Wait*; "" before version 3: a
	// supplement).
	Wait string `json:"wait,omitempty"`
}

// Document is a file attached to a case.
type Document struct {
	ID       string    `json:"id"`
	Name     string    `json:"name"`
	Type     string    `json:"type"`
	Size     int64     `json:"size"`
	SHA256   string    `json:"sha256"`
	Kind     string    `json:"kind"` // one of the Document* kinds
	Uploaded time.Time `json:"uploaded_at"`
	By       ActorRef  `json:"by"`
	// Signature (Ed25519, base64) and the signing key's ID, on documents
	// the agency issues; GET /api/v1/verify/{id} checks them.
	Signature string `json:"signature,omitempty"`
	KeyID     string `json:"key_id,omitempty"`
}

// Document kinds: who a file came from and what it is.
const (
	DocumentApplication = "application" // attached by the applicant to the file
	DocumentSupplement  = "supplement"  // attached by the applicant while supplementing
	DocumentWorking     = "working"     // working papers of officers
	DocumentReceipt     = "receipt"     // issued: receipt and appointment slip
	DocumentResult      = "result"      // issued: the result
	// Issued slips of the one-stop mechanism (documents/slips.go).
	DocumentSupplementRequest = "supplement_request" // phiếu yêu cầu bổ sung, hoàn thiện hồ sơ
	DocumentRefusal           = "refusal"            // phiếu từ chối tiếp nhận / thông báo từ chối giải quyết
	DocumentControlSheet      = "control_sheet"      // phiếu kiểm soát quá trình giải quyết hồ sơ
	DocumentRegister          = "register"           // sổ theo dõi hồ sơ (an agency's, of a period)
)

// Payment is a fee payment on a case: an online order while pending, then
// paid (or failed), and refunded if the case cannot issue its result.
type Payment struct {
	ID        string    `json:"id"`
	Amount    int64     `json:"amount"` // VND
	Method    string    `json:"method"` // PaymentOnline or PaymentCounter
	Reference string    `json:"reference"`
	Status    string    `json:"status"` // pending, paid, failed, refunded
	PayURL    string    `json:"pay_url,omitempty"`
	At        time.Time `json:"at"`
}

// Payment methods.
const (
	PaymentOnline  = "online"  // through the payment gateway
	PaymentCounter = "counter" // cash or card at the desk, confirmed by the cashier
)

// Payment statuses.
const (
	PaymentPending  = "pending"
	PaymentPaid     = "paid"
	PaymentFailed   = "failed"
	PaymentRefunded = "refunded"
	// PaymentCancelled: an online order voided because the fee was paid
	// otherwise (at the counter) before the order was paid.
	PaymentCancelled = "cancelled"
)

// Opinion is a co-processing agency's answer (ý kiến liên thông).
type Opinion struct {
	Agency   string     `json:"agency"`
	DueAt    *time.Time `json:"due_at,omitempty"`
	Answered *time.Time `json:"answered_at,omitempty"`
	Agree    *bool      `json:"agree,omitempty"`
	Note     string     `json:"note,omitempty"`
	Overdue  bool       `json:"overdue,omitempty"`
}

// Result is what the agency issued.
type Result struct {
	Type     string    `json:"type"`
	Name     string    `json:"name"`
	Number   string    `json:"number,omitempty"`
	Outcome  string    `json:"outcome,omitempty"` // complaints: upheld, partly_upheld, dismissed
	IssuedAt time.Time `json:"issued_at"`
	IssuedBy ActorRef  `json:"issued_by"`
	Note     string    `json:"note,omitempty"`
}

// ProcedureRef names the definition a case runs under.
type ProcedureRef struct {
	Code    string `json:"code"`
	Version int    `json:"version"`
	Hash    string `json:"hash"`
	Name    string `json:"name"`
	Shape   string `json:"shape"`
	Level   int    `json:"level"`
}

// Case is the full view of a case: the Update result, the query answer and,
// rebuilt from the read model, the look-up answer.
type Case struct {
	Code      string       `json:"code"`
	Procedure ProcedureRef `json:"procedure"`
	Agency    string       `json:"agency"`
	// Agencies are every agency involved (lead, co-processing, steps):
	// their officers may see the case.
	Agencies      []string        `json:"agencies"`
	Status        Status          `json:"status"`
	Step          string          `json:"step"`
	Channel       string          `json:"channel"`
	Owner         string          `json:"owner"`
	Applicant     Applicant       `json:"applicant"`
	Delivery      Delivery        `json:"delivery"`
	Notify        []string        `json:"notify,omitempty"` // sms, email: how the applicant hears of progress
	Form          json.RawMessage `json:"form,omitempty"`
	Fee           int64           `json:"fee"`
	FeeLines      []FeeLine       `json:"fee_lines,omitempty"` // what makes up Fee, each with its basis (fee.go)
	SubmittedAt   time.Time       `json:"submitted_at"`
	ReceivedAt    *time.Time      `json:"received_at,omitempty"`
	DueAt         *time.Time      `json:"due_at,omitempty"`
	Paused        bool            `json:"paused"`
	Overdue       bool            `json:"overdue"`
	RescheduledTo *time.Time      `json:"rescheduled_to,omitempty"`
	ClosedAt      *time.Time      `json:"closed_at,omitempty"`
	Pauses        []Pause         `json:"pauses"`
	Opinions      []Opinion       `json:"opinions,omitempty"`
	Documents     []Document      `json:"documents"`
	Payments      []Payment       `json:"payments"`
	Result        *Result         `json:"result,omitempty"`
	Actions       []Permission    `json:"actions"`
	Timeline      []Event         `json:"timeline"`
	Version       int             `json:"version"` // the seq of the last event
	// Revision counts the read model's writes of the case: what caches and
	// ETags key on. A record that corrects one a crash left behind (see
	// store.RecordCase) can show the same version with other content.
	Revision int64 `json:"-"`
	// Incident is the case's open incident (incident.go), filled in by the
	// API: while it stands the case offers no action.
	Incident *Incident `json:"incident,omitempty"`
	// Law is what the case records of the legal clock's rules (clock.go).
	Law *CaseLaw `json:"law,omitempty"`
}
