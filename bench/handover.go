package bench

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/system"
)

// HandoverOptions configure the hand-over benchmark.
type HandoverOptions struct {
	Cases       int // open cases to file and hand over (with those a kept --data-dir already holds)
	Clients     int // concurrent clients filing them
	Concurrency int // cases the hand-over moves at once
	PageSize    int // cases the hand-over lists at once
	DataDir     string
	Out         io.Writer
}

// RunHandover starts the embedded system, files o.Cases cases of business
// registration on 28 February 2025 (at the Department of Planning and
// Investment, SKHDT), then hands them over to the Department of Finance
// (STC) as of 1 March 2025, and reports the time, the rate and the
// failures, and checks in the read model that every case moved once.
func RunHandover(ctx context.Context, o HandoverOptions) error {
	out := o.Out
	cfg, cleanup, err := embeddedConfig(o.DataDir, "motcua-bench-handover-")
	if err != nil {
		return err
	}
	defer cleanup()
	ict := time.FixedZone("ICT", 7*3600)
	filing := time.Date(2025, 2, 28, 10, 0, 0, 0, ict)
	sys, err := system.Start(ctx, system.Dev, cfg, system.Overrides{Logger: slog.New(slog.DiscardHandler),
		FilingClock: func() time.Time { return filing }})
	if err != nil {
		return err
	}
	defer sys.Stop()
	d := newDriver(sys, "dang-ky-thanh-lap-doanh-nghiep")
	if err := d.prepareSubmission(ctx); err != nil {
		return err
	}

	started := time.Now()
	var next, failed atomic.Int64
	var wg sync.WaitGroup
	for range max(o.Clients, 1) {
		wg.Go(func() {
			for ctx.Err() == nil {
				i := next.Add(1)
				if i > int64(o.Cases) {
					return
				}
				var r motcua.Case
				if err := d.call(ctx, "POST", "/api/v1/cases", d.citizen, d.submit, &r,
					"Idempotency-Key", fmt.Sprintf("bench-handover-%d", i)); err != nil {
					failed.Add(1)
				}
			}
		})
	}
	wg.Wait()
	fmt.Fprintf(out, "motcua bench handover: %d cases filed at SKHDT in %s (%d failed)\n", o.Cases-int(failed.Load()),
		time.Since(started).Round(time.Second), failed.Load())

	var admin struct {
		Token string `json:"token"`
	}
	if err := d.call(ctx, "POST", "/api/v1/dev/login", "", map[string]any{"role": "admin", "subject": "bench"}, &admin); err != nil {
		return err
	}
	var plan struct {
		ID    string `json:"id"`
		Moves int    `json:"moves"`
	}
	started = time.Now()
	if err := d.call(ctx, "POST", "/api/v1/handovers", admin.Token, map[string]any{"from": "SKHDT", "day": "2025-03-01",
		"basis": "Nghị quyết 01/NQ-HĐND tỉnh Quảng Nam", "page_size": o.PageSize, "concurrency": o.Concurrency}, &plan); err != nil {
		return err
	}
	var h motcua.Handover
	for {
		if err := d.call(ctx, "GET", "/api/v1/handovers/"+plan.ID, admin.Token, nil, &h); err != nil {
			return err
		}
		if h.Status == "done" {
			break
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(500 * time.Millisecond):
		}
	}
	took := time.Since(started)
	fmt.Fprintf(out, "hand-over %s of %d planned: %d moved, %d skipped, %d failed in %s (%.0f cases/s; concurrency %d, pages of %d)\n",
		plan.ID, plan.Moves, h.Moved, h.Skipped, h.Failed, took.Round(time.Millisecond), float64(h.Moved)/took.Seconds(),
		o.Concurrency, o.PageSize)
	left, err := sys.DB.OpenCaseCounts(ctx, "SKHDT")
	if err != nil {
		return err
	}
	at, err := sys.DB.OpenCaseCounts(ctx, "STC")
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "read model: %d open cases left at SKHDT, %d at STC\n", sum(left), sum(at))
	// Cases filed while it ran are moved too: the plan is what was open
	// when it started.
	if h.Failed != 0 || sum(left) != 0 || sum(at) != h.Moved {
		return fmt.Errorf("hand-over moved %d, %d open cases left at SKHDT, %d at STC", h.Moved, sum(left), sum(at))
	}
	return nil
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// prepareSubmission signs the citizen in and builds the submission from
// the procedure's example form, without running a case.
func (d *driver) prepareSubmission(ctx context.Context) error {
	var tok struct {
		Token string `json:"token"`
	}
	if err := d.call(ctx, "POST", "/api/v1/dev/login", "", map[string]any{"role": "citizen", "subject": "079201001234"}, &tok); err != nil {
		return err
	}
	d.citizen = tok.Token
	var p struct {
		ExampleForm any      `json:"example_form"`
		Delivery    []string `json:"delivery"`
	}
	if err := d.call(ctx, "GET", "/api/v1/procedures/"+d.procedure, "", nil, &p); err != nil {
		return err
	}
	d.submit = map[string]any{"procedure": d.procedure, "form": p.ExampleForm,
		"applicant": map[string]any{"name": "Nguyễn Hữu Sơn", "id_number": "079201001234", "phone": "0905123456"},
		"delivery":  map[string]any{"method": p.Delivery[0], "address": "12 Phan Chu Trinh, Hội An"}}
	return nil
}
