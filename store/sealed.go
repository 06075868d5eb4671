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

// Sealed identities of denouncers (motcua.SealedIdentities).

type sealedRow struct {
	Code      string `gorm:"primaryKey"`
	Sealed    []byte
	CreatedAt time.Time
}

func (sealedRow) TableName() string { return "sealed_identities" }

// SealIdentity keeps the sealed identity of code; a retry keeps the first.
func (db *DB) SealIdentity(ctx context.Context, code string, sealed []byte) error {
	row := sealedRow{Code: code, Sealed: sealed, CreatedAt: time.Now().UTC()}
	if err := db.gorm.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&row).Error; err != nil {
		return fmt.Errorf("seal identity of %s: %w", code, err)
	}
	return nil
}

// SealedIdentity returns the sealed identity of code.
func (db *DB) SealedIdentity(ctx context.Context, code string) ([]byte, error) {
	var row sealedRow
	err := db.gorm.WithContext(ctx).Where("code = ?", code).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, motcua.Errorf(motcua.ENOTFOUND, "Không có thông tin người tố cáo của hồ sơ %s.", code)
	}
	if err != nil {
		return nil, fmt.Errorf("sealed identity of %s: %w", code, err)
	}
	return row.Sealed, nil
}
