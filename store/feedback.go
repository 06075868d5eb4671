package store

import (
	"context"
	"fmt"

	"github.com/motcua/motcua"
)

// AnsweredFeedback lists the newest answered feedback cases (issue 14),
// each with only its first event (the filing): the public list reads
// their form and answer, and who filed them to leave them out.
func (db *DB) AnsweredFeedback(ctx context.Context, limit int) ([]motcua.Case, error) {
	var rows []caseRow
	err := db.gorm.WithContext(ctx).Where("procedure_code = ? AND status = ?", motcua.ProcedureFeedback, motcua.StatusCompleted).
		Order("closed_at DESC, code").Limit(limit).Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("answered feedback: %w", err)
	}
	out := make([]motcua.Case, len(rows))
	codes := make([]string, len(rows))
	at := map[string]int{}
	for i := range rows {
		out[i] = *fromCaseRow(&rows[i])
		codes[i], at[rows[i].Code] = rows[i].Code, i
	}
	if len(codes) == 0 {
		return out, nil
	}
	// The filing event names who sent it, which a published text must not.
	var events []eventRow
	if err := db.gorm.WithContext(ctx).Where("case_code IN ? AND seq = 1", codes).Find(&events).Error; err != nil {
		return nil, fmt.Errorf("answered feedback: %w", err)
	}
	for _, e := range events {
		out[at[e.CaseCode]].Timeline = []motcua.Event{{Seq: e.Seq, At: e.At, Action: motcua.Action(e.Action), Actor: e.Actor}}
	}
	return out, nil
}
