package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/pflag"
)

func TestDefaultsAreValid(t *testing.T) {
	c, _, err := Load("", nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.HTTP.Addr != "127.0.0.1:8080" || c.Temporal.Address != "127.0.0.1:7233" || c.Temporal.Namespace != "default" || c.Database.DSN != "" {
		t.Fatalf("defaults %+v", c)
	}
}

func TestLayers(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "motcua.yaml")
	os.WriteFile(file, []byte("http:\n  addr: 0.0.0.0:9000\nlog:\n  level: debug\nuploads:\n  allowed_types: [application/pdf]\n"), 0o600)
	t.Setenv("MOTCUA_LOG_LEVEL", "warn")
	fs := pflag.NewFlagSet("x", pflag.ContinueOnError)
	fs.String("data-dir", "", "")
	_ = fs.Parse([]string{"--data-dir", "/srv/motcua"})
	c, _, err := Load(file, fs)
	if err != nil {
		t.Fatal(err)
	}
	if c.HTTP.Addr != "0.0.0.0:9000" { // file over default
		t.Errorf("http.addr %s", c.HTTP.Addr)
	}
	if c.Log.Level != "warn" { // environment over file
		t.Errorf("log.level %s", c.Log.Level)
	}
	if c.DataDir != "/srv/motcua" { // flag over everything
		t.Errorf("data_dir %s", c.DataDir)
	}
	if len(c.Uploads.AllowedTypes) != 1 {
		t.Errorf("allowed types %v", c.Uploads.AllowedTypes)
	}
}

// A variable set empty empties the setting: MOTCUA_TEMPORAL_UI_ADDR= turns
// the Web UI off, as its help says.
func TestEmptyVariableEmpties(t *testing.T) {
	t.Setenv("MOTCUA_TEMPORAL_UI_ADDR", "")
	c, _, err := Load("", nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Temporal.UIAddr != "" {
		t.Fatalf("temporal.ui_addr %q with MOTCUA_TEMPORAL_UI_ADDR set empty", c.Temporal.UIAddr)
	}
}

// A bad value stops the start with the key named.
func TestInvalidValuesNameTheKey(t *testing.T) {
	for key, env := range map[string][2]string{
		"http.addr":             {"MOTCUA_HTTP_ADDR", "no-port"},
		"http.shutdown_timeout": {"MOTCUA_HTTP_SHUTDOWN_TIMEOUT", "soon"},
		"database.dsn":          {"MOTCUA_DATABASE_DSN", "mysql://x"},
		"log.level":             {"MOTCUA_LOG_LEVEL", "loud"},
		"lookup.per_minute":     {"MOTCUA_LOOKUP_PER_MINUTE", "0"},
		"auth.secret":           {"MOTCUA_AUTH_SECRET", "short"},
	} {
		t.Run(key, func(t *testing.T) {
			t.Setenv(env[0], env[1])
			_, _, err := Load("", nil)
			if err == nil || !strings.Contains(err.Error(), key) && !strings.Contains(err.Error(), strings.Split(key, ".")[1]) {
				t.Fatalf("error %v does not name %s", err, key)
			}
		})
	}
}

func TestUnknownKeyInFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "motcua.yaml")
	os.WriteFile(file, []byte("htpp:\n  addr: x\n"), 0o600)
	if _, _, err := Load(file, nil); err == nil || !strings.Contains(err.Error(), "htpp.addr") {
		t.Fatalf("misspelt key: %v", err)
	}
}

func TestEffectiveMasksSecrets(t *testing.T) {
	t.Setenv("MOTCUA_AUTH_SECRET", strings.Repeat("s", 40))
	t.Setenv("MOTCUA_DATABASE_DSN", "postgres://u:password@db/motcua")
	_, v, err := Load("", nil)
	if err != nil {
		t.Fatal(err)
	}
	eff := Effective(v)
	if eff["auth.secret"] != "********" || eff["database.dsn"] != "********" || eff["http.addr"] != "127.0.0.1:8080" {
		t.Fatalf("effective %v", eff)
	}
}

func TestProductionNeedsPostgresAndSecret(t *testing.T) {
	c, _, _ := Load("", nil)
	if err := c.Production(); err == nil || !strings.Contains(err.Error(), "database.dsn") {
		t.Fatalf("production without DSN: %v", err)
	}
}

// Each flag the commands offer sets its key, and the setting a message
// names really moves it: the flag, the variable and the key.
func TestSettingNamesWorkingWays(t *testing.T) {
	if got := Setting("sim.addr"); got != "--sim-addr / MOTCUA_SIM_ADDR / sim.addr" {
		t.Errorf("Setting(sim.addr) = %q", got)
	}
	if got := Setting("backends.timeout"); got != "MOTCUA_BACKENDS_TIMEOUT / backends.timeout" {
		t.Errorf("Setting(backends.timeout) = %q", got)
	}
	value := func(c *Config, key string) string {
		return map[string]string{"data_dir": c.DataDir, "http.addr": c.HTTP.Addr, "temporal.address": c.Temporal.Address,
			"sim.addr": c.Sim.Addr, "sim.smtp_addr": c.Sim.SMTPAddr, "temporal.ui_addr": c.Temporal.UIAddr,
			"procedures.filing_day": c.Procedures.FilingDay}[key]
	}
	// Each flag's values: one for the flag, one for the variable.
	values := func(key string) (string, string) {
		if key == "procedures.filing_day" {
			return "2025-02-28", "2025-06-30"
		}
		return "127.0.0.1:19999", "127.0.0.1:19998"
	}
	for flag, key := range Flags {
		t.Run(flag, func(t *testing.T) {
			want, byEnv := values(key)
			fs := pflag.NewFlagSet("x", pflag.ContinueOnError)
			fs.String(flag, "", "")
			_ = fs.Parse([]string{"--" + flag, want})
			c, _, err := Load("", fs)
			if err != nil {
				t.Fatal(err)
			}
			if got := value(c, key); got != want {
				t.Errorf("--%s set %s to %q", flag, key, got)
			}
			t.Setenv(Env(key), byEnv)
			if c, _, err = Load("", nil); err != nil {
				t.Fatal(err)
			}
			if got := value(c, key); got != byEnv {
				t.Errorf("%s set %s to %q", Env(key), key, got)
			}
		})
	}
}
