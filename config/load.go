package config

import (
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/spf13/pflag"
	"github.com/spf13/viper"

	"github.com/motcua/motcua"
)

// Flags maps command-line flags to the keys they override.
var Flags = map[string]string{
	"data-dir":         "data_dir",
	"http-addr":        "http.addr",
	"temporal-addr":    "temporal.address",
	"temporal-ui-addr": "temporal.ui_addr",
	"sim-addr":         "sim.addr",
	"sim-smtp-addr":    "sim.smtp_addr",
	"filing-day":       "procedures.filing_day",
}

// Env is the environment variable that sets key (MOTCUA_HTTP_ADDR for
// http.addr).
func Env(key string) string {
	return "MOTCUA_" + strings.ToUpper(strings.ReplaceAll(key, ".", "_"))
}

// Setting names every way to set key, for messages that tell a person
// which setting to change: "--sim-addr / MOTCUA_SIM_ADDR / sim.addr".
func Setting(key string) string {
	var ways []string
	for flag, k := range Flags {
		if k == key {
			ways = append(ways, "--"+flag)
		}
	}
	return strings.Join(append(ways, Env(key), key), " / ")
}

// Load reads defaults, then the config file (file, or ./motcua.yaml when it
// exists), then MOTCUA_* environment variables, then the flags set on fs.
// Unknown keys and malformed values fail with the key named.
func Load(file string, fs *pflag.FlagSet) (*Config, *viper.Viper, error) {
	v := viper.New()
	for k, val := range Defaults() {
		v.SetDefault(k, val)
	}
	v.SetEnvPrefix("MOTCUA")
	v.SetEnvKeyReplacer(strings.NewReplacer(".", "_"))
	v.AutomaticEnv()
	// A variable set empty means empty, as a flag or the file would: the
	// help promises "empty: none" for the Web UI, and viper otherwise
	// reads an empty variable as unset, so MOTCUA_TEMPORAL_UI_ADDR= still
	// bound 127.0.0.1:8233.
	v.AllowEmptyEnv(true)

	switch {
	case file != "":
		v.SetConfigFile(file)
		if err := v.ReadInConfig(); err != nil {
			return nil, nil, fmt.Errorf("config file %s: %w", file, err)
		}
	default:
		if _, err := os.Stat("motcua.yaml"); err == nil {
			v.SetConfigFile("motcua.yaml")
			if err := v.ReadInConfig(); err != nil {
				return nil, nil, fmt.Errorf("config file motcua.yaml: %w", err)
			}
		}
	}
	if fs != nil {
		for flag, key := range Flags {
			if f := fs.Lookup(flag); f != nil {
				if err := v.BindPFlag(key, f); err != nil {
					return nil, nil, err
				}
			}
		}
	}
	if err := unknownKeys(v); err != nil {
		return nil, nil, err
	}
	var c Config
	if err := v.Unmarshal(&c); err != nil {
		return nil, nil, fmt.Errorf("config: %w", err)
	}
	c.Backends.URLs = map[string]string{}
	for _, b := range motcua.Backends {
		c.Backends.URLs[b.Name] = v.GetString(BackendURLKey(b.Name))
	}
	if err := c.Validate(); err != nil {
		return nil, nil, err
	}
	return &c, v, nil
}

// unknownKeys rejects keys in the file that no setting has: a misspelt key
// would otherwise be ignored silently.
func unknownKeys(v *viper.Viper) error {
	known := Defaults()
	var bad []string
	for _, k := range v.AllKeys() {
		if _, ok := known[k]; !ok {
			bad = append(bad, k)
		}
	}
	if len(bad) > 0 {
		sort.Strings(bad)
		return errors.New("config: unknown keys: " + strings.Join(bad, ", "))
	}
	return nil
}

// Effective returns every key with its value, secrets masked, for
// `motcua config`.
func Effective(v *viper.Viper) map[string]any {
	out := map[string]any{}
	for _, k := range v.AllKeys() {
		val := v.Get(k)
		for _, s := range Secrets {
			if k == s && fmt.Sprint(val) != "" {
				val = "********"
			}
		}
		out[k] = val
	}
	return out
}
