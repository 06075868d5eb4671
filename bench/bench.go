// Package bench measures motcua against Temporal's own floor on the same
// machine, in the same run: whole cases through the HTTP API against a bare
// workflow taking the same number of validated Updates, each followed by a
// no-op activity; officer action latency; look-up through the API against a
// Temporal query; the process's memory and CPU. Results are ratios, because
// the machines it runs on are noisy. `motcua bench` runs it.
package bench

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	sdkworker "go.temporal.io/sdk/worker"

	"github.com/motcua/motcua/config"
	"github.com/motcua/motcua/system"
)

// Options set a run.
type Options struct {
	Procedure string        // the procedure every case runs
	Clients   int           // concurrent clients
	Round     time.Duration // length of one round of each kind
	Rounds    int           // rounds of each kind, alternating
	// LookupClients read one open case at once, through the API and as a
	// Temporal query.
	LookupClients int
	DataDir       string // "" = a temporary directory, removed after
	// Open, when set, files that many cases and leaves them waiting on
	// the applicant's supplement, then reports the memory each holds and
	// what an action costs on a case the worker no longer caches.
	Open int
	// OpenFiled leaves the open cases as filed, each waiting on its
	// timer for the desk's answer (a working day), rather than on the
	// applicant: one request a case instead of three, for large runs.
	OpenFiled bool
	// CacheSize bounds the worker's cache of workflow states (Temporal's
	// sticky cache; 0 = temporal.workflow_cache_size).
	CacheSize int
	// Idle, when set, ends the run by measuring the process left alone
	// that long: CPU and RSS with whatever cases the data directory holds
	// (with DataDir, a second run measures a restart on the first's cases).
	Idle time.Duration
	// ProfileDir, when set, receives CPU, heap, block and mutex profiles
	// of the motcua rounds (cpu.pprof, cpu-2.pprof…, heap.pprof, block.pprof, mutex.pprof).
	ProfileDir string
	Out        io.Writer
}

// embeddedConfig is the configuration of a benchmark's embedded system:
// defaults, data under dataDir (a temporary directory, removed by cleanup,
// when empty), every address a free port, no Temporal Web UI (its fixed
// port would clash with a running `motcua dev`).
func embeddedConfig(dataDir, prefix string) (cfg *config.Config, cleanup func(), err error) {
	cleanup = func() {}
	if dataDir == "" {
		tmp, err := os.MkdirTemp("", prefix)
		if err != nil {
			return nil, cleanup, err
		}
		cleanup, dataDir = func() { os.RemoveAll(tmp) }, tmp
	}
	if cfg, _, err = config.Load("", nil); err != nil {
		cleanup()
		return nil, func() {}, err
	}
	cfg.DataDir = filepath.Join(dataDir, "data")
	cfg.HTTP.Addr, cfg.Temporal.Address, cfg.Sim.Addr, cfg.Sim.SMTPAddr = "127.0.0.1:0", freeAddr(), "127.0.0.1:0", "127.0.0.1:0"
	cfg.Temporal.UIAddr = ""
	return cfg, cleanup, nil
}

