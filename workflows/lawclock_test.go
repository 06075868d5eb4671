package workflows_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/workflows"
)

// The legal clock's rules from version 3 (workflows/lawclock.go, issue 12).
// Each table row cites the article it checks; docs/law/decree-118-2025.md
// quotes them. Decree 118/2025 kept Decree 61/2018's wording on these
// points; the rows name the older article where the version predates it.

// pin runs the case at version v of the shapes' code (versions.go).
func (h *harness) pin(v int) {
	// The mocked GetVersion is slow on a loaded machine: give the
	// deadlock detector room.
	h.env.SetWorkerOptions(worker.Options{DeadlockDetectionTimeout: time.Minute})
	h.env.OnGetVersion("level4", workflow.DefaultVersion, workflow.Version(workflows.CurrentVersion)).Return(workflow.Version(v))
}

func has(c motcua.Case, action motcua.Action) (motcua.Event, bool) {
	for _, e := range c.Timeline {
		if e.Action == action {
			return e, true
		}
	}
	return motcua.Event{}, false
}

// Which waits stop the clock: paying (fee, land financial obligations)
// and collecting the result, as the shape says, a definition overriding.
func TestClockStopsForApplicantWaits(t *testing.T) {
	monThu := vn(2025, 3, 6, 17, 0) // due of a case received Mon 3/3, 3 working days
	for _, tc := range []struct {
		name     string
		basis    string
		override *motcua.ClockLaw
		moves    []move
		due      time.Time
		overdue  bool
		wait     string
	}{
		{name: "fee paid five days after approval: the clock stood still", basis: "standard shape: payment pauses (land: 'không tính thời gian thực hiện nghĩa vụ tài chính'; fees: chưa xác minh)",
			moves: []move{
				{action: motcua.ActionReceive, actor: receiver}, {action: motcua.ActionReview, actor: reviewer},
				{action: motcua.ActionApprove, actor: approver},
				{after: 5 * 24 * time.Hour, action: motcua.ActionConfirmPayment, actor: cashier, data: `{"receipt_no":"BL-1"}`},
				{action: motcua.ActionIssue, actor: reviewer}, {action: motcua.ActionDeliver, actor: receiver},
			}, due: vn(2025, 3, 12, 17, 0), wait: motcua.WaitPayment},
		{name: "a definition whose text counts the payment: the clock ran", basis: "clock.waits.payment: run overrides the shape",
			override: &motcua.ClockLaw{Waits: map[string]motcua.ClockRule{motcua.WaitPayment: {Mode: motcua.ClockRun, Basis: "test"}}},
			moves: []move{
				{action: motcua.ActionReceive, actor: receiver}, {action: motcua.ActionReview, actor: reviewer},
				{action: motcua.ActionApprove, actor: approver},
				{after: 5 * 24 * time.Hour, action: motcua.ActionConfirmPayment, actor: cashier, data: `{"receipt_no":"BL-1"}`},
				{action: motcua.ActionIssue, actor: reviewer}, {action: motcua.ActionDeliver, actor: receiver},
			}, due: monThu, overdue: true, wait: motcua.WaitCollection},
		{name: "result ready on time, collected ten days late: on time", basis: "NĐ 61/2018 Điều 20 khoản 3 (collection pauses)",
			moves: []move{
				{action: motcua.ActionReceive, actor: receiver}, {action: motcua.ActionReview, actor: reviewer},
				{action: motcua.ActionApprove, actor: approver}, {action: motcua.ActionConfirmPayment, actor: cashier, data: `{"receipt_no":"BL-1"}`},
				{action: motcua.ActionIssue, actor: reviewer},
				{after: 10 * 24 * time.Hour, action: motcua.ActionDeliver, actor: receiver},
			}, due: monThu, wait: motcua.WaitCollection},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := procedure()
			p.Clock = tc.override
			h := newHarness(t)
			final := h.run(t, standardWF, input(p, motcua.DeliveryCounter), tc.moves)
			if final.Status != motcua.StatusCompleted || !final.DueAt.Equal(tc.due) {
				t.Fatalf("%s: status %s due %v, want %v", tc.basis, final.Status, final.DueAt.In(calendar.Location), tc.due)
			}
			if _, ok := has(final, motcua.EventOverdue); ok != tc.overdue || final.Law.Late != tc.overdue {
				t.Fatalf("%s: overdue event %v late %v, want %v", tc.basis, ok, final.Law.Late, tc.overdue)
			}
			if final.Law.OnTime == nil || *final.Law.OnTime == tc.overdue {
				t.Fatalf("%s: on time %v", tc.basis, final.Law.OnTime)
			}
			if !slices.ContainsFunc(final.Pauses, func(p motcua.Pause) bool { return p.Wait == tc.wait }) {
				t.Fatalf("%s: pauses %+v lack %s", tc.basis, final.Pauses, tc.wait)
			}
		})
	}
}

