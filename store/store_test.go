package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func testDSN() string {
	if dsn := os.Getenv("MOTCUA_TEST_POSTGRES"); dsn != "" {
		return dsn
	}
	return "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
}

func randomName(prefix string) string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

// MustOpenDB opens a migrated read model: a fresh SQLite file, or a fresh
// schema in the test PostgreSQL.
func MustOpenDB(tb testing.TB, dialect string) *DB {
	tb.Helper()
	ctx := context.Background()
	var opts Options
	switch dialect {
	case SQLite:
		opts.SQLiteFile = filepath.Join(tb.TempDir(), "motcua.db")
	case Postgres:
		opts.DSN, opts.Schema = testDSN(), randomName("store_")
	}
	opts.MaxOpenConns = 8
	db, err := Open(ctx, opts)
	if err != nil {
		tb.Fatalf("open the %s read model (PostgreSQL: MOTCUA_TEST_POSTGRES; .ci/run starts it): %v", dialect, err)
	}
	tb.Cleanup(func() {
		if opts.Schema != "" {
			_ = db.Exec(context.Background(), "DROP SCHEMA "+opts.Schema+" CASCADE")
		}
		db.Close()
	})
	if err := db.MigrateUp(ctx); err != nil {
		tb.Fatal(err)
	}
	return db
}

// eachDialect runs f against SQLite and PostgreSQL.
func eachDialect(t *testing.T, f func(t *testing.T, db *DB)) {
	for _, d := range []string{SQLite, Postgres} {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			f(t, MustOpenDB(t, d))
		})
	}
}

func TestMigrationsDownAndUp(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		if n, err := db.PendingMigrations(ctx); err != nil || n != 0 {
			t.Fatalf("pending %d %v", n, err)
		}
		total := len(mustList(t, db.dialect))
		for down := 1; down <= total; down++ {
			if err := db.MigrateDown(ctx); err != nil {
				t.Fatal(err)
			}
			if n, _ := db.PendingMigrations(ctx); n != down {
				t.Fatalf("after %d down: %d pending", down, n)
			}
		}
		if err := db.Exec(ctx, "SELECT 1 FROM cases"); err == nil {
			t.Fatal("tables survived migrating all the way down")
		}
		if err := db.MigrateUp(ctx); err != nil {
			t.Fatal(err)
		}
		var out strings.Builder
		if err := db.MigrateStatus(ctx, &out); err != nil || !strings.Contains(out.String(), "applied") || !strings.Contains(out.String(), "00001_read_model.sql") {
			t.Fatalf("status %q %v", out.String(), err)
		}
	})
}

// Both dialects have the same migrations, version for version.
func TestMigrationSetsMatch(t *testing.T) {
	pg, lite := mustList(t, Postgres), mustList(t, SQLite)
	if fmt.Sprint(pg) != fmt.Sprint(lite) || len(pg) == 0 {
		t.Fatalf("postgres %v, sqlite %v", pg, lite)
	}
}

func mustList(t *testing.T, dialect string) []string {
	entries, err := migrations.ReadDir("migrations/" + dialect)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func TestSchemaMustBeAnIdentifier(t *testing.T) {
	if _, err := Open(context.Background(), Options{DSN: testDSN(), Schema: "x; DROP TABLE cases"}); err == nil {
		t.Fatal("a schema name that is not an identifier was accepted")
	}
}
