package system

import (
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/config"
)

// A worker whose definitions need a back-end refuses to start without its
// URL, naming the key, the variable and what needs it; switched off on
// purpose, it starts (and fails later, here, on the unreachable database).
func TestWorkerRefusesMissingBackends(t *testing.T) {
	cfg, _, err := config.Load("", nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg.DataDir = t.TempDir()
	cfg.Database.DSN = "postgres://nobody@127.0.0.1:1/none?sslmode=disable&connect_timeout=1"
	cfg.Auth.Secret = strings.Repeat("k", 32)
	quiet := Overrides{Logger: slog.New(slog.DiscardHandler)}
	for _, b := range motcua.Backends {
		cfg.Backends.URLs[b.Name] = "http://127.0.0.1:1/" + b.Name
	}
	cfg.Backends.URLs[motcua.BackendRegistry] = ""
	_, err = Start(context.Background(), Worker, cfg, quiet)
	if err == nil || !strings.Contains(err.Error(), "backends.registry_url") || !strings.Contains(err.Error(), "MOTCUA_BACKENDS_REGISTRY_URL") ||
		!strings.Contains(err.Error(), "dang-ky-thanh-lap-doanh-nghiep (check business_name)") || !strings.Contains(err.Error(), "backends.off") {
		t.Fatalf("a worker without the registry: %v", err)
	}
	cfg.Backends.Off = []string{motcua.BackendRegistry}
	_, err = Start(context.Background(), Worker, cfg, quiet)
	if err == nil || strings.Contains(err.Error(), "backends.") {
		t.Fatalf("the registry switched off: %v", err)
	}
}
