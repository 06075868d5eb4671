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

type incidentRow struct {
	ID         int64 `gorm:"primaryKey;autoIncrement"`
	Code       string
	RunID      string
	Kind       string
	Detail     string
	OpenedAt   time.Time
	ResolvedAt *time.Time
	ResolvedBy string
	Resolution string
}

func (incidentRow) TableName() string { return "case_incidents" }

func (r incidentRow) incident() motcua.Incident {
	inc := motcua.Incident{ID: r.ID, Code: r.Code, RunID: r.RunID, Kind: r.Kind, Detail: r.Detail, OpenedAt: r.OpenedAt.UTC(),
		ResolvedBy: r.ResolvedBy, Resolution: r.Resolution}
	if r.ResolvedAt != nil {
		at := r.ResolvedAt.UTC()
		inc.ResolvedAt = &at
	}
	return inc
}

var _ motcua.Incidents = (*DB)(nil)

// OpenIncident records inc unless its workflow run has one already.
func (db *DB) OpenIncident(ctx context.Context, inc motcua.Incident) (motcua.Incident, bool, error) {
	row := incidentRow{Code: inc.Code, RunID: inc.RunID, Kind: inc.Kind, Detail: inc.Detail, OpenedAt: inc.OpenedAt.UTC()}
	res := db.gorm.WithContext(ctx).Clauses(clause.OnConflict{
		Columns: []clause.Column{{Name: "code"}, {Name: "run_id"}}, DoNothing: true,
	}).Create(&row)
	if res.Error != nil {
		return motcua.Incident{}, false, fmt.Errorf("incident of %s: %w", inc.Code, res.Error)
	}
	var open incidentRow
	err := db.gorm.WithContext(ctx).Where("code = ? AND run_id = ?", inc.Code, inc.RunID).Take(&open).Error
	if err != nil {
		return motcua.Incident{}, false, fmt.Errorf("incident of %s: %w", inc.Code, err)
	}
	return open.incident(), res.RowsAffected == 1, nil
}

// OpenIncidentOf is code's oldest open incident, nil if none.
func (db *DB) OpenIncidentOf(ctx context.Context, code string) (*motcua.Incident, error) {
	var rows []incidentRow
	err := db.gorm.WithContext(ctx).Where("code = ? AND resolved_at IS NULL", code).Order("id").Limit(1).Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("incidents of %s: %w", code, err)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	inc := rows[0].incident()
	return &inc, nil
}

// ListIncidents lists incidents, newest first.
func (db *DB) ListIncidents(ctx context.Context, all bool, limit int) ([]motcua.Incident, error) {
	q := db.gorm.WithContext(ctx).Order("id DESC").Limit(limit)
	if !all {
		q = q.Where("resolved_at IS NULL")
	}
	var rows []incidentRow
	if err := q.Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("incidents: %w", err)
	}
	out := make([]motcua.Incident, 0, len(rows))
	for _, r := range rows {
		out = append(out, r.incident())
	}
	return out, nil
}

// ResolveIncident closes an open incident; a resolved or unknown one is
// not found.
func (db *DB) ResolveIncident(ctx context.Context, id int64, by, resolution string, at time.Time) (motcua.Incident, error) {
	at = at.UTC()
	res := db.gorm.WithContext(ctx).Model(&incidentRow{}).Where("id = ? AND resolved_at IS NULL", id).
		Updates(map[string]any{"resolved_at": at, "resolved_by": by, "resolution": resolution})
	if res.Error != nil {
		return motcua.Incident{}, fmt.Errorf("resolve incident %d: %w", id, res.Error)
	}
	if res.RowsAffected == 0 {
		return motcua.Incident{}, motcua.Errorf(motcua.ENOTFOUND, "Không có sự cố %d đang mở.", id)
	}
	var row incidentRow
	if err := db.gorm.WithContext(ctx).Take(&row, id).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return motcua.Incident{}, motcua.Errorf(motcua.ENOTFOUND, "Không có sự cố %d.", id)
		}
		return motcua.Incident{}, fmt.Errorf("incident %d: %w", id, err)
	}
	return row.incident(), nil
}
