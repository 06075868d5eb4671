package workflows_test

import (
	"context"
	"testing"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/workflows"
)

// fakeReports records what the report workflow asked for.
type fakeReports struct {
	built, mailed []workflows.ReportRequest
}

func (f *fakeReports) BuildReports(_ context.Context, req workflows.ReportRequest) ([]motcua.Report, error) {
	f.built = append(f.built, req)
	return []motcua.Report{{Period: req.Period, Key: req.Key, Received: 3}}, nil
}

func (f *fakeReports) MailReport(_ context.Context, req workflows.ReportRequest) error {
	f.mailed = append(f.mailed, req)
	return nil
}

// A Schedule's run reports on the period before its scheduled time (a
// backfill's, not the time it runs at) and mails it; a regeneration names
// its period and mails nothing; a period that is not one fails at once.
func TestReportWorkflowPeriod(t *testing.T) {
	scheduled := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC) // 07:00 in Vietnam
	for _, tc := range []struct {
		name, period, key, want string
		mail                    bool
	}{
		{"monthly schedule", motcua.PeriodMonth, "", "2026-03", true},
		{"quarterly schedule", motcua.PeriodQuarter, "", "2026-Q1", true},
		{"annual schedule", motcua.PeriodYear, "", "2025", true},
		{"regeneration", motcua.PeriodMonth, "2025-11", "2025-11", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var s testsuite.WorkflowTestSuite
			env := s.NewTestWorkflowEnvironment()
			env.SetStartTime(time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)) // a backfill runs later than scheduled
			if err := env.SetTypedSearchAttributesOnStart(temporal.NewSearchAttributes(
				temporal.NewSearchAttributeKeyTime("TemporalScheduledStartTime").ValueSet(scheduled))); err != nil {
				t.Fatal(err)
			}
			f := &fakeReports{}
			workflows.RegisterReports(env, f)
			env.ExecuteWorkflow(workflows.ReportWorkflowName, workflows.ReportInput{Period: tc.period, Key: tc.key, Mail: tc.mail})
			var res workflows.ReportResult
			if err := env.GetWorkflowResult(&res); err != nil {
				t.Fatal(err)
			}
			if res.Key != tc.want || len(f.built) != 1 || f.built[0].Key != tc.want || res.Mailed != tc.mail || len(f.mailed) != map[bool]int{true: 1}[tc.mail] {
				t.Fatalf("result %+v, built %v, mailed %v", res, f.built, f.mailed)
			}
		})
	}
	t.Run("bad period", func(t *testing.T) {
		var s testsuite.WorkflowTestSuite
		env := s.NewTestWorkflowEnvironment()
		f := &fakeReports{}
		workflows.RegisterReports(env, f)
		env.ExecuteWorkflow(workflows.ReportWorkflowName, workflows.ReportInput{Period: motcua.PeriodMonth, Key: "2026-13"})
		if err := env.GetWorkflowError(); err == nil || len(f.built) != 0 {
			t.Fatalf("a month 13: %v, built %v", err, f.built)
		}
	})
}
