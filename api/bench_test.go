package api_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"log/slog"
	mrand "math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/api"
	"github.com/motcua/motcua/procedures"
	"github.com/motcua/motcua/store"
)

// BenchmarkReadHTTP: the officer's inbox and the citizen's look-up over
// real HTTP (the Gin router on a loopback listener, its read model in
// PostgreSQL holding MOTCUA_BENCH_HTTP_CASES cases, 1,000,000 by default,
// seeded as seedProvince says), driven by 20 concurrent clients. Each kind
// of request reports its p50, p95 and p99 and its throughput; the goal of
// issue 11 is p99 < 20 ms at a million cases. MOTCUA_BENCH_HTTP_CLIENTS
// sets another number of clients.
//
//	go test ./api -run '^$' -bench ReadHTTP -benchtime 4000x
//
// Seeding a million cases takes minutes: MOTCUA_BENCH_HTTP_SCHEMA names a
// schema that is kept and reused by the next run (seeded if empty).
// MOTCUA_BENCH_HTTP_COMPARE=1 runs every kind twice, without the newest
// migration of the read model and with it.
func BenchmarkReadHTTP(b *testing.B) {
	rb := readSystem(b)
	kinds := []struct {
		name string
		req  func(r *mrand.Rand) *http.Request
	}{
		// The floor: an officer's request that reads no database (a
		// procedure of the catalogue, in memory), through the same
		// listener, middleware and token check. On a shared machine its
		// tail is the run queue's; read the others' against it.
		{"floor", func(r *mrand.Rand) *http.Request {
			return rb.get("/api/v1/procedures/"+rb.procedure, rb.officers[r.IntN(len(rb.officers))].token, "")
		}},
		// The officer's first page (GET /inbox?limit=50, as /can-bo asks).
		{"inbox", func(r *mrand.Rand) *http.Request {
			return rb.get("/api/v1/inbox?limit=50", rb.officers[r.IntN(len(rb.officers))].token, "")
		}},
		// The page filtered as /can-bo's status, procedure and overdue
		// filters ask, soonest due first.
		{"inbox-filtered", func(r *mrand.Rand) *http.Request {
			o := rb.officers[r.IntN(len(rb.officers))]
			return rb.get("/api/v1/inbox?limit=50&"+o.filters[r.IntN(len(o.filters))], o.token, "")
		}},
		// The next page, by the cursor of the first.
		{"inbox-next", func(r *mrand.Rand) *http.Request {
			o := rb.paged[r.IntN(len(rb.paged))]
			return rb.get("/api/v1/inbox?limit=50&cursor="+o.cursor, o.token, "")
		}},
		// The inbox page itself (/can-bo): the API's first page, the
		// counts per status, the template.
		{"inbox-web", func(r *mrand.Rand) *http.Request {
			req := rb.get("/can-bo", "", "")
			req.AddCookie(&http.Cookie{Name: "motcua_session", Value: rb.officers[r.IntN(len(rb.officers))].token})
			return req
		}},
		// A case looked up by its code and the secret on the receipt.
		{"lookup-secret", func(r *mrand.Rand) *http.Request {
			l := rb.lookups[r.IntN(len(rb.lookups))]
			return rb.get("/api/v1/cases/"+l.code, "", rb.secrets.Of(l.code))
		}},
		// A first-instance complaint looked up by its secret: its view
		// says whether a second-instance complaint was filed or may be.
		{"lookup-complaint", func(r *mrand.Rand) *http.Request {
			l := rb.complaints[r.IntN(len(rb.complaints))]
			return rb.get("/api/v1/cases/"+l.code, "", rb.secrets.Of(l.code))
		}},
		// A case looked up by its owner, signed in.
		{"lookup-owner", func(r *mrand.Rand) *http.Request {
			l := rb.lookups[r.IntN(len(rb.lookups))]
			return rb.get("/api/v1/cases/"+l.code, rb.tokens[l.owner], "")
		}},
	}
	if os.Getenv("MOTCUA_BENCH_HTTP_COMPARE") == "" {
		for _, k := range kinds {
			b.Run(k.name, func(b *testing.B) { rb.drive(b, k.req) })
		}
		return
	}
	// Before and after the newest migration, in one run: rolled back for
	// the first pass, applied again for the second. (Look-ups of the
	// second pass find more views cached by the first.)
	ctx := context.Background()
	for _, pass := range []struct {
		name    string
		migrate func(context.Context) error
	}{{"without-newest-migration", rb.db.MigrateDown}, {"with-newest-migration", rb.db.MigrateUp}} {
		if err := pass.migrate(ctx); err != nil {
			b.Fatal(err)
		}
		b.Run(pass.name, func(b *testing.B) {
			for _, k := range kinds {
				b.Run(k.name, func(b *testing.B) { rb.drive(b, k.req) })
			}
		})
	}
}

