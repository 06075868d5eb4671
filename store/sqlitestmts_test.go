package store

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
)

// The statement cache must not change what queries answer: the same query
// run again while its first rows are still open gets a statement of its
// own, and a connection keeps at most stmtsPerConn statements.
func TestSQLiteStatementCache(t *testing.T) {
	ctx := context.Background()
	db, err := sql.Open(sqliteDriver, "file:"+filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, "CREATE TABLE t (v INTEGER)"); err != nil {
		t.Fatal(err)
	}
	for v := range 3 {
		if _, err := db.ExecContext(ctx, "INSERT INTO t (v) VALUES (?)", v); err != nil {
			t.Fatal(err)
		}
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	const q = "SELECT v FROM t WHERE v >= ? ORDER BY v"
	outer, err := tx.QueryContext(ctx, q, 0)
	if err != nil {
		t.Fatal(err)
	}
	var got []int
	for outer.Next() {
		var v int
		if err := outer.Scan(&v); err != nil {
			t.Fatal(err)
		}
		// The same text while outer is open, with another argument.
		var inner []int
		rows, err := tx.QueryContext(ctx, q, v)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var w int
			_ = rows.Scan(&w)
			inner = append(inner, w)
		}
		_ = rows.Close()
		if want := []int{0, 1, 2}[v:]; !slices.Equal(inner, want) {
			t.Fatalf("inner query from %d read %v, want %v", v, inner, want)
		}
		got = append(got, v)
	}
	_ = outer.Close()
	if !slices.Equal(got, []int{0, 1, 2}) {
		t.Fatalf("outer query read %v", got)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}

	for i := range stmtsPerConn + 50 {
		var n int
		if err := db.QueryRowContext(ctx, fmt.Sprintf("SELECT count(*) + %d FROM t", i)).Scan(&n); err != nil || n != 3+i {
			t.Fatalf("query %d: %d %v", i, n, err)
		}
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.Raw(func(c any) error {
		if n := c.(*stmtsConn).stmts.Len(); n > stmtsPerConn {
			t.Errorf("%d statements kept, at most %d", n, stmtsPerConn)
		}
		return nil
	})
}
