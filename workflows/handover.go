package workflows

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/motcua/motcua"
)

// Hand-over of open cases (chuyển giao hồ sơ đang giải quyết): when a unit
// ceases or loses a competence, an administrator moves its open cases to
// the successor for each procedure. The move is an Update on each case
// (UpdateHandover), answered by every version of every shape, so cases
// pinned to an old definition move too: they keep their steps and roles,
// and the agency that performs them is resolved through the hand-over. The
// operation itself is a workflow (HandoverWorkflow) that lists the cases
// page by page from the read model and moves them, idempotently.

// UpdateHandover moves a case to another agency. It takes a CaseHandover
// and answers a HandoverAnswer. Its Update ID is the hand-over's ID and the
// case code (HandoverUpdateID), so a retried call moves nothing twice; a
// case no longer at From, or closed, answers without moving.
const UpdateHandover = "handover"

// QueryHandover returns a running hand-over's HandoverProgress.
const QueryHandover = "progress"

// HandoverWorkflowName is the hand-over's workflow type; histories record it.
const HandoverWorkflowName = "Handover"

// HandoverWorkflowID is the workflow ID of the hand-over with id.
func HandoverWorkflowID(id string) string { return "handover:" + id }

// HandoverUpdateID is the ID of the Update that moves case code in
// hand-over id.
func HandoverUpdateID(id, code string) string { return "handover:" + id + ":" + code }

// CaseHandover asks a case to move from one agency to another.
type CaseHandover struct {
	Handover string `json:"handover"`
	From     string `json:"from"`
	To       string `json:"to"`
	// Basis is the legal text or decision that transfers the competence.
	Basis string          `json:"basis,omitempty"`
	By    motcua.ActorRef `json:"by"`
}

// HandoverAnswer says what a case did with a CaseHandover: Moved when this
// hand-over moved it (now or on an earlier try); otherwise Reason says why
// not (closed, not_at_from).
type HandoverAnswer struct {
	Moved  bool   `json:"moved"`
	Agency string `json:"agency"`
	Reason string `json:"reason,omitempty"`
}

// Reasons a case does not move.
const (
	HandoverClosed    = "closed"      // the case ended before the hand-over reached it
	HandoverNotAtFrom = "not_at_from" // another hand-over or nothing put it at From
)

// handoverData is the handed_over event's data.
type handoverData struct {
	Handover string `json:"handover"`
	From     string `json:"from"`
	To       string `json:"to"`
	Basis    string `json:"basis,omitempty"`
}

// setHandover registers UpdateHandover on a case.
func (c *caseRun) setHandover(ctx workflow.Context) error {
	return workflow.SetUpdateHandlerWithOptions(ctx, UpdateHandover, c.handover,
		workflow.UpdateHandlerOptions{Validator: func(ctx workflow.Context, req CaseHandover) error {
			if req.Handover == "" || req.From == "" || req.To == "" || req.From == req.To {
				return temporal.NewApplicationError("Yêu cầu chuyển giao cần mã đợt chuyển giao, cơ quan chuyển và cơ quan nhận khác nhau.", motcua.EINVALID)
			}
			return nil
		}})
}

