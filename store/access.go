package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/motcua/motcua"
)

// caseAccessQuery reads, in one statement on the cases' primary key, who
// may see a case, its secret's state, its revision and its open incident.
// It is a prepared raw statement: look-ups are the read model's hottest
// path, and GORM's reflection plus SQLite's statement preparation were
// four fifths of a look-up's CPU when this took four queries.
const caseAccessQuery = `SELECT c.owner, c.agencies, c.revision,
	COALESCE(s.generation, 0), COALESCE(s.revoked, false),
	COALESCE((SELECT MIN(i.id) FROM case_incidents i WHERE i.code = c.code AND i.resolved_at IS NULL), 0)
FROM cases c LEFT JOIN case_secrets s ON s.code = c.code
WHERE c.code = `

// CaseAccess reads who may see a case: one indexed read of one row, the
// same whether the case exists or not.
func (db *DB) CaseAccess(ctx context.Context, code string) (motcua.CaseAccess, error) {
	stmt, err := db.prepared(ctx, &db.accessStmt, caseAccessQuery+db.param(1))
	if err != nil {
		return motcua.CaseAccess{}, err
	}
	var acc motcua.CaseAccess
	var agencies []byte
	err = stmt.QueryRowContext(ctx, code).Scan(&acc.Owner, &agencies, &acc.Revision,
		&acc.Secret.Generation, &acc.Secret.Revoked, &acc.Incident)
	if errors.Is(err, sql.ErrNoRows) {
		return motcua.CaseAccess{}, nil
	} else if err != nil {
		return motcua.CaseAccess{}, fmt.Errorf("case %s: %w", code, err)
	}
	if err := json.Unmarshal(agencies, &acc.Agencies); err != nil {
		return motcua.CaseAccess{}, fmt.Errorf("case %s: agencies: %w", code, err)
	}
	acc.Found = true
	return acc, nil
}

var _ motcua.CaseAccesses = (*DB)(nil)
