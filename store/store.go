// Package store is the read model: cases, their timelines, documents,
// payments and open tasks, in PostgreSQL (production) or SQLite (the
// embedded default). Workflow activities write it, idempotently; the API
// reads it. Temporal stays the source of truth for a case's state.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sync"
	"sync/atomic"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib" // also "pgx", for creating a schema before the pool opens
	"github.com/pressly/goose/v3"
	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
	_ "modernc.org/sqlite" // the pure-Go SQLite driver Temporal's own store uses too

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/calendar"
)

//go:embed migrations
var migrations embed.FS

// Dialects.
const (
	Postgres = "postgres"
	SQLite   = "sqlite"
)

// DB is the read model.
type DB struct {
	gorm    *gorm.DB
	sql     *sql.DB
	dialect string
	// lastPurge is when expired idempotency keys were last purged (Unix ms).
	lastPurge atomic.Int64
	// views are cases as last read, by code: a look-up that finds the
	// case's version unchanged answers from here (views.go).
	views *lru.Cache[string, *motcua.Case]
	// cal counts the working days cases take, for statistics (stats.go).
	cal *calendar.Calendar
	// read is the pool of the look-up and inbox statements. In PostgreSQL
	// its sessions keep one generic plan per prepared statement: left to
	// choose, PostgreSQL planned each inbox page again for its arguments,
	// and planning the union of five role ranges cost four times running
	// it (a page took 0.8 ms of CPU, 0.15 with one generic plan, at a
	// million cases). Their plans do not depend on the arguments: every
	// range is entered on its index whatever the agency, role, filter or
	// cursor. In SQLite it is sql.
	read *sql.DB
	// Statements of the look-up path, prepared on first use on read
	// (access.go, views.go).
	stmtMu       sync.Mutex
	accessStmt   *sql.Stmt
	revisionStmt *sql.Stmt
	viewStmt     *sql.Stmt
	secondStmt   *sql.Stmt
}

// param is the n-th parameter of a raw statement in the dialect's spelling.
func (db *DB) param(n int) string {
	if db.dialect == Postgres {
		return fmt.Sprintf("$%d", n)
	}
	return "?"
}

// prepared is *slot, prepared from query on first use; database/sql
// prepares it again on each pooled connection as needed.
func (db *DB) prepared(ctx context.Context, slot **sql.Stmt, query string) (*sql.Stmt, error) {
	db.stmtMu.Lock()
	defer db.stmtMu.Unlock()
	if *slot == nil {
		st, err := db.read.PrepareContext(ctx, query)
		if err != nil {
			return nil, fmt.Errorf("store: prepare: %w", err)
		}
		*slot = st
	}
	return *slot, nil
}

// Options says which database to open.
type Options struct {
	// DSN is a postgres:// URL; empty opens SQLiteFile.
	DSN string
	// Schema, with a DSN, keeps the read model in that PostgreSQL schema
	// (created if missing) instead of the connection's default.
	Schema       string
	SQLiteFile   string
	MaxOpenConns int
}

var schemaName = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)

