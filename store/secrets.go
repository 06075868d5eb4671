package store

import (
	"context"
	"crypto/hmac"
	"database/sql"
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

// SaveOneTimeCode keeps the hash of a one-time code sent for code's
// purpose until expires, replacing any sent before.
func (db *DB) SaveOneTimeCode(ctx context.Context, code, purpose, hash string, expires, now time.Time) error {
	err := db.gorm.WithContext(ctx).Exec(`INSERT INTO case_one_time_codes (code, purpose, code_hash, expires_at, attempts, sent_at)
		VALUES (?, ?, ?, ?, 0, ?)
		ON CONFLICT (code, purpose) DO UPDATE SET code_hash = excluded.code_hash, expires_at = excluded.expires_at,
			attempts = 0, sent_at = excluded.sent_at`,
		code, purpose, hash, expires.UnixMilli(), now.UTC()).Error
	if err != nil {
		return fmt.Errorf("one-time code of %s: %w", code, err)
	}
	return nil
}

// UseOneTimeCode spends one of the attempts at code's one-time code for
// purpose and reports whether hash is it; a code that matches is used up,
// so it works once. No code, an expired one, or one whose attempts are
// spent matches nothing; left is the attempts that remain.
func (db *DB) UseOneTimeCode(ctx context.Context, code, purpose, hash string, maxAttempts int, now time.Time) (ok bool, left int, err error) {
	var stored string
	var attempts int
	err = db.gorm.WithContext(ctx).Raw(`UPDATE case_one_time_codes SET attempts = attempts + 1
		WHERE code = ? AND purpose = ? AND attempts < ? AND expires_at > ? RETURNING code_hash, attempts`,
		code, purpose, maxAttempts, now.UnixMilli()).Row().Scan(&stored, &attempts)
	if errors.Is(err, sql.ErrNoRows) {
		return false, 0, nil
	} else if err != nil {
		return false, 0, fmt.Errorf("one-time code of %s: %w", code, err)
	}
	if !hmac.Equal([]byte(stored), []byte(hash)) {
		return false, maxAttempts - attempts, nil
	}
	res := db.gorm.WithContext(ctx).Exec("DELETE FROM case_one_time_codes WHERE code = ? AND purpose = ? AND code_hash = ?", code, purpose, stored)
	if res.Error != nil {
		return false, 0, fmt.Errorf("one-time code of %s: %w", code, res.Error)
	}
	return res.RowsAffected == 1, 0, nil // a concurrent use took it first
}

var _ motcua.OneTimeCodes = (*DB)(nil)
