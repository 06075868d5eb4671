package motcua

import (
	"context"
	"encoding/json"
	"time"
)

// Feedback and recommendations (phản ánh, kiến nghị) on how a case or a
// one-stop desk was handled run as cases of their own shape: received,
// routed to the head of the agency concerned, answered within a deadline
// in working days, the answer shown to the sender and, when the sender
// agreed, published without personal data. They are not complaints
// (khiếu nại), which stay a procedure of the complaint shape.
const (
	ShapeFeedback = "feedback"
	// ProcedureFeedback is the definition feedback runs under
	// (procedures/definitions/phan-anh-kien-nghi.yaml).
	ProcedureFeedback = "phan-anh-kien-nghi"

	StepAnswer = "answer" // feedback: who answers it (the head of the agency concerned)

	StatusAwaitingAnswer Status = "awaiting_answer" // chờ trả lời phản ánh, kiến nghị
	ActionAnswer         Action = "answer"          // trả lời phản ánh, kiến nghị
)

// Feedback kinds: phản ánh tells of a handling (a delay, a demand not in
// the rules, an officer's attitude); kiến nghị proposes a change.
const (
	FeedbackReport    = "phan_anh"
	FeedbackRecommend = "kien_nghi"
)

// FeedbackForm is the form of a feedback case, built by the API: what it
// is about, what the sender says, and whether the answer may be published
// (without personal data).
type FeedbackForm struct {
	Kind    string `json:"kind"`
	Content string `json:"content"`
	// AboutCase is the case the feedback is about; AboutAgency the agency
	// (the case's, or the desk the sender names).
	AboutCase   string `json:"about_case,omitempty"`
	AboutAgency string `json:"about_agency"`
	// AboutProcedure names the procedure of the case it is about.
	AboutProcedure string `json:"about_procedure,omitempty"`
	Publish        bool   `json:"publish"`
}

// FeedbackFormOf reads a feedback case's form.
func FeedbackFormOf(raw json.RawMessage) FeedbackForm {
	var f FeedbackForm
	_ = json.Unmarshal(raw, &f)
	return f
}

// PublishedFeedback is an answered feedback as the public list shows it:
// no name, ID number, phone, e-mail or address, no case code.
type PublishedFeedback struct {
	Code           string    `json:"code"` // the feedback's own code
	Kind           string    `json:"kind"`
	Agency         string    `json:"agency"`
	AgencyName     string    `json:"agency_name"`
	AboutProcedure string    `json:"about_procedure,omitempty"`
	Content        string    `json:"content"`
	Answer         string    `json:"answer"`
	SubmittedAt    time.Time `json:"submitted_at"`
	DueAt          time.Time `json:"due_at"`
	AnsweredAt     time.Time `json:"answered_at"`
	Late           bool      `json:"late"`
}

// AnsweredFeedback lists answered feedback cases, newest answer first.
type AnsweredFeedback interface {
	AnsweredFeedback(ctx context.Context, limit int) ([]Case, error)
}
