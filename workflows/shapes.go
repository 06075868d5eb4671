package workflows

import (
	"slices"

	"go.temporal.io/sdk/workflow"

	"github.com/motcua/motcua"
)

// Shape is a Go workflow that runs a family of procedures, and what it
// needs from their definitions. The worker, the replayer, the definition
// validator and the API all read the shapes from here.
type Shape struct {
	Name string // what a definition's shape: says
	// Workflow is the Temporal workflow type; histories record it, so it
	// never changes.
	Workflow string
	Run      func(workflow.Context, CaseInput) (motcua.Case, error)
	// Steps a definition that runs cases (level 3 and up) must give, and
	// those it may give.
	Steps, OptionalSteps []string
	// Deadlines are the keys of a definition's deadlines: the shape reads,
	// all required (working days).
	Deadlines []string
	// Since is the version (versions.go) the shape was added at: the
	// replay suite wants a recorded history of it at each version since.
	Since int
	// Clock is the legal clock's rules (lawclock.go) from versionLawClock
	// on; a definition's clock: overrides them.
	Clock motcua.ClockLaw
}

// shapes lists every shape. A new one is a workflow function and an entry
// here.
var shapes = []Shape{
	{Name: motcua.ShapeStandard, Workflow: "StandardCase", Run: StandardCase,
		Steps:         []string{motcua.StepReceive, motcua.StepReview, motcua.StepIssue, motcua.StepDeliver},
		OptionalSteps: []string{motcua.StepApprove, motcua.StepPayment, motcua.StepOverdue}, Clock: standardClock},
	{Name: motcua.ShapeComplaint, Workflow: "ComplaintCase", Run: ComplaintCase,
		Steps: []string{motcua.StepReceive, motcua.StepAssign, motcua.StepReview, motcua.StepConclude,
			motcua.StepIssue, motcua.StepDeliver},
		OptionalSteps: []string{motcua.StepOverdue},
		Deadlines:     []string{DeadlineAccept, DeadlineResolve}, Clock: complaintClock},
	// Issue 12 (lawclock): denunciations with the denouncer kept secret.
	{Name: motcua.ShapeDenunciation, Workflow: "DenunciationCase", Run: DenunciationCase,
		Steps: []string{motcua.StepReceive, motcua.StepAssign, motcua.StepReview, motcua.StepConclude,
			motcua.StepIssue, motcua.StepDeliver},
		OptionalSteps: []string{motcua.StepOverdue},
		Deadlines:     []string{DeadlineAccept, DeadlineResolve}, Since: int(versionLawClock), Clock: complaintClock},
	// Issue 14: feedback and recommendations (phản ánh, kiến nghị).
	{Name: motcua.ShapeFeedback, Workflow: "FeedbackCase", Run: FeedbackCase,
		Steps: []string{motcua.StepAnswer}, OptionalSteps: []string{motcua.StepOverdue},
		Deadlines: []string{DeadlineAnswer}, Since: int(versionQualityInvite), Clock: feedbackClock},
}

// Shapes returns every shape.
func Shapes() []Shape { return slices.Clone(shapes) }

// ShapeFor returns the shape named name; "" is the standard shape.
func ShapeFor(name string) (Shape, bool) {
	if name == "" {
		name = motcua.ShapeStandard
	}
	i := slices.IndexFunc(shapes, func(s Shape) bool { return s.Name == name })
	if i < 0 {
		return Shape{}, false
	}
	return shapes[i], true
}

// Accepts reports whether a definition of the shape may give step.
func (s Shape) Accepts(step string) bool {
	return slices.Contains(s.Steps, step) || slices.Contains(s.OptionalSteps, step)
}

// defaultSteps are the steps a definition runs when it gives none: a
// level-2 procedure whose paper file the desk receives (the generic counter
// case) takes the standard shape's steps, each by its default role at the
// lead agency; the fee, if any, is taken by the cashier.
func defaultSteps(shape string) motcua.Steps {
	if shape != "" && shape != motcua.ShapeStandard {
		return nil
	}
	return motcua.Steps{motcua.StepReceive: {Role: motcua.RoleReceiver}, motcua.StepReview: {Role: motcua.RoleReviewer},
		motcua.StepPayment: {Role: motcua.RoleCashier}, motcua.StepIssue: {Role: motcua.RoleReviewer},
		motcua.StepDeliver: {Role: motcua.RoleReceiver}, motcua.StepOverdue: {Role: motcua.RoleHead}}
}
