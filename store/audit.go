package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/motcua/motcua"
)

var _ motcua.AuditLog = (*DB)(nil)

// auditRow is a row of audit_log; the table refuses UPDATE and DELETE.
type auditRow struct {
	ID        int64 `gorm:"primaryKey"`
	At        time.Time
	Subject   string
	Kind      string
	Roles     string // comma-separated
	Agency    string
	Action    string
	CaseCode  string
	Method    string
	Path      string
	Status    int
	Outcome   string
	ClientIP  string `gorm:"column:client_ip"`
	UserAgent string
}

func (auditRow) TableName() string { return "audit_log" }

// AppendAudit appends e (its ID is given by the database).
func (db *DB) AppendAudit(ctx context.Context, e motcua.AuditEntry) error {
	roles := make([]string, len(e.Roles))
	for i, r := range e.Roles {
		roles[i] = string(r)
	}
	row := auditRow{At: e.At.UTC(), Subject: e.Subject, Kind: string(e.Kind), Roles: strings.Join(roles, ","), Agency: e.Agency,
		Action: e.Action, CaseCode: e.Case, Method: e.Method, Path: e.Path, Status: e.Status, Outcome: e.Outcome,
		ClientIP: e.ClientIP, UserAgent: e.UserAgent}
	if err := db.gorm.WithContext(ctx).Create(&row).Error; err != nil {
		return fmt.Errorf("append audit entry: %w", err)
	}
	return nil
}

// Audit returns the entries q selects, newest first, and where the next
// page starts.
func (db *DB) Audit(ctx context.Context, q motcua.AuditQuery) ([]motcua.AuditEntry, int64, error) {
	tx := db.gorm.WithContext(ctx).Model(&auditRow{})
	for col, v := range map[string]string{"subject": q.Subject, "agency": q.Agency, "case_code": q.Case, "action": q.Action, "outcome": q.Outcome} {
		if v != "" {
			tx = tx.Where(col+" = ?", v)
		}
	}
	if !q.From.IsZero() {
		tx = tx.Where("at >= ?", q.From.UTC())
	}
	if !q.To.IsZero() {
		tx = tx.Where("at < ?", q.To.UTC())
	}
	if q.Before > 0 {
		tx = tx.Where("id < ?", q.Before)
	}
	limit := q.Limit
	if limit < 1 {
		limit = 50
	}
	var rows []auditRow
	if err := tx.Order("id DESC").Limit(limit + 1).Find(&rows).Error; err != nil {
		return nil, 0, fmt.Errorf("read audit log: %w", err)
	}
	var next int64
	if len(rows) > limit {
		rows = rows[:limit]
		next = rows[limit-1].ID
	}
	out := make([]motcua.AuditEntry, len(rows))
	for i, r := range rows {
		var roles []motcua.Role
		for _, s := range strings.Split(r.Roles, ",") {
			if s != "" {
				roles = append(roles, motcua.Role(s))
			}
		}
		out[i] = motcua.AuditEntry{ID: r.ID, At: r.At.UTC(), Subject: r.Subject, Kind: motcua.ActorKind(r.Kind), Roles: roles,
			Agency: r.Agency, Action: r.Action, Case: r.CaseCode, Method: r.Method, Path: r.Path, Status: r.Status,
			Outcome: r.Outcome, ClientIP: r.ClientIP, UserAgent: r.UserAgent}
	}
	return out, next, nil
}
