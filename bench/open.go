package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/motcua/motcua"
)

// openCases files n cases with clients at once and leaves each waiting on
// the applicant (the reviewer asked for more) or, when filed is set, on the
// desk's answer, then reports the memory they hold and the cost of acting
// on the oldest (evicted from the worker's cache when n exceeds it: the
// case is replayed from its history) against the newest (cached).
func (d *driver) openCases(ctx context.Context, n int, filed bool, clients int, out io.Writer) error {
	open, act, what, waiting := d.waitingCase, d.timeSupplement, "supplement", "the applicant"
	if filed {
		open, act, what, waiting = d.filedCase, d.timeReceive, "receive", "the desk's answer"
	}
	before, heapBefore := settledRSS(), heapInUse()
	codes := make([]string, n)
	secrets := make([]string, n)
	var next, done atomic.Int64
	var mu sync.Mutex
	var firstErr error
	started := time.Now()
	var wg sync.WaitGroup
	for range clients {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= n || ctx.Err() != nil {
					return
				}
				code, secret, err := open(ctx)
				if err != nil {
					mu.Lock()
					firstErr = cmp(firstErr, err)
					mu.Unlock()
					return
				}
				codes[i], secrets[i] = code, secret
				if k := done.Add(1); k%500 == 0 {
					// Long runs show where they are and how memory grows.
					fmt.Fprintf(out, "  %d of %d filed in %s, RSS %s\n", k, n, time.Since(started).Round(time.Second), mib(rss()))
				}
			}
		})
	}
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	elapsed := time.Since(started)
	after := settledRSS()
	fmt.Fprintf(out, "\n%d cases waiting on %s, filed in %s: RSS %s → %s, %.0f KiB a case (Go heap in use %s → %s)\n",
		n, waiting, elapsed.Round(time.Second), mib(before), mib(after), float64(after-before)/1024/float64(n), mib(heapBefore), mib(heapInUse()))
	oldest, err := act(ctx, codes[0], secrets[0])
	if err != nil {
		return err
	}
	newest, err := act(ctx, codes[n-1], secrets[n-1])
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "memory now: %s\n", memoryParts())
	fmt.Fprintf(out, "%s on the oldest case %.1f ms, on the newest %.1f ms (a cache miss replays the case's history)\n",
		what, oldest, newest)
	return nil
}

// idle measures the process doing nothing asked of it for length: the
// embedded server's timer and task queues, the worker's polls.
func idle(ctx context.Context, length time.Duration, out io.Writer) {
	u0, s0 := cpuTimes()
	at := time.Now()
	select {
	case <-ctx.Done():
	case <-time.After(length):
	}
	u1, s1 := cpuTimes()
	elapsed := time.Since(at)
	fmt.Fprintf(out, "\nidle for %s: CPU %.1f %% of one core, RSS %s (%s)\n", elapsed.Round(time.Second),
		100*float64(u1-u0+s1-s0)/float64(elapsed), mib(rss()), memoryParts())
}

func cmp(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// filedCase files a case and leaves it to the desk.
func (d *driver) filedCase(ctx context.Context) (code, secret string, err error) {
	r, _, err := d.file(ctx)
	return r.Code, r.Secret, err
}

type receipt struct {
	motcua.Case
	Secret string `json:"secret"`
}

// file files a case through the API, returning its receipt and the
// idempotency key its later actions build theirs on.
func (d *driver) file(ctx context.Context) (receipt, string, error) {
	key := fmt.Sprintf("bench-open-%d-%d", time.Now().UnixNano(), d.seq.Add(1))
	var r receipt
	err := d.callAgain(ctx, "POST", "/api/v1/cases", d.citizen, d.submit, &r, "Idempotency-Key", key)
	return r, key, err
}

// waitingCase files a case, receives it and asks the applicant for more.
func (d *driver) waitingCase(ctx context.Context) (code, secret string, err error) {
	r, key, err := d.file(ctx)
	if err != nil {
		return "", "", err
	}
	tok, err := d.officer(ctx, r.Agency)
	if err != nil {
		return "", "", err
	}
	for _, step := range []struct {
		action motcua.Action
		body   map[string]any
	}{{motcua.ActionReceive, nil}, {motcua.ActionRequestInfo, map[string]any{"reason": "Bổ sung giấy tờ"}}} {
		var cs motcua.Case
		if err := d.callAgain(ctx, "POST", "/api/v1/cases/"+r.Code+"/actions/"+string(step.action), tok, step.body, &cs,
			"Idempotency-Key", key+string(step.action)); err != nil {
			return "", "", err
		}
	}
	return r.Code, r.Secret, nil
}

// callAgain is call sent again with the same Idempotency-Key while the
// answer is 503 (the system had not finished in time: a long filing run on
// a loaded machine meets a few, and one must not end it).
func (d *driver) callAgain(ctx context.Context, method, path, token string, body, out any, headers ...string) error {
	for try := 1; ; try++ {
		err := d.call(ctx, method, path, token, body, out, headers...)
		var se *statusError
		if try == 5 || !errors.As(err, &se) || se.status != http.StatusServiceUnavailable {
			return err
		}
		time.Sleep(time.Second)
	}
}

// timeSupplement supplies the applicant's supplement and times the answer.
func (d *driver) timeSupplement(ctx context.Context, code, secret string) (float64, error) {
	at := time.Now()
	var cs motcua.Case
	err := d.call(ctx, "POST", "/api/v1/cases/"+code+"/actions/supplement", "", map[string]any{"note": "Đã bổ sung"}, &cs,
		"X-Case-Secret", secret, "Idempotency-Key", "bench-supplement-"+code)
	return float64(time.Since(at).Microseconds()) / 1000, err
}

// timeReceive has the desk receive a filed case and times the answer.
func (d *driver) timeReceive(ctx context.Context, code, _ string) (float64, error) {
	var cs motcua.Case
	if err := d.call(ctx, "GET", "/api/v1/cases/"+code, d.citizen, nil, &cs); err != nil {
		return 0, err
	}
	tok, err := d.officer(ctx, cs.Agency)
	if err != nil {
		return 0, err
	}
	at := time.Now()
	err = d.call(ctx, "POST", "/api/v1/cases/"+code+"/actions/receive", tok, nil, &cs, "Idempotency-Key", "bench-receive-"+code)
	return float64(time.Since(at).Microseconds()) / 1000, err
}

// settledRSS is the RSS once garbage is collected and returned.
func settledRSS() int64 {
	runtime.GC()
	debug.FreeOSMemory()
	time.Sleep(500 * time.Millisecond)
	return rss()
}

// heapInUse is the Go heap's spans in use: what RSS holds beyond it is
// the C-style memory of SQLite (modernc), stacks and the runtime's own.
func heapInUse() int64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapInuse)
}

// memoryParts splits RSS: the binary's pages (file-backed), the Go heap's
// live objects and its spans, goroutine stacks, and the rest of the
// anonymous memory (SQLite's page caches, modernc's C-style allocations,
// the runtime's own).
func memoryParts() string {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	anon, file := rssParts()
	return fmt.Sprintf("RSS file-backed %s, anonymous %s = Go heap live %s in spans %s, stacks %s, other %s",
		mib(file), mib(anon), mib(int64(m.HeapAlloc)), mib(int64(m.HeapInuse)), mib(int64(m.StackInuse)),
		mib(anon-int64(m.HeapInuse)-int64(m.StackInuse)))
}
