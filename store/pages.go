package store

import (
	"context"
	"fmt"

	"github.com/motcua/motcua"
)

// InboxCounts counts the cases waiting for one of q.Roles at q.Agency, per
// status (the inbox page's counts). A case with tasks for several of the
// roles counts once. Filters other than agency, roles and subject are
// ignored: the counts are of the whole inbox.
func (db *DB) InboxCounts(ctx context.Context, q motcua.InboxQuery) (map[string]int, error) {
	roles := make([]string, len(q.Roles))
	for i, r := range q.Roles {
		roles[i] = string(r)
	}
	out := map[string]int{}
	if len(roles) == 0 {
		return out, nil
	}
	var rows []struct {
		Status string
		N      int
	}
	err := db.gorm.WithContext(ctx).Table("case_tasks").Select("status, COUNT(DISTINCT case_code) AS n").
		Where("agency = ? AND role IN ? AND (subject = '' OR subject = ?)", q.Agency, roles, q.Subject).
		Group("status").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("inbox counts: %w", err)
	}
	for _, r := range rows {
		out[r.Status] = r.N
	}
	return out, nil
}
