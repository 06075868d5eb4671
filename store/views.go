package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/motcua/motcua"
)

// viewCacheSize bounds the cases kept as last read (about 10 KiB each).
const viewCacheSize = 4096

// cachedView answers a look-up from the last read of the case when its
// revision is still the stored one: one indexed read of one column instead
// of the case, its timeline, documents, payments and tasks. Every write of
// the case raises its revision, so the answer is never older than what is
// stored — never older than the last action anyone was answered for.
func (db *DB) cachedView(ctx context.Context, code string) (*motcua.Case, bool) {
	c, ok := db.views.Get(code)
	if !ok {
		return nil, false
	}
	stmt, err := db.prepared(ctx, &db.revisionStmt, "SELECT revision FROM cases WHERE code = "+db.param(1))
	if err != nil {
		return nil, false
	}
	var revision int64
	if err := stmt.QueryRowContext(ctx, code).Scan(&revision); err != nil || revision != c.Revision {
		return nil, false
	}
	return copyView(c), true
}

// CaseAt is Case for a caller that has just read the case's revision (its
// CaseAccess): a view cached at that revision answers without a query.
func (db *DB) CaseAt(ctx context.Context, code string, revision int64) (*motcua.Case, error) {
	if c, ok := db.views.Get(code); ok && c.Revision == revision {
		return copyView(c), nil
	}
	return db.readCase(ctx, code)
}

// copyView gives a caller its own case: the cached one is shared.
func copyView(c *motcua.Case) *motcua.Case {
	v := *c
	v.Agencies = slices.Clone(c.Agencies)
	v.Pauses = slices.Clone(c.Pauses)
	v.Opinions = slices.Clone(c.Opinions)
	v.Documents = slices.Clone(c.Documents)
	v.Payments = slices.Clone(c.Payments)
	v.Actions = slices.Clone(c.Actions)
	v.Timeline = slices.Clone(c.Timeline)
	v.Notify = slices.Clone(c.Notify)
	return &v
}

// caseViewQuery reads a case, its timeline, documents, payments and open
// tasks in one statement, one row each, on the five tables' indexes by
// case code: a union of the tables laid out in the case row's columns (kind
// 0), each later kind putting its columns into slots of the same type. It
// was five GORM queries, each decoding its rows by reflection; a look-up
// of a case not cached spent more CPU on them than on anything else.
// Rows come by kind; then events by seq (slot 4), documents by upload and
// payments by time (slot 21) then id (slot 2), tasks by agency, role and
// subject (slots 2, 3, 5): the orders the case view has always had. ?1
// stands for the case code, in the dialect's spelling (caseViewSQL).
const caseViewQuery = `SELECT 0 AS kind, code, procedure_code, procedure_version, procedure_hash, procedure_name, shape, level,
	agency, agencies, status, step, channel, owner, applicant, delivery, notify, form, fee, fee_lines,
	submitted_at, received_at, due_at, paused, overdue, rescheduled_to, closed_at, pauses, opinions, result, law, version,
	revision
FROM cases WHERE code = ?1
UNION ALL SELECT 1, action, status, seq, note, reason, agency, NULL, NULL, actor, NULL, NULL, NULL, NULL, data, NULL, NULL, NULL,
	NULL, NULL, at, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
FROM case_events WHERE case_code = ?1
UNION ALL SELECT 2, id, name, NULL, type, sha256, kind, NULL, signature, uploaded_by, key_id, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
	size, NULL, uploaded_at, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
FROM documents WHERE case_code = ?1
UNION ALL SELECT 3, id, method, NULL, reference, status, pay_url, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
	amount, NULL, at, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
FROM payments WHERE case_code = ?1
UNION ALL SELECT 4, agency, role, NULL, subject, actions, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
	NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
FROM case_tasks WHERE case_code = ?1
ORDER BY 1, 4, 21, 2, 3, 5`

// viewRow holds one row of caseViewQuery, slot by slot (named by column
// number and type); readCase and caseOf read each kind's slots.
type viewRow struct {
	kind                                             int
	s2, s3, s5, s6, s7, s9, s11, s12, s13, s14       sql.NullString
	i4, i8, i19, i32, i33                            sql.NullInt64
	j10, j15, j16, j17, j18, j20, j28, j29, j30, j31 []byte
	t21, t22, t23, t26, t27                          sql.NullTime
	b24, b25                                         sql.NullBool
}

func (r *viewRow) dest() []any {
	return []any{&r.kind, &r.s2, &r.s3, &r.i4, &r.s5, &r.s6, &r.s7, &r.i8, &r.s9, &r.j10, &r.s11, &r.s12, &r.s13, &r.s14,
		&r.j15, &r.j16, &r.j17, &r.j18, &r.i19, &r.j20, &r.t21, &r.t22, &r.t23, &r.b24, &r.b25, &r.t26, &r.t27,
		&r.j28, &r.j29, &r.j30, &r.j31, &r.i32, &r.i33}
}

