package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/calendar"
)

type ratingRow struct {
	CaseCode  string `gorm:"primaryKey"`
	Overall   int
	TimeKept  int
	Attitude  int
	Guidance  int
	Fees      int
	Comment   string
	RatedAt   time.Time
	UpdatedAt time.Time
}

func (ratingRow) TableName() string { return "case_ratings" }

func (r *ratingRow) rating() *motcua.Rating {
	return &motcua.Rating{Overall: r.Overall, TimeKept: r.TimeKept, Attitude: r.Attitude, Guidance: r.Guidance, Fees: r.Fees,
		Comment: r.Comment, RatedAt: r.RatedAt, UpdatedAt: r.UpdatedAt, EditableUntil: r.RatedAt.Add(motcua.RatingEditable)}
}

// Rating is code's rating.
func (db *DB) Rating(ctx context.Context, code string) (*motcua.Rating, error) {
	var row ratingRow
	err := db.gorm.WithContext(ctx).Where("case_code = ?", code).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, motcua.Errorf(motcua.ENOTFOUND, "Hồ sơ %s chưa được đánh giá.", code)
	} else if err != nil {
		return nil, fmt.Errorf("rating of %s: %w", code, err)
	}
	return row.rating(), nil
}

// SaveRating rates code or changes its rating within RatingEditable of the
// first, and updates the statistics in the same transaction.
func (db *DB) SaveRating(ctx context.Context, code string, r motcua.Rating, now time.Time) (*motcua.Rating, bool, error) {
	now = now.UTC()
	var (
		saved   ratingRow
		created bool
	)
	err := db.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		row, err := db.lockCase(tx, code)
		if err != nil {
			return err
		}
		var old []ratingRow
		if err := tx.Where("case_code = ?", code).Limit(1).Find(&old).Error; err != nil {
			return fmt.Errorf("rating of %s: %w", code, err)
		}
		saved = ratingRow{CaseCode: code, Overall: r.Overall, TimeKept: r.TimeKept, Attitude: r.Attitude, Guidance: r.Guidance,
			Fees: r.Fees, Comment: r.Comment, RatedAt: now, UpdatedAt: now}
		created = len(old) == 0
		if !created {
			if now.After(old[0].RatedAt.Add(motcua.RatingEditable)) {
				return motcua.Errorf(motcua.ECONFLICT, "Đánh giá của hồ sơ %s chỉ sửa được trong 7 ngày kể từ khi đánh giá (đến %s).",
					code, old[0].RatedAt.Add(motcua.RatingEditable).In(calendar.Location).Format("02/01/2006 15:04"))
			}
			saved.RatedAt = old[0].RatedAt
		}
		if err := tx.Clauses(clause.OnConflict{
			Columns:   []clause.Column{{Name: "case_code"}},
			DoUpdates: clause.AssignmentColumns([]string{"overall", "time_kept", "attitude", "guidance", "fees", "comment", "updated_at"}),
		}).Create(&saved).Error; err != nil {
			return fmt.Errorf("rating of %s: %w", code, err)
		}
		return db.refreshStats(tx, row)
	})
	if err != nil {
		return nil, false, err
	}
	return saved.rating(), created, nil
}

var _ motcua.Ratings = (*DB)(nil)
