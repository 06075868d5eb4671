package api_test

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/procedures"
)

// The province as BenchmarkReadHTTP sees it: n cases of the last four
// years over the agencies competent for the catalogue's procedures (before
// the 2025 merger for the older half of the archive, after it for the rest
// and for all open cases), procedures drawn by a Zipf law of exponent ½.
// About 5 % are open (received in the last 30 days, inbox tasks by status);
// the rest completed (87 %), rejected, withdrawn or cancelled. Every case
// has its timeline (one to seven events), the application form of its
// procedure, its documents (application, receipt, result) and, when it
// paid a fee, its payment.
//
// Rows are computed by PostgreSQL from the case's number (hashint8extended
// of it, one salt per draw), one statement per table: through RecordCase a
// million cases would take hours.

// eraSlots is how many (procedure, agency) draws each era's cases pick from.
const eraSlots = 1000

type slot struct {
	era                int
	agency, proc, name string
	hash, shape, form  string
	version, level     int
	fee                int64
	weight             float64
}

// slots spreads each era's eraSlots draws over (procedure, competent
// agency) in proportion to the procedure's weight shared by its agencies.
func slots(cat *procedures.Catalog, eras []time.Time) []slot {
	procs := cat.All()
	slices.SortFunc(procs, func(a, b *motcua.Procedure) int { return strings.Compare(a.Code, b.Code) })
	var out []slot
	for era, day := range eras {
		var pairs []slot
		total := 0.0
		for rank, p := range procs {
			agencies := cat.Competent(p.Code, day)
			if len(agencies) == 0 || p.Level < 2 {
				continue
			}
			w := 1 / math.Sqrt(float64(rank+1)) / float64(len(agencies))
			for _, a := range agencies {
				pairs = append(pairs, slot{era: era, agency: a.Code, proc: p.Code, name: p.Name.Vi, hash: p.Hash, shape: p.Shape,
					form: string(p.ExampleForm), version: p.Version, level: p.Level, fee: p.FeeAmount(), weight: w})
				total += w
			}
		}
		// Largest remainders: every pair gets its share of the slots,
		// rounded, and at least one if its share rounds to none.
		n := 0
		for i := range pairs {
			k := max(1, int(math.Round(pairs[i].weight/total*eraSlots)))
			for range k {
				if n < eraSlots {
					out = append(out, pairs[i])
					n++
				}
			}
		}
		for i := 0; n < eraSlots; i, n = i+1, n+1 {
			out = append(out, pairs[i%len(pairs)])
		}
	}
	return out
}

