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

	// versionFeeSchedule: the fee is quoted from the definition's schedule
	// (channel, applicant, exemptions, separate charges; motcua.Fee.Quote)
	// when the case is filed, and paid at filing when the definition says
	// so; an online order voided by a counter payment is cancelled, not
	// failed; the result number is the back-end's when one issues it.
	versionFeeSchedule workflow.Version = 3

	versionLatest = versionFeeSchedule
)

// CurrentVersion is the version new cases start at; the history recorder
// names the files it records after it (_v2).
const CurrentVersion = int(versionLatest)
