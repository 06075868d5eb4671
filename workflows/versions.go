package workflows

import "go.temporal.io/sdk/workflow"

// Versions of the shapes' code. A case takes the newest version when it
// starts and keeps it for life: code that changes what a running case does
// is gated on c.version, so histories recorded before it still replay
// (testdata/histories). There is one change ID for all of them; a new
// version raises versionLatest and adds a constant here.
const (
	// versionChange is the change ID histories record. Its name is
	// historical (the first gated change brought level 4); keep it.
	versionChange = "level4"

	// versionOriginal: reception, review, co-review, approval, counter fee,
	// issue and delivery at the desk.
	versionOriginal = workflow.DefaultVersion
	// versionBackends: agency back-end checks, signed receipts and
	// results, online payment with reconciliation and refunds, delivery by
	// post and notifications.
	versionBackends workflow.Version = 1
	// versionQuickAnswers: an action answers once it is applied and
	// recorded; slow work it starts (reception checks, run when the case
	// is filed; signed receipts and results; back-end calls before a wait)
	// goes on after the answer. Update results are small: callers read the
	// case from the read model.
	versionQuickAnswers workflow.Version = 2

	// versionLawClock: the legal clock's rules of issue 12 (lawclock.go):
	// waits on the applicant stop the clock as the shape and definition
	// say (fee, collection; a supplement restarts it), one supplement
	// request within 3 working days of reception, no cancellation of an
	// abandoned file without a text, the apology and new appointment
	// before the due date by the agency at fault, once; complaints'
	// dialogue and extensions, denunciations' extensions and outcomes.
	versionLawClock workflow.Version = 3

	versionLatest = versionLawClock
)

// CurrentVersion is the version new cases start at; the history recorder
// names the files it records after it (_v2).
const CurrentVersion = int(versionLatest)
