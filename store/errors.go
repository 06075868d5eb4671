package store

import (
	"errors"

	"github.com/jackc/pgx/v5/pgconn"
)

// Permanent reports whether the database refused a write for what it
// holds, so that writing the same again can never succeed: PostgreSQL's
// data exceptions (SQLSTATE class 22: a NUL in text, 22P05; a byte
// sequence invalid in the encoding, 22021; a value too long) and program
// limits (class 54: a row or index entry too large), and a record that
// contradicts itself. An unreachable database, a deadlock or a missing
// column after a deployment are not permanent: retries can outlast them.
func Permanent(err error) bool {
	if errors.Is(err, errInconsistentRecord) {
		return true
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) && len(pg.Code) == 5 {
		switch pg.Code[:2] {
		case "22", "54":
			return true
		}
	}
	return false
}

var errInconsistentRecord = errors.New("inconsistent record")