// seedProvince writes n cases into the (empty, migrated) read model that
// conn's search path names; now is the seed's present.
func seedProvince(ctx context.Context, conn *sql.Conn, cat *procedures.Catalog, n int, now time.Time) error {
	merger := time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)
	exec := func(what, q string, args ...any) error {
		if _, err := conn.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("seed %s: %w", what, err)
		}
		return nil
	}
	if err := exec("slots", `CREATE TEMP TABLE bench_slots (era INT, slot INT, agency TEXT, proc TEXT, name TEXT, hash TEXT,
		shape TEXT, form JSONB, version INT, level INT, fee BIGINT)`); err != nil {
		return err
	}
	all := slots(cat, []time.Time{merger.AddDate(-1, 0, 0), now})
	for lo := 0; lo < len(all); lo += 500 {
		var rows []string
		var args []any
		for i, s := range all[lo:min(lo+500, len(all))] {
			k := len(args)
			rows = append(rows, fmt.Sprintf("($%d::int, $%d::int, $%d, $%d, $%d, $%d, $%d, $%d::jsonb, $%d::int, $%d::int, $%d::bigint)",
				k+1, k+2, k+3, k+4, k+5, k+6, k+7, k+8, k+9, k+10, k+11))
			form := s.form
			if form == "" {
				form = "{}"
			}
			args = append(args, s.era, (lo+i)%eraSlots, s.agency, s.proc, s.name, s.hash, s.shape, form, s.version, s.level, s.fee)
		}
		if err := exec("slots", "INSERT INTO bench_slots VALUES "+strings.Join(rows, ", "), args...); err != nil {
			return err
		}
	}
	// h(k) is the k-th random draw of case i. Open cases were submitted in
	// the last 30 days; the archive spreads over four years, before the
	// merger (era 0) or after it and at least 45 days ago (era 1).
	cases := `
	WITH g AS (
		SELECT i, abs(hashint8extended(i, 1)) % 1000 AS st, abs(hashint8extended(i, 2)) AS h2,
			abs(hashint8extended(i, 3)) AS h3, abs(hashint8extended(i, 4)) AS h4
		FROM generate_series(0, $1::bigint - 1) AS i
	), d AS (
		SELECT g.*, st < 50 AS open,
			CASE WHEN st < 50 OR h4 % 2 = 1 THEN 1 ELSE 0 END AS era,
			CASE
				WHEN st < 50 THEN $2::timestamptz - (h2 % (30 * 1440)) * interval '1 minute'
				WHEN h4 % 2 = 0 THEN $3::timestamptz - interval '950 days' + (h2 % (930 * 1440)) * interval '1 minute'
				ELSE $3::timestamptz + (h2 % greatest(1, extract(epoch FROM $2::timestamptz - interval '45 days' - $3::timestamptz)::bigint / 60)) * interval '1 minute'
			END AS submitted,
			CASE
				WHEN st < 10 THEN 'submitted' WHEN st < 15 THEN 'awaiting_supplement' WHEN st < 35 THEN 'in_review'
				WHEN st < 39 THEN 'awaiting_approval' WHEN st < 42 THEN 'awaiting_payment' WHEN st < 45 THEN 'awaiting_issue'
				WHEN st < 50 THEN 'result_ready' WHEN st < 920 THEN 'completed' WHEN st < 960 THEN 'rejected'
				WHEN st < 990 THEN 'withdrawn' ELSE 'cancelled'
			END AS status
		FROM g
	), e AS (
		SELECT d.*, s.agency, s.proc, s.name, s.hash, s.shape, s.form, s.version AS proc_version, s.level, s.fee,
			CASE WHEN d.status IN ('submitted', 'withdrawn') THEN NULL ELSE d.submitted + interval '3 hours' END AS received,
			'079' || lpad((h3 % 600000)::text, 9, '0') AS owner
		FROM d JOIN bench_slots s ON s.era = d.era AND s.slot = (d.h3 / 7) % $4::bigint
	), f AS (
		SELECT e.*, e.received + (5 + h2 % 16) * interval '1 day' AS due,
			CASE WHEN open THEN NULL ELSE coalesce(e.received, e.submitted) + (1 + h2 % 20) * interval '1 day' END AS closed,
			to_char(e.submitted AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYMMDD') AS day
		FROM e
	)
	INSERT INTO cases (code, procedure_code, procedure_version, procedure_hash, procedure_name, shape, level, agency, agencies,
		status, step, channel, owner, applicant, delivery, notify, tracking, form, fee, fee_lines, submitted_at, received_at, due_at,
		paused, overdue, rescheduled_to, closed_at, pauses, opinions, result, law, first_instance, version, updated_at)
	SELECT agency || '-' || day || '-' || lpad((row_number() OVER (PARTITION BY agency, day ORDER BY submitted, i))::text, 4, '0'),
		proc, proc_version, hash, name, shape, level, agency, jsonb_build_array(agency),
		status,
		CASE status WHEN 'submitted' THEN 'reception' WHEN 'awaiting_supplement' THEN 'supplement' WHEN 'in_review' THEN 'review'
			WHEN 'awaiting_approval' THEN 'approval' WHEN 'awaiting_payment' THEN 'payment' WHEN 'awaiting_issue' THEN 'issue'
			ELSE 'delivery' END,
		CASE WHEN h2 % 10 < 6 THEN 'online' ELSE 'counter' END,
		owner,
		jsonb_build_object('name', 'Nguyễn Văn ' || i, 'id_number', owner, 'phone', '09' || lpad((h4 % 100000000)::text, 8, '0'),
			'address', (h4 % 200) || ' Phan Châu Trinh, Hội An'),
		jsonb_build_object('method', CASE WHEN h4 % 5 = 0 THEN 'post' ELSE 'online' END),
		'[]', '', form, fee, NULL, submitted, received, due,
		false, CASE WHEN open THEN coalesce(due < $2::timestamptz, false) ELSE h2 % 17 = 0 END, NULL, closed, '[]', '[]',
		CASE WHEN status = 'completed' THEN jsonb_build_object('type', 'license', 'name', name, 'number', i || '/GP',
			'issued_at', closed, 'issued_by', jsonb_build_object('kind', 'officer', 'subject', 'ld', 'name', 'Lãnh đạo')) END,
		CASE WHEN status = 'completed' THEN jsonb_build_object('ready_at', closed, 'on_time', h2 % 17 <> 0) ELSE '{}' END, '',
		CASE status WHEN 'submitted' THEN 1 WHEN 'withdrawn' THEN 2 WHEN 'awaiting_supplement' THEN 3 WHEN 'in_review' THEN 3
			WHEN 'awaiting_approval' THEN 4 WHEN 'rejected' THEN 4 WHEN 'cancelled' THEN 4 WHEN 'awaiting_payment' THEN 5
			WHEN 'awaiting_issue' THEN 5 WHEN 'result_ready' THEN 6 ELSE 7 END,
		coalesce(closed, submitted)
	FROM f`
	if err := exec("cases", cases, n, now, merger, eraSlots); err != nil {
		return err
	}
	events := `INSERT INTO case_events (case_code, seq, at, action, status, actor, note, agency)
		SELECT c.code, s, c.submitted_at + (s - 1) * interval '20 hours',
			CASE WHEN s = c.version AND c.status IN ('rejected', 'withdrawn', 'cancelled') THEN
				(ARRAY['reject', 'withdraw', 'cancel'])[array_position(ARRAY['rejected', 'withdrawn', 'cancelled'], c.status)]
			ELSE (ARRAY['submit', 'receive', 'review', 'approve', 'pay', 'issue', 'deliver'])[s] END,
			CASE WHEN s = c.version THEN c.status
			ELSE (ARRAY['submitted', 'received', 'in_review', 'awaiting_approval', 'awaiting_payment', 'awaiting_issue', 'result_ready'])[s] END,
			CASE WHEN s = 1 THEN jsonb_build_object('kind', 'citizen', 'subject', c.owner, 'name', c.applicant->>'name')
			ELSE '{"kind":"officer","subject":"cv","name":"Chuyên viên","role":"reviewer"}' END,
			CASE WHEN s = 1 THEN '' ELSE 'Đã xử lý bước ' || s END, c.agency
		FROM cases c, generate_series(1, c.version) AS s`
	if err := exec("events", events); err != nil {
		return err
	}
	docs := `INSERT INTO documents (id, case_code, name, type, size, sha256, kind, uploaded_at, uploaded_by, signature, key_id)
		SELECT c.code || '-' || k, c.code, (ARRAY['don-de-nghi.pdf', 'giay-tiep-nhan.pdf', 'ket-qua.pdf'])[k], 'application/pdf',
			40000 + abs(hashtext(c.code)) % 400000, md5(c.code || k) || md5(k || c.code),
			(ARRAY['application', 'receipt', 'result'])[k], c.submitted_at + (k - 1) * interval '3 hours',
			CASE WHEN k = 1 THEN jsonb_build_object('kind', 'citizen', 'subject', c.owner) ELSE '{"kind":"officer","subject":"mc"}' END,
			CASE WHEN k > 1 THEN md5(c.code) ELSE '' END, CASE WHEN k > 1 THEN 'k1' ELSE '' END
		FROM cases c, generate_series(1, CASE WHEN c.status = 'completed' THEN 3 WHEN c.received_at IS NULL THEN 1 ELSE 2 END) AS k`
	if err := exec("documents", docs); err != nil {
		return err
	}
	pays := `INSERT INTO payments (id, case_code, amount, method, reference, status, at)
		SELECT code || '-p', code, fee, CASE WHEN channel = 'online' THEN 'online' ELSE 'counter' END, 'REF' || md5(code), 'paid',
			received_at + interval '2 days'
		FROM cases WHERE fee > 0 AND status IN ('awaiting_issue', 'result_ready', 'completed')`
	if err := exec("payments", pays); err != nil {
		return err
	}
	tasks := `INSERT INTO case_tasks (case_code, agency, role, subject, actions, sort_at, status, procedure_code, overdue)
		SELECT c.code, t.agency, t.role, '', t.actions, coalesce(c.due_at, c.submitted_at), c.status, c.procedure_code, c.overdue
		FROM cases c, LATERAL (VALUES
			(c.agency, CASE c.status WHEN 'submitted' THEN 'receiver' WHEN 'in_review' THEN 'reviewer' WHEN 'awaiting_approval' THEN 'approver'
				WHEN 'awaiting_payment' THEN 'cashier' WHEN 'awaiting_issue' THEN 'reviewer' WHEN 'result_ready' THEN 'receiver' END,
			 CASE c.status WHEN 'submitted' THEN 'receive,return,reject' WHEN 'in_review' THEN 'review,request_info,reject'
				WHEN 'awaiting_approval' THEN 'approve,reject' WHEN 'awaiting_payment' THEN 'confirm_payment' WHEN 'awaiting_issue' THEN 'issue'
				WHEN 'result_ready' THEN 'deliver' END),
			('', 'applicant', CASE c.status WHEN 'awaiting_supplement' THEN 'supplement,withdraw' WHEN 'awaiting_payment' THEN 'pay,withdraw'
				WHEN 'result_ready' THEN NULL ELSE 'withdraw' END)) AS t(agency, role, actions)
		WHERE c.status IN ('submitted', 'awaiting_supplement', 'in_review', 'awaiting_approval', 'awaiting_payment', 'awaiting_issue', 'result_ready')
			AND t.role IS NOT NULL AND t.actions IS NOT NULL`
	if err := exec("tasks", tasks); err != nil {
		return err
	}
	if err := exec("done", "DROP TABLE bench_slots"); err != nil {
		return err
	}
	// As autovacuum leaves a table that no longer changes: statistics, and
	// the visibility map index-only scans need.
	return exec("vacuum", "VACUUM ANALYZE")
}
