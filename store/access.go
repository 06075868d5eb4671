package store

import (
	"context"
	"fmt"

	"github.com/motcua/motcua"
)

// CaseAccess reads who may see a case: one indexed read of one row, the
// same whether the case exists or not.
func (db *DB) CaseAccess(ctx context.Context, code string) (motcua.CaseAccess, error) {
	var rows []caseRow
	err := db.gorm.WithContext(ctx).Model(&caseRow{}).Select("code", "owner", "agencies").Where("code = ?", code).Limit(1).Find(&rows).Error
	if err != nil {
		return motcua.CaseAccess{}, fmt.Errorf("case %s: %w", code, err)
	}
	if len(rows) == 0 {
		return motcua.CaseAccess{}, nil
	}
	return motcua.CaseAccess{Found: true, Owner: rows[0].Owner, Agencies: rows[0].Agencies}, nil
}

var _ motcua.CaseAccesses = (*DB)(nil)
