package store

import (
	"context"
	"slices"

	"github.com/motcua/motcua"
)

// viewCacheSize bounds the cases kept as last read (about 10 KiB each).
const viewCacheSize = 4096

// cachedView answers a look-up from the last read of the case when its
// version is still the stored one: one indexed read of one column instead
// of the case, its timeline, documents, payments and tasks. A record always
// raises the version, so the answer is never older than what is stored —
// never older than the last action anyone was answered for.
func (db *DB) cachedView(ctx context.Context, code string) (*motcua.Case, bool) {
	c, ok := db.views.Get(code)
	if !ok {
		return nil, false
	}
	stmt, err := db.prepared(ctx, &db.versionStmt, "SELECT version FROM cases WHERE code = "+db.param(1))
	if err != nil {
		return nil, false
	}
	var version int
	if err := stmt.QueryRowContext(ctx, code).Scan(&version); err != nil || version != c.Version {
		return nil, false
	}
	return copyView(c), true
}

// CaseAt is Case for a caller that has just read the case's version (its
// CaseAccess): a view cached at that version answers without a query.
func (db *DB) CaseAt(ctx context.Context, code string, version int) (*motcua.Case, error) {
	if c, ok := db.views.Get(code); ok && c.Version == version {
		return copyView(c), nil
	}
	return db.readCase(ctx, code)
}

// copyView gives a caller its own case: the cached one is shared.
func copyView(c *motcua.Case) *motcua.Case {
	v := *c
	v.Agencies = slices.Clone(c.Agencies)
	v.Pauses = slices.Clone(c.Pauses)
	v.Opinions = slices.Clone(c.Opinions)
	v.Documents = slices.Clone(c.Documents)
	v.Payments = slices.Clone(c.Payments)
	v.Actions = slices.Clone(c.Actions)
	v.Timeline = slices.Clone(c.Timeline)
	v.Notify = slices.Clone(c.Notify)
	return &v
}
