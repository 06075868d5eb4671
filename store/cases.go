package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/motcua/motcua"
)

type caseRow struct {
	Code             string `gorm:"primaryKey"`
	ProcedureCode    string
	ProcedureVersion int
	ProcedureHash    string
	ProcedureName    string
	Shape            string
	Level            int
	Agency           string
	Agencies         []string `gorm:"serializer:json"`
	Status           string
	Step             string
	Channel          string
	Owner            string
	Applicant        motcua.Applicant `gorm:"serializer:json"`
	Delivery         motcua.Delivery  `gorm:"serializer:json"`
	Notify           []string         `gorm:"serializer:json"`
	Tracking         string
	Form             []byte
	Fee              int64
	FeeLines         []motcua.FeeLine `gorm:"serializer:json"`
	SubmittedAt      time.Time
	ReceivedAt       *time.Time
	DueAt            *time.Time
	Paused           bool
	Overdue          bool
	RescheduledTo    *time.Time
	ClosedAt         *time.Time
	Pauses           []motcua.Pause   `gorm:"serializer:json"`
	Opinions         []motcua.Opinion `gorm:"serializer:json"`
	Result           *motcua.Result   `gorm:"serializer:json"`
	Law              *motcua.CaseLaw  `gorm:"serializer:json"` // migration 00011
	FirstInstance    string           // migration 00018: the first-instance case of a second-instance complaint
	Version          int
	RecordClock      int64 // migration 00022: the workflow task that wrote the row (RecordCaseAt)
	Revision         int64 // migration 00022: the row's writes, for caches and ETags
	UpdatedAt        time.Time
}

func (caseRow) TableName() string { return "cases" }

type eventRow struct {
	CaseCode string `gorm:"primaryKey"`
	Seq      int    `gorm:"primaryKey"`
	At       time.Time
	Action   string
	Status   string
	Actor    motcua.ActorRef `gorm:"serializer:json"`
	Note     string
	Reason   string
	Data     []byte
	Agency   string
}

func (eventRow) TableName() string { return "case_events" }

type taskRow struct {
	CaseCode      string `gorm:"primaryKey"`
	Agency        string `gorm:"primaryKey"`
	Role          string `gorm:"primaryKey"`
	Subject       string `gorm:"primaryKey"`
	Actions       string
	SortAt        time.Time
	Status        string
	ProcedureCode string
	Overdue       bool
	// What the inbox shows of the case (migration 00021), the same on
	// every task row of the case: a page reads no other table.
	ProcedureVersion int
	ProcedureHash    string
	ProcedureName    string
	Shape            string
	Level            int
	CaseAgency       string
	Step             string
	Channel          string
	ApplicantName    string
	SubmittedAt      time.Time
	ReceivedAt       *time.Time
	DueAt            *time.Time
	Paused           bool
	ReceptionLate    bool
	CaseActions      string // every task of the case, encoded by caseActions
}

func (taskRow) TableName() string { return "case_tasks" }

type documentRow struct {
	ID         string `gorm:"primaryKey"`
	CaseCode   string
	Name       string
	Type       string
	Size       int64
	SHA256     string `gorm:"column:sha256"`
	Kind       string
	UploadedAt time.Time
	UploadedBy motcua.ActorRef `gorm:"serializer:json"`
	Signature  string
	KeyID      string
}

func (documentRow) TableName() string { return "documents" }

type paymentRow struct {
	ID        string `gorm:"primaryKey"`
	CaseCode  string
	Amount    int64
	Method    string
	Reference string
	Status    string
	PayURL    string
	At        time.Time
}

func (paymentRow) TableName() string { return "payments" }

// RecordCase is RecordCaseAt for a record without a clock: ordered by
// version alone (records of cases before workflow version 6, tests).
func (db *DB) RecordCase(ctx context.Context, c *motcua.Case, events []motcua.Event) error {
	return db.RecordCaseAt(ctx, 0, c, events)
}

// recordWins is the condition for a record to replace the stored case
// row: it comes from a later workflow task (clock), or from the same one
// with a newer version. At an equal clock and version a record with a
// clock replaces the row too: Temporal runs an Update in a workflow task
// that leaves no trace in history if the server loses it, and the task
// that follows starts at the same history length.
const recordWins = `cases.record_clock < excluded.record_clock OR (cases.record_clock = excluded.record_clock AND
	(cases.version < excluded.version OR (excluded.record_clock > 0 AND cases.version = excluded.version)))`