// Supplement requests after reception: once, within 3 working days of
// reception, every missing item listed; the time limit restarts from zero
// once the file is complete.
func TestSupplementRequestRules(t *testing.T) {
	for _, tc := range []struct {
		name, basis string
		moves       []move
		due         time.Time
	}{
		{name: "one request only", basis: "NĐ 61/2018 Điều 11 khoản 2 điểm c",
			moves: []move{
				{action: motcua.ActionReceive, actor: receiver},
				{action: motcua.ActionRequestInfo, actor: reviewer, reason: "Hồ sơ thiếu giấy tờ.", data: `{"items":["Điều lệ công ty","Danh sách thành viên"]}`},
				{action: motcua.ActionSupplement, actor: citizen},
				{action: motcua.ActionRequestInfo, actor: reviewer, reason: "Còn thiếu", want: motcua.ECONFLICT},
				{action: motcua.ActionWithdraw, actor: citizen},
			}, due: vn(2025, 3, 6, 17, 0)},
		{name: "an empty item is refused", basis: "NĐ 61/2018 Điều 19 khoản 4 (nêu rõ nội dung cần bổ sung)",
			moves: []move{
				{action: motcua.ActionReceive, actor: receiver},
				{action: motcua.ActionRequestInfo, actor: reviewer, reason: "Thiếu", data: `{"items":[""]}`, want: motcua.EINVALID},
				{action: motcua.ActionWithdraw, actor: citizen},
			}, due: vn(2025, 3, 6, 17, 0)},
		{name: "no request after 3 working days", basis: "NĐ 61/2018 Điều 19 khoản 4",
			moves: []move{
				{action: motcua.ActionReceive, actor: receiver},
				{after: 4 * 24 * time.Hour, action: motcua.ActionRequestInfo, actor: reviewer, reason: "Thiếu", want: motcua.ECONFLICT},
				{action: motcua.ActionWithdraw, actor: citizen},
			}, due: vn(2025, 3, 6, 17, 0)},
		{name: "the time limit restarts once the file is complete", basis: "NĐ 61/2018 Điều 19 khoản 4 (tính lại từ đầu)",
			moves: []move{
				{action: motcua.ActionReceive, actor: receiver},
				{after: 24 * time.Hour, action: motcua.ActionRequestInfo, actor: reviewer, reason: "Thiếu điều lệ"},
				{after: 72 * time.Hour, action: motcua.ActionSupplement, actor: citizen}, // Fri 7/3
				{action: motcua.ActionWithdraw, actor: citizen},
			}, due: vn(2025, 3, 12, 17, 0)}, // Mon 10, Tue 11, Wed 12
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			final := h.run(t, standardWF, input(procedure(), motcua.DeliveryCounter), tc.moves)
			if !final.DueAt.Equal(tc.due) {
				t.Fatalf("%s: due %v, want %v", tc.basis, final.DueAt.In(calendar.Location), tc.due)
			}
		})
	}
	// The request names every item, and the applicant hears them all.
	h := newHarness(t)
	in := input(procedure(), motcua.DeliveryCounter)
	in.Notify = []string{"sms"}
	h.run(t, standardWF, in, []move{
		{action: motcua.ActionReceive, actor: receiver},
		{action: motcua.ActionRequestInfo, actor: reviewer, reason: "Hồ sơ thiếu giấy tờ.", data: `{"items":["Điều lệ công ty","Danh sách thành viên"]}`},
		{action: motcua.ActionWithdraw, actor: citizen},
	})
	if !slices.ContainsFunc(h.backend.notifications, func(n workflows.Notification) bool {
		return strings.Contains(n.Text, "Điều lệ công ty; Danh sách thành viên")
	}) {
		t.Fatalf("notifications %+v", h.backend.notifications)
	}
}