// handover applies a CaseHandover once the case waits for an actor (never
// in the middle of a step), records it, and answers once recorded.
func (c *caseRun) handover(ctx workflow.Context, req CaseHandover) (HandoverAnswer, error) {
	if err := workflow.Await(ctx, func() bool { return c.idle || c.finished }); err != nil {
		return HandoverAnswer{}, err
	}
	if slices.Contains(c.handedBy, req.Handover) {
		return HandoverAnswer{Moved: true, Agency: c.state.Agency}, nil
	}
	if c.finished || c.state.Status.Final() {
		return HandoverAnswer{Agency: c.state.Agency, Reason: HandoverClosed}, nil
	}
	if !c.holds(req.From) {
		return HandoverAnswer{Agency: c.state.Agency, Reason: HandoverNotAtFrom}, nil
	}
	for i := c.recorded; i < len(c.state.Timeline); i++ {
		if e := &c.state.Timeline[i]; e.Agency == "" {
			e.Agency = c.state.Agency // happened before the move, not yet recorded
		}
	}
	c.moveAgency(req.From, req.To)
	c.handedBy = append(c.handedBy, req.Handover)
	data, _ := json.Marshal(handoverData{Handover: req.Handover, From: req.From, To: req.To, Basis: req.Basis})
	note := fmt.Sprintf("Chuyển giao hồ sơ từ %s sang %s (cơ quan kế thừa thẩm quyền); thời hạn giải quyết giữ nguyên.", req.From, req.To)
	if req.Basis != "" {
		note += " Căn cứ: " + req.Basis + "."
	}
	c.append(ctx, motcua.Event{Action: motcua.EventHandedOver, Actor: req.By, Note: note, Data: data, Agency: req.To})
	seq := c.state.Version
	// The main coroutine, idle, wakes for the event and records the case
	// with its open tasks at the new agency.
	if err := workflow.Await(ctx, func() bool { return c.recorded >= seq || c.finished }); err != nil {
		return HandoverAnswer{}, err
	}
	return HandoverAnswer{Moved: true, Agency: c.state.Agency}, nil
}

// holds reports whether agency a leads the case or has a task on it.
func (c *caseRun) holds(a string) bool {
	return c.state.Agency == a || slices.ContainsFunc(c.open, func(p motcua.Permission) bool { return p.Agency == a })
}

// moveAgency puts to wherever from stood: the lead, the steps the
// definition gives to from, the co-processing agencies whose opinion is
// still awaited, the open tasks. Due dates, documents, receipts and answered
// opinions stay as they were: they name who issued them.
func (c *caseRun) moveAgency(from, to string) {
	for i := range c.moved {
		if c.moved[i].to == from {
			c.moved[i].to = to
		}
	}
	c.moved = append(c.moved, agencyMove{from: from, to: to})
	if c.state.Agency == from {
		c.state.Agency = to
	}
	if !slices.Contains(c.state.Agencies, to) {
		c.state.Agencies = append(c.state.Agencies, to)
	}
	proc := *c.proc
	steps := make(motcua.Steps, len(proc.Steps))
	for _, name := range motcua.StepNames { // every step a definition may give
		if st, ok := proc.Steps[name]; ok {
			steps[name] = st
		}
	}
	proc.Steps = steps
	for _, name := range motcua.StepNames {
		if s := proc.Steps[name]; s != nil && s.Agency == from {
			moved := *s
			moved.Agency = to
			proc.Steps[name] = &moved
		}
	}
	proc.CoAgencies = slices.Clone(proc.CoAgencies)
	for i := range proc.CoAgencies {
		if proc.CoAgencies[i].Agency == from {
			proc.CoAgencies[i].Agency = to
		}
	}
	c.proc = &proc
	for i := range c.state.Opinions {
		if op := &c.state.Opinions[i]; op.Agency == from && op.Answered == nil {
			op.Agency = to
		}
	}
	c.open = c.handedOver(c.open)
}

// agencyMove is one hand-over of a case: from's part went to to (later
// hand-overs of to update it).
type agencyMove struct{ from, to string }

// handedOver returns ps with the agencies moved by hand-overs replaced by
// their successors. A stage opened before a hand-over still names the old
// agency; await passes its actions through here. A permission narrowed to
// one officer of the old agency opens to the new agency's officers.
func (c *caseRun) handedOver(ps []motcua.Permission) []motcua.Permission {
	if len(c.moved) == 0 {
		return ps
	}
	out := slices.Clone(ps)
	for i, p := range out {
		for _, m := range c.moved {
			if p.Agency == m.from {
				out[i].Agency, out[i].Subject = m.to, ""
			}
		}
	}
	return dedupe(out)
}

