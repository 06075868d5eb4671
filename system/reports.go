package system

import (
	"context"
	"errors"
	"fmt"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/motcua/motcua/workflows"
)

// ReportScheduleID is the Schedule that reports on each closed period of
// its kind for the workers of taskQueue (one set per deployment).
func ReportScheduleID(taskQueue, period string) string {
	return taskQueue + ":" + workflows.ReportScheduleID(period)
}

// KeepReportSchedules creates the report Schedules, or brings existing ones
// to what this worker's code says: every worker does so at start, and
// whichever comes second updates what the first created.
func KeepReportSchedules(ctx context.Context, tc client.Client, taskQueue string) error {
	for _, rs := range workflows.ReportSchedules {
		opts := reportSchedule(taskQueue, rs)
		_, err := tc.ScheduleClient().Create(ctx, opts)
		if errors.Is(err, temporal.ErrScheduleAlreadyRunning) {
			err = tc.ScheduleClient().GetHandle(ctx, opts.ID).Update(ctx, client.ScheduleUpdateOptions{
				DoUpdate: func(in client.ScheduleUpdateInput) (*client.ScheduleUpdate, error) {
					sched := in.Description.Schedule
					sched.Spec, sched.Action = &opts.Spec, opts.Action
					return &client.ScheduleUpdate{Schedule: &sched}, nil
				},
			})
		}
		if err != nil {
			return fmt.Errorf("report schedule %s: %w", opts.ID, err)
		}
	}
	return nil
}

// reportSchedule fires at 00:00 UTC (07:00 in Vietnam, which keeps no
// daylight saving) on the first day of each month rs names: the period
// before has ended and its last records are in. The run reports on the
// period before its scheduled time, so a backfill of a past time reports
// on the period before that.
func reportSchedule(taskQueue string, rs workflows.ReportSchedule) client.ScheduleOptions {
	months := make([]client.ScheduleRange, len(rs.Months))
	for i, m := range rs.Months {
		months[i] = client.ScheduleRange{Start: m}
	}
	return client.ScheduleOptions{
		ID: ReportScheduleID(taskQueue, rs.Period),
		Spec: client.ScheduleSpec{Calendars: []client.ScheduleCalendarSpec{{
			Hour: []client.ScheduleRange{{Start: 0}}, DayOfMonth: []client.ScheduleRange{{Start: 1}}, Month: months,
			Comment: "báo cáo định kỳ: " + rs.Period,
		}}, TimeZoneName: "UTC"},
		Action: &client.ScheduleWorkflowAction{
			ID: "report-" + rs.Period, Workflow: workflows.ReportWorkflowName, TaskQueue: taskQueue,
			Args:                     []any{workflows.ReportInput{Period: rs.Period, Mail: true}},
			WorkflowExecutionTimeout: workflows.ReportTimeout,
		},
	}
}
