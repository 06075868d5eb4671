package e2e

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/api"
	"github.com/motcua/motcua/worker"
)

// The embedded system survives being killed: `motcua dev`, the binary as
// built, runs 30 business registrations (level 4: the registry check, the
// fee paid online at the simulated gateway, the result issued and handed
// over) while it is killed with SIGKILL twice and started again on the same
// data directory and addresses. Every case completes exactly once: one
// code each, no step, event, payment or result twice, as many workflows and
// read-model rows as cases; no answer is a 5xx other than 503 ("send again
// with the same key"), which the driver, like any client, sends again.
func TestCrashEmbeddedSystem(t *testing.T) {
	const cases, kills = 30, 2
	started := time.Now()
	bin := motcuaBinary(t)
	dir := t.TempDir()
	httpAddr, temporalAddr := freeLocalAddr(t), freeLocalAddr(t)
	secret := randomHex(32)
	env := []string{
		"MOTCUA_DATA_DIR=" + dir, "MOTCUA_HTTP_ADDR=" + httpAddr, "MOTCUA_TEMPORAL_ADDRESS=" + temporalAddr,
		"MOTCUA_SIM_ADDR=" + freeLocalAddr(t), "MOTCUA_SIM_SMTP_ADDR=" + freeLocalAddr(t), "MOTCUA_TEMPORAL_UI_ADDR=",
		"MOTCUA_AUTH_SECRET=" + secret, "MOTCUA_LOG_LEVEL=warn",
		// A callback lost in a crash is made up by asking the gateway.
		"MOTCUA_BACKENDS_RECONCILE_AFTER=5s",
	}
	base := "http://" + httpAddr
	start := func(n int) *proc {
		p := startProc(t, bin, fmt.Sprintf("dev-%d", n), env, "dev")
		p.waitReady(base, 90*time.Second)
		return p
	}
	dev := start(0)
	procs := []*proc{dev}

	tokens := &api.DevTokens{Secret: []byte(secret), Audience: "motcua", TTL: time.Hour}
	mint := func(a motcua.Actor) string {
		tok, _, err := tokens.Issue(a, time.Now())
		if err != nil {
			t.Error(err)
		}
		return tok
	}
	citizen := mint(motcua.Actor{Kind: motcua.KindCitizen, Subject: "049090001234", Name: "Hồ Công Sơn"})
	officer := func(agency string) string {
		return mint(motcua.Actor{Kind: motcua.KindOfficer, Subject: "canbo@" + agency, Name: "Cán bộ " + agency,
			Agency: agency, Roles: motcua.OfficerRoles})
	}
	d := newCrashDriver(base, business, func(int) string { return citizen }, officer)

	// The killer: after a third and after two thirds of the cases' steps.
	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Minute)
	defer cancel()
	var steps atomic.Int64
	d.onStep = func() { steps.Add(1) }
	const stepsPerCase = 7 // submit, receive, review, approve, issue, deliver, payment
	killed := make(chan []time.Duration, 1)
	go func() {
		var downtimes []time.Duration
		defer func() { killed <- downtimes }()
		for k := 1; k <= kills; k++ {
			for steps.Load() < int64(k*cases*stepsPerCase/(kills+1)) {
				select {
				case <-ctx.Done():
					return
				case <-time.After(50 * time.Millisecond):
				}
			}
			at := time.Now()
			dev.kill()
			dev = start(k)
			procs = append(procs, dev)
			downtimes = append(downtimes, time.Since(at))
		}
	}()
	codes, errs := d.runCases(ctx, cases, nil)
	downtimes := <-killed
	for _, err := range errs {
		t.Error(err)
	}
	if len(downtimes) != kills {
		t.Fatalf("killed %d times, want %d (the cases finished first?)", len(downtimes), kills)
	}
	// Temporal ran one workflow per case, each finished; the read model
	// holds one row per case, one payment each.
	tc, err := client.Dial(client.Options{HostPort: temporalAddr})
	if err != nil {
		t.Fatal(err)
	}
	if len(errs) > 0 {
		logHistories(t, ctx, tc, codes)
	}
	settle := waitClosed(t, ctx, tc, codes, 3*time.Minute)
	checkWorkflows(t, ctx, tc, codes)
	tc.Close()
	bad := d.checkExactlyOnce(t, ctx, codes, citizen) // the owner sees every case
	dev.stop()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "motcua.db")+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	checkReadModel(t, db, codes)

	if n := d.stats.serverErrors.Load(); n > 0 {
		t.Errorf("%d answers were 5xx other than 503: %v", n, d.stats.serverErrorSamples)
	}
	// Records of tasks the kills lost, put right at start-up (worker.ResyncRecords).
	resynced := 0
	for _, p := range procs {
		resynced += strings.Count(p.tail(1<<20), "cases recorded again after a crash")
	}
	t.Logf("%d cases, %d kills of motcua dev (down %v each): %d not right; %s; workflows finished %s after the cases closed; "+
		"start-ups that put records right: %d; took %s",
		cases, kills, downtimes, bad, &d.stats, settle.Round(time.Millisecond), resynced, time.Since(started).Round(time.Second))
}