// forwarded records, for a case filed at a one-stop desk other than its
// competent agency (Decree 118/2025/NĐ-CP Điều 14 khoản 2, Điều 20:
// reception regardless of the administrative boundary within the
// province), the desk's reception and the forwarding to the competent
// agency.
func (c *caseRun) forwarded(ctx workflow.Context) {
	desk := c.in.ReceivedBy
	if c.version < versionHandover || desk == "" || desk == c.in.Agency {
		return
	}
	c.append(ctx, motcua.Event{Action: motcua.EventForwarded, Actor: c.in.SubmittedBy.Ref(roleOf(c.in.SubmittedBy)), Agency: desk,
		Note: fmt.Sprintf("Bộ phận một cửa %s tiếp nhận hồ sơ không phụ thuộc địa giới hành chính và chuyển đến %s, cơ quan có thẩm quyền giải quyết.", desk, c.in.Agency)})
}

// HandoverInput starts (and continues) a hand-over.
type HandoverInput struct {
	ID   string `json:"id"`
	From string `json:"from"`
	// Targets maps each procedure code whose cases move to the agency
	// they move to (the successor for that procedure, resolved by whoever
	// started the hand-over from competence on Day). A split transfer names
	// only the procedures that move.
	Targets map[string]string `json:"targets"`
	Day     time.Time         `json:"day"`
	Basis   string            `json:"basis,omitempty"`
	By      motcua.Actor      `json:"by"`
	// PageSize cases are listed at once, Concurrency moved at once.
	PageSize    int `json:"page_size,omitempty"`
	Concurrency int `json:"concurrency,omitempty"`
	// Progress is where a continued run starts from.
	Progress HandoverProgress `json:"progress"`
}

// HandoverProgress is where a hand-over stands.
type HandoverProgress struct {
	Status   string                   `json:"status"` // running, done
	Moved    int                      `json:"moved"`
	Skipped  int                      `json:"skipped"` // closed meanwhile, or no longer at From
	Failed   int                      `json:"failed"`
	Failures []motcua.HandoverFailure `json:"failures"`
	// After is the last case code handled: cases are taken in code order.
	After string `json:"after,omitempty"`
	// Round counts the passes over the open cases (from 0). A case the
	// read model recorded late sorts before After, and a failed one is
	// still at From: a pass that moved any case is followed by another
	// from the first code (changeHandoverRounds). Failed and Failures are
	// the latest pass's; Moved and Skipped add up over all.
	Round int `json:"round,omitempty"`
	// RoundMoved is how many the current pass moved.
	RoundMoved int `json:"round_moved,omitempty"`
	// Waiting is how many of From's recent submissions have no case in
	// the read model yet: the hand-over waits for them before it ends.
	Waiting   int           `json:"waiting,omitempty"`
	WaitedFor time.Duration `json:"waited_for,omitempty"`
	StartedAt time.Time     `json:"started_at"`
	EndedAt   *time.Time    `json:"ended_at,omitempty"`
}

// Hand-over statuses.
const (
	HandoverRunning = "running"
	HandoverDone    = "done"
)

// maxFailuresKept bounds the failures a hand-over lists (all are counted).
const maxFailuresKept = 200

// HandoverCase is an open case a hand-over moves, and where to; without
// To, Reason says why it has nowhere to go.
type HandoverCase struct {
	Code   string `json:"code"`
	To     string `json:"to"`
	Reason string `json:"reason,omitempty"`
}

// TargetByAddress, as a procedure's target, sends each case to the one
// competent agency among the unit's successors whose ward or commune the
// case's address names (a district's cases to its communes).
const TargetByAddress = "@dia-chi"

// HandoverPageRequest lists the next open cases of From whose procedure
// has a target, in code order after After.
type HandoverPageRequest struct {
	From    string            `json:"from"`
	Targets map[string]string `json:"targets"`
	// Day is the day competence is read on (for TargetByAddress).
	Day   time.Time `json:"day"`
	After string    `json:"after,omitempty"`
	Limit int       `json:"limit"`
}

// MoveCasesRequest moves a page of cases.
type MoveCasesRequest struct {
	Handover    string          `json:"handover"`
	From        string          `json:"from"`
	Basis       string          `json:"basis,omitempty"`
	By          motcua.ActorRef `json:"by"`
	Cases       []HandoverCase  `json:"cases"`
	Concurrency int             `json:"concurrency"`
}

