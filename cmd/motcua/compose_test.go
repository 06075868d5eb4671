package main

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/motcua/motcua/config"
)

// knownEnv maps each MOTCUA_* variable the binary reads to its key.
func knownEnv() map[string]string {
	out := map[string]string{}
	for k := range config.Defaults() {
		out[config.Env(k)] = k
	}
	return out
}

// docker-compose.yml sets only configuration the binary knows: every
// variable of a service built from this repository is a MOTCUA_* key of
// the config package, their values load and pass the production checks,
// and each command is one of motcua's. Every image is pinned, and the
// header comment names each image it was written for.
func TestComposeFileKnowsItsKeys(t *testing.T) {
	raw, err := os.ReadFile("../../docker-compose.yml")
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Services map[string]struct {
			Image       string `yaml:"image"`
			Build       any    `yaml:"build"`
			Command     any    `yaml:"command"`
			Environment any    `yaml:"environment"`
		} `yaml:"services"`
	}
	if err := yaml.Unmarshal(raw, &file); err != nil {
		t.Fatal(err)
	}
	var header strings.Builder
	for _, line := range strings.Split(string(raw), "\n") {
		if !strings.HasPrefix(line, "#") {
			break
		}
		header.WriteString(line + "\n")
	}
	known := knownEnv()
	ours := 0
	for name, svc := range file.Services {
		if svc.Build == nil {
			if svc.Image == "" {
				t.Errorf("service %s: neither an image nor built here", name)
				continue
			}
			if !regexp.MustCompile(`:[0-9][\w.-]*$`).MatchString(svc.Image) {
				t.Errorf("service %s: image %s is not pinned to a version", name, svc.Image)
			}
			if !strings.Contains(header.String(), svc.Image) {
				t.Errorf("service %s: the header comment does not name %s as an image the file was written for", name, svc.Image)
			}
			continue
		}
		ours++
		env := environment(t, name, svc.Environment)
		if len(env) == 0 {
			t.Errorf("service %s: no configuration", name)
		}
		for k, v := range env {
			if _, ok := known[k]; !ok {
				t.Errorf("service %s: %s is no configuration key of motcua (see `motcua config`)", name, k)
				continue
			}
			t.Setenv(k, v)
		}
		cfg, _, err := config.Load("", nil)
		if err != nil {
			t.Errorf("service %s: its configuration does not load: %v", name, err)
		} else if err := cfg.Production(); err != nil {
			t.Errorf("service %s: %v", name, err)
		}
		for k := range env {
			os.Unsetenv(k)
		}
		args := command(t, name, svc.Command)
		sub, rest, err := rootCmd().Find(args)
		if err != nil || sub == rootCmd() || !sub.Runnable() || sub.Args != nil && sub.Args(sub, rest) != nil {
			t.Errorf("service %s: command %v is no motcua command (%v)", name, args, err)
		}
	}
	if ours < 3 {
		t.Errorf("%d services built from this repository, want migrate, api and worker", ours)
	}
	dockerfile, err := os.ReadFile("../../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range regexp.MustCompile(`(?m)^ENV\s+(\w+)=`).FindAllStringSubmatch(string(dockerfile), -1) {
		if _, ok := known[m[1]]; strings.HasPrefix(m[1], "MOTCUA_") && !ok {
			t.Errorf("Dockerfile sets %s, no configuration key of motcua", m[1])
		}
	}
}

// The check above can fail: a misspelt key is caught.
func TestComposeCheckCatchesUnknownKeys(t *testing.T) {
	known := knownEnv()
	for _, k := range []string{"MOTCUA_DATABASE_URL", "MOTCUA_TEMPORAL_TLS_CA", "MOTCUA_BACKEND_OFF"} {
		if _, ok := known[k]; ok {
			t.Errorf("%s counts as known", k)
		}
	}
	for _, k := range []string{"MOTCUA_DATABASE_DSN", "MOTCUA_TEMPORAL_TLS_CA_FILE", "MOTCUA_BACKENDS_OFF", "MOTCUA_BACKENDS_REGISTRY_URL"} {
		if _, ok := known[k]; !ok {
			t.Errorf("%s counts as unknown", k)
		}
	}
}

// environment reads a service's environment in either compose form: a
// map, or a list of NAME=value.
func environment(t *testing.T, service string, v any) map[string]string {
	t.Helper()
	out := map[string]string{}
	switch e := v.(type) {
	case nil:
	case map[string]any:
		for k, val := range e {
			out[k] = stringOf(val)
		}
	case []any:
		for _, item := range e {
			k, val, _ := strings.Cut(stringOf(item), "=")
			out[k] = val
		}
	default:
		t.Fatalf("service %s: environment of type %T", service, v)
	}
	return out
}

func command(t *testing.T, service string, v any) []string {
	t.Helper()
	switch c := v.(type) {
	case string:
		return strings.Fields(c)
	case []any:
		var out []string
		for _, a := range c {
			out = append(out, stringOf(a))
		}
		return out
	}
	t.Fatalf("service %s: no command", service)
	return nil
}

func stringOf(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, _ := yaml.Marshal(v)
	return strings.TrimSpace(string(b))
}