// withSchema creates schema if needed and returns dsn with its search path
// set to it, so every pooled connection uses it.
func withSchema(ctx context.Context, dsn, schema string) (string, error) {
	if !schemaName.MatchString(schema) {
		return "", fmt.Errorf("store: schema %q is not a lowercase identifier", schema)
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return "", fmt.Errorf("store: database DSN: %w", err)
	}
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		return "", err
	}
	defer admin.Close()
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA IF NOT EXISTS "+schema); err != nil {
		return "", fmt.Errorf("create schema %s: %w", schema, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// Open connects to the database. It does not migrate: call MigrateUp.
func Open(ctx context.Context, o Options) (*DB, error) {
	var (
		dialector  gorm.Dialector
		dialect    string
		readConfig *pgx.ConnConfig
	)
	switch {
	case o.DSN != "":
		dialect = Postgres
		dsn := o.DSN
		if o.Schema != "" {
			var err error
			if dsn, err = withSchema(ctx, dsn, o.Schema); err != nil {
				return nil, err
			}
		}
		dialector = postgres.New(postgres.Config{DSN: dsn})
		// pgx reads both DSN forms (URL and key=value); a run-time
		// parameter is set on each session it opens.
		var err error
		if readConfig, err = pgx.ParseConfig(dsn); err != nil {
			return nil, fmt.Errorf("store: database DSN: %w", err)
		}
		readConfig.RuntimeParams["plan_cache_mode"] = "force_generic_plan"
	case o.SQLiteFile != "":
		dialect = SQLite
		if err := os.MkdirAll(filepath.Dir(o.SQLiteFile), 0o750); err != nil {
			return nil, fmt.Errorf("read model directory: %w", err)
		}
		// WAL: the worker writes while the API reads. _time_format keeps
		// timestamps sortable as text.
		q := url.Values{}
		q.Add("_pragma", "journal_mode(wal)")
		q.Add("_pragma", "synchronous(normal)")
		q.Add("_pragma", "busy_timeout(10000)")
		q.Add("_pragma", "foreign_keys(on)")
		// The page cache is per connection (database.max_open_conns of
		// them), 2 MB by default, outside the Go heap; the pages stay in
		// the OS's file cache anyway.
		q.Add("_pragma", "cache_size(-1024)")
		q.Set("_time_format", "sqlite")
		dialector = sqlite.Dialector{DriverName: sqliteDriver, DSN: "file:" + o.SQLiteFile + "?" + q.Encode()}
	default:
		return nil, errors.New("store: neither a PostgreSQL DSN nor a SQLite file given")
	}
	g, err := gorm.Open(dialector, &gorm.Config{
		Logger:                 logger.Discard,
		SkipDefaultTransaction: true,
		NowFunc:                func() time.Time { return time.Now().UTC() },
	})
	if err != nil {
		return nil, fmt.Errorf("open read model (%s): %w", dialect, err)
	}
	sqlDB, err := g.DB()
	if err != nil {
		return nil, err
	}
	if o.MaxOpenConns > 0 {
		sqlDB.SetMaxOpenConns(o.MaxOpenConns)
		sqlDB.SetMaxIdleConns(o.MaxOpenConns)
	}
	db := &DB{gorm: g, sql: sqlDB, read: sqlDB, dialect: dialect}
	if readConfig != nil {
		db.read = stdlib.OpenDB(*readConfig)
		if o.MaxOpenConns > 0 {
			db.read.SetMaxOpenConns(o.MaxOpenConns)
			db.read.SetMaxIdleConns(o.MaxOpenConns)
		}
	}
	if db.views, err = lru.New[string, *motcua.Case](viewCacheSize); err != nil {
		return nil, err
	}
	if err := db.Ping(ctx); err != nil {
		_ = db.Close()
		return nil, err
	}
	return db, nil
}

// Dialect is Postgres or SQLite.
func (db *DB) Dialect() string { return db.dialect }

// Ping checks the database answers.
func (db *DB) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	if err := db.read.PingContext(ctx); err != nil {
		return fmt.Errorf("read model unreachable: %w", err)
	}
	if err := db.sql.PingContext(ctx); err != nil {
		return fmt.Errorf("read model unreachable: %w", err)
	}
	return nil
}

// Close closes the connection pools.
func (db *DB) Close() error {
	if db.read != db.sql {
		_ = db.read.Close()
	}
	return db.sql.Close()
}

func (db *DB) migrator() (*goose.Provider, error) {
	dir, err := fs.Sub(migrations, "migrations/"+db.dialect)
	if err != nil {
		return nil, err
	}
	gd := goose.DialectPostgres
	if db.dialect == SQLite {
		gd = goose.DialectSQLite3
	}
	return goose.NewProvider(gd, db.sql, dir)
}

// MigrateUp applies every pending migration.
func (db *DB) MigrateUp(ctx context.Context) error {
	p, err := db.migrator()
	if err != nil {
		return err
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrate up: %w", err)
	}
	return nil
}

// MigrateDown rolls back the newest migration.
func (db *DB) MigrateDown(ctx context.Context) error {
	p, err := db.migrator()
	if err != nil {
		return err
	}
	if _, err := p.Down(ctx); err != nil {
		return fmt.Errorf("migrate down: %w", err)
	}
	return nil
}

// MigrateStatus writes one line per migration: version, state, name.
func (db *DB) MigrateStatus(ctx context.Context, w io.Writer) error {
	p, err := db.migrator()
	if err != nil {
		return err
	}
	st, err := p.Status(ctx)
	if err != nil {
		return fmt.Errorf("migrate status: %w", err)
	}
	for _, s := range st {
		applied := "pending"
		if s.State == goose.StateApplied {
			applied = "applied " + s.AppliedAt.UTC().Format(time.RFC3339)
		}
		fmt.Fprintf(w, "%05d  %-28s %s\n", s.Source.Version, applied, filepath.Base(s.Source.Path))
	}
	return nil
}

var (
	_ motcua.ReadModel = (*DB)(nil)
	_ motcua.Blobs     = DirBlobs{}
)

// PendingMigrations counts migrations not yet applied.
func (db *DB) PendingMigrations(ctx context.Context) (int, error) {
	p, err := db.migrator()
	if err != nil {
		return 0, err
	}
	st, err := p.Status(ctx)
	if err != nil {
		return 0, fmt.Errorf("migration status: %w", err)
	}
	n := 0
	for _, s := range st {
		if s.State != goose.StateApplied {
			n++
		}
	}
	return n, nil
}

// Exec runs a statement outside the model (test setup, maintenance).
func (db *DB) Exec(ctx context.Context, sql string, args ...any) error {
	return db.gorm.WithContext(ctx).Exec(sql, args...).Error
}
