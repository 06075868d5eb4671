package e2e

import (
	"context"
	"fmt"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"google.golang.org/protobuf/proto"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/config"
)

// A complaint that runs a year stays far from Temporal's history limits
// (issue 11): a case's events come only from what people do to it, each
// action at most as often as the law or the case's bounds allow, and from
// timers that fire once per due date (watchClock; no periodic wake-up), so
// the months a complaint waits add nothing. This runs a complaint through
// everything that adds to its history at the most each allows — every
// file the bounds let the complainant attach, an extension, a supplement,
// a dialogue, the conclusion delivered online — and holds its history to a
// tenth of the size at which Temporal starts warning (10,240 events,
// 10 MiB; it refuses at 51,200 and 50 MiB).
func TestLongestComplaintHistoryStaysSmall(t *testing.T) {
	e := newEnv(t, func(o *envOptions) {
		o.config = func(c *config.Config) { c.Uploads.PerCasePerMinute = 1000 }
	})
	citizen := e.citizen("049188001234")
	body := e.submission("giai-quyet-khieu-nai", motcua.DeliveryOnline)
	body["on_behalf"] = false
	var r receipt
	e.must(e.call("POST", "/api/v1/cases", citizen, body, "Idempotency-Key", randomHex(8)), 201).json(&r)
	code, agency := r.Code, r.Agency
	desk := e.officer("tiepnhan", agency, "receiver")
	head := e.officer("chanhthanhtra", agency, "head")
	investigator := e.officer("xacminh", agency, "reviewer")
	attached := 0
	for ; attached < 500; attached++ {
		res := e.upload(citizen, code, fmt.Sprintf("chung-cu-%03d.pdf", attached), []byte(fmt.Sprintf("%%PDF-1.4 chứng cứ số %d", attached)))
		if res.status == 422 {
			break
		}
		e.must(res, 201)
	}
	if attached == 0 || attached == 500 {
		t.Fatalf("the complainant attached %d files: the case's bound on files did not hold", attached)
	}
	e.actOK(desk, code, motcua.ActionReceive, nil)
	e.actOK(head, code, motcua.ActionExtend, map[string]any{"reason": "Vụ việc phức tạp", "data": map[string]any{"kind": "complex"}})
	e.actOK(head, code, motcua.ActionAssign, map[string]any{"data": map[string]any{"investigator": "xacminh"}})
	e.actOK(investigator, code, motcua.ActionRequestInfo, map[string]any{"reason": "Cung cấp biên bản làm việc"})
	e.actOK(citizen, code, motcua.ActionSupplement, map[string]any{"note": "Đã bổ sung biên bản"})
	e.actOK(investigator, code, motcua.ActionVerify, map[string]any{"note": "Đã xác minh", "data": map[string]any{"differs": true}})
	e.actOK(head, code, motcua.ActionScheduleDialogue, map[string]any{"data": map[string]any{"date": "2099-01-05", "place": "Trụ sở Thanh tra"}})
	e.actOK(head, code, motcua.ActionRecordDialogue, map[string]any{"note": "Hai bên giữ ý kiến", "data": map[string]any{"attended": true}})
	e.actOK(head, code, motcua.ActionConclude, map[string]any{"note": "Khiếu nại đúng một phần", "data": map[string]any{"decision": "partly_upheld", "measure": "amend"}})
	// Online delivery ends the case with the conclusion; its history is
	// counted once the workflow has closed.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := e.tc.GetWorkflow(ctx, code, "").Get(ctx, nil); err != nil {
		t.Fatalf("the complaint's workflow did not end: %v", err)
	}
	events, size := 0, 0
	it := e.tc.GetWorkflowHistory(context.Background(), code, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for it.HasNext() {
		ev, err := it.Next()
		if err != nil {
			t.Fatal(err)
		}
		events++
		size += proto.Size(ev)
	}
	t.Logf("a complaint with %d files attached, extended, supplemented, with a dialogue: %d events, %d bytes of history", attached, events, size)
	if events > 1024 || size > 1<<20 {
		t.Fatalf("the complaint's history holds %d events and %d bytes: over a tenth of Temporal's warning limits", events, size)
	}
}
