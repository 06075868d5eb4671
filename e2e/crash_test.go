package e2e

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/api"
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
		"MOTCUA_SIM_ADDR=" + freeLocalAddr(t), "MOTCUA_SIM_SMTP_ADDR=" + freeLocalAddr(t),
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
	t.Logf("%d cases, %d kills of motcua dev (down %v each): %d not right; %s; workflows finished %s after the cases closed; took %s",
		cases, kills, downtimes, bad, &d.stats, settle.Round(time.Millisecond), time.Since(started).Round(time.Second))
}