// runAtCounter runs a standard case filed at the counter whose definition
// names cancel as its sectoral text for cancelling ("" none), pinned to
// version (0: the newest).
func runAtCounter(t *testing.T, cancel string, version int, moves []move) motcua.Case {
	t.Helper()
	p := procedure()
	if cancel != "" {
		p.Clock = &motcua.ClockLaw{CancelBasis: cancel}
	}
	h := newHarness(t)
	if version != 0 {
		h.pin(version)
	}
	return h.run(t, standardWF, input(p, motcua.DeliveryCounter), moves)
}

// A file the applicant does not supplement is cancelled only where a text
// allows it; otherwise it waits and the delay is reported. Version 4 shows
// the rule before Decree 118's closure (TestDecree118ClosesUnsupplemented).
func TestAbandonedFileCancelledOnlyByText(t *testing.T) {
	for _, tc := range []struct {
		name, basis string
		version     int
		cancel      string
		moves       []move
		want        []string
	}{
		{name: "no text: waits and is reported", basis: "NĐ 61/2018 Điều 15–22 give no cancellation", version: 4,
			moves: []move{
				{action: motcua.ActionReceive, actor: receiver},
				{action: motcua.ActionRequestInfo, actor: reviewer, reason: "Bổ sung"},
				{after: 10 * 24 * time.Hour, action: motcua.ActionSupplement, actor: citizen},
				{action: motcua.ActionWithdraw, actor: citizen},
			},
			want: []string{"submit>submitted", "receive>received", "transferred>in_review", "receipt_issued>in_review", "request_info>awaiting_supplement",
				"slip_issued>awaiting_supplement", "supplement_late>awaiting_supplement", "supplement>in_review", "withdraw>withdrawn"}},
		{name: "a text allows it: cancelled after supplement_days", basis: "clock.cancel_basis names the text", cancel: "Văn bản chuyên ngành (thử nghiệm)",
			moves: []move{
				{action: motcua.ActionReceive, actor: receiver},
				{action: motcua.ActionRequestInfo, actor: reviewer, reason: "Bổ sung"},
			},
			want: []string{"submit>submitted", "receive>received", "transferred>in_review", "receipt_issued>in_review", "request_info>awaiting_supplement",
				"slip_issued>awaiting_supplement", "supplement_expired>cancelled"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			final := runAtCounter(t, tc.cancel, tc.version, tc.moves)
			assertTimeline(t, final, tc.want...)
			if e, ok := has(final, motcua.EventSupplementExpiry); ok && !strings.Contains(e.Note, tc.cancel) {
				t.Fatalf("%s: cancellation names no basis: %q", tc.basis, e.Note)
			}
		})
	}
}

