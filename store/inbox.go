package store

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua"
)

type cursor struct {
	At   time.Time `json:"t"`
	Code string    `json:"c"`
}

func encodeCursor(at time.Time, code string) string {
	b, _ := json.Marshal(cursor{At: at.UTC(), Code: code})
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s string) (*cursor, error) {
	if s == "" {
		return nil, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	var c cursor
	if err == nil {
		err = json.Unmarshal(b, &c)
	}
	if err != nil || c.Code == "" {
		return nil, &motcua.Error{Code: motcua.EINVALID, Message: "Tham số cursor không hợp lệ.", Fields: map[string]string{"cursor": "không hợp lệ"}}
	}
	return &c, nil
}

func clampLimit(n int) int {
	switch {
	case n <= 0:
		return 50
	case n > 200:
		return 200
	}
	return n
}

// Inbox lists cases waiting for an action one of q.Roles can take at
// q.Agency, soonest due first (cases not yet received by submission time),
// keyset-paginated on (sort_at, code). Each role is one ordered range of the
// index (agency, role, sort_at, case_code), entered at the cursor and read
// only as far as the page needs; the ranges are merged, and the page is
// read from the task rows themselves, which carry what it shows of their
// case (migration 00021): one statement on one table, whatever the roles.
func (db *DB) Inbox(ctx context.Context, q motcua.InboxQuery) (*motcua.Page, error) {
	cur, err := decodeCursor(q.Cursor)
	if err != nil {
		return nil, err
	}
	limit := clampLimit(q.Limit)
	roles := slices.Compact(slices.Sorted(slices.Values(q.Roles)))
	if len(roles) == 0 {
		return &motcua.Page{Cases: []motcua.Case{}}, nil
	}
	a := db.newArgs()
	parts := make([]string, len(roles))
	for i, role := range roles {
		where := "agency = " + a.add(q.Agency) + " AND role = " + a.add(string(role)) + " AND (subject = '' OR subject = " + a.add(q.Subject) + ")"
		if q.Status != "" {
			where += " AND status = " + a.add(q.Status)
		}
		if q.Procedure != "" {
			where += " AND procedure_code = " + a.add(q.Procedure)
		}
		switch {
		case q.Overdue == nil:
		case *q.Overdue:
			// Not an argument: a plan prepared for any value could not use
			// the partial index of overdue tasks.
			where += " AND overdue"
		default:
			where += " AND NOT overdue"
		}
		if cur != nil {
			// A row value, so the index range starts at the cursor
			// instead of being read from its beginning and filtered.
			where += " AND (sort_at, case_code) > (" + a.add(cur.At) + ", " + a.add(cur.Code) + ")"
		}
		parts[i] = fmt.Sprintf("SELECT * FROM (SELECT %s FROM case_tasks WHERE %s ORDER BY sort_at, case_code LIMIT %d) AS r%d",
			inboxColumns, where, limit+1, i)
	}
	// Every task row of a case carries the same sort_at and the same
	// columns of its case: the first limit+1 distinct rows of the merge
	// are the page and whether one follows. PostgreSQL's DISTINCT ON the
	// merge's order reads the ranges only as far as the page (a DISTINCT of
	// every column sorted all of them: twice the CPU); SQLite has only
	// DISTINCT.
	distinct := "DISTINCT "
	if db.dialect == Postgres {
		distinct = "DISTINCT ON (sort_at, case_code) "
	}
	rows, err := db.read.QueryContext(ctx, "SELECT "+distinct+inboxColumns+" FROM ("+strings.Join(parts, " UNION ALL ")+") AS k "+
		fmt.Sprintf("ORDER BY sort_at, case_code LIMIT %d", limit+1), a.values...)
	if err != nil {
		return nil, fmt.Errorf("inbox: %w", err)
	}
	defer rows.Close()
	page := &motcua.Page{Cases: make([]motcua.Case, 0, limit)}
	var at, lastAt time.Time
	for rows.Next() {
		var (
			c         motcua.Case
			status    string
			late      bool
			actions   string
			submitted sql.NullTime // NULL only on a row an older binary wrote after 00021
		)
		if err := rows.Scan(&at, &c.Code, &c.Procedure.Code, &c.Procedure.Version, &c.Procedure.Hash, &c.Procedure.Name,
			&c.Procedure.Shape, &c.Procedure.Level, &c.Agency, &status, &c.Step, &c.Channel, &c.Applicant.Name, &submitted,
			&c.ReceivedAt, &c.DueAt, &c.Paused, &c.Overdue, &late, &actions); err != nil {
			return nil, fmt.Errorf("inbox: %w", err)
		}
		if len(page.Cases) == limit {
			page.Next = encodeCursor(lastAt, page.Cases[limit-1].Code)
			break
		}
		c.Status, c.SubmittedAt, c.Agencies, c.Actions = motcua.Status(status), submitted.Time, []string{}, parseCaseActions(actions)
		if late {
			c.Law = &motcua.CaseLaw{ReceptionLate: true}
		}
		page.Cases = append(page.Cases, c)
		lastAt = at
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("inbox: %w", err)
	}
	return page, nil
}

// inboxColumns are the columns of a task row an inbox page shows, sort_at
// first.
const inboxColumns = "sort_at, case_code, procedure_code, procedure_version, procedure_hash, procedure_name, shape, level, " +
	"case_agency, status, step, channel, applicant_name, submitted_at, received_at, due_at, paused, overdue, reception_late, case_actions"

// args collects a statement's arguments and names their placeholders in
// the dialect's syntax (statements on db.sql bypass GORM, whose
// reflection cost more than the queries on a page of fifty cases).
type args struct {
	postgres bool
	values   []any
}

func (db *DB) newArgs() *args { return &args{postgres: db.dialect == Postgres} }

func (a *args) add(v any) string {
	a.values = append(a.values, v)
	if a.postgres {
		return "$" + strconv.Itoa(len(a.values))
	}
	return "?"
}

// summaries loads, in one statement, what a list shows of the cases that
// keys selects (a subquery of case_code and sort_at, whose arguments a
// holds; api.caseSummary): not their form, timeline, documents, payments
// or anything else a list does not show. Their open tasks come as one
// column. Cases are ordered by sort_at and code in direction ("" or
// "DESC"), and returned with their sort_at.
func (db *DB) summaries(ctx context.Context, keys string, a *args, direction string) ([]motcua.Case, []time.Time, error) {
	nameSQL := "c.applicant->>'name'"
	// A list shows whether the desk answered an online filing late
	// (Decree 118/2025 Điều 17 khoản 2 điểm c), not the rest of the law.
	lateSQL := "COALESCE((c.law->>'reception_late')::boolean, false)"
	tasksSQL := "(SELECT string_agg(t.agency || chr(31) || t.role || chr(31) || t.subject || chr(31) || t.actions, chr(30) " +
		"ORDER BY t.agency, t.role, t.subject) FROM case_tasks t WHERE t.case_code = c.code)"
	if db.dialect == SQLite {
		nameSQL = "json_extract(c.applicant, '$.name')"
		lateSQL = "COALESCE(json_extract(c.law, '$.reception_late'), 0)"
		tasksSQL = "(SELECT group_concat(x, char(30)) FROM (SELECT t.agency || char(31) || t.role || char(31) || t.subject || char(31) || " +
			"t.actions AS x FROM case_tasks t WHERE t.case_code = c.code ORDER BY t.agency, t.role, t.subject))"
	}
	rows, err := db.sql.QueryContext(ctx, "SELECT p.sort_at, c.code, c.procedure_code, c.procedure_version, c.procedure_hash, "+
		"c.procedure_name, c.shape, c.level, c.agency, c.status, c.step, c.channel, c.owner, "+nameSQL+", c.submitted_at, "+
		"c.received_at, c.due_at, c.paused, c.overdue, c.version, "+lateSQL+", "+tasksSQL+
		" FROM "+keys+" AS p JOIN cases c ON c.code = p.case_code ORDER BY p.sort_at "+direction+", p.case_code "+direction,
		a.values...)
	if err != nil {
		return nil, nil, fmt.Errorf("case summaries: %w", err)
	}
	defer rows.Close()
	out := []motcua.Case{}
	var sortAt []time.Time
	for rows.Next() {
		var (
			c           motcua.Case
			at          time.Time
			status      string
			name, tasks sql.NullString
			late        bool
		)
		if err := rows.Scan(&at, &c.Code, &c.Procedure.Code, &c.Procedure.Version, &c.Procedure.Hash, &c.Procedure.Name, &c.Procedure.Shape,
			&c.Procedure.Level, &c.Agency, &status, &c.Step, &c.Channel, &c.Owner, &name, &c.SubmittedAt,
			&c.ReceivedAt, &c.DueAt, &c.Paused, &c.Overdue, &c.Version, &late, &tasks); err != nil {
			return nil, nil, fmt.Errorf("case summaries: %w", err)
		}
		c.Status, c.Applicant.Name, c.Agencies = motcua.Status(status), name.String, []string{}
		if late {
			c.Law = &motcua.CaseLaw{ReceptionLate: true}
		}
		c.Actions = parseCaseActions(tasks.String)
		out = append(out, c)
		sortAt = append(sortAt, at)
	}
	return out, sortAt, rows.Err()
}

// CasesByOwner lists a citizen's own cases, newest first.
func (db *DB) CasesByOwner(ctx context.Context, owner string, limit int, cursorStr string) (*motcua.Page, error) {
	cur, err := decodeCursor(cursorStr)
	if err != nil {
		return nil, err
	}
	limit = clampLimit(limit)
	a := db.newArgs()
	where := "owner = " + a.add(owner)
	if cur != nil {
		where += " AND (submitted_at, code) < (" + a.add(cur.At) + ", " + a.add(cur.Code) + ")"
	}
	keys := fmt.Sprintf("(SELECT code AS case_code, submitted_at AS sort_at FROM cases WHERE %s ORDER BY submitted_at DESC, code DESC LIMIT %d)",
		where, limit+1)
	cases, submitted, err := db.summaries(ctx, keys, a, "DESC")
	if err != nil {
		return nil, fmt.Errorf("cases of owner: %w", err)
	}
	page := &motcua.Page{Cases: cases}
	if len(cases) > limit {
		page.Cases = cases[:limit]
		page.Next = encodeCursor(submitted[limit-1], cases[limit-1].Code)
	}
	return page, nil
}