// MoveOutcome is what became of one case.
type MoveOutcome struct {
	Case   string `json:"case"`
	Moved  bool   `json:"moved"`
	Reason string `json:"reason,omitempty"` // why it did not move
	Failed bool   `json:"failed,omitempty"`
}

// HandoverRecord is the read model's row of a hand-over.
type HandoverRecord struct {
	Input    HandoverInput    `json:"input"`
	Progress HandoverProgress `json:"progress"`
}

// PendingFilingsRequest asks how many of an agency's submissions since
// Since have no case in the read model yet.
type PendingFilingsRequest struct {
	From  string    `json:"from"`
	Since time.Time `json:"since"`
}

// HandoverActivities are the hand-over's activities.
type HandoverActivities interface {
	// PendingFilings counts From's submissions the read model has not
	// recorded yet (their workflows have started; their first record is
	// queued behind other work).
	PendingFilings(ctx context.Context, req PendingFilingsRequest) (int, error)
	// HandoverPage lists open cases to move from the read model.
	HandoverPage(ctx context.Context, req HandoverPageRequest) ([]HandoverCase, error)
	// MoveCases sends each case its UpdateHandover.
	MoveCases(ctx context.Context, req MoveCasesRequest) ([]MoveOutcome, error)
	// RecordHandover writes the hand-over's progress to the read model.
	RecordHandover(ctx context.Context, rec HandoverRecord) error
}

var (
	handoverPage = hcall[HandoverPageRequest, []HandoverCase]{name: "HandoverPage", options: readModelOptions,
		impl: func(a HandoverActivities) any { return a.HandoverPage }}
	moveCases = hcall[MoveCasesRequest, []MoveOutcome]{name: "MoveCases", options: moveOptions,
		impl: func(a HandoverActivities) any { return a.MoveCases }}
	recordHandover = hcall[HandoverRecord, none]{name: "RecordHandover", options: readModelOptions,
		impl: func(a HandoverActivities) any { return a.RecordHandover }}
	pendingFilings = hcall[PendingFilingsRequest, int]{name: "PendingFilings", options: readModelOptions,
		impl: func(a HandoverActivities) any { return a.PendingFilings }}
	handoverCalls = []interface {
		register(worker.ActivityRegistry, HandoverActivities)
	}{handoverPage, moveCases, recordHandover, pendingFilings}
)

// hcall is a hand-over activity as the workflow sees it.
type hcall[Req, Res any] = opCall[HandoverActivities, Req, Res]

// moveOptions: a page of Updates takes as long as its slowest case; the
// activity heartbeats after each case, so a worker that dies is noticed
// within the heartbeat timeout and the page is retried (moved cases answer
// at once).
func moveOptions(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 30 * time.Minute,
		HeartbeatTimeout:    20 * time.Second,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: time.Minute},
	})
}

// pagesPerRun bound a run's history: it continues as new after them.
const pagesPerRun = 20

