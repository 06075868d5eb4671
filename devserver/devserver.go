// Package devserver runs a Temporal server inside the motcua process: all four
// services, one history shard, SQLite persistence (or PostgreSQL, for the
// production-topology test). It backs `motcua dev` and the end-to-end tests;
// production runs against a Temporal cluster instead.
// Only system/ (which cmd/ and the end-to-end tests start through) and tests
// import it, so other test binaries stay small.
package devserver

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/server/common/cluster"
	"go.temporal.io/server/common/config"
	"go.temporal.io/server/common/dynamicconfig"
	"go.temporal.io/server/common/log"
	sqliteplugin "go.temporal.io/server/common/persistence/sql/sqlplugin/sqlite"
	sqliteschema "go.temporal.io/server/schema/sqlite"
	"go.temporal.io/server/temporal"
)

const clusterName = "active"

// Options configures the embedded server.
type Options struct {
	// DatabaseFile is the SQLite file holding Temporal's state; empty keeps
	// everything in memory (tests).
	DatabaseFile string
	// FrontendAddr is host:port of the frontend gRPC service; port 0 picks a
	// free one.
	FrontendAddr string
	// Namespaces are registered on start if missing.
	Namespaces []string
	// LogFile receives the server's own logs at LogLevel (debug, info,
	// warn, error; default warn); empty discards them. They are for
	// debugging Temporal itself, so they stay out of motcua's output.
	LogFile  string
	LogLevel string
	// Postgres, when set, is a postgres:// URL naming the database Temporal
	// persists to instead of SQLite; visibility goes to the database of the
	// same name with "_visibility" appended. Both are created if missing
	// and their schemas set up or upgraded with the server's schema tool.
	// DatabaseFile is then ignored.
	Postgres string
	// SearchAttributes are registered on every namespace of Namespaces
	// (name and type, as `temporal server start-dev --search-attribute`).
	SearchAttributes map[string]enumspb.IndexedValueType
	// UIAddr is where the Temporal Web UI is served (host:port, port 0
	// picks one); empty serves none.
	UIAddr string
}

// Server is a running embedded Temporal server.
type Server struct {
	server temporal.Server
	addr   string
	ui     *ui
}

// Start starts the server and returns once its frontend answers.
func Start(ctx context.Context, opts Options) (*Server, error) {
	host, port, err := splitAddr(opts.FrontendAddr)
	if err != nil {
		return nil, err
	}
	var sqlCfg, visCfg *config.SQL
	switch {
	case opts.Postgres != "":
		if sqlCfg, visCfg, err = postgresConfigs(opts.Postgres); err != nil {
			return nil, err
		}
		if err := setupPostgres(sqlCfg, visCfg); err != nil {
			return nil, err
		}
		if err := forgetPostgresMembers(sqlCfg); err != nil {
			return nil, err
		}
	default:
		if sqlCfg, err = sqlConfig(opts.DatabaseFile); err != nil {
			return nil, err
		}
		visCfg = sqlCfg
		if opts.DatabaseFile != "" {
			if err := setupSchemaOnce(sqlCfg, opts.DatabaseFile); err != nil {
				return nil, err
			}
			if err := forgetMembers(sqlCfg.DatabaseName); err != nil {
				return nil, err
			}
		}
	}
	cfg, port, err := serverConfig(sqlCfg, visCfg, host, port)
	if err != nil {
		return nil, err
	}
	if err := registerNamespaces(cfg, opts.Namespaces); err != nil {
		return nil, err
	}

	var logger log.Logger = log.NewNoopLogger()
	if opts.LogFile != "" {
		level := opts.LogLevel
		if level == "" {
			level = "warn"
		}
		logger = log.NewZapLogger(log.BuildZapLogger(log.Config{OutputFile: opts.LogFile, Level: level}))
	}
	srv, err := temporal.NewServer(
		temporal.WithConfig(cfg),
		temporal.ForServices(temporal.DefaultServices),
		temporal.WithLogger(logger),
		temporal.WithDynamicConfigClient(dynamicConfig()),
	)
	if err != nil {
		return nil, fmt.Errorf("temporal server: %w", err)
	}
	if err := srv.Start(); err != nil {
		return nil, fmt.Errorf("start temporal server: %w", err)
	}
	s := &Server{server: srv, addr: net.JoinHostPort(host, strconv.Itoa(port))}
	if err := s.waitReady(ctx, opts.Namespaces); err != nil {
		_ = srv.Stop()
		return nil, err
	}
	if err := s.registerSearchAttributes(ctx, opts.Namespaces, opts.SearchAttributes); err != nil {
		_ = srv.Stop()
		return nil, err
	}
	if opts.UIAddr != "" {
		ns := "default"
		if len(opts.Namespaces) > 0 {
			ns = opts.Namespaces[0]
		}
		if s.ui, err = startUI(ctx, opts.UIAddr, s.addr, ns); err != nil {
			_ = srv.Stop()
			return nil, err
		}
	}
	return s, nil
}

