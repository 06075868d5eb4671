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

type secretRow struct {
	Code       string `gorm:"primaryKey"`
	Generation int
	Revoked    bool
	UpdatedAt  time.Time
}

func (secretRow) TableName() string { return "case_secrets" }

// SecretState says where code's secret stands (the receipt's, if never
// re-issued or revoked).
func (db *DB) SecretState(ctx context.Context, code string) (motcua.SecretState, error) {
	var row secretRow
	err := db.gorm.WithContext(ctx).Where("code = ?", code).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return motcua.SecretState{}, nil
	} else if err != nil {
		return motcua.SecretState{}, fmt.Errorf("secret of %s: %w", code, err)
	}
	return motcua.SecretState{Generation: row.Generation, Revoked: row.Revoked}, nil
}

// SetSecretState records a re-issued or revoked secret.
func (db *DB) SetSecretState(ctx context.Context, code string, st motcua.SecretState) error {
	row := secretRow{Code: code, Generation: st.Generation, Revoked: st.Revoked, UpdatedAt: time.Now().UTC()}
	err := db.gorm.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "code"}},
		DoUpdates: clause.AssignmentColumns([]string{"generation", "revoked", "updated_at"}),
	}).Create(&row).Error
	if err != nil {
		return fmt.Errorf("secret of %s: %w", code, err)
	}
	return nil
}

var _ motcua.SecretStates = (*DB)(nil)
