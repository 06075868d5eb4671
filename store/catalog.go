package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/motcua/motcua"
)

// Agency is a row of the agency registry as the read model keeps it, for
// statistics and for cases that outlive a renamed or merged agency.
type Agency struct {
	Code      string `gorm:"primaryKey"`
	Name      string
	NameEn    string
	Tier      string
	Parent    string
	Successor string
	ValidFrom *time.Time
	ValidTo   *time.Time
}

type procedureRow struct {
	Code           string `gorm:"primaryKey"`
	Version        int
	Hash           string
	Name           string
	NameEn         string
	NameFold       string
	Tier           string
	Agencies       string
	Level          int
	Online         string
	Fee            int64
	ProcessingDays int
	Shape          string
	UpdatedAt      time.Time
}

func (procedureRow) TableName() string { return "procedures" }

// SyncCatalog writes the agency registry and the catalogue index, upserting
// by code, so statistics can join on them. fold makes the search column.
func (db *DB) SyncCatalog(ctx context.Context, agencies []Agency, procs []*motcua.Procedure, fold func(string) string) error {
	now := time.Now().UTC()
	rows := make([]procedureRow, len(procs))
	for i, p := range procs {
		rows[i] = procedureRow{Code: p.Code, Version: p.Version, Hash: p.Hash, Name: p.Name.Vi, NameEn: p.Name.En,
			NameFold: fold(p.Name.Vi), Tier: p.Tier, Agencies: strings.Join(p.Agencies, ","), Level: p.Level,
			Online: p.Online, Fee: p.FeeAmount(), ProcessingDays: p.ProcessingDays, Shape: p.Shape, UpdatedAt: now}
	}
	return db.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if len(agencies) > 0 {
			if err := tx.Clauses(clause.OnConflict{UpdateAll: true}).CreateInBatches(agencies, 200).Error; err != nil {
				return fmt.Errorf("sync agencies: %w", err)
			}
		}
		if len(rows) > 0 {
			if err := tx.Clauses(clause.OnConflict{UpdateAll: true}).CreateInBatches(rows, 200).Error; err != nil {
				return fmt.Errorf("sync procedures: %w", err)
			}
		}
		return nil
	})
}