// readClients is how many clients send requests at once: 20, or
// MOTCUA_BENCH_HTTP_CLIENTS.
var readClients = func() int {
	if n, err := strconv.Atoi(os.Getenv("MOTCUA_BENCH_HTTP_CLIENTS")); err == nil && n > 0 {
		return n
	}
	return 20
}()

var httpBenchCases = func() int {
	if n, err := strconv.Atoi(os.Getenv("MOTCUA_BENCH_HTTP_CASES")); err == nil && n > 0 {
		return n
	}
	return 1_000_000
}()

type benchOfficer struct {
	agency, token, cursor string
	roles                 []motcua.Role
	filters               []string
}

type benchLookup struct{ code, owner string }

type readBench struct {
	db        *store.DB
	raw       *sql.DB // the seed's connection, to find the API's backends
	url       string
	client    *http.Client
	secrets   motcua.CaseSecrets
	officers  []benchOfficer
	paged     []benchOfficer // those with a second page
	lookups   []benchLookup
	procedure string // one of the catalogue, for the floor
	// complaints are first-instance complaints, to look up.
	complaints []benchLookup
	tokens     map[string]string // owner → token
}

func (rb *readBench) get(path, token, secret string) *http.Request {
	req, _ := http.NewRequest("GET", rb.url+path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if secret != "" {
		req.Header.Set("X-Case-Secret", secret)
	}
	return req
}

// drive sends b.N requests from readClients clients, each waiting for its
// answer before sending the next, and reports the latency percentiles and
// the throughput.
func (rb *readBench) drive(b *testing.B, next func(r *mrand.Rand) *http.Request) {
	lat := make([]time.Duration, b.N)
	h := fnv.New64a()
	h.Write([]byte(b.Name()))
	seed := h.Sum64()
	goStart, pgStart := processCPU(), rb.postgresCPU()
	var sent atomic.Int64
	var failed atomic.Int64
	var firstErr atomic.Value
	var wg sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	for w := range readClients {
		wg.Go(func() {
			// Each kind draws its own cases: a kind that followed the
			// previous one's draws would find their views cached.
			r := mrand.New(mrand.NewPCG(uint64(w), seed))
			for {
				i := sent.Add(1) - 1
				if i >= int64(b.N) {
					return
				}
				req := next(r)
				t := time.Now()
				resp, err := rb.client.Do(req)
				if err == nil {
					var body []byte
					body, err = io.ReadAll(resp.Body)
					resp.Body.Close()
					if err == nil && resp.StatusCode != http.StatusOK {
						err = fmt.Errorf("%s: %d %.300s", req.URL.Path, resp.StatusCode, body)
					}
				}
				lat[i] = time.Since(t)
				if err != nil {
					failed.Add(1)
					firstErr.CompareAndSwap(nil, err)
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	goCPU, pgEnd := processCPU()-goStart, rb.postgresCPU()
	if n := failed.Load(); n > 0 {
		b.Fatalf("%d of %d requests failed; the first: %v", n, b.N, firstErr.Load())
	}
	slices.Sort(lat)
	pct := func(q float64) float64 {
		return float64(lat[min(len(lat)-1, int(float64(len(lat))*q))].Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.95), "p95-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(float64(lat[len(lat)-1].Microseconds())/1000, "max-ms")
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "req/s")
	// CPU per request, which other work on a shared machine disturbs less
	// than latency: this process (clients and server), and the API's
	// PostgreSQL backends when they run on this machine.
	b.ReportMetric(float64(goCPU.Microseconds())/1000/float64(b.N), "go-cpu-ms/op")
	if pgStart != nil && pgEnd != nil {
		var pg time.Duration
		for pid, t := range pgEnd {
			pg += t - pgStart[pid]
		}
		b.ReportMetric(float64(pg.Microseconds())/1000/float64(b.N), "pg-cpu-ms/op")
	}
}

// benchApp names the API's connections to PostgreSQL.
const benchApp = "motcua_readbench"

// processCPU is the CPU time this process has used.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// postgresCPU is the CPU time each of the API's PostgreSQL backends has
// used, by process ID (nil when they are not on this machine).
func (rb *readBench) postgresCPU() map[int]time.Duration {
	rows, err := rb.raw.Query("SELECT pid FROM pg_stat_activity WHERE application_name = $1", benchApp)
	if err != nil {
		return nil
	}
	defer rows.Close()
	out := map[int]time.Duration{}
	for rows.Next() {
		var pid int
		if rows.Scan(&pid) != nil {
			return nil
		}
		stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			return nil
		}
		// utime and stime, in clock ticks (100 a second on Linux), are the
		// 14th and 15th fields; the 2nd, the command, ends with ')'.
		f := strings.Fields(string(stat[bytes.LastIndexByte(stat, ')')+1:]))
		if len(f) < 13 {
			return nil
		}
		u, _ := strconv.ParseInt(f[11], 10, 64)
		s, _ := strconv.ParseInt(f[12], 10, 64)
		out[pid] = time.Duration(u+s) * 10 * time.Millisecond
	}
	return out
}

// readSystem seeds the read model (unless the kept schema holds it
// already) and serves the API over it on a loopback listener until b ends.
func readSystem(b *testing.B) *readBench {
	rb, err := newReadSystem(b)
	if err != nil {
		b.Fatal(err)
	}
	return rb
}

func newReadSystem(b *testing.B) (*readBench, error) {
	ctx := context.Background()
	dsn := os.Getenv("MOTCUA_TEST_POSTGRES")
	if dsn == "" {
		dsn = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
	}
	schema, keep := os.Getenv("MOTCUA_BENCH_HTTP_SCHEMA"), true
	if schema == "" {
		buf := make([]byte, 6)
		_, _ = rand.Read(buf)
		schema, keep = "httpbench_"+hex.EncodeToString(buf), false
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return nil, err
	}
	q := u.Query()
	q.Set("application_name", benchApp)
	u.RawQuery = q.Encode()
	db, err := store.Open(ctx, store.Options{DSN: u.String(), Schema: schema, MaxOpenConns: 10})
	if err != nil {
		return nil, fmt.Errorf("PostgreSQL is needed (MOTCUA_TEST_POSTGRES): %w", err)
	}
	b.Cleanup(func() {
		if !keep {
			_ = db.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
		}
		db.Close()
	})
	if err := db.MigrateUp(ctx); err != nil {
		return nil, err
	}
	q = u.Query()
	q.Set("application_name", "motcua_readbench_seed")
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	raw, err := sql.Open("pgx", u.String())
	if err != nil {
		return nil, err
	}
	b.Cleanup(func() { raw.Close() })
	cat, err := procedures.Embedded()
	if err != nil {
		return nil, err
	}
	var have int
	if err := raw.QueryRowContext(ctx, "SELECT count(*) FROM cases").Scan(&have); err != nil {
		return nil, err
	}
	now := time.Now()
	switch {
	case have == 0:
		conn, err := raw.Conn(ctx)
		if err != nil {
			return nil, err
		}
		start := time.Now()
		err = seedProvince(ctx, conn, cat, httpBenchCases, now)
		conn.Close()
		if err != nil {
			return nil, err
		}
		b.Logf("seeded %d cases in schema %s in %s", httpBenchCases, schema, time.Since(start).Round(time.Second))
	case have != httpBenchCases:
		return nil, fmt.Errorf("schema %s holds %d cases, not %d: drop it or name another", schema, have, httpBenchCases)
	}
	secret := []byte("bench secret, thirty-two bytes..")
	dev := &api.DevTokens{Secret: secret, Audience: "motcua", TTL: 24 * time.Hour}
	rb := &readBench{db: db, raw: raw, secrets: motcua.CaseSecrets{Key: secret}, tokens: map[string]string{}}
	h := api.New(api.Deps{Store: db, Catalog: cat, Auth: dev, Secrets: rb.secrets, LookupPerMinute: 1 << 30,
		Logger: slog.New(slog.DiscardHandler)})
	srv := httptest.NewServer(h)
	b.Cleanup(srv.Close)
	rb.url = srv.URL
	rb.client = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 2 * readClients}, Timeout: 30 * time.Second}

	if err := rb.pickOfficers(ctx, raw, dev, now); err != nil {
		return nil, err
	}
	// Look-ups: about 20,000 cases drawn from the whole archive, so most
	// miss the views cached by the store, as the look-ups of a province do.
	rows, err := raw.QueryContext(ctx, "SELECT code, owner FROM cases WHERE abs(hashtext(code)) % $1 = 0", max(1, httpBenchCases/20000))
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var l benchLookup
		if err := rows.Scan(&l.code, &l.owner); err != nil {
			return nil, err
		}
		rb.lookups = append(rb.lookups, l)
		if rb.tokens[l.owner] == "" {
			rb.tokens[l.owner], _, _ = dev.Issue(motcua.Actor{Kind: motcua.KindCitizen, Subject: l.owner, Name: "Công dân"}, now)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var firsts []string
	rb.procedure = cat.All()[0].Code
	for _, p := range cat.All() {
		if p.FirstInstance != "" {
			firsts = append(firsts, p.FirstInstance)
		}
	}
	if rows, err = raw.QueryContext(ctx, "SELECT code, owner FROM cases WHERE procedure_code = ANY($1) AND abs(hashtext(code)) % 4 = 0",
		firsts); err != nil {
		return nil, err
	}
	for rows.Next() {
		var l benchLookup
		if err := rows.Scan(&l.code, &l.owner); err != nil {
			return nil, err
		}
		rb.complaints = append(rb.complaints, l)
	}
	if err := rows.Err(); err != nil || len(rb.complaints) == 0 {
		return nil, fmt.Errorf("no first-instance complaint to look up (%v)", err)
	}
	var open int
	_ = raw.QueryRowContext(ctx, "SELECT count(DISTINCT case_code) FROM case_tasks").Scan(&open)
	b.Logf("%d cases, %d open; %d officers of %d agencies, %d with a second page; %d cases and %d complaints to look up",
		httpBenchCases, open, len(rb.officers), len(rb.officers)/3, len(rb.paged), len(rb.lookups), len(rb.complaints))
	return rb, nil
}

// pickOfficers signs in three officers at each of the ten agencies with
// the most open cases: a reviewer, the one-stop desk (receiver and
// cashier), and the head holding every role. Each gets the filters the
// inbox page offers that select something at the agency, and the cursor of
// the second page when there is one.
func (rb *readBench) pickOfficers(ctx context.Context, raw *sql.DB, dev *api.DevTokens, now time.Time) error {
	rows, err := raw.QueryContext(ctx, `SELECT agency, count(DISTINCT case_code) FROM case_tasks WHERE role <> 'applicant'
		GROUP BY agency ORDER BY 2 DESC, 1 LIMIT 10`)
	if err != nil {
		return err
	}
	type big struct {
		agency string
		open   int
	}
	var bigs []big
	for rows.Next() {
		var g big
		if err := rows.Scan(&g.agency, &g.open); err != nil {
			return err
		}
		bigs = append(bigs, g)
	}
	if err := rows.Err(); err != nil || len(bigs) == 0 {
		return fmt.Errorf("no agency has open cases: %v", err)
	}
	for _, g := range bigs {
		var proc string
		if err := raw.QueryRowContext(ctx, `SELECT procedure_code FROM case_tasks WHERE agency = $1 GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`,
			g.agency).Scan(&proc); err != nil {
			return err
		}
		for i, roles := range [][]motcua.Role{
			{motcua.RoleReviewer},
			{motcua.RoleReceiver, motcua.RoleCashier},
			{motcua.RoleReceiver, motcua.RoleReviewer, motcua.RoleApprover, motcua.RoleCashier, motcua.RoleHead},
		} {
			o := benchOfficer{agency: g.agency, roles: roles, filters: []string{"overdue=true", "procedure=" + url.QueryEscape(proc)}}
			o.filters = append(o.filters, "status="+string(map[int]motcua.Status{0: motcua.StatusInReview, 1: motcua.StatusSubmitted, 2: motcua.StatusAwaitingApproval}[i]))
			o.token, _, _ = dev.Issue(motcua.Actor{Kind: motcua.KindOfficer, Subject: fmt.Sprintf("cb%d-%s", i, g.agency), Name: "Cán bộ",
				Agency: g.agency, Roles: roles}, now)
			resp, err := rb.client.Do(rb.get("/api/v1/inbox?limit=50", o.token, ""))
			if err != nil {
				return err
			}
			var page struct {
				Cases      []json.RawMessage `json:"cases"`
				NextCursor string            `json:"next_cursor"`
			}
			err = json.NewDecoder(resp.Body).Decode(&page)
			resp.Body.Close()
			if err != nil || resp.StatusCode != http.StatusOK {
				return fmt.Errorf("the inbox of %s: %d %v", g.agency, resp.StatusCode, err)
			}
			o.cursor = page.NextCursor
			rb.officers = append(rb.officers, o)
			if o.cursor != "" {
				rb.paged = append(rb.paged, o)
			}
		}
	}
	if len(rb.paged) == 0 {
		rb.paged = rb.officers
	}
	return nil
}
