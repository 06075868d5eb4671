package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/motcua/motcua"
)

// Periodic reports, stored with their files, and the late cases behind an
// agency's numbers (the leader's drill-down).

type reportRow struct {
	Period      string `gorm:"primaryKey"`
	PeriodKey   string `gorm:"primaryKey"`
	Agency      string `gorm:"primaryKey"`
	FromDay     string
	ToDay       string
	Received    int64
	Resolved    int64
	Late        int64
	Overdue     int64
	CsvSha256   string `gorm:"column:csv_sha256"`
	PDF         []byte `gorm:"column:pdf"`
	CSV         []byte `gorm:"column:csv"`
	Generations int
	GeneratedAt time.Time
}

func (reportRow) TableName() string { return "reports" }

func (r *reportRow) report() motcua.Report {
	return motcua.Report{Period: r.Period, Key: r.PeriodKey, Agency: r.Agency, From: r.FromDay, To: r.ToDay,
		Received: r.Received, Resolved: r.Resolved, Late: r.Late, Overdue: r.Overdue, Digest: r.CsvSha256,
		Generations: r.Generations, GeneratedAt: r.GeneratedAt}
}

// SaveReport stores a report and its files, replacing an earlier
// generation of the same period and scope (and counting generations).
func (db *DB) SaveReport(ctx context.Context, r motcua.Report, pdf, csv []byte) error {
	row := reportRow{Period: r.Period, PeriodKey: r.Key, Agency: r.Agency, FromDay: r.From, ToDay: r.To,
		Received: r.Received, Resolved: r.Resolved, Late: r.Late, Overdue: r.Overdue, CsvSha256: r.Digest,
		PDF: pdf, CSV: csv, Generations: 1, GeneratedAt: r.GeneratedAt}
	err := db.gorm.WithContext(ctx).Clauses(clause.OnConflict{
		Columns: []clause.Column{{Name: "period"}, {Name: "period_key"}, {Name: "agency"}},
		DoUpdates: append(clause.AssignmentColumns([]string{"from_day", "to_day", "received", "resolved", "late", "overdue",
			"csv_sha256", "pdf", "csv", "generated_at"}),
			clause.Assignment{Column: clause.Column{Name: "generations"}, Value: gorm.Expr("reports.generations + 1")}),
	}).Create(&row).Error
	if err != nil {
		return fmt.Errorf("save report %s %s %q: %w", r.Period, r.Key, r.Agency, err)
	}
	return nil
}

// Reports lists stored reports, the latest periods first, the province's
// before its agencies'.
func (db *DB) Reports(ctx context.Context, f motcua.ReportFilter) ([]motcua.Report, error) {
	q := db.gorm.WithContext(ctx).Model(&reportRow{}).
		Select("period, period_key, agency, from_day, to_day, received, resolved, late, overdue, csv_sha256, generations, generated_at")
	if f.Period != "" {
		q = q.Where("period = ?", f.Period)
	}
	if f.Key != "" {
		q = q.Where("period_key = ?", f.Key)
	}
	switch f.Agency {
	case "":
	case "-":
		q = q.Where("agency = ''")
	default:
		q = q.Where("agency = ?", f.Agency)
	}
	if f.Limit > 0 {
		q = q.Limit(f.Limit)
	}
	var rows []reportRow
	if err := q.Order("to_day DESC, period, agency").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("reports: %w", err)
	}
	out := make([]motcua.Report, len(rows))
	for i := range rows {
		out[i] = rows[i].report()
	}
	return out, nil
}

// ReportFile is a stored report's PDF or CSV (format "pdf" or "csv").
func (db *DB) ReportFile(ctx context.Context, period, key, agency, format string) (motcua.Report, []byte, error) {
	col := map[string]string{"pdf": "pdf", "csv": "csv"}[format]
	if col == "" {
		return motcua.Report{}, nil, motcua.Errorf(motcua.EINVALID, "Định dạng báo cáo %q không có (pdf, csv).", format)
	}
	var row reportRow
	err := db.gorm.WithContext(ctx).Where("period = ? AND period_key = ? AND agency = ?", period, key, agency).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return motcua.Report{}, nil, motcua.Errorf(motcua.ENOTFOUND, "Chưa có báo cáo kỳ %s.", key)
	}
	if err != nil {
		return motcua.Report{}, nil, fmt.Errorf("report %s %s: %w", period, key, err)
	}
	if col == "pdf" {
		return row.report(), row.PDF, nil
	}
	return row.report(), row.CSV, nil
}

// LateCases lists up to limit of agency's late cases of the kind: those
// submitted from..to (days YYYY-MM-DD) still open and overdue, or those
// resolved late from..to, as the statistics count them (stats_case), the
// most overdue first.
func (db *DB) LateCases(ctx context.Context, agency, kind, from, to string, limit int) ([]motcua.LateCase, error) {
	q := db.gorm.WithContext(ctx).Table("stats_case s").Joins("JOIN cases c ON c.code = s.case_code").
		Select("c.code, c.procedure_code, c.procedure_name, c.status, c.submitted_at, c.due_at, c.closed_at").
		Where("s.agency = ?", agency)
	switch kind {
	case motcua.LateOverdue:
		q = q.Where("s.outcome = ? AND s.submitted_day BETWEEN ? AND ?", outcomeOpenOverdue, from, to)
	case motcua.LateResolved:
		q = q.Where("s.outcome = ? AND s.closed_day BETWEEN ? AND ?", outcomeLate, from, to)
	default:
		return nil, motcua.Errorf(motcua.EINVALID, "Loại hồ sơ trễ hạn %q không có.", kind)
	}
	var out []motcua.LateCase
	if err := q.Order("c.due_at, c.code").Limit(limit).Scan(&out).Error; err != nil {
		return nil, fmt.Errorf("late cases of %s: %w", agency, err)
	}
	return out, nil
}