// From version 5 a file sent back after appraisal and not completed 15 days
// (not working days) after the request is closed, unless the definition
// names a sectoral text with its own period; the desk's return at
// reception closes nothing. Decree 118/2025/NĐ-CP Điều 19 khoản 5: "Sau 15
// ngày kể từ khi thông báo hoặc theo thời hạn quy định của pháp luật
// chuyên ngành, nếu tổ chức, cá nhân không hoàn thành việc hoàn thiện hồ
// sơ, ... Bộ phận Một cửa thực hiện đóng hồ sơ".
func TestDecree118ClosesUnsupplemented(t *testing.T) {
	requested := start.Add(2 * time.Minute) // the request follows reception
	for _, tc := range []struct {
		name, basis string
		version     int
		cancel      string
		moves       []move
		want        []string
		closedAt    time.Time // when the closing event fell, if one is expected
		note        string    // what its note names
	}{
		{name: "not completed 15 days after the request: closed", basis: "NĐ 118/2025 Điều 19 khoản 5",
			moves: []move{
				{action: motcua.ActionReceive, actor: receiver},
				{action: motcua.ActionRequestInfo, actor: reviewer, reason: "Bổ sung"},
			},
			want: []string{"submit>submitted", "receive>received", "transferred>in_review", "receipt_issued>in_review", "request_info>awaiting_supplement",
				"slip_issued>awaiting_supplement", "supplement_expired>cancelled"},
			closedAt: calendar.EndOfDay(requested.AddDate(0, 0, 15)), note: "Điều 19 khoản 5"},
		{name: "completed on the 14th day: processing goes on", basis: "NĐ 118/2025 Điều 19 khoản 5",
			moves: []move{
				{action: motcua.ActionReceive, actor: receiver},
				{action: motcua.ActionRequestInfo, actor: reviewer, reason: "Bổ sung"},
				{after: 14 * 24 * time.Hour, action: motcua.ActionSupplement, actor: citizen},
				{action: motcua.ActionWithdraw, actor: citizen},
			},
			want: []string{"submit>submitted", "receive>received", "transferred>in_review", "receipt_issued>in_review", "request_info>awaiting_supplement",
				"slip_issued>awaiting_supplement", "supplement>in_review", "withdraw>withdrawn"}},
		{name: "a sectoral text: its own period", basis: "NĐ 118/2025 Điều 19 khoản 5 (theo thời hạn quy định của pháp luật chuyên ngành)",
			cancel: "Văn bản chuyên ngành (thử nghiệm)",
			moves: []move{
				{action: motcua.ActionReceive, actor: receiver},
				{action: motcua.ActionRequestInfo, actor: reviewer, reason: "Bổ sung"},
			},
			want: []string{"submit>submitted", "receive>received", "transferred>in_review", "receipt_issued>in_review", "request_info>awaiting_supplement",
				"slip_issued>awaiting_supplement", "supplement_expired>cancelled"},
			closedAt: vn(2025, 3, 10, 17, 0), note: "Văn bản chuyên ngành"}, // supplement_days 5 working days
		{name: "returned at reception: not closed, reported", basis: "NĐ 118/2025 Điều 17 khoản 1 điểm c, khoản 2 điểm a: no closure before reception",
			moves: []move{
				{action: motcua.ActionReturn, actor: receiver, reason: "Thiếu bản sao căn cước"},
				{after: 20 * 24 * time.Hour, action: motcua.ActionSupplement, actor: citizen},
				{action: motcua.ActionWithdraw, actor: citizen},
			},
			want: []string{"submit>submitted", "return>awaiting_supplement", "slip_issued>awaiting_supplement", "supplement_late>awaiting_supplement",
				"supplement>submitted", "withdraw>withdrawn"}},
		{name: "version 4: waits and is reported", basis: "before versionDecree118", version: 4,
			moves: []move{
				{action: motcua.ActionReceive, actor: receiver},
				{action: motcua.ActionRequestInfo, actor: reviewer, reason: "Bổ sung"},
				{after: 20 * 24 * time.Hour, action: motcua.ActionSupplement, actor: citizen},
				{action: motcua.ActionWithdraw, actor: citizen},
			},
			want: []string{"submit>submitted", "receive>received", "transferred>in_review", "receipt_issued>in_review", "request_info>awaiting_supplement",
				"slip_issued>awaiting_supplement", "supplement_late>awaiting_supplement", "supplement>in_review", "withdraw>withdrawn"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			final := runAtCounter(t, tc.cancel, tc.version, tc.moves)
			assertTimeline(t, final, tc.want...)
			e, ok := has(final, motcua.EventSupplementExpiry)
			if ok != !tc.closedAt.IsZero() || ok && (!e.At.Equal(tc.closedAt) || !strings.Contains(e.Note, tc.note)) {
				t.Fatalf("%s: closing event %v %+v, want at %v naming %q", tc.basis, ok, e, tc.closedAt, tc.note)
			}
		})
	}
}