// RecordCaseAt writes a transition: the case as it now stands (its
// timeline is not read) and the events that led there. It is idempotent
// and order-safe: each event is inserted once, and the case row, its
// tasks, documents and payments change only when the record is newer than
// what is stored (recordWins), so a retried or late activity never moves
// a case backwards.
//
// clock is the history length at the workflow task that made the record
// (workflows.Record.Clock). From workflow version 6 records are written
// by local activities inside the workflow task, before the task is
// durable: a task lost in a crash leaves a record of what never happened
// (a phantom), and the workflow, replayed, may be at a lower version. A
// record from a later task replaces it: events past its version are
// deleted, its own events replace theirs, payments it does not list go.
func (db *DB) RecordCaseAt(ctx context.Context, clock int64, c *motcua.Case, events []motcua.Event) error {
	if c.Code == "" || len(events) == 0 || c.Version != events[len(events)-1].Seq {
		return fmt.Errorf("record case %q: %w (version %d, %d events)", c.Code, errInconsistentRecord, c.Version, len(events))
	}
	if c.Procedure.Code == "" {
		if err := db.fillUnchanged(ctx, c); err != nil {
			return err
		}
	}
	row := toCaseRow(c)
	row.RecordClock, row.Revision = clock, 1
	return db.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Clauses(clause.OnConflict{
			Columns: []clause.Column{{Name: "code"}},
			DoUpdates: append(clause.AssignmentColumns(updateColumns(c)),
				clause.Assignment{Column: clause.Column{Name: "revision"}, Value: gorm.Expr("cases.revision + 1")}),
			Where: clause.Where{Exprs: []clause.Expression{clause.Expr{SQL: recordWins}}},
		}).Create(&row)
		if res.Error != nil {
			return fmt.Errorf("record case %s: %w", c.Code, res.Error)
		}
		evs := make([]eventRow, len(events))
		for i, e := range events {
			evs[i] = toEventRow(c.Code, e)
			if evs[i].Agency == "" {
				evs[i].Agency = c.Agency // the agency handling the case when it happened
			}
		}
		// The newest record from a workflow task: what is stored past it,
		// or differs from it, was written in a task a crash lost.
		replaces := res.RowsAffected > 0 && clock > 0
		if replaces {
			if err := tx.Where("case_code = ? AND seq > ?", c.Code, c.Version).Delete(&eventRow{}).Error; err != nil {
				return fmt.Errorf("record events of %s: %w", c.Code, err)
			}
			ids := make([]string, len(c.Payments))
			for i, p := range c.Payments {
				ids[i] = p.ID
			}
			lost := tx.Where("case_code = ?", c.Code)
			if len(ids) > 0 {
				lost = lost.Where("id NOT IN ?", ids)
			}
			if err := lost.Delete(&paymentRow{}).Error; err != nil {
				return fmt.Errorf("record payments of %s: %w", c.Code, err)
			}
		}
		onEvent := clause.OnConflict{DoNothing: true}
		if replaces {
			onEvent = clause.OnConflict{UpdateAll: true}
		}
		if err := tx.Clauses(onEvent).Create(&evs).Error; err != nil {
			return fmt.Errorf("record events of %s: %w", c.Code, err)
		}
		if res.RowsAffected == 0 {
			// An older record arrived late: the row already shows newer
			// state, but its events may count in the statistics.
			stored, err := db.lockCase(tx, c.Code)
			if err != nil {
				return err
			}
			return db.refreshStats(tx, stored)
		}
		if err := tx.Where("case_code = ?", c.Code).Delete(&taskRow{}).Error; err != nil {
			return err
		}
		if tasks := toTaskRows(c); len(tasks) > 0 {
			if err := tx.Create(&tasks).Error; err != nil {
				return fmt.Errorf("record tasks %s: %w", c.Code, err)
			}
		}
		for _, d := range c.Documents {
			dr := documentRow{ID: d.ID, CaseCode: c.Code, Name: d.Name, Type: d.Type, Size: d.Size, SHA256: d.SHA256, Kind: d.Kind,
				UploadedAt: d.Uploaded.UTC(), UploadedBy: d.By, Signature: d.Signature, KeyID: d.KeyID}
			if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&dr).Error; err != nil {
				return fmt.Errorf("record document %s: %w", d.ID, err)
			}
		}
		for _, p := range c.Payments {
			pr := paymentRow{ID: p.ID, CaseCode: c.Code, Amount: p.Amount, Method: p.Method, Reference: p.Reference, Status: p.Status, PayURL: p.PayURL, At: p.At.UTC()}
			if err := tx.Clauses(clause.OnConflict{
				Columns:   []clause.Column{{Name: "id"}},
				DoUpdates: clause.AssignmentColumns([]string{"status", "reference", "at"}),
			}).Create(&pr).Error; err != nil {
				return fmt.Errorf("record payment %s: %w", p.ID, err)
			}
		}
		return db.refreshStats(tx, &row)
	})
}

