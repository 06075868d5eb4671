package e2e

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/config"
	"github.com/motcua/motcua/sim"
	"github.com/motcua/motcua/store"
	"github.com/motcua/motcua/system"
)

var ict = time.FixedZone("ICT", 7*3600)

// pastCases records, straight into the read model, cases of agency
// submitted in the month starting at month (a closed period no case of a
// test can reach by HTTP): n on time, n late, n still open past their due
// date. The numbers the statistics keep are computed as RecordCase always
// does.
func pastCases(t *testing.T, db *store.DB, agency, procedure string, month time.Time, n int) []string {
	t.Helper()
	ctx := context.Background()
	var codes []string
	for i := range 3 * n {
		submitted := month.Add(time.Duration(24*(1+i%20)+9) * time.Hour)
		received := submitted.Add(time.Hour)
		due := received.AddDate(0, 0, 5)
		code := fmt.Sprintf("%s-%s-%04d", agency, month.Format("0601")+"01", 9000+i)
		c := &motcua.Case{Code: code, Procedure: motcua.ProcedureRef{Code: procedure, Version: 1, Hash: "h", Name: "Đăng ký thành lập doanh nghiệp", Shape: "standard", Level: 4},
			Agency: agency, Agencies: []string{agency}, Status: motcua.StatusInReview, Step: "review", Channel: motcua.ChannelOnline,
			Owner: "079201009999", Applicant: motcua.Applicant{Name: "Nguyễn Văn An", IDNumber: "079201009999"},
			Delivery: motcua.Delivery{Method: motcua.DeliveryCounter}, Form: json.RawMessage(`{}`), SubmittedAt: submitted,
			ReceivedAt: &received, DueAt: &due, Pauses: []motcua.Pause{}, Actions: []motcua.Permission{},
			Documents: []motcua.Document{}, Payments: []motcua.Payment{}, Version: 2}
		events := []motcua.Event{
			{Seq: 1, At: submitted, Action: motcua.ActionSubmit, Status: motcua.StatusSubmitted, Actor: motcua.ActorRef{Kind: motcua.KindCitizen, Subject: "079201009999", Role: motcua.RoleApplicant}},
			{Seq: 2, At: received, Action: motcua.ActionReceive, Status: motcua.StatusInReview, Actor: motcua.ActorRef{Kind: motcua.KindOfficer, Subject: "tiepnhan", Role: motcua.RoleReceiver}},
		}
		switch i % 3 {
		case 0, 1: // resolved: on time, or two days late
			issued := due.Add(-24 * time.Hour)
			if i%3 == 1 {
				issued = due.Add(48 * time.Hour)
			}
			c.Status, c.Step, c.Version, c.ClosedAt = motcua.StatusCompleted, "", 3, &issued
			c.Result = &motcua.Result{IssuedAt: issued}
			events = append(events, motcua.Event{Seq: 3, At: issued, Action: motcua.ActionDeliver, Status: motcua.StatusCompleted,
				Actor: motcua.ActorRef{Kind: motcua.KindOfficer, Subject: "tiepnhan", Role: motcua.RoleReceiver}})
		case 2:
			c.Overdue = true
		}
		if err := db.RecordCase(ctx, c, events); err != nil {
			t.Fatal(err)
		}
		codes = append(codes, code)
	}
	return codes
}

// withReportSchedules starts the system with its report Schedules, as
// `motcua dev` and `motcua worker` do (the test deletes them).
func withReportSchedules(o *envOptions) {
	o.config = func(c *config.Config) { c.Reports.Schedule = true }
}

func statsOf(t *testing.T, e *env, query string) motcua.StatsRow {
	t.Helper()
	var out struct {
		Rows []motcua.StatsRow `json:"rows"`
	}
	e.must(e.call("GET", "/api/v1/stats?"+query, "", nil), 200).json(&out)
	if len(out.Rows) != 1 {
		t.Fatalf("stats %s: %d rows", query, len(out.Rows))
	}
	return out.Rows[0]
}