// The apology and new appointment: before the due date, by the head of the
// agency at fault, with the reason; once; the case counts as late and is
// watched against the new date.
func TestApologyAndNewAppointment(t *testing.T) {
	co := officer("STNMT", "giamdocstnmt", motcua.RoleHead)
	for _, tc := range []struct {
		name, basis string
		co          bool
		moves       []move
		agency      string
		overdue     string // the note of the overdue event, if one is expected
	}{
		{name: "lead agency, before the due date, once", basis: "NĐ 61/2018 Điều 19 khoản 9, Điều 12 khoản 5",
			moves: []move{
				{action: motcua.ActionReceive, actor: receiver}, // due Thu 6/3
				{action: motcua.ActionReschedule, actor: reviewer, reason: "x", data: `{"new_date":"2025-03-12"}`, want: motcua.EFORBIDDEN},
				{action: motcua.ActionReschedule, actor: head, reason: "Xin lỗi", data: `{"new_date":"2025-03-06"}`, want: motcua.EINVALID},
				{action: motcua.ActionReschedule, actor: head, reason: "Xin lỗi ông/bà: chờ kết quả xác minh của cơ quan thuế", data: `{"new_date":"2025-03-12"}`},
				{action: motcua.ActionReschedule, actor: head, reason: "Lần nữa", data: `{"new_date":"2025-03-14"}`, want: motcua.ECONFLICT},
				{after: 10 * 24 * time.Hour, action: motcua.ActionReview, actor: reviewer},
				{action: motcua.ActionReject, actor: approver, reason: "Không đủ điều kiện"},
			}, agency: "SKHDT", overdue: "không được hẹn lại thêm"},
		{name: "the co-processing agency whose share runs", basis: "NĐ 61/2018 Điều 19 khoản 9 (cơ quan có thẩm quyền giải quyết), khoản 5",
			co: true,
			moves: []move{
				{action: motcua.ActionReceive, actor: receiver},
				{action: motcua.ActionReview, actor: reviewer},
				{action: motcua.ActionReschedule, actor: co, reason: "Xin lỗi: chờ đo đạc thực địa", data: `{"new_date":"2025-03-12"}`},
				{action: motcua.ActionCoReview, actor: coOff, data: `{"agree":true}`},
				{action: motcua.ActionReject, actor: approver, reason: "Không đủ điều kiện"},
			}, agency: "STNMT"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := procedure()
			if tc.co {
				p.CoAgencies = []motcua.CoAgency{{Agency: "STNMT", Days: 2}}
			}
			h := newHarness(t)
			final := h.run(t, standardWF, input(p, motcua.DeliveryCounter), tc.moves)
			law := final.Law
			if law == nil || len(law.Apologies) != 1 || !law.Late || law.OriginalDueAt == nil || !law.OriginalDueAt.Equal(vn(2025, 3, 6, 17, 0)) {
				t.Fatalf("%s: law %+v", tc.basis, law)
			}
			a := law.Apologies[0]
			if a.Agency != tc.agency || a.AfterDue || a.Reason == "" || !a.NewDue.Equal(vn(2025, 3, 12, 17, 0)) || !final.DueAt.Equal(a.NewDue) {
				t.Fatalf("%s: apology %+v due %v", tc.basis, a, final.DueAt)
			}
			if _, ok := has(final, motcua.EventApologyIssued); !ok || a.Document == "" {
				t.Fatalf("%s: no signed apology slip: %v", tc.basis, timeline(final))
			}
			e, ok := has(final, motcua.EventOverdue)
			if (tc.overdue != "") != ok || ok && (!strings.Contains(e.Note, tc.overdue) || !e.At.Equal(vn(2025, 3, 12, 17, 0))) {
				t.Fatalf("%s: overdue %v %+v", tc.basis, ok, e)
			}
		})
	}
}

