package system

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"

	"github.com/motcua/motcua/config"
)

// Production processes log JSON, dev logs text, unless log.format says;
// a line with a WorkflowID gets the case code, and a line never carries two.
func TestLoggerFormatAndCaseCode(t *testing.T) {
	for _, c := range []struct {
		role   Role
		format string
		json   bool
	}{{API, "", true}, {Worker, "", true}, {Dev, "", false}, {Dev, "json", true}, {Worker, "text", false}} {
		var buf bytes.Buffer
		l := newLogger(&config.Config{Log: config.Log{Level: "info", Format: c.format}}, c.role, &buf)
		l.Info("activity error", "WorkflowID", "SKHDT-261127-0001", "ActivityType", "RecordCase")
		line := buf.String()
		if got := json.Valid([]byte(line)); got != c.json {
			t.Errorf("role %d format %q: JSON %v: %s", c.role, c.format, got, line)
		}
		if !strings.Contains(line, "case") || !strings.Contains(line, "SKHDT-261127-0001") {
			t.Errorf("no case code: %s", line)
		}
	}

	var buf bytes.Buffer
	l := withCaseCodes(slog.New(slog.NewJSONHandler(&buf, nil)))
	l.With("WorkflowID", "A-1").With("case", "A-1").Info("x", "case", "A-1")
	l.With("case", "B-2").Info("y", "WorkflowID", "B-2")
	l.Info("z", "WorkflowID", "C-3")
	for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		if n := strings.Count(line, `"case":`); n != 1 {
			t.Errorf("%d case attributes: %s", n, line)
		}
	}
}
