package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// AllocateCode returns the case code of the submission with submitKey,
// giving it the next code of agency on day (YYMMDD) if it has none yet.
// created reports whether the code is new. Safe under concurrent retries of
// the same submission: exactly one of them creates the code.
func (db *DB) AllocateCode(ctx context.Context, submitKey, agency, day string) (code string, created bool, err error) {
	if code, err := db.codeOf(ctx, submitKey); err == nil || !errors.Is(err, gorm.ErrRecordNotFound) {
		return code, false, err
	}
	err = db.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		// Write first: the counter row lock serialises concurrent
		// submissions (and SQLite takes its write lock up front).
		var n int
		if err := tx.Raw(`INSERT INTO case_counters (agency, day, last) VALUES (?, ?, 1)
			ON CONFLICT (agency, day) DO UPDATE SET last = case_counters.last + 1 RETURNING last`, agency, day).Scan(&n).Error; err != nil {
			return fmt.Errorf("next case number: %w", err)
		}
		code = fmt.Sprintf("%s-%s-%04d", agency, day, n)
		res := tx.Exec(`INSERT INTO submissions (submit_key, code, created_at) VALUES (?, ?, ?) ON CONFLICT (submit_key) DO NOTHING`,
			submitKey, code, time.Now().UTC())
		if res.Error != nil {
			return fmt.Errorf("record submission: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return errDuplicateSubmission
		}
		created = true
		return nil
	})
	if errors.Is(err, errDuplicateSubmission) {
		code, err = db.codeOf(ctx, submitKey)
		return code, false, err
	}
	return code, created, err
}

var errDuplicateSubmission = errors.New("submission recorded concurrently")

func (db *DB) codeOf(ctx context.Context, submitKey string) (string, error) {
	var code string
	err := db.gorm.WithContext(ctx).Raw("SELECT code FROM submissions WHERE submit_key = ?", submitKey).Row().Scan(&code)
	if errors.Is(err, sql.ErrNoRows) {
		return "", gorm.ErrRecordNotFound
	}
	return code, err
}

// ReleaseCode forgets the code given to a submission, so the next
// AllocateCode gives it a new one. The number itself is never reused.
func (db *DB) ReleaseCode(ctx context.Context, submitKey string) error {
	return db.gorm.WithContext(ctx).Exec("DELETE FROM submissions WHERE submit_key = ?", submitKey).Error
}