// A record written in a workflow task the server then lost (motcua dev
// killed with an Update's task in flight) is put right: the case records
// itself again from a later task, and the API shows — through its caches
// and ETags — the case as its workflow has it. Two ways find it: an
// officer refused an action the read model offered (the API compares at
// once), and a worker starting (worker.ResyncRecords). The desk then
// receives the case as if nothing had happened.
func TestResyncAfterLostTask(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	citizen := e.citizen("079201001234")
	desk := e.officer("tiepnhan", "SKHDT", "receiver")
	reviewer := e.officer("chuyenvien", "SKHDT", "reviewer")
	code := e.submit(citizen, business, motcua.DeliveryCounter).Code
	before := e.settled(citizen, code)
	if before.Status != motcua.StatusSubmitted {
		t.Fatalf("filed case %s", before.Status)
	}
	// plant writes the lost task's record: the desk's receive, as a task
	// that started two events after the history's end would record it.
	plant := func() {
		t.Helper()
		desc, err := e.tc.DescribeWorkflowExecution(ctx, code, "")
		if err != nil {
			t.Fatal(err)
		}
		stored, err := e.db.Case(ctx, code)
		if err != nil {
			t.Fatal(err)
		}
		phantom := *stored
		phantom.Version++
		phantom.Status, phantom.Step = motcua.StatusInReview, "review"
		phantom.Actions = []motcua.Permission{{Action: motcua.ActionReview, Role: motcua.RoleReviewer, Agency: stored.Agency}}
		lost := motcua.Event{Seq: phantom.Version, At: time.Now(), Action: motcua.ActionReceive, Status: motcua.StatusInReview,
			Actor: motcua.ActorRef{Kind: motcua.KindOfficer, Subject: "tiepnhan", Role: motcua.RoleReceiver}}
		if err := e.db.RecordCaseAt(ctx, desc.GetWorkflowExecutionInfo().GetHistoryLength()+2, &phantom, []motcua.Event{lost}); err != nil {
			t.Fatal(err)
		}
		if v := e.must(e.call("GET", "/api/v1/cases/"+code, citizen, nil), 200).caseView(); v.Status != motcua.StatusInReview {
			t.Fatalf("the lost task's record is not what the API shows: %s", v.Status)
		}
	}
	putRight := func(how string) {
		t.Helper()
		again := e.waitFor(citizen, code, "recorded again "+how, func(c motcua.Case) bool { return c.Status == motcua.StatusSubmitted })
		if again.Version != before.Version || len(again.Timeline) != len(before.Timeline) || !slices.ContainsFunc(again.Actions,
			func(p motcua.Permission) bool { return p.Action == motcua.ActionReceive }) {
			t.Fatalf("recorded again %s: version %d (want %d), timeline %v, actions %v", how, again.Version, before.Version,
				statuses(again), again.Actions)
		}
	}

	plant()
	etag := e.must(e.call("GET", "/api/v1/cases/"+code, citizen, nil), 200).header.Get("ETag")
	if res := e.act(reviewer, code, motcua.ActionReview, map[string]any{}); res.status != 409 {
		t.Fatalf("review of a case its workflow has not received: %d %s", res.status, res.body)
	}
	putRight("after the refusal")
	if res := e.call("GET", "/api/v1/cases/"+code, citizen, nil, "If-None-Match", etag); res.status != 200 || res.header.Get("ETag") == etag {
		t.Fatalf("the ETag of the lost record still matches (%d, %s): a client would keep it", res.status, etag)
	}

	plant()
	checked, resynced, err := worker.ResyncRecords(ctx, e.tc, e.db, slog.New(slog.DiscardHandler))
	if err != nil || resynced != 1 || checked < 1 {
		t.Fatalf("resync: checked %d, recorded again %d, %v", checked, resynced, err)
	}
	putRight("at a worker's start")
	got := e.actOK(desk, code, motcua.ActionReceive, map[string]any{})
	if got.Status != motcua.StatusInReview || count(got, motcua.ActionReceive) != 1 {
		t.Fatalf("received after the resync: %s %v", got.Status, statuses(got))
	}
	// A second pass finds nothing to put right.
	if _, resynced, err := worker.ResyncRecords(ctx, e.tc, e.db, slog.New(slog.DiscardHandler)); err != nil || resynced != 0 {
		t.Fatalf("second pass: recorded again %d, %v", resynced, err)
	}
}
