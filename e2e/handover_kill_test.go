package e2e

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/api"
)

// A hand-over interrupted by SIGKILL of the whole system (`motcua dev`, the
// binary as built, rehearsing 28 February 2025 with --filing-day) finishes
// after a restart on the same data: every case of the Department of
// Planning and Investment moves to Finance exactly once (issue 13).
func TestHandoverSurvivesKill(t *testing.T) {
	const cases = 30
	bin := motcuaBinary(t)
	dir := t.TempDir()
	httpAddr := freeLocalAddr(t)
	secret := randomHex(32)
	env := []string{
		"MOTCUA_DATA_DIR=" + dir, "MOTCUA_HTTP_ADDR=" + httpAddr, "MOTCUA_TEMPORAL_ADDRESS=" + freeLocalAddr(t),
		"MOTCUA_SIM_ADDR=" + freeLocalAddr(t), "MOTCUA_SIM_SMTP_ADDR=" + freeLocalAddr(t), "MOTCUA_TEMPORAL_UI_ADDR=",
		"MOTCUA_AUTH_SECRET=" + secret, "MOTCUA_LOG_LEVEL=warn",
	}
	base := "http://" + httpAddr
	start := func(n int) *proc {
		p := startProc(t, bin, fmt.Sprintf("dev-%d", n), env, "dev", "--filing-day", "2025-02-28")
		p.waitReady(base, 90*time.Second)
		return p
	}
	dev := start(0)
	defer func() { dev.stop() }()

	tokens := &api.DevTokens{Secret: []byte(secret), Audience: "motcua", TTL: time.Hour}
	mint := func(a motcua.Actor) string {
		tok, _, err := tokens.Issue(a, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	citizen := mint(motcua.Actor{Kind: motcua.KindCitizen, Subject: "049090001234", Name: "Hồ Công Sơn"})
	admin := mint(motcua.Actor{Kind: motcua.KindAdmin, Subject: "quantri", Name: "Quản trị"})
	d := newCrashDriver(base, "dang-ky-thanh-lap-doanh-nghiep", nil, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()

	codes := make([]string, cases)
	for i := range codes {
		body, err := d.submission(ctx, i)
		if err != nil {
			t.Fatal(err)
		}
		var r motcua.Case
		if err := d.do(ctx, "POST", "/api/v1/cases", citizen, body, fmt.Sprintf("nop-%s-%d", d.run, i), &r); err != nil {
			t.Fatal(err)
		}
		if r.Agency != "SKHDT" {
			t.Fatalf("filed on 28 February 2025 at %s, want SKHDT", r.Agency)
		}
		codes[i] = r.Code
	}

	var plan struct {
		ID    string `json:"id"`
		Moves int    `json:"moves"`
	}
	if err := d.do(ctx, "POST", "/api/v1/handovers", admin, map[string]any{"from": "SKHDT", "day": "2025-03-01",
		"basis": "Nghị quyết 01/NQ-HĐND tỉnh Quảng Nam", "page_size": 3, "concurrency": 1}, "", &plan); err != nil {
		t.Fatal(err)
	}
	progress := func() motcua.Handover {
		var h motcua.Handover
		if err := d.do(ctx, "GET", "/api/v1/handovers/"+plan.ID, admin, nil, "", &h); err != nil {
			t.Fatal(err)
		}
		return h
	}
	// Kill it once some, not all, have moved.
	for {
		h := progress()
		if h.Status == "done" {
			t.Fatalf("the hand-over finished before the kill: %+v", h)
		}
		if h.Moved > 0 {
			t.Logf("killing motcua dev with %d of %d planned moved", h.Moved, plan.Moves)
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	dev.kill()
	dev = start(1)
	var h motcua.Handover
	for h = progress(); h.Status != "done"; h = progress() {
		if ctx.Err() != nil {
			t.Fatalf("hand-over not done: %+v", h)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if h.Moved != cases || h.Failed != 0 {
		t.Errorf("after the kill: %d moved, %d failed, %d skipped (planned %d); want %d moved", h.Moved, h.Failed, h.Skipped,
			plan.Moves, cases)
	}
	for _, code := range codes {
		var c motcua.Case
		if err := d.do(ctx, "GET", "/api/v1/cases/"+code, citizen, nil, "", &c); err != nil {
			t.Fatal(err)
		}
		if evs := handedOverEvents(c); c.Agency != "STC" || len(evs) != 1 {
			t.Errorf("%s: at %s with %d hand-over entries, want STC and one", code, c.Agency, len(evs))
		}
	}
	t.Logf("hand-over %s: %d moved once each across a kill -9 (round %d)", plan.ID, h.Moved, h.Round)
}