// Cases filed before version 3 keep their path: the old due date after a
// supplement (pause), and cancellation after supplement_days.
func TestVersion2KeepsItsClock(t *testing.T) {
	h := newHarness(t)
	h.pin(2)
	final := h.run(t, standardWF, input(procedure(), motcua.DeliveryCounter), []move{
		{action: motcua.ActionReceive, actor: receiver},
		{action: motcua.ActionRequestInfo, actor: reviewer, reason: "Bổ sung"},
	})
	if final.Law != nil || final.Status != motcua.StatusCancelled {
		t.Fatalf("v2 case: law %+v status %s", final.Law, final.Status)
	}
}

func complaintProcedure(shape string) motcua.Procedure {
	p := procedure()
	p.Code, p.Shape, p.Agencies, p.Fee = "giai-quyet-"+shape, shape, []string{"TTT"}, nil
	p.Deadlines = map[string]int{workflows.DeadlineAccept: 10, workflows.DeadlineResolve: 30}
	p.Steps = motcua.Steps{
		motcua.StepReceive: {Role: motcua.RoleReceiver}, motcua.StepAssign: {Role: motcua.RoleHead},
		motcua.StepReview: {Role: motcua.RoleReviewer}, motcua.StepConclude: {Role: motcua.RoleHead},
		motcua.StepDeliver: {Role: motcua.RoleReceiver},
	}
	return p
}

var (
	desk  = officer("TTT", "tiepdan", motcua.RoleReceiver)
	chief = officer("TTT", "chanhthanhtra", motcua.RoleHead)
	inv   = officer("TTT", "thanhtravien", motcua.RoleReviewer)
)