// Run starts the embedded system, runs the rounds and prints the results.
func Run(ctx context.Context, o Options) error {
	out := o.Out
	cfg, cleanup, err := embeddedConfig(o.DataDir, "motcua-bench-")
	if err != nil {
		return err
	}
	defer cleanup()
	cfg.Lookup.PerMinute = 1 << 30 // the benchmark is one client address
	quiet := slog.New(slog.DiscardHandler)
	if o.CacheSize > 0 {
		cfg.Temporal.WorkflowCacheSize = o.CacheSize
	}
	started := time.Now()
	sys, err := system.Start(ctx, system.Dev, cfg, system.Overrides{Logger: quiet})
	if err != nil {
		return err
	}
	defer sys.Stop()
	fmt.Fprintf(out, "motcua bench: embedded system ready in %s; procedure %s; %d clients; %d rounds of %s each kind\n",
		time.Since(started).Round(time.Millisecond), o.Procedure, o.Clients, o.Rounds, o.Round)

	bw := sdkworker.New(sys.Temporal, bareQueue, sdkworker.Options{})
	registerBare(bw)
	if err := bw.Start(); err != nil {
		return err
	}
	defer bw.Stop()

	d := newDriver(sys, o.Procedure)
	if err := d.prepare(ctx); err != nil {
		return err
	}
	fmt.Fprintf(out, "a case takes %d actions after its submission: %s\n", len(d.path), strings.Join(d.path, ", "))

	prof, err := startProfiles(o.ProfileDir)
	if err != nil {
		return err
	}
	var mine, bare []roundResult
	for r := range o.Rounds {
		prof.resume()
		m := d.round(ctx, o.Clients, o.Round, d.motcuaCase)
		prof.pause()
		b := d.round(ctx, o.Clients, o.Round, d.bareCase)
		mine, bare = append(mine, m), append(bare, b)
		fmt.Fprintf(out, "round %d: motcua %.2f cases/s (%d errors), bare %.2f cases/s (%d errors), ratio %.2f; RSS %s\n",
			r+1, m.rate(), m.errors, b.rate(), b.errors, ratio(m.rate(), b.rate()), mib(rss()))
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
	if err := prof.write(); err != nil {
		return err
	}
	if o.Rounds > 0 {
		report(out, merge(mine), merge(bare))
	}

	if o.LookupClients > 0 {
		if o.Rounds == 0 {
			prof.resume() // with no rounds, the profile is of the look-ups
		}
		api, cond, query, err := d.lookups(ctx, o.LookupClients, o.Round)
		prof.pause()
		if err := prof.write(); err != nil {
			return err
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "\nlook-up of an open case, %d clients (goal ≥ 25× a Temporal query, p99 < 5 ms):\n", o.LookupClients)
		fmt.Fprintf(out, "  Temporal query           %6.0f/s (p50 %.2f ms, p99 %.2f ms)\n", query.rate(), pct(query.all(), 50), pct(query.all(), 99))
		fmt.Fprintf(out, "  API, whole view          %6.0f/s (p50 %.2f ms, p99 %.2f ms) → %.1f×\n",
			api.rate(), pct(api.all(), 50), pct(api.all(), 99), ratio(api.rate(), query.rate()))
		fmt.Fprintf(out, "  API, If-None-Match (304) %6.0f/s (p50 %.2f ms, p99 %.2f ms) → %.1f×\n",
			cond.rate(), pct(cond.all(), 50), pct(cond.all(), 99), ratio(cond.rate(), query.rate()))
	}
	if o.Open > 0 {
		if err := d.openCases(ctx, o.Open, o.OpenFiled, o.Clients, out); err != nil {
			return err
		}
		if err := prof.writeHeap("heap-open.pprof"); err != nil {
			return err
		}
	}
	if o.Idle > 0 {
		idle(ctx, o.Idle, out)
	}
	user, sysCPU := cpuTimes()
	fmt.Fprintf(out, "\nprocess: RSS %s, CPU %s user + %s system over %s\n", mib(rss()), user.Round(time.Millisecond),
		sysCPU.Round(time.Millisecond), time.Since(started).Round(time.Second))
	return nil
}

// roundResult is what one round of one kind measured.
type roundResult struct {
	cases   int
	errors  int
	elapsed time.Duration
	latency map[string][]float64 // ms per action name
}

func (r roundResult) rate() float64 {
	if r.elapsed <= 0 {
		return 0
	}
	return float64(r.cases) / r.elapsed.Seconds()
}

func (r roundResult) names() []string {
	var names []string
	for n := range r.latency {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// all is every officer action's latency (not the submission's).
func (r roundResult) all() []float64 {
	var out []float64
	for n, l := range r.latency {
		if n != "submit" {
			out = append(out, l...)
		}
	}
	return out
}

func merge(rs []roundResult) roundResult {
	m := roundResult{latency: map[string][]float64{}}
	for _, r := range rs {
		m.cases += r.cases
		m.errors += r.errors
		m.elapsed += r.elapsed
		for n, l := range r.latency {
			m.latency[n] = append(m.latency[n], l...)
		}
	}
	return m
}

// round runs clients that each start whole cases one after another until
// the round ends; a case under way when it ends still finishes and counts.
func (d *driver) round(ctx context.Context, clients int, length time.Duration, oneCase func(context.Context, *timings) error) roundResult {
	var mu sync.Mutex
	res := roundResult{latency: map[string][]float64{}}
	start := time.Now()
	deadline := start.Add(length)
	var wg sync.WaitGroup
	for range clients {
		wg.Go(func() {
			t := &timings{ms: map[string][]float64{}}
			for time.Now().Before(deadline) && ctx.Err() == nil {
				err := oneCase(ctx, t)
				mu.Lock()
				if err != nil {
					res.errors++
					if res.errors <= 3 {
						fmt.Fprintln(os.Stderr, "bench:", err)
					}
				} else {
					res.cases++
				}
				mu.Unlock()
			}
			mu.Lock()
			for n, l := range t.ms {
				res.latency[n] = append(res.latency[n], l...)
			}
			mu.Unlock()
		})
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	return res
}

// timings collects one client's latencies (and, for look-ups, the ETag of
// the view it holds).
type timings struct {
	ms   map[string][]float64
	etag string
}

func (t *timings) add(name string, since time.Time) {
	t.ms[name] = append(t.ms[name], float64(time.Since(since).Microseconds())/1000)
}

// bareCase runs one bare case: the submit Update with the start, then the
// action Updates.
func (d *driver) bareCase(ctx context.Context, t *timings) error {
	id := fmt.Sprintf("bare-%d-%d", time.Now().UnixNano(), d.seq.Add(1))
	at := time.Now()
	op := d.sys.Temporal.NewWithStartWorkflowOperation(client.StartWorkflowOptions{ID: id, TaskQueue: bareQueue,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_FAIL}, bareWorkflow, bareInput{Actions: len(d.path)})
	h, err := d.sys.Temporal.UpdateWithStartWorkflow(ctx, client.UpdateWithStartWorkflowOptions{StartWorkflowOperation: op,
		UpdateOptions: client.UpdateWorkflowOptions{UpdateName: bareSubmit, WaitForStage: client.WorkflowUpdateStageCompleted}})
	if err == nil {
		err = h.Get(ctx, nil)
	}
	if err != nil {
		return fmt.Errorf("bare submit: %w", err)
	}
	t.add("submit", at)
	for range d.path {
		at := time.Now()
		h, err := d.sys.Temporal.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{WorkflowID: id, UpdateName: bareAction,
			WaitForStage: client.WorkflowUpdateStageCompleted})
		if err == nil {
			err = h.Get(ctx, nil)
		}
		if err != nil {
			return fmt.Errorf("bare action: %w", err)
		}
		t.add(bareAction, at)
	}
	return nil
}

func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

// pct is the p-th percentile of ms.
func pct(ms []float64, p float64) float64 {
	if len(ms) == 0 {
		return 0
	}
	s := slices.Clone(ms)
	slices.Sort(s)
	i := int(float64(len(s)-1) * p / 100)
	return s[i]
}

func mib(b int64) string { return fmt.Sprintf("%.0f MiB", float64(b)/(1<<20)) }

// report prints the rounds' cases per second and latencies against bare
// Temporal's.
func report(out io.Writer, m, b roundResult) {
	fmt.Fprintf(out, "\nwhole cases through HTTP: motcua %.2f/s, bare Temporal %.2f/s → ratio %.2f (goal ≥ 0.85)\n",
		m.rate(), b.rate(), ratio(m.rate(), b.rate()))
	fmt.Fprintf(out, "\nlatency per action (ms)          p50     p90     p99   count\n")
	for _, name := range m.names() {
		l := m.latency[name]
		fmt.Fprintf(out, "  motcua %-22s %7.1f %7.1f %7.1f %7d\n", name, pct(l, 50), pct(l, 90), pct(l, 99), len(l))
	}
	all := m.all()
	fmt.Fprintf(out, "  motcua %-22s %7.1f %7.1f %7.1f %7d\n", "officer actions", pct(all, 50), pct(all, 90), pct(all, 99), len(all))
	ba := b.latency[bareAction]
	fmt.Fprintf(out, "  bare   %-22s %7.1f %7.1f %7.1f %7d\n", "update", pct(ba, 50), pct(ba, 90), pct(ba, 99), len(ba))
	fmt.Fprintf(out, "officer action p99 ÷ bare update p99: %.2f (goal ≤ 1.25)\n", ratio(pct(all, 99), pct(ba, 99)))
}
