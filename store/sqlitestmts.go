package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"

	lru "github.com/hashicorp/golang-lru/v2"
	"modernc.org/sqlite"
)

// sqliteDriver is modernc's SQLite with a cache of prepared statements on
// each connection. database/sql hands the driver each query as text, and
// SQLite parses and plans it every time: that was two fifths of a record's
// CPU (BenchmarkRecordCase). GORM's own statement cache does not help a
// record, which runs in a transaction: database/sql prepares a cached
// statement again in every transaction.
const sqliteDriver = "sqlite-stmts"

// stmtsPerConn bounds each connection's cache: the read model runs a few
// dozen distinct statements; one that varies with its input (an IN list)
// falls out.
const stmtsPerConn = 256

func init() { sql.Register(sqliteDriver, stmtsDriver{}) }

type stmtsDriver struct{}

func (stmtsDriver) Open(name string) (driver.Conn, error) {
	c, err := (&sqlite.Driver{}).Open(name)
	if err != nil {
		return nil, err
	}
	inner, ok := c.(sqliteConn)
	if !ok {
		_ = c.Close()
		return nil, errors.New("store: the SQLite driver's connection lacks the context methods")
	}
	sc := &stmtsConn{sqliteConn: inner}
	sc.stmts, _ = lru.NewWithEvict(stmtsPerConn, func(_ string, s *cachedStmt) {
		if !s.busy {
			_ = s.Close()
		} else {
			s.evicted = true // closed when its rows are
		}
	})
	return sc, nil
}

// sqliteConn is what modernc's connection offers and stmtsConn passes on.
type sqliteConn interface {
	driver.Conn
	driver.ConnBeginTx
	driver.ConnPrepareContext
	driver.ExecerContext
	driver.QueryerContext
	driver.Pinger
	driver.SessionResetter
	driver.Validator
}

// stmtsConn runs Exec and Query through a prepared statement kept for the
// query's text. database/sql uses a connection from one goroutine at a
// time, so the cache needs no lock.
type stmtsConn struct {
	sqliteConn
	stmts *lru.Cache[string, *cachedStmt]
}

// cachedStmt is busy while rows read from it are open: a second query of
// the same text meanwhile gets a statement of its own.
type cachedStmt struct {
	driver.Stmt
	busy, evicted bool
}

func (c *stmtsConn) stmt(ctx context.Context, query string) (*cachedStmt, error) {
	if s, ok := c.stmts.Get(query); ok {
		if s.busy {
			return nil, nil
		}
		return s, nil
	}
	ds, err := c.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	s := &cachedStmt{Stmt: ds}
	c.stmts.Add(query, s)
	return s, nil
}

func (c *stmtsConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	s, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	if s == nil {
		return c.sqliteConn.ExecContext(ctx, query, args)
	}
	return s.Stmt.(driver.StmtExecContext).ExecContext(ctx, args)
}

func (c *stmtsConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	s, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	if s == nil {
		return c.sqliteConn.QueryContext(ctx, query, args)
	}
	rows, err := s.Stmt.(driver.StmtQueryContext).QueryContext(ctx, args)
	if err != nil {
		return nil, err
	}
	typed, ok := rows.(sqliteRows)
	if !ok {
		_ = rows.Close()
		return nil, errors.New("store: the SQLite driver's rows lack column types")
	}
	s.busy = true
	return &stmtRows{sqliteRows: typed, stmt: s}, nil
}

// Close closes the connection's statements, then the connection.
func (c *stmtsConn) Close() error {
	c.stmts.Purge() // closes each through the eviction callback
	return c.sqliteConn.Close()
}

// sqliteRows is what modernc's rows offer (GORM reads column types).
type sqliteRows interface {
	driver.Rows
	driver.RowsColumnTypeDatabaseTypeName
	driver.RowsColumnTypeLength
	driver.RowsColumnTypeNullable
	driver.RowsColumnTypePrecisionScale
	driver.RowsColumnTypeScanType
}

// stmtRows frees its statement for the next query when closed.
type stmtRows struct {
	sqliteRows
	stmt *cachedStmt
}

func (r *stmtRows) Close() error {
	err := r.sqliteRows.Close()
	r.stmt.busy = false
	if r.stmt.evicted {
		_ = r.stmt.Close()
	}
	return err
}