// Complaints: the dialogue where the Law requires it, the extension of a
// complex case, the decision's outcomes in the Law's words.
func TestComplaintUnderTheLaw(t *testing.T) {
	for _, tc := range []struct {
		name, basis string
		moves       []move
		want        []string
		due         time.Time
		dialogue    bool
	}{
		{name: "request and verification differ: dialogue, notice 5 days ahead", basis: "Luật Khiếu nại 2011 Điều 30 khoản 1, 4; NĐ 155/2026 Điều 11 khoản 1, 5",
			moves: []move{
				{action: motcua.ActionReceive, actor: desk},
				{action: motcua.ActionAssign, actor: chief, data: `{"investigator":"thanhtravien"}`},
				{action: motcua.ActionVerify, actor: inv, note: "Đã xác minh", data: `{"differs":true}`},
				{action: motcua.ActionConclude, actor: chief, note: "x", data: `{"decision":"dismissed"}`, want: motcua.ECONFLICT},
				{action: motcua.ActionRecordDialogue, actor: chief, note: "x", data: `{"attended":true}`, want: motcua.ECONFLICT},
				{action: motcua.ActionScheduleDialogue, actor: chief, data: `{"date":"2025-03-06","place":"Trụ sở Thanh tra"}`, want: motcua.EINVALID},
				{action: motcua.ActionScheduleDialogue, actor: chief, data: `{"date":"2025-03-10","place":"Trụ sở Thanh tra"}`},
				{action: motcua.ActionRecordDialogue, actor: chief, note: "Người khiếu nại vắng mặt không có lý do chính đáng", data: `{"attended":false}`},
				{action: motcua.ActionConclude, actor: chief, note: "Sai sự thật", data: `{"decision":"untrue"}`, want: motcua.EINVALID},
				{action: motcua.ActionConclude, actor: chief, note: "Khiếu nại sai toàn bộ", data: `{"decision":"dismissed","measure":"keep"}`},
			},
			want: []string{"submit>submitted", "receive>awaiting_assignment", "receipt_issued>awaiting_assignment", "assign>investigating", "verify>dialogue",
				"schedule_dialogue>dialogue", "record_dialogue>awaiting_conclusion", "conclude>result_ready", "delivered>completed", "result_signed>completed"},
			due: vn(2025, 4, 15, 17, 0), dialogue: true},
		{name: "request and verification agree: no dialogue", basis: "Luật Khiếu nại 2011 Điều 30 khoản 1 (lần đầu: có điều kiện)",
			moves: []move{
				{action: motcua.ActionReceive, actor: desk},
				{action: motcua.ActionAssign, actor: chief, data: `{"investigator":"thanhtravien"}`},
				{action: motcua.ActionVerify, actor: inv, note: "Đã xác minh"},
				{action: motcua.ActionConclude, actor: chief, note: "Đúng", data: `{"decision":"upheld","measure":"annul"}`},
			},
			want: []string{"submit>submitted", "receive>awaiting_assignment", "receipt_issued>awaiting_assignment", "assign>investigating",
				"verify>awaiting_conclusion", "conclude>result_ready", "delivered>completed", "result_signed>completed"},
			due: vn(2025, 4, 15, 17, 0)},
		{name: "complex case: extended once, to 45 days", basis: "Luật Khiếu nại 2011 Điều 28",
			moves: []move{
				{action: motcua.ActionReceive, actor: desk},
				{action: motcua.ActionExtend, actor: chief, reason: "Vụ việc phức tạp", data: `{"kind":"complex"}`},
				{action: motcua.ActionExtend, actor: chief, reason: "Lần nữa", data: `{"kind":"remote"}`, want: motcua.ECONFLICT},
				{action: motcua.ActionAssign, actor: chief, data: `{"investigator":"thanhtravien"}`},
				{action: motcua.ActionVerify, actor: inv, note: "Đã xác minh"},
				{action: motcua.ActionConclude, actor: chief, note: "Đúng một phần", data: `{"decision":"partly_upheld","measure":"amend"}`},
			},
			want: []string{"submit>submitted", "receive>awaiting_assignment", "receipt_issued>awaiting_assignment", "extend>awaiting_assignment", "assign>investigating",
				"verify>awaiting_conclusion", "conclude>result_ready", "delivered>completed", "result_signed>completed"},
			due: vn(2025, 4, 30, 17, 0)}, // Tue 15/4 + 15 days
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := input(complaintProcedure(motcua.ShapeComplaint), motcua.DeliveryOnline)
			in.Agency = "TTT"
			h := newHarness(t)
			final := h.run(t, complaintWF, in, tc.moves)
			assertTimeline(t, final, tc.want...)
			if !final.DueAt.Equal(tc.due) {
				t.Fatalf("%s: due %v, want %v", tc.basis, final.DueAt.In(calendar.Location), tc.due)
			}
			if d := final.Law.Dialogue; (d != nil) != tc.dialogue || d != nil && (d.Held == nil || d.Attended == nil || *d.Attended || d.Record == "") {
				t.Fatalf("%s: dialogue %+v", tc.basis, d)
			}
			if final.Law.Measure == "" {
				t.Fatalf("%s: no measure", tc.basis)
			}
		})
	}
}