func (s *Server) registerSearchAttributes(ctx context.Context, namespaces []string, attrs map[string]enumspb.IndexedValueType) error {
	if len(attrs) == 0 {
		return nil
	}
	c, err := client.Dial(client.Options{HostPort: s.addr, Logger: quietSDKLogger{}})
	if err != nil {
		return err
	}
	defer c.Close()
	for _, ns := range namespaces {
		if err := RegisterSearchAttributes(ctx, c.OperatorService(), ns, attrs); err != nil {
			return err
		}
	}
	return nil
}

// Addr is the frontend's host:port, for SDK clients and the Temporal CLI.
func (s *Server) Addr() string { return s.addr }

// UIURL is the Temporal Web UI's address, "" when it is not served.
func (s *Server) UIURL() string {
	if s.ui == nil {
		return ""
	}
	return s.ui.url
}

// Stop stops the Web UI, every service, and closes the database.
func (s *Server) Stop() error {
	if s.ui != nil {
		s.ui.server.Stop()
	}
	return s.server.Stop()
}

func (s *Server) waitReady(ctx context.Context, namespaces []string) error {
	ns := "default"
	if len(namespaces) > 0 {
		ns = namespaces[0]
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	for {
		c, err := client.Dial(client.Options{HostPort: s.addr, Namespace: ns, Logger: quietSDKLogger{}})
		if err == nil {
			_, err = c.CheckHealth(ctx, &client.CheckHealthRequest{})
			c.Close()
			if err == nil {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("temporal server did not become ready at %s: %w", s.addr, err)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func sqlConfig(file string) (*config.SQL, error) {
	attrs := map[string]string{
		// WAL lets the history, matching and visibility stores read while
		// one writes; synchronous=NORMAL is safe in WAL mode and nearly
		// doubles throughput.
		"journal_mode": "wal",
		"synchronous":  "NORMAL",
		"busy_timeout": "10000",
	}
	cfg := &config.SQL{PluginName: sqliteplugin.PluginName, ConnectAttributes: attrs, MaxConns: 4, MaxIdleConns: 4}
	if file == "" {
		attrs["mode"] = "memory"
		attrs["cache"] = "shared"
		delete(attrs, "journal_mode")
		cfg.MaxConns, cfg.MaxIdleConns = 1, 1
		cfg.DatabaseName = fmt.Sprintf("motcua-%d", time.Now().UnixNano())
		return cfg, nil
	}
	abs, err := filepath.Abs(file)
	if err != nil {
		return nil, err
	}
	attrs["mode"] = "rwc"
	// SQLite's page cache is per connection, 2 MB by default, outside the
	// Go heap; the pages stay in the OS's file cache anyway.
	attrs["cache_size"] = "-1024"
	cfg.DatabaseName = abs
	return cfg, nil
}

// setupSchemaOnce creates Temporal's tables in a new database file. A file
// left half-made by an interrupted first start is set up again.
func setupSchemaOnce(cfg *config.SQL, file string) error {
	marker := file + ".ready"
	if _, err := os.Stat(marker); err == nil {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o750); err != nil {
		return fmt.Errorf("temporal data directory: %w", err)
	}
	for _, f := range []string{file, file + "-wal", file + "-shm"} {
		if err := os.Remove(f); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	if err := sqliteschema.SetupSchema(cfg); err != nil {
		return fmt.Errorf("temporal schema: %w", err)
	}
	return os.WriteFile(marker, []byte("schema set up by motcua\n"), 0o640)
}

// forgetMembers clears the membership ring a previous run left in the
// database. Its services listened on other ports; until their entries expire
// (about 20 s) the new services would wait for peers that are gone.
func forgetMembers(file string) error {
	db, err := sql.Open("sqlite", "file:"+file+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.Exec("DELETE FROM cluster_membership"); err != nil {
		return fmt.Errorf("reset temporal membership: %w", err)
	}
	return nil
}

// registerNamespaces writes the namespaces into the persistence store before
// the server starts, as the Temporal CLI's dev server does (the helper is
// the SQLite package's but takes any SQL plugin).
func registerNamespaces(cfg *config.Config, names []string) error {
	sqlCfg := cfg.Persistence.DataStores[cfg.Persistence.DefaultStore].SQL
	var nss []*sqliteschema.NamespaceConfig
	for _, name := range names {
		ns, err := sqliteschema.NewNamespaceConfig(clusterName, name, false, nil)
		if err != nil {
			return fmt.Errorf("namespace %s: %w", name, err)
		}
		nss = append(nss, ns)
	}
	if err := sqliteschema.CreateNamespaces(sqlCfg, nss...); err != nil {
		return fmt.Errorf("register namespaces: %w", err)
	}
	return nil
}

// serverConfig configures the four services on host, persisting to sqlCfg
// with visibility in visCfg (the same store for SQLite); frontendPort 0
// picks one. It returns the frontend port.
func serverConfig(sqlCfg, visCfg *config.SQL, host string, frontendPort int) (*config.Config, int, error) {
	// A gRPC and a membership port per service, all distinct: a port
	// picked and released may be handed out again at once, and two services
	// on one port kill the server.
	pick := freePorts
	if sqlCfg.PluginName != sqliteplugin.PluginName {
		// PostgreSQL's cluster_membership keeps ports as SMALLINT.
		pick = freeLowPorts
	}
	if frontendPort != 0 {
		// Held while the others are picked, so none of them is the
		// frontend's (a port is free until the frontend binds it).
		addr := net.JoinHostPort(host, strconv.Itoa(frontendPort))
		held, err := net.Listen("tcp", addr)
		if err != nil {
			return nil, 0, fmt.Errorf("cannot listen on %s: %w", addr, err)
		}
		defer held.Close()
	}
	ports, err := pick(host, 2*len(temporal.DefaultServices))
	if err != nil {
		return nil, 0, err
	}
	if frontendPort == 0 {
		frontendPort = ports[0]
	}
	ports = ports[1:]
	services := map[string]config.Service{}
	for _, name := range temporal.DefaultServices {
		grpcPort := frontendPort
		if name != "frontend" {
			grpcPort, ports = ports[0], ports[1:]
		}
		membership := ports[0]
		ports = ports[1:]
		services[name] = config.Service{RPC: config.RPC{GRPCPort: grpcPort, MembershipPort: membership, BindOnIP: host}}
	}
	frontend := net.JoinHostPort(host, strconv.Itoa(frontendPort))
	return &config.Config{
		Global: config.Global{
			Membership: config.Membership{MaxJoinDuration: 30 * time.Second, BroadcastAddress: host},
		},
		Persistence: persistence(sqlCfg, visCfg),
		ClusterMetadata: &cluster.Config{
			EnableGlobalNamespace:    false,
			FailoverVersionIncrement: 10,
			MasterClusterName:        clusterName,
			CurrentClusterName:       clusterName,
			ClusterInformation: map[string]cluster.ClusterInformation{
				clusterName: {Enabled: true, InitialFailoverVersion: 1, RPCAddress: frontend},
			},
		},
		DCRedirectionPolicy: config.DCRedirectionPolicy{Policy: "noop"},
		Services:            services,
		Archival: config.Archival{
			History:    config.HistoryArchival{State: "disabled"},
			Visibility: config.VisibilityArchival{State: "disabled"},
		},
		NamespaceDefaults: config.NamespaceDefaults{Archival: config.ArchivalNamespaceDefaults{
			History:    config.HistoryArchivalNamespaceDefaults{State: "disabled"},
			Visibility: config.VisibilityArchivalNamespaceDefaults{State: "disabled"},
		}},
		PublicClient: config.PublicClient{HostPort: frontend},
	}, frontendPort, nil
}

// persistence is one store for SQLite (one file holds everything) or two,
// the default and the visibility store.
func persistence(sqlCfg, visCfg *config.SQL) config.Persistence {
	p := config.Persistence{DefaultStore: "default", VisibilityStore: "visibility", NumHistoryShards: 1,
		DataStores: map[string]config.DataStore{"default": {SQL: sqlCfg}, "visibility": {SQL: visCfg}}}
	if visCfg == sqlCfg {
		p.DefaultStore, p.VisibilityStore = sqlCfg.PluginName, sqlCfg.PluginName
		p.DataStores = map[string]config.DataStore{sqlCfg.PluginName: {SQL: sqlCfg}}
	}
	return p
}

func dynamicConfig() dynamicconfig.StaticClient {
	return dynamicconfig.StaticClient{
		// One process serves a province's dev or test load: keep the
		// per-namespace rate limits out of the way.
		dynamicconfig.MakeKey("frontend.namespaceRPS"):                          10000,
		dynamicconfig.MakeKey("frontend.namespaceRPS.visibility"):               1000,
		dynamicconfig.MakeKey("system.forceSearchAttributesCacheRefreshOnRead"): true,
		// The history service caches every workflow's mutable state it
		// touched for an hour, up to 128,000 of them: with thousands of
		// cases waiting on citizens that was most of the process's memory
		// (bench --open). Bound it by count: its bound by bytes counts a
		// state's persisted size, a tenth of what it holds in memory, so
		// 32 MiB still kept every one of 10,000 cases (the live heap grew
		// 26 KiB a case). A case that fell out is read back from the
		// database when it next moves.
		dynamicconfig.MakeKey("history.cacheSizeBasedLimit"):   false,
		dynamicconfig.MakeKey("history.hostLevelCacheMaxSize"): historyCacheEntries,
	}
}

// historyCacheEntries bounds the embedded history service's cache of
// workflow states: the cases being worked on, not those waiting.
const historyCacheEntries = 1000

func splitAddr(addr string) (string, int, error) {
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	host, portStr, err := net.SplitHostPort(addr)
	if err != nil {
		return "", 0, fmt.Errorf("temporal address %q: %w", addr, err)
	}
	if host == "" {
		host = "127.0.0.1"
	}
	port, err := strconv.Atoi(portStr)
	if err != nil || port < 0 || port > 65535 {
		return "", 0, fmt.Errorf("temporal address %q: bad port", addr)
	}
	return host, port, nil
}

// FreeAddr is a 127.0.0.1 address nobody listens on, for a process started
// later to bind. Its port is below the ephemeral range, where outgoing
// connections would take it in the meantime.
func FreeAddr() (string, error) {
	ports, err := freeLowPorts("127.0.0.1", 1)
	if err != nil {
		return "", err
	}
	return net.JoinHostPort("127.0.0.1", strconv.Itoa(ports[0])), nil
}

// freeLowPorts is freePorts below 32768, outside the usual ephemeral range
// (PostgreSQL persistence stores ports as SMALLINT).
func freeLowPorts(host string, n int) ([]int, error) {
	var ports []int
	for tries := 0; len(ports) < n; tries++ {
		if tries > 1000 {
			return nil, fmt.Errorf("find %d free ports below 32768 on %s", n, host)
		}
		l, err := net.Listen("tcp", net.JoinHostPort(host, strconv.Itoa(20000+rand.IntN(12000))))
		if err != nil {
			continue
		}
		defer l.Close()
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

// freePorts returns n distinct free ports, holding each until all are
// chosen.
func freePorts(host string, n int) ([]int, error) {
	var ports []int
	for range n {
		l, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
		if err != nil {
			return nil, fmt.Errorf("find a free port: %w", err)
		}
		defer l.Close()
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

type quietSDKLogger struct{}

func (quietSDKLogger) Debug(string, ...any) {}
func (quietSDKLogger) Info(string, ...any)  {}
func (quietSDKLogger) Warn(string, ...any)  {}
func (quietSDKLogger) Error(string, ...any) {}
