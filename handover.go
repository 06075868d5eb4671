package motcua

import "time"

// Handover is a hand-over of open cases (chuyển giao hồ sơ đang giải
// quyết) as the read model keeps it: the unit that ceased or lost a
// competence, where each procedure's cases go, and how far it got.
type Handover struct {
	ID   string `json:"id"`
	From string `json:"from"`
	// Targets maps each procedure code that moves to the agency its open
	// cases move to.
	Targets   map[string]string `json:"targets"`
	Day       time.Time         `json:"day"` // the day competence was read on
	Basis     string            `json:"basis,omitempty"`
	StartedBy string            `json:"started_by,omitempty"`
	Status    string            `json:"status"` // running, done
	Moved     int               `json:"moved"`
	Skipped   int               `json:"skipped"` // closed meanwhile, or no longer at From
	Failed    int               `json:"failed"`
	Failures  []HandoverFailure `json:"failures"`
	After     string            `json:"after,omitempty"` // the last case code handled (code order)
	// Round is the pass over the open cases (from 0): a pass that moved
	// any is followed by another, for cases recorded late and failed ones.
	Round int `json:"round"`
	// Waiting is how many submissions to From the read model had not
	// recorded yet when the last pass ended; the hand-over waits for them.
	Waiting   int        `json:"waiting"`
	StartedAt time.Time  `json:"started_at"`
	EndedAt   *time.Time `json:"ended_at,omitempty"`
	UpdatedAt time.Time  `json:"updated_at"`
}

// HandoverFailure is a case a hand-over could not move, and why; running
// the hand-over again retries it.
type HandoverFailure struct {
	Case   string `json:"case"`
	Reason string `json:"reason"`
}