// Denunciations: extensions by decision, once when complex and twice when
// especially complex (two criteria or more), 30 days at most each; the
// conclusion đúng / đúng một phần / sai sự thật; an anonymous one is not
// handled under the Law.
func TestDenunciationUnderTheLaw(t *testing.T) {
	denunciationWF := workflowOf(motcua.ShapeDenunciation)
	accepted := []move{
		{action: motcua.ActionReceive, actor: desk},
		{action: motcua.ActionAssign, actor: chief, data: `{"investigator":"thanhtravien"}`},
	}
	for _, tc := range []struct {
		name, basis string
		anonymous   bool
		moves       []move
		status      motcua.Status
		extensions  int
		days        int
	}{
		{name: "complex: one extension", basis: "Luật Tố cáo 2018 Điều 30 khoản 2; NĐ 31/2019 Điều 3 khoản 2",
			moves: append(slices.Clone(accepted),
				move{action: motcua.ActionExtend, actor: chief, reason: "Xác minh tại 02 địa điểm", data: `{"criteria":["a"],"days":31}`, want: motcua.EINVALID},
				move{action: motcua.ActionExtend, actor: inv, reason: "x", data: `{"criteria":["a"]}`, want: motcua.EFORBIDDEN},
				move{action: motcua.ActionExtend, actor: chief, reason: "Xác minh tại 02 địa điểm", data: `{"criteria":["a"],"days":20}`},
				move{action: motcua.ActionExtend, actor: chief, reason: "Lần hai", data: `{"criteria":["a"]}`, want: motcua.ECONFLICT},
				move{action: motcua.ActionVerify, actor: inv, note: "Đã xác minh"},
				move{action: motcua.ActionConclude, actor: chief, note: "x", data: `{"decision":"dismissed"}`, want: motcua.EINVALID},
				move{action: motcua.ActionConclude, actor: chief, note: "Tố cáo sai sự thật", data: `{"decision":"untrue"}`},
			), status: motcua.StatusCompleted, extensions: 1, days: 20},
		{name: "especially complex: two extensions", basis: "Luật Tố cáo 2018 Điều 30 khoản 3; NĐ 31/2019 Điều 3 khoản 3",
			moves: append(slices.Clone(accepted),
				move{action: motcua.ActionExtend, actor: chief, reason: "Nhiều địa điểm, nhiều nội dung", data: `{"criteria":["a","b"]}`},
				move{action: motcua.ActionExtend, actor: chief, reason: "Chưa đủ chứng cứ", data: `{"criteria":["a","b"],"days":30}`},
				move{action: motcua.ActionExtend, actor: chief, reason: "Lần ba", data: `{"criteria":["a","b"]}`, want: motcua.ECONFLICT},
				move{action: motcua.ActionVerify, actor: inv, note: "Đã xác minh"},
				move{action: motcua.ActionConclude, actor: chief, note: "Tố cáo đúng một phần", data: `{"decision":"partly_upheld"}`},
			), status: motcua.StatusCompleted, extensions: 2, days: 60},
		{name: "anonymous: not handled under the Law, referred for inspection", basis: "Luật Tố cáo 2018 Điều 25",
			anonymous: true,
			moves: []move{
				{action: motcua.ActionReceive, actor: desk, want: motcua.ECONFLICT},
				{action: motcua.ActionRefer, actor: chief, reason: "Có chứng cứ cụ thể về hành vi vi phạm"},
			}, status: motcua.StatusCompleted},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := complaintProcedure(motcua.ShapeDenunciation)
			p.Deadlines = map[string]int{workflows.DeadlineAccept: 7, workflows.DeadlineResolve: 30}
			in := input(p, motcua.DeliveryOnline)
			in.Agency, in.Anonymous = "TTT", tc.anonymous
			h := newHarness(t)
			final := h.run(t, denunciationWF, in, tc.moves)
			if final.Status != tc.status || len(final.Law.Extensions) != tc.extensions || final.Law.ExtendedDays != tc.days {
				t.Fatalf("%s: status %s law %+v", tc.basis, final.Status, final.Law)
			}
			if tc.anonymous && (final.ReceivedAt != nil || final.DueAt != nil) {
				t.Fatalf("%s: an anonymous denunciation has no time limit: received %v due %v", tc.basis, final.ReceivedAt, final.DueAt)
			}
			if !tc.anonymous && (final.Result == nil || final.Result.Outcome == "") {
				t.Fatalf("%s: result %+v", tc.basis, final.Result)
			}
		})
	}
}
