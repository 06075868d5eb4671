package devserver

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/url"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"go.temporal.io/server/common/config"
	"go.temporal.io/server/common/log"
	"go.temporal.io/server/common/metrics"
	tpersistence "go.temporal.io/server/common/persistence"
	tsql "go.temporal.io/server/common/persistence/sql"
	"go.temporal.io/server/common/persistence/sql/sqlplugin"
	postgresplugin "go.temporal.io/server/common/persistence/sql/sqlplugin/postgresql"
	"go.temporal.io/server/common/resolver"
	dbschemas "go.temporal.io/server/schema"
	postgresv12 "go.temporal.io/server/schema/postgresql/v12"
)

// The server's own schemas for PostgreSQL 12+, embedded in the server
// module (go.temporal.io/server/schema): the files and versions
// `temporal-sql-tool` and the temporalio/admin-tools image apply.
var postgresSchemas = []struct {
	kind    sqlplugin.DbKind
	file    string
	version string
}{
	{sqlplugin.DbKindMain, "postgresql/v12/temporal/schema.sql", postgresv12.Version},
	{sqlplugin.DbKindVisibility, "postgresql/v12/visibility/schema.sql", postgresv12.VisibilityVersion},
}

// postgresConfigs turns a postgres:// URL into the persistence and the
// visibility store's SQL configurations: the database the URL names, and
// the same name with "_visibility" appended on the same server (Temporal
// keeps the two apart; each has its own schema version). Query parameters
// become connection attributes (sslmode, ...).
func postgresConfigs(dsn string) (store, visibility *config.SQL, err error) {
	u, err := url.Parse(dsn)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") || u.Host == "" {
		return nil, nil, fmt.Errorf("temporal persistence %q: not a postgres:// URL", redact(dsn))
	}
	name := strings.TrimPrefix(u.Path, "/")
	if name == "" {
		return nil, nil, fmt.Errorf("temporal persistence %q: the URL names no database", redact(dsn))
	}
	host, port := u.Hostname(), u.Port()
	if port == "" {
		port = "5432"
	}
	password, _ := u.User.Password()
	attrs := map[string]string{}
	for k, v := range u.Query() {
		attrs[k] = v[0]
	}
	store = &config.SQL{
		PluginName: postgresplugin.PluginNamePGX, ConnectAddr: net.JoinHostPort(host, port), ConnectProtocol: "tcp",
		User: u.User.Username(), Password: password, DatabaseName: name, ConnectAttributes: attrs,
		// Four services share the process, each with its own pool.
		MaxConns: 4, MaxIdleConns: 4,
	}
	vis := *store
	vis.DatabaseName = name + "_visibility"
	vis.MaxConns, vis.MaxIdleConns = 2, 2
	vis.ConnectAttributes = map[string]string{}
	for k, v := range attrs {
		vis.ConnectAttributes[k] = v
	}
	return store, &vis, nil
}

// setupPostgres creates both databases when missing and gives a new one the
// server's schema at its current version (schema.sql, then the version
// row, as `temporal-sql-tool setup-schema` does); a database set up before
// must be at a version this server accepts, as the server itself checks.
// A database with tables but no Temporal schema version is refused, never
// changed.
func setupPostgres(store, visibility *config.SQL) error {
	logger, noResolver := log.NewNoopLogger(), resolver.NewNoopResolver()
	for i, cfg := range []*config.SQL{store, visibility} {
		s := postgresSchemas[i]
		admin := *cfg
		admin.DatabaseName = "postgres"
		adb, err := tsql.NewSQLAdminDB(sqlplugin.DbKindUnknown, &admin, noResolver, logger, metrics.NoopMetricsHandler)
		if err != nil {
			return fmt.Errorf("temporal persistence: connect to PostgreSQL at %s: %w", cfg.ConnectAddr, err)
		}
		err = adb.CreateDatabase(cfg.DatabaseName)
		_ = adb.Close()
		if err != nil && !isDuplicateDatabase(err) {
			return fmt.Errorf("temporal persistence: create database %s: %w", cfg.DatabaseName, err)
		}
		db, err := tsql.NewSQLAdminDB(s.kind, cfg, noResolver, logger, metrics.NoopMetricsHandler)
		if err != nil {
			return fmt.Errorf("temporal persistence: database %s: %w", cfg.DatabaseName, err)
		}
		err = setupPostgresSchema(db, cfg.DatabaseName, s.file, s.version)
		if err == nil {
			if err = db.VerifyVersion(); err != nil {
				err = fmt.Errorf("%w (upgrade it with temporal-sql-tool update-schema)", err)
			}
		}
		_ = db.Close()
		if err != nil {
			return fmt.Errorf("temporal persistence: database %s: %w", cfg.DatabaseName, err)
		}
	}
	return nil
}

func setupPostgresSchema(db sqlplugin.AdminDB, name, file, version string) error {
	if v, err := db.ReadSchemaVersion(name); err == nil && v != "" {
		return nil
	}
	if tables, err := db.ListTables(name); err != nil {
		return err
	} else if len(slices.DeleteFunc(tables, func(t string) bool { return t == "schema_version" || t == "schema_update_history" })) > 0 {
		return fmt.Errorf("has tables (%s) but no Temporal schema version: give Temporal an empty database", strings.Join(tables, ", "))
	}
	raw, err := fs.ReadFile(dbschemas.Assets(), file)
	if err != nil {
		return err
	}
	stmts, err := tpersistence.LoadAndSplitQueryFromReaders([]io.Reader{bytes.NewReader(raw)})
	if err != nil {
		return err
	}
	if err := db.CreateSchemaVersionTables(); err != nil {
		return err
	}
	for _, stmt := range stmts {
		if err := db.Exec(stmt); err != nil {
			return fmt.Errorf("%s: %w", file, err)
		}
	}
	// The version last: a setup cut short is found out at the next start.
	if err := db.WriteSchemaUpdateLog("0.0", version, "", "motcua devserver: "+file); err != nil {
		return err
	}
	return db.UpdateSchemaVersion(name, version, version)
}

// forgetPostgresMembers clears the membership ring a previous run left, as
// forgetMembers does for SQLite. Only for a server that runs alone on its
// database (as this one does): a cluster of several servers keeps its ring.
func forgetPostgresMembers(store *config.SQL) error {
	db, err := tsql.NewSQLAdminDB(sqlplugin.DbKindMain, store, resolver.NewNoopResolver(), log.NewNoopLogger(), metrics.NoopMetricsHandler)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Exec("DELETE FROM cluster_membership"); err != nil {
		return fmt.Errorf("reset temporal membership: %w", err)
	}
	return nil
}

func isDuplicateDatabase(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code == "42P04" // duplicate_database
	}
	return strings.Contains(err.Error(), "already exists")
}

// redact hides a URL's password in messages.
func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}