// fillUnchanged puts back on c what a record after the first leaves out
// (workflows' versionLeanRecords): the procedure and the fee lines, which
// never change and which the row keeps from the first record; the tasks
// and the statistics are drawn from them.
func (db *DB) fillUnchanged(ctx context.Context, c *motcua.Case) error {
	var row caseRow
	err := db.gorm.WithContext(ctx).Select("code", "procedure_code", "procedure_version", "procedure_hash", "procedure_name",
		"shape", "level", "fee_lines").Where("code = ?", c.Code).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil // the case's first record: nothing was left out
	} else if err != nil {
		return fmt.Errorf("record case %s: the stored case: %w", c.Code, err)
	}
	c.Procedure = motcua.ProcedureRef{Code: row.ProcedureCode, Version: row.ProcedureVersion, Hash: row.ProcedureHash,
		Name: row.ProcedureName, Shape: row.Shape, Level: row.Level}
	c.FeeLines = row.FeeLines
	return nil
}

var caseUpdateColumns = []string{
	"agency", "agencies", // a hand-over moves the case
	"status", "step", "applicant", "delivery", "notify", "tracking", "form", "received_at", "due_at", "paused", "overdue",
	"rescheduled_to", "closed_at", "pauses", "opinions", "result", "version", "record_clock", "updated_at",
	"law",
}

// updateColumns are the columns a later record of c rewrites. A record
// without the form (cases send it once) leaves the stored form alone; its
// documents are only the new ones, each inserted once.
func updateColumns(c *motcua.Case) []string {
	if len(c.Form) > 0 {
		return caseUpdateColumns
	}
	return slices.DeleteFunc(slices.Clone(caseUpdateColumns), func(col string) bool { return col == "form" })
}

func toCaseRow(c *motcua.Case) caseRow {
	return caseRow{
		Code: c.Code, ProcedureCode: c.Procedure.Code, ProcedureVersion: c.Procedure.Version,
		ProcedureHash: c.Procedure.Hash, ProcedureName: c.Procedure.Name, Shape: c.Procedure.Shape,
		Level: c.Procedure.Level, Agency: c.Agency, Agencies: nonNil(c.Agencies), Status: string(c.Status), Step: c.Step,
		Channel: c.Channel, Owner: c.Owner, Applicant: c.Applicant,
		Delivery: c.Delivery, Notify: nonNil(c.Notify), Tracking: c.Delivery.Tracking, Form: nullJSON(c.Form), Fee: c.Fee, FeeLines: c.FeeLines, SubmittedAt: c.SubmittedAt.UTC(),
		ReceivedAt: utc(c.ReceivedAt), DueAt: utc(c.DueAt), Paused: c.Paused, Overdue: c.Overdue,
		RescheduledTo: utc(c.RescheduledTo), ClosedAt: utc(c.ClosedAt),
		Pauses: nonNil(c.Pauses), Opinions: nonNil(c.Opinions), Result: c.Result, Law: c.Law,
		FirstInstance: firstInstance(c), Version: c.Version, UpdatedAt: time.Now().UTC(),
	}
}

func firstInstance(c *motcua.Case) string {
	if c.Law == nil {
		return ""
	}
	return c.Law.FirstInstance
}

// SecondInstanceOf returns the code of the second-instance complaint filed
// against the first-instance case code, "" if none.
func (db *DB) SecondInstanceOf(ctx context.Context, code string) (string, error) {
	// "<> ''" lets every plan use the partial index (a generic plan of
	// "= $1" alone cannot: a scan of a million rows, seen in psql). A
	// prepared raw statement: every look-up of a complaint asks it.
	stmt, err := db.prepared(ctx, &db.secondStmt, "SELECT code FROM cases WHERE first_instance = "+db.param(1)+
		" AND first_instance <> '' ORDER BY code LIMIT 1")
	if err != nil {
		return "", err
	}
	var second string
	if err := stmt.QueryRowContext(ctx, code).Scan(&second); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("second instance of %s: %w", code, err)
	}
	return second, nil
}

