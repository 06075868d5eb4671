package store

import (
	"context"
	"fmt"

	"github.com/motcua/motcua"
)

// AnsweredFeedback lists the newest answered feedback cases (issue 14),
// without their timelines: the public list reads their form and answer.
func (db *DB) AnsweredFeedback(ctx context.Context, limit int) ([]motcua.Case, error) {
	var rows []caseRow
	err := db.gorm.WithContext(ctx).Where("procedure_code = ? AND status = ?", motcua.ProcedureFeedback, motcua.StatusCompleted).
		Order("closed_at DESC, code").Limit(limit).Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("answered feedback: %w", err)
	}
	out := make([]motcua.Case, len(rows))
	for i := range rows {
		out[i] = *fromCaseRow(&rows[i])
	}
	return out, nil
}
