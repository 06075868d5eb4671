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

// Hand-overs of open cases: which open cases an agency holds (the dry run
// and the workflow's pages), and each hand-over's progress.

// OpenCase is an open case as a hand-over sees it.
type OpenCase struct {
	Code      string `json:"code"`
	Procedure string `json:"procedure"`
	Agency    string `json:"agency"`
	// Applicant and Form give the address that decides a commune.
	Applicant motcua.Applicant
	Form      []byte
}

// openAt selects the open cases agency leads or has a task on, of the
// given procedures (all when none).
func (db *DB) openAt(ctx context.Context, agency string, procedures []string) *gorm.DB {
	q := db.gorm.WithContext(ctx).Model(&caseRow{}).
		Where("closed_at IS NULL AND status NOT IN ?", []string{string(motcua.StatusCompleted), string(motcua.StatusRejected),
			string(motcua.StatusWithdrawn), string(motcua.StatusCancelled)}).
		Where("(agency = ? OR code IN (SELECT case_code FROM case_tasks WHERE agency = ?))", agency, agency)
	if len(procedures) > 0 {
		q = q.Where("procedure_code IN ?", procedures)
	}
	return q
}

// OpenCases lists up to limit open cases agency leads or has a task on,
// of procedures (all when empty), in code order after the code after.
func (db *DB) OpenCases(ctx context.Context, agency string, procedures []string, after string, limit int) ([]OpenCase, error) {
	var rows []caseRow
	q := db.openAt(ctx, agency, procedures).Select("code", "procedure_code", "agency", "applicant", "form")
	if after != "" {
		q = q.Where("code > ?", after)
	}
	if err := q.Order("code").Limit(limit).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("open cases of %s: %w", agency, err)
	}
	out := make([]OpenCase, len(rows))
	for i, r := range rows {
		out[i] = OpenCase{Code: r.Code, Procedure: r.ProcedureCode, Agency: r.Agency, Applicant: r.Applicant, Form: r.Form}
	}
	return out, nil
}

// OpenCaseCounts counts the open cases agency leads or has a task on, by
// procedure code.
func (db *DB) OpenCaseCounts(ctx context.Context, agency string) (map[string]int, error) {
	var rows []struct {
		ProcedureCode string
		N             int
	}
	if err := db.openAt(ctx, agency, nil).Select("procedure_code, COUNT(*) AS n").Group("procedure_code").
		Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("open cases of %s: %w", agency, err)
	}
	out := make(map[string]int, len(rows))
	for _, r := range rows {
		out[r.ProcedureCode] = r.N
	}
	return out, nil
}

type handoverRow struct {
	ID         string                   `gorm:"primaryKey"`
	FromAgency string                   `gorm:"column:from_agency"`
	Targets    map[string]string        `gorm:"serializer:json"`
	Day        time.Time                `gorm:"column:day"`
	Basis      string                   `gorm:"column:basis"`
	StartedBy  string                   `gorm:"column:started_by"`
	Status     string                   `gorm:"column:status"`
	Moved      int                      `gorm:"column:moved"`
	Skipped    int                      `gorm:"column:skipped"`
	Failed     int                      `gorm:"column:failed"`
	Failures   []motcua.HandoverFailure `gorm:"serializer:json"`
	AfterCode  string                   `gorm:"column:after_code"`
	Round      int                      `gorm:"column:round"`
	Waiting    int                      `gorm:"column:waiting"`
	StartedAt  time.Time                `gorm:"column:started_at"`
	EndedAt    *time.Time               `gorm:"column:ended_at"`
	UpdatedAt  time.Time                `gorm:"column:updated_at"`
}

func (handoverRow) TableName() string { return "handovers" }

// RecordHandover writes a hand-over's progress. Progress is ordered by
// pass, then by cases handled (a new pass starts its failures afresh), so
// a late retry of an earlier record never moves the row backwards.
func (db *DB) RecordHandover(ctx context.Context, h *motcua.Handover) error {
	row := handoverRow{ID: h.ID, FromAgency: h.From, Targets: h.Targets, Day: h.Day.UTC(), Basis: h.Basis, StartedBy: h.StartedBy,
		Status: h.Status, Moved: h.Moved, Skipped: h.Skipped, Failed: h.Failed, Failures: nonNil(h.Failures), AfterCode: h.After,
		Round: h.Round, Waiting: h.Waiting, StartedAt: h.StartedAt.UTC(), EndedAt: utc(h.EndedAt), UpdatedAt: time.Now().UTC()}
	err := db.gorm.WithContext(ctx).Clauses(clause.OnConflict{
		Columns: []clause.Column{{Name: "id"}},
		DoUpdates: clause.AssignmentColumns([]string{"status", "moved", "skipped", "failed", "failures", "after_code",
			"round", "waiting", "ended_at", "updated_at"}),
		Where: clause.Where{Exprs: []clause.Expression{clause.Expr{
			SQL: "handovers.round < excluded.round OR handovers.round = excluded.round AND " +
				"handovers.moved + handovers.skipped + handovers.failed <= excluded.moved + excluded.skipped + excluded.failed"}}},
	}).Create(&row).Error
	if err != nil {
		return fmt.Errorf("record hand-over %s: %w", h.ID, err)
	}
	return nil
}

// Handover returns the hand-over with id.
func (db *DB) Handover(ctx context.Context, id string) (*motcua.Handover, error) {
	var row handoverRow
	err := db.gorm.WithContext(ctx).Where("id = ?", id).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, motcua.Errorf(motcua.ENOTFOUND, "Không có đợt chuyển giao %s.", id)
	} else if err != nil {
		return nil, fmt.Errorf("hand-over %s: %w", id, err)
	}
	return fromHandoverRow(&row), nil
}

// Handovers lists the latest hand-overs, newest first.
func (db *DB) Handovers(ctx context.Context, limit int) ([]motcua.Handover, error) {
	var rows []handoverRow
	if err := db.gorm.WithContext(ctx).Order("started_at DESC, id").Limit(clampLimit(limit)).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("hand-overs: %w", err)
	}
	out := make([]motcua.Handover, len(rows))
	for i := range rows {
		out[i] = *fromHandoverRow(&rows[i])
	}
	return out, nil
}

func fromHandoverRow(r *handoverRow) *motcua.Handover {
	return &motcua.Handover{ID: r.ID, From: r.FromAgency, Targets: r.Targets, Day: r.Day, Basis: r.Basis, StartedBy: r.StartedBy,
		Status: r.Status, Moved: r.Moved, Skipped: r.Skipped, Failed: r.Failed, Failures: nonNil(r.Failures), After: r.AfterCode,
		Round: r.Round, Waiting: r.Waiting, StartedAt: r.StartedAt, EndedAt: r.EndedAt, UpdatedAt: r.UpdatedAt}
}

// PendingFilings counts agency's submissions since since whose case the
// read model does not hold yet: their workflows started, their first
// record has not landed. The code names its agency (filingAgency), which
// tells it from a longer agency code with the same start.
func (db *DB) PendingFilings(ctx context.Context, agency string, since time.Time) (int, error) {
	var codes []string
	err := db.gorm.WithContext(ctx).Raw(`SELECT s.code FROM submissions s
		WHERE substr(s.code, 1, ?) = ? AND s.created_at >= ? AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.code = s.code)`,
		len(agency)+1, agency+"-", since.UTC()).Scan(&codes).Error
	if err != nil {
		return 0, fmt.Errorf("pending filings of %s: %w", agency, err)
	}
	n := 0
	for _, code := range codes {
		if filingAgency(code) == agency {
			n++
		}
	}
	return n, nil
}