// readCase reads the whole case in one statement and caches its view. One
// statement is also one snapshot: the case row and its timeline agree.
func (db *DB) readCase(ctx context.Context, code string) (*motcua.Case, error) {
	stmt, err := db.prepared(ctx, &db.viewStmt, db.caseViewSQL())
	if err != nil {
		return nil, err
	}
	rows, err := stmt.QueryContext(ctx, code)
	if err != nil {
		return nil, fmt.Errorf("case %s: %w", code, err)
	}
	defer rows.Close()
	var (
		c     *motcua.Case
		r     viewRow
		tasks []taskRow
	)
	dest := r.dest()
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("case %s: %w", code, err)
		}
		if r.kind == 0 {
			if c, err = r.caseOf(); err != nil {
				return nil, fmt.Errorf("case %s: %w", code, err)
			}
			continue
		}
		if c == nil {
			break // no case row: its tables' foreign keys allow no others
		}
		switch r.kind {
		case 1:
			e := motcua.Event{Seq: int(r.i4.Int64), At: r.t21.Time, Action: motcua.Action(r.s2.String), Status: motcua.Status(r.s3.String),
				Note: r.s5.String, Reason: r.s6.String, Agency: r.s7.String}
			if len(r.j15) > 0 {
				e.Data = json.RawMessage(r.j15)
			}
			if err := json.Unmarshal(r.j10, &e.Actor); err != nil {
				return nil, fmt.Errorf("case %s: event %d: %w", code, e.Seq, err)
			}
			c.Timeline = append(c.Timeline, e)
		case 2:
			d := motcua.Document{ID: r.s2.String, Name: r.s3.String, Type: r.s5.String, SHA256: r.s6.String, Kind: r.s7.String,
				Signature: r.s9.String, KeyID: r.s11.String, Size: r.i19.Int64, Uploaded: r.t21.Time}
			if err := json.Unmarshal(r.j10, &d.By); err != nil {
				return nil, fmt.Errorf("case %s: document %s: %w", code, d.ID, err)
			}
			c.Documents = append(c.Documents, d)
		case 3:
			c.Payments = append(c.Payments, motcua.Payment{ID: r.s2.String, Method: r.s3.String, Reference: r.s5.String,
				Status: r.s6.String, PayURL: r.s7.String, Amount: r.i19.Int64, At: r.t21.Time})
		case 4:
			tasks = append(tasks, taskRow{Agency: r.s2.String, Role: r.s3.String, Subject: r.s5.String, Actions: r.s6.String})
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("case %s: %w", code, err)
	}
	if c == nil {
		return nil, motcua.Errorf(motcua.ENOTFOUND, "Không tìm thấy hồ sơ %s.", code)
	}
	c.Actions = taskPermissions(tasks)
	db.views.Add(code, c)
	return copyView(c), nil
}

// caseViewSQL is caseViewQuery with the case code's parameter in the
// dialect's spelling.
func (db *DB) caseViewSQL() string {
	if db.dialect == Postgres {
		return caseViewQueryPostgres
	}
	return caseViewQuery
}

var caseViewQueryPostgres = strings.ReplaceAll(caseViewQuery, "?1", "$1")

// caseOf is the case of a kind 0 row: its columns as fromCaseRow reads
// them, its JSON columns decoded as GORM's serializer did.
func (r *viewRow) caseOf() (*motcua.Case, error) {
	c := &motcua.Case{
		Code: r.s2.String,
		Procedure: motcua.ProcedureRef{Code: r.s3.String, Version: int(r.i4.Int64), Hash: r.s5.String, Name: r.s6.String,
			Shape: r.s7.String, Level: int(r.i8.Int64)},
		Agency: r.s9.String, Status: motcua.Status(r.s11.String), Step: r.s12.String, Channel: r.s13.String, Owner: r.s14.String,
		Fee: r.i19.Int64, SubmittedAt: r.t21.Time, ReceivedAt: timeOrNil(r.t22), DueAt: timeOrNil(r.t23),
		Paused: r.b24.Bool, Overdue: r.b25.Bool, RescheduledTo: timeOrNil(r.t26), ClosedAt: timeOrNil(r.t27),
		Version: int(r.i32.Int64), Revision: r.i33.Int64, Timeline: []motcua.Event{},
		Documents: []motcua.Document{}, Payments: []motcua.Payment{},
	}
	if len(r.j18) > 0 {
		c.Form = json.RawMessage(r.j18)
	}
	for _, col := range []struct {
		name string
		src  []byte
		dst  any
	}{
		{"agencies", r.j10, &c.Agencies}, {"applicant", r.j15, &c.Applicant}, {"delivery", r.j16, &c.Delivery},
		{"notify", r.j17, &c.Notify}, {"fee_lines", r.j20, &c.FeeLines}, {"pauses", r.j28, &c.Pauses},
		{"opinions", r.j29, &c.Opinions}, {"result", r.j30, &c.Result}, {"law", r.j31, &c.Law},
	} {
		if len(col.src) == 0 {
			continue // NULL: the zero value, as GORM's serializer leaves it
		}
		if err := json.Unmarshal(col.src, col.dst); err != nil {
			return nil, fmt.Errorf("%s: %w", col.name, err)
		}
	}
	c.Agencies, c.Pauses = nonNil(c.Agencies), nonNil(c.Pauses)
	return c, nil
}

func timeOrNil(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	return &t.Time
}