func toEventRow(code string, e motcua.Event) eventRow {
	return eventRow{CaseCode: code, Seq: e.Seq, At: e.At.UTC(), Action: string(e.Action), Status: string(e.Status),
		Actor: e.Actor, Note: e.Note, Reason: e.Reason, Data: nullJSON(e.Data), Agency: e.Agency}
}

// toTaskRows collapses the open actions into one row per (agency, role):
// the inbox asks "who is expected to act", the case view says which action.
func toTaskRows(c *motcua.Case) []taskRow {
	if c.Status.Final() {
		return nil
	}
	sortAt := c.SubmittedAt
	if c.DueAt != nil {
		sortAt = *c.DueAt
	}
	byKey := map[[3]string]*taskRow{}
	var rows []*taskRow
	for _, p := range c.Actions {
		key := [3]string{p.Agency, string(p.Role), p.Subject}
		if t, ok := byKey[key]; ok {
			t.Actions += "," + string(p.Action)
			continue
		}
		t := &taskRow{CaseCode: c.Code, Agency: p.Agency, Role: string(p.Role), Subject: p.Subject, Actions: string(p.Action),
			SortAt: sortAt.UTC(), Status: string(c.Status), ProcedureCode: c.Procedure.Code, Overdue: c.Overdue,
			ProcedureVersion: c.Procedure.Version, ProcedureHash: c.Procedure.Hash, ProcedureName: c.Procedure.Name,
			Shape: c.Procedure.Shape, Level: c.Procedure.Level, CaseAgency: c.Agency, Step: c.Step, Channel: c.Channel,
			ApplicantName: c.Applicant.Name, SubmittedAt: c.SubmittedAt.UTC(), ReceivedAt: utc(c.ReceivedAt), DueAt: utc(c.DueAt),
			Paused: c.Paused, ReceptionLate: c.Law != nil && c.Law.ReceptionLate}
		byKey[key] = t
		rows = append(rows, t)
	}
	out := make([]taskRow, len(rows))
	for i, t := range rows {
		out[i] = *t
	}
	all := caseActions(out)
	for i := range out {
		out[i].CaseActions = all
	}
	return out
}

// caseActions encodes a case's tasks in one string, as the case view
// orders them (by agency, role and subject): each task's agency, role,
// subject and actions apart by \x1f, tasks by \x1e. parseCaseActions
// reads it back.
func caseActions(tasks []taskRow) string {
	sorted := slices.Clone(tasks)
	slices.SortFunc(sorted, func(a, b taskRow) int {
		return cmp.Or(strings.Compare(a.Agency, b.Agency), strings.Compare(a.Role, b.Role), strings.Compare(a.Subject, b.Subject))
	})
	var b strings.Builder
	for i, t := range sorted {
		if i > 0 {
			b.WriteByte(0x1e)
		}
		b.WriteString(t.Agency + "\x1f" + t.Role + "\x1f" + t.Subject + "\x1f" + t.Actions)
	}
	return b.String()
}

// parseCaseActions is the permissions caseActions encoded, in one
// allocation (an inbox page reads fifty).
func parseCaseActions(s string) []motcua.Permission {
	if s == "" {
		return []motcua.Permission{}
	}
	out := make([]motcua.Permission, 0, 1+strings.Count(s, ",")+strings.Count(s, "\x1e"))
	for t := range strings.SplitSeq(s, "\x1e") {
		agency, rest, _ := strings.Cut(t, "\x1f")
		role, rest, _ := strings.Cut(rest, "\x1f")
		subject, actions, ok := strings.Cut(rest, "\x1f")
		if !ok {
			continue
		}
		for a := range strings.SplitSeq(actions, ",") {
			out = append(out, motcua.Permission{Action: motcua.Action(a), Role: motcua.Role(role), Agency: agency, Subject: subject})
		}
	}
	return out
}

// Case returns the full view of a case from the read model.
func (db *DB) Case(ctx context.Context, code string) (*motcua.Case, error) {
	if c, ok := db.cachedView(ctx, code); ok {
		return c, nil
	}
	return db.readCase(ctx, code)
}