// csvTotal is the report CSV's totals line, by column name.
func csvTotal(t *testing.T, data []byte) map[string]string {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil || len(recs) < 2 {
		t.Fatalf("report CSV: %v %q", err, data)
	}
	last := recs[len(recs)-1]
	out := map[string]string{}
	for i, h := range recs[0] {
		out[h] = last[i]
	}
	if out["code"] != "total" {
		t.Fatalf("the CSV's last line is not the totals: %v", last)
	}
	return out
}

// The monthly Schedule the system keeps, backfilled at the start of this
// month, reports on last month: the province's report and the agency's
// carry the numbers GET /api/v1/stats gives for that month, are mailed
// (PDF and CSV attached) to the province's office, and regenerating the
// month gives the same numbers.
func TestScheduledReportMatchesStatistics(t *testing.T) {
	e := newEnv(t, withReportSchedules)
	ctx := context.Background()
	for _, p := range motcua.ReportPeriods {
		id := system.ReportScheduleID(e.queue, p)
		t.Cleanup(func() { _ = e.tc.ScheduleClient().GetHandle(context.Background(), id).Delete(context.Background()) })
	}
	sched := e.tc.ScheduleClient().GetHandle(ctx, system.ReportScheduleID(e.queue, motcua.PeriodMonth))
	desc, err := sched.Describe(ctx)
	if err != nil {
		t.Fatalf("the system keeps no monthly report Schedule: %v", err)
	}
	now := time.Now()
	fires := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	if next := desc.Info.NextActionTimes; len(next) == 0 || next[0].Day() != 1 || next[0].Hour() != 0 {
		t.Fatalf("next monthly runs: %v", next)
	}
	month := time.Date(now.Year(), now.Month()-1, 1, 0, 0, 0, 0, ict)
	key := month.Format("2006-01")
	pastCases(t, e.db, "SKHDT", business, month, 3)
	pastCases(t, e.db, "STP", "cap-phieu-ly-lich-tu-phap", month, 2)

	// A second start of the system (another worker) updates the
	// Schedules it finds, and fails on nothing.
	if err := system.KeepReportSchedules(ctx, e.tc, e.queue); err != nil {
		t.Fatal(err)
	}
	if err := sched.Backfill(ctx, client.ScheduleBackfillOptions{Backfill: []client.ScheduleBackfill{{
		Start: fires.Add(-time.Minute), End: fires.Add(time.Minute), Overlap: enumspb.SCHEDULE_OVERLAP_POLICY_ALLOW_ALL}}}); err != nil {
		t.Fatal(err)
	}
	var mailed sim.Mail
	var list struct {
		Reports []motcua.Report `json:"reports"`
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		for _, m := range e.sim.Mailbox() {
			if strings.Contains(m.Subject, "Báo cáo") {
				mailed = m
			}
		}
		if mailed.Subject != "" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no report mailed; mailbox: %+v", e.sim.Mailbox())
		}
		time.Sleep(200 * time.Millisecond)
	}
	e.must(e.call("GET", "/api/v1/reports?period=month&key="+key, "", nil), 200).json(&list)
	byScope := map[string]motcua.Report{}
	for _, r := range list.Reports {
		byScope[r.Agency] = r
	}
	if len(byScope) != 3 || byScope[""].Key != key {
		t.Fatalf("reports of %s: %+v", key, list.Reports)
	}

	from, to := month.Format(time.DateOnly), month.AddDate(0, 1, -1).Format(time.DateOnly)
	for scope, want := range map[string]string{"": "", "SKHDT": "&agency=SKHDT", "STP": "&agency=STP"} {
		s := statsOf(t, e, "from="+from+"&to="+to+want)
		r := byScope[scope]
		if r.Received != s.Received || r.Resolved != s.ResolvedOnTime+s.ResolvedLate || r.Late != s.ResolvedLate || r.Overdue != s.OpenOverdue {
			t.Errorf("report %q %+v, statistics %+v", scope, r, s)
		}
		file := e.must(e.call("GET", "/api/v1/reports/month/"+key+"/csv?agency="+scope, "", nil), 200)
		total := csvTotal(t, file.body)
		for col, n := range map[string]int64{"received": s.Received, "resolved_on_time": s.ResolvedOnTime, "resolved_late": s.ResolvedLate,
			"open_overdue": s.OpenOverdue, "received_online": s.ReceivedOnline} {
			if total[col] != fmt.Sprint(n) {
				t.Errorf("report %q CSV %s = %s, statistics %d", scope, col, total[col], n)
			}
		}
	}
	if p := byScope[""]; p.Received != 15 || p.Late != 5 || p.Overdue != 5 {
		t.Errorf("the province's month: %+v", p)
	}

	// The mail: to the office, the province's numbers, both files.
	if len(mailed.To) != 1 || mailed.To[0] != "vanphong@dichvucong.local" || !strings.Contains(mailed.Body, "tiếp nhận 15 hồ sơ") {
		t.Errorf("report mail: to %v: %s", mailed.To, mailed.Body)
	}
	pdf := e.must(e.call("GET", "/api/v1/reports/month/"+key+"/pdf", "", nil), 200)
	csvFile := e.must(e.call("GET", "/api/v1/reports/month/"+key+"/csv", "", nil), 200)
	names := map[string][]byte{}
	for _, a := range mailed.Attachments {
		names[a.Name] = a.Data
	}
	if got := names["bao-cao-month-"+key+".pdf"]; !bytes.Equal(got, pdf.body) || !bytes.HasPrefix(got, []byte("%PDF")) {
		t.Errorf("mailed PDF (%d bytes) is not the stored one (%d bytes)", len(got), len(pdf.body))
	}
	if got := names["bao-cao-month-"+key+".csv"]; !bytes.Equal(got, csvFile.body) {
		t.Errorf("mailed CSV %q, stored %q", got, csvFile.body)
	}

	// Regenerating: the head of an agency or an administrator; the same
	// numbers, one more generation.
	path := "/api/v1/reports/month/" + key + "/regenerate"
	if got := e.call("POST", path, e.citizen("079201001234"), nil); got.status != 403 {
		t.Fatalf("a citizen regenerates: %d %s", got.status, got.body)
	}
	if got := e.call("POST", path, e.officer("tiepnhan", "SKHDT", "receiver"), nil); got.status != 403 {
		t.Fatalf("a receiver regenerates: %d %s", got.status, got.body)
	}
	head := e.officer("giamdoc", "SKHDT", "head")
	thisMonth := e.call("POST", "/api/v1/reports/month/"+now.In(ict).Format("2006-01")+"/regenerate", head, nil, "Accept-Language", "en")
	if thisMonth.status != 409 || !strings.Contains(string(thisMonth.body), "has not ended") {
		t.Fatalf("regenerating this month: %d %s", thisMonth.status, thisMonth.body)
	}
	if bad := e.call("POST", "/api/v1/reports/month/2026-13/regenerate", head, nil); bad.status != 422 || !strings.Contains(string(bad.body), "không hợp lệ") {
		t.Fatalf("a month 13: %d %s", bad.status, bad.body)
	}
	var again struct {
		Reports []motcua.Report `json:"reports"`
		Mailed  bool            `json:"mailed"`
	}
	e.must(e.call("POST", path, head, nil), 200).json(&again)
	if len(again.Reports) != 3 || again.Mailed {
		t.Fatalf("regenerated: %+v", again)
	}
	for _, r := range again.Reports {
		if first := byScope[r.Agency]; r.Digest != first.Digest || r.Received != first.Received || r.Late != first.Late {
			t.Errorf("regenerated %q: %+v, first %+v", r.Agency, r, first)
		}
	}
	e.must(e.call("GET", "/api/v1/reports?agency=-&period=month", "", nil), 200).json(&list)
	if len(list.Reports) != 1 || list.Reports[0].Generations != 2 {
		t.Errorf("after regenerating: %+v", list.Reports)
	}
	if got := e.must(e.call("GET", "/api/v1/reports/month/"+key+"/pdf", "", nil), 200); !bytes.Equal(got.body, pdf.body) {
		t.Error("the regenerated PDF differs")
	}
}
