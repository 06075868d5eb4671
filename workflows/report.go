package workflows

import (
	"context"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/motcua/motcua"
)

// Periodic reports (báo cáo định kỳ): a Temporal Schedule per kind of
// period starts ReportWorkflow after each month, quarter and year; the API
// starts it to regenerate any past period. The workflow builds the
// province's report and each agency's from the read model's statistics,
// stores them, and mails the province's to its office. Building twice
// stores the same numbers: the statistics of a closed period are summed
// from the same rows.

// ReportWorkflowName is the report workflow's type.
const ReportWorkflowName = "Report"

// ReportScheduleID is the ID of the Schedule that reports on each closed
// period of its kind.
func ReportScheduleID(period string) string { return "report-" + period }

// ReportWorkflowID is the ID of a regeneration of period key.
func ReportWorkflowID(period, key string) string { return "report:" + period + ":" + key }

// scheduledStart is the time the Schedule meant to start a run at (also
// for a backfill, whose runs start now for times past).
var scheduledStart = temporal.NewSearchAttributeKeyTime("TemporalScheduledStartTime")

// ReportInput asks for the reports of one period. Key empty: the period of
// its kind that ended last before the scheduled start (a Schedule's run).
type ReportInput struct {
	Period string `json:"period"`
	Key    string `json:"key,omitempty"`
	// Mail sends the province's report to its office.
	Mail bool `json:"mail,omitempty"`
}

// ReportRequest names one period's reports.
type ReportRequest struct {
	Period string `json:"period"`
	Key    string `json:"key"`
}

// ReportResult is what a run built.
type ReportResult struct {
	Period  string          `json:"period"`
	Key     string          `json:"key"`
	Reports []motcua.Report `json:"reports"`
	Mailed  bool            `json:"mailed"`
}

// ReportActivities build, store and mail reports.
type ReportActivities interface {
	// BuildReports renders and stores the province's and each agency's
	// report of the period.
	BuildReports(ctx context.Context, req ReportRequest) ([]motcua.Report, error)
	// MailReport sends the province's stored report to its office.
	MailReport(ctx context.Context, req ReportRequest) error
}

var (
	buildReports = rcall[ReportRequest, []motcua.Report]{name: "BuildReports", options: internalOptions,
		impl: func(a ReportActivities) any { return a.BuildReports }}
	mailReport = rcall[ReportRequest, none]{name: "MailReport", options: notifyOptions,
		impl: func(a ReportActivities) any { return a.MailReport }}
)

// rcall is a report activity as the workflow sees it.
type rcall[Req, Res any] = opCall[ReportActivities, Req, Res]

// ReportWorkflow builds (and mails) the reports of one closed period.
func ReportWorkflow(ctx workflow.Context, in ReportInput) (ReportResult, error) {
	key := in.Key
	if key == "" {
		at := workflow.Now(ctx)
		if t, ok := workflow.GetTypedSearchAttributes(ctx).GetTime(scheduledStart); ok {
			at = t
		}
		key = motcua.PreviousReportPeriod(in.Period, at)
	}
	if _, _, err := motcua.ReportRange(in.Period, key); err != nil {
		return ReportResult{}, temporal.NewNonRetryableApplicationError(err.Error(), motcua.EINVALID, nil)
	}
	req := ReportRequest{Period: in.Period, Key: key}
	workflow.GetLogger(ctx).Info("report", "period", in.Period, "key", key)
	reports, err := buildReports.run(ctx, req)
	if err != nil {
		return ReportResult{}, err
	}
	res := ReportResult{Period: in.Period, Key: key, Reports: reports}
	if in.Mail {
		if _, err := mailReport.run(ctx, req); err != nil {
			return res, err
		}
		res.Mailed = true
	}
	return res, nil
}

// RegisterReports puts the report workflow and its activities on r.
func RegisterReports(r worker.Registry, a ReportActivities) {
	r.RegisterWorkflowWithOptions(ReportWorkflow, workflow.RegisterOptions{Name: ReportWorkflowName})
	buildReports.register(r, a)
	mailReport.register(r, a)
}

// ReportSchedule is when the Schedule of a kind of period fires: at 01:00
// Vietnam time on the first day after each period, when the last day's
// records are in.
type ReportSchedule struct {
	Period string
	Months []int // months whose first day it fires on
}

// ReportSchedules are the Schedules the worker keeps.
var ReportSchedules = []ReportSchedule{
	{Period: motcua.PeriodMonth, Months: []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}},
	{Period: motcua.PeriodQuarter, Months: []int{1, 4, 7, 10}},
	{Period: motcua.PeriodYear, Months: []int{1}},
}

// ReportTimeout bounds one report run.
const ReportTimeout = 30 * time.Minute