func documentOf(d documentRow) motcua.Document {
	return motcua.Document{ID: d.ID, Name: d.Name, Type: d.Type, Size: d.Size, SHA256: d.SHA256, Kind: d.Kind,
		Uploaded: d.UploadedAt, By: d.UploadedBy, Signature: d.Signature, KeyID: d.KeyID}
}

// CaseByTracking finds the case whose result travels under a postal
// tracking number.
func (db *DB) CaseByTracking(ctx context.Context, tracking string) (*motcua.Case, error) {
	var codes []string
	if err := db.gorm.WithContext(ctx).Model(&caseRow{}).Where("tracking = ? AND tracking <> ''", tracking).Limit(1).
		Pluck("code", &codes).Error; err != nil {
		return nil, fmt.Errorf("case by tracking: %w", err)
	}
	if len(codes) == 0 {
		return nil, motcua.Errorf(motcua.ENOTFOUND, "Không có hồ sơ gửi theo số hiệu %s.", tracking)
	}
	return db.readCase(ctx, codes[0])
}

// Document finds a document by ID, with the code of its case.
func (db *DB) Document(ctx context.Context, id string) (*motcua.Document, string, error) {
	var row documentRow
	err := db.gorm.WithContext(ctx).Where("id = ?", id).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		// Not a case's: perhaps an agency's paper (a register).
		d, err := db.agencyPaper(ctx, id)
		return d, "", err
	} else if err != nil {
		return nil, "", fmt.Errorf("document %s: %w", id, err)
	}
	d := documentOf(row)
	return &d, row.CaseCode, nil
}

func fromCaseRow(r *caseRow) *motcua.Case {
	return &motcua.Case{
		Code: r.Code,
		Procedure: motcua.ProcedureRef{Code: r.ProcedureCode, Version: r.ProcedureVersion, Hash: r.ProcedureHash,
			Name: r.ProcedureName, Shape: r.Shape, Level: r.Level},
		Agency: r.Agency, Agencies: nonNil(r.Agencies), Status: motcua.Status(r.Status), Step: r.Step, Channel: r.Channel, Owner: r.Owner,
		Applicant: r.Applicant, Delivery: r.Delivery, Notify: r.Notify, Form: json.RawMessage(r.Form), Fee: r.Fee, FeeLines: r.FeeLines,
		SubmittedAt: r.SubmittedAt, ReceivedAt: r.ReceivedAt, DueAt: r.DueAt, Paused: r.Paused, Overdue: r.Overdue,
		RescheduledTo: r.RescheduledTo, ClosedAt: r.ClosedAt, Pauses: nonNil(r.Pauses), Opinions: r.Opinions,
		Result: r.Result, Actions: []motcua.Permission{}, Documents: []motcua.Document{}, Payments: []motcua.Payment{},
		Version: r.Version, Revision: r.Revision, Law: r.Law,
	}
}

func taskPermissions(tasks []taskRow) []motcua.Permission {
	out := []motcua.Permission{}
	for _, t := range tasks {
		for _, a := range strings.Split(t.Actions, ",") {
			out = append(out, motcua.Permission{Action: motcua.Action(a), Role: motcua.Role(t.Role), Agency: t.Agency, Subject: t.Subject})
		}
	}
	return out
}

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func nullJSON(b json.RawMessage) []byte {
	if len(b) == 0 {
		return nil
	}
	return b
}

// CaseVersion is a case's code and the version its row shows.
type CaseVersion struct {
	Code    string
	Version int
}

// LastWritten lists the cases written within window of the newest write
// of any case, newest first, at most limit: those a crash could have left
// with a record their workflow lost (worker.ResyncRecords). It scans the
// cases once; it runs once when a worker starts.
func (db *DB) LastWritten(ctx context.Context, window time.Duration, limit int) ([]CaseVersion, error) {
	var newest []caseRow
	if err := db.gorm.WithContext(ctx).Select("updated_at").Order("updated_at DESC").Limit(1).Find(&newest).Error; err != nil {
		return nil, fmt.Errorf("last written cases: %w", err)
	}
	if len(newest) == 0 {
		return nil, nil
	}
	var out []CaseVersion
	err := db.gorm.WithContext(ctx).Model(&caseRow{}).Select("code", "version").
		Where("updated_at >= ?", newest[0].UpdatedAt.Add(-window)).Order("updated_at DESC").Limit(limit).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("last written cases: %w", err)
	}
	return out, nil
}