// HandoverWorkflow moves the open cases of in.From, page by page, recording
// its progress after each page. It survives restarts (Temporal replays it);
// run again after it ended, it finds only the cases still at From.
func HandoverWorkflow(ctx workflow.Context, in HandoverInput) (HandoverProgress, error) {
	if in.ID == "" || in.From == "" || len(in.Targets) == 0 {
		return HandoverProgress{}, temporal.NewNonRetryableApplicationError("hand-over input lacks id, from or targets", motcua.EINVALID, nil)
	}
	in.PageSize = max(in.PageSize, 1)
	in.Concurrency = max(in.Concurrency, 1)
	p := &in.Progress
	if p.Status == "" {
		p.Status, p.StartedAt, p.Failures = HandoverRunning, workflow.Now(ctx), []motcua.HandoverFailure{}
	}
	if err := workflow.SetQueryHandler(ctx, QueryHandover, func() (HandoverProgress, error) { return *p, nil }); err != nil {
		return HandoverProgress{}, err
	}
	if _, err := recordHandover.run(ctx, HandoverRecord{Input: in, Progress: *p}); err != nil {
		return HandoverProgress{}, err
	}
	for range pagesPerRun {
		page, err := handoverPage.run(ctx, HandoverPageRequest{From: in.From, Targets: in.Targets, Day: in.Day, After: p.After,
			Limit: in.PageSize})
		if err != nil {
			return *p, err
		}
		if len(page) == 0 {
			if workflow.GetVersion(ctx, changeHandoverRounds, workflow.DefaultVersion, HandoverVersion) >= 1 {
				again, err := p.nextRound(ctx, in)
				if err != nil {
					return *p, err
				}
				if again {
					continue
				}
			}
			now := workflow.Now(ctx)
			p.Status, p.EndedAt = HandoverDone, &now
			_, err := recordHandover.run(ctx, HandoverRecord{Input: in, Progress: *p})
			return *p, err
		}
		outcomes, err := moveCases.run(ctx, MoveCasesRequest{Handover: in.ID, From: in.From, Basis: in.Basis,
			By: in.By.Ref(""), Cases: page, Concurrency: in.Concurrency})
		if err != nil {
			return *p, err
		}
		for _, o := range outcomes {
			switch {
			case o.Moved:
				p.Moved++
				p.RoundMoved++
			case o.Failed:
				p.Failed++
				if len(p.Failures) < maxFailuresKept {
					p.Failures = append(p.Failures, motcua.HandoverFailure{Case: o.Case, Reason: o.Reason})
				}
			default:
				p.Skipped++
			}
		}
		p.After = page[len(page)-1].Code
		if _, err := recordHandover.run(ctx, HandoverRecord{Input: in, Progress: *p}); err != nil {
			return *p, err
		}
	}
	return *p, workflow.NewContinueAsNewError(ctx, HandoverWorkflowName, in)
}

// changeHandoverRounds is the change ID of the hand-over's passes: before
// it, a hand-over ended after one pass over the codes, and missed cases the
// read model recorded after the pass went by them (issue 13's 10,000-case
// benchmark: 1,156 of 9,960 moved) and cases that failed.
const changeHandoverRounds = "handover-rounds"

// HandoverVersion is the newest version of the hand-over workflow's
// changes (recorded histories are named after it).
const HandoverVersion = 1

// A pass that moved nothing waits pendingPoll for submissions not yet
// recorded, for up to pendingWait in all, and counts only those filed
// within pendingWindow of the start (older ones never started a case:
// their submission failed). Passes that move cases end by themselves:
// each leaves fewer open cases at From.
const (
	pendingPoll   = 5 * time.Second
	pendingWait   = 15 * time.Minute
	pendingWindow = time.Hour
)

// nextRound decides, at the end of a pass, whether another pass follows:
// when this one moved cases (the failed and the late-recorded ones are
// still at From), or when From has submissions the read model has not
// recorded yet (then after a pause). It records the new pass's start.
func (p *HandoverProgress) nextRound(ctx workflow.Context, in HandoverInput) (bool, error) {
	waiting, err := pendingFilings.run(ctx, PendingFilingsRequest{From: in.From,
		Since: p.StartedAt.Add(-pendingWindow)})
	if err != nil {
		return false, err
	}
	p.Waiting = waiting
	switch {
	case p.RoundMoved > 0:
	case waiting > 0 && p.WaitedFor < pendingWait:
		if err := workflow.Sleep(ctx, pendingPoll); err != nil {
			return false, err
		}
		p.WaitedFor += pendingPoll
	default:
		return false, nil
	}
	p.Round++
	p.RoundMoved, p.After, p.Failed, p.Failures = 0, "", 0, []motcua.HandoverFailure{}
	_, err = recordHandover.run(ctx, HandoverRecord{Input: in, Progress: *p})
	return true, err
}

// RegisterHandover puts the hand-over workflow and its activities on r.
func RegisterHandover(r worker.Registry, a HandoverActivities) {
	r.RegisterWorkflowWithOptions(HandoverWorkflow, workflow.RegisterOptions{Name: HandoverWorkflowName})
	for _, c := range handoverCalls {
		c.register(r, a)
	}
}

// VersionLatest is the version new cases start at, for tests that pin a
// case to each version.
const VersionLatest = versionLatest
