package store

import (
	"cmp"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/motcua/motcua"
)

type cursor struct {
	At   time.Time `json:"t"`
	Code string    `json:"c"`
}

func encodeCursor(at time.Time, code string) string {
	b, _ := json.Marshal(cursor{At: at.UTC(), Code: code})
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s string) (*cursor, error) {
	if s == "" {
		return nil, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	var c cursor
	if err == nil {
		err = json.Unmarshal(b, &c)
	}
	if err != nil || c.Code == "" {
		return nil, &motcua.Error{Code: motcua.EINVALID, Message: "Tham số cursor không hợp lệ.", Fields: map[string]string{"cursor": "không hợp lệ"}}
	}
	return &c, nil
}

func clampLimit(n int) int {
	switch {
	case n <= 0:
		return 50
	case n > 200:
		return 200
	}
	return n
}

// Inbox lists cases waiting for an action one of q.Roles can take at
// q.Agency, soonest due first (cases not yet received by submission time),
// keyset-paginated on (sort_at, code). Each role is one ordered range of the
// index (agency, role, sort_at, case_code), read only as far as the page
// needs; the ranges are merged here, so an officer with several roles costs
// a few short index scans, not a sort of the agency's whole workload.
func (db *DB) Inbox(ctx context.Context, q motcua.InboxQuery) (*motcua.Page, error) {
	cur, err := decodeCursor(q.Cursor)
	if err != nil {
		return nil, err
	}
	limit := clampLimit(q.Limit)
	type key struct {
		CaseCode string
		SortAt   time.Time
	}
	var keys []key
	for _, role := range slices.Compact(slices.Sorted(slices.Values(q.Roles))) {
		tx := db.gorm.WithContext(ctx).Table("case_tasks").Select("case_code, sort_at").
			Where("agency = ? AND role = ? AND (subject = '' OR subject = ?)", q.Agency, string(role), q.Subject)
		if q.Status != "" {
			tx = tx.Where("status = ?", q.Status)
		}
		if q.Procedure != "" {
			tx = tx.Where("procedure_code = ?", q.Procedure)
		}
		if q.Overdue != nil {
			tx = tx.Where("overdue = ?", *q.Overdue)
		}
		if cur != nil {
			tx = tx.Where("sort_at > ? OR (sort_at = ? AND case_code > ?)", cur.At, cur.At, cur.Code)
		}
		var part []key
		if err := tx.Order("sort_at, case_code").Limit(limit + 1).Scan(&part).Error; err != nil {
			return nil, fmt.Errorf("inbox: %w", err)
		}
		keys = append(keys, part...)
	}
	// Every task of a case carries the same sort_at: the first limit+1
	// distinct cases of the merge are the page (and whether one follows).
	slices.SortFunc(keys, func(a, b key) int {
		return cmp.Or(a.SortAt.Compare(b.SortAt), cmp.Compare(a.CaseCode, b.CaseCode))
	})
	keys = slices.CompactFunc(keys, func(a, b key) bool { return a.CaseCode == b.CaseCode })
	page := &motcua.Page{Cases: []motcua.Case{}}
	if len(keys) > limit {
		keys = keys[:limit]
		last := keys[limit-1]
		page.Next = encodeCursor(last.SortAt, last.CaseCode)
	}
	codes := make([]string, len(keys))
	for i, k := range keys {
		codes[i] = k.CaseCode
	}
	page.Cases, err = db.summaries(ctx, codes)
	return page, err
}

// summaries loads case rows (without timelines) in the order of codes.
func (db *DB) summaries(ctx context.Context, codes []string) ([]motcua.Case, error) {
	if len(codes) == 0 {
		return []motcua.Case{}, nil
	}
	var rows []caseRow
	if err := db.gorm.WithContext(ctx).Omit("form").Where("code IN ?", codes).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("case summaries: %w", err)
	}
	var tasks []taskRow
	if err := db.gorm.WithContext(ctx).Where("case_code IN ?", codes).Order("agency, role, subject").Find(&tasks).Error; err != nil {
		return nil, fmt.Errorf("case tasks: %w", err)
	}
	byCase := map[string][]taskRow{}
	for _, t := range tasks {
		byCase[t.CaseCode] = append(byCase[t.CaseCode], t)
	}
	byCode := make(map[string]*caseRow, len(rows))
	for i := range rows {
		byCode[rows[i].Code] = &rows[i]
	}
	out := make([]motcua.Case, 0, len(codes))
	for _, code := range codes {
		if r, ok := byCode[code]; ok {
			c := fromCaseRow(r)
			c.Actions = taskPermissions(byCase[code])
			out = append(out, *c)
		}
	}
	return out, nil
}

// CasesByOwner lists a citizen's own cases, newest first.
func (db *DB) CasesByOwner(ctx context.Context, owner string, limit int, cursorStr string) (*motcua.Page, error) {
	cur, err := decodeCursor(cursorStr)
	if err != nil {
		return nil, err
	}
	limit = clampLimit(limit)
	tx := db.gorm.WithContext(ctx).Model(&caseRow{}).Select("code, submitted_at").Where("owner = ?", owner)
	if cur != nil {
		tx = tx.Where("submitted_at < ? OR (submitted_at = ? AND code < ?)", cur.At, cur.At, cur.Code)
	}
	var keys []struct {
		Code        string
		SubmittedAt time.Time
	}
	if err := tx.Order("submitted_at DESC, code DESC").Limit(limit + 1).Scan(&keys).Error; err != nil {
		return nil, fmt.Errorf("cases of owner: %w", err)
	}
	page := &motcua.Page{}
	if len(keys) > limit {
		keys = keys[:limit]
		page.Next = encodeCursor(keys[limit-1].SubmittedAt, keys[limit-1].Code)
	}
	codes := make([]string, len(keys))
	for i, k := range keys {
		codes[i] = k.Code
	}
	page.Cases, err = db.summaries(ctx, codes)
	return page, err
}
