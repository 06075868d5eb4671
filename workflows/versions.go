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
	// versionSearchAttributes: the case keeps its typed search attributes
	// (agency, procedure, status, due date, overdue, channel) current at
	// every transition, for operators' visibility queries (search.go).
	versionSearchAttributes workflow.Version = 3

	// versionHandover: a case filed at a one-stop desk other than its
	// competent agency records the desk's reception and the forwarding
	// (CaseInput.ReceivedBy; Decree 118/2025/NĐ-CP Điều 20). The hand-over
	// Update (handover.go) is answered by every version.
	versionHandover workflow.Version = 3
	// versionBounded: a case takes files only up to the bounds it started
	// with (bounds.go; issue 16, finding 1).
	versionBounded workflow.Version = 3
	// versionRefusalStops: a back-end's refusal at reception holds the
	// case at the desk: it is not received (nor charged) unless the
	// receiver overrides it with a reason (checks.go; issue 16, finding 9).
	versionRefusalStops workflow.Version = 3
	// versionOneTimeCodes: a holder of the receipt's secret who also gives
	// the one-time code sent to the applicant may withdraw or pay (issue
	// 16, finding 3).
	versionOneTimeCodes workflow.Version = 3
	// versionSlowBackends: no back-end call stands between an action and
	// its answer. Issuing with checks records the officer's decision and
	// answers; the registry is called after (a refusal rejects the case
	// with a refund, no answer reopens issue); a new payment link is
	// ordered after the applicant's request is answered.
	versionSlowBackends workflow.Version = 3
	// versionLawClock: the legal clock's rules of issue 12 (lawclock.go):
	// waits on the applicant stop the clock as the shape and definition
	// say (fee, collection; a supplement restarts it), one supplement
	// request within 3 working days of reception, no cancellation of an
	// abandoned file without a text, the apology and new appointment
	// before the due date by the agency at fault, once; complaints'
	// dialogue and extensions, denunciations' extensions and outcomes.
	versionLawClock workflow.Version = 3
	// versionFeeSchedule: the fee is quoted from the definition's schedule
	// (channel, applicant, exemptions, separate charges; motcua.Fee.Quote)
	// when the case is filed, and paid at filing when the definition says
	// so; an online order voided by a counter payment is cancelled, not
	// failed; the result number is the back-end's when one issues it.
	versionFeeSchedule workflow.Version = 3

	// versionSecondInstance: a complaint filed against a first-instance
	// decision, or after its time limit passed unresolved
	// (CaseInput.FirstInstance; Luật Khiếu nại 2011 Điều 33), records the
	// first case, always holds the dialogue (Điều 39), extends its time
	// limit by the second instance's caps (Điều 37) and concludes with the
	// measures Điều 40 khoản 2 điểm h pairs with the conclusion
	// (second_instance.go).
	versionSecondInstance workflow.Version = 4
	// versionResultTemplates: the result document is drawn up from the
	// definition's result template (kind, case data, articles, validity)
	// and signed by the approver in the capacity the template names: the
	// issuing activity is given the template and the approver (issue 12,
	// papers).
	versionResultTemplates workflow.Version = 4
	// versionQualityInvite: a case that reaches a final status invites
	// its applicant, by the channels they chose, to rate it and to give
	// feedback (issue 14), with the links to both (quality.go).
	versionQualityInvite workflow.Version = 4

	// versionDecree118: a file that went back to the applicant for a
	// supplement after appraisal is closed 15 days after the request when
	// the applicant has not completed it, unless the definition names a
	// sectoral text and its own period (Decree 118/2025/NĐ-CP Điều 19
	// khoản 5; lawclock.go). Before it such a file waited and was
	// reported.
	versionDecree118 workflow.Version = 5
	// versionTardyApology: an apology and new appointment that comes after
	// 17:00 of the working day before the due date it moves is still
	// accepted (a late case must get a new date) but marked tardy, with a
	// timeline entry for the leader and the statistics (Decree 118/2025
	// Điều 19 khoản 6: "chậm nhất 01 ngày trước ngày hết hạn"; lawclock.go).
	// Before it only an apology after the due date itself was noted
	// (AfterDue).
	versionTardyApology workflow.Version = 5
	// versionOnlineReception: a file filed online must be answered by the
	// desk (received, returned for corrections or refused) within 08
	// working hours of the system receiving it, counted as one working
	// day; past that the reception is marked late on the case and the
	// timeline (Decree 118/2025 Điều 17 khoản 2 điểm c; lawclock.go).
	versionOnlineReception workflow.Version = 5

	// versionLeanRecords: a record after the case's first leaves out the
	// procedure and the fee lines, which never change and which the read
	// model keeps from the first (issue 11: records were half a history).
	versionLeanRecords workflow.Version = 5

	// versionLocalRecords: a record of the case in the read model is a
	// local activity, run by the worker inside the workflow task that
	// produced it. As a regular activity each record cost a round trip
	// through the server's task queues and three events carrying the whole
	// record; half of a case's activities were records (issue 11). A local
	// activity's history keeps only its marker, not its input.
	versionLocalRecords workflow.Version = 6

	versionLatest workflow.Version = 6
)

// CurrentVersion is the version new cases start at; the history recorder
// names the files it records after it (_v2).
const CurrentVersion = int(versionLatest)
