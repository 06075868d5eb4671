package system

import (
	"context"
	"io"
	"log/slog"
	"os"

	"github.com/motcua/motcua/config"
)

// Logs: one slog logger per process, JSON for the separate api and worker
// processes (log collectors parse it), text for `motcua dev` (a person reads
// it), unless log.format says otherwise. Every line about a case carries its
// code as "case": the API, the pages and the activities name it; Temporal's
// SDK names it WorkflowID (a case's workflow ID is its code), which the
// handler copies to "case".

// NewLogger is the logger log.level and log.format describe, on stderr; an
// empty log.format is text.
func NewLogger(cfg *config.Config) *slog.Logger { return newLogger(cfg, Dev, os.Stderr) }

func newLogger(cfg *config.Config, role Role, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.Log.Level))
	opts := &slog.HandlerOptions{Level: level}
	format := cfg.Log.Format
	if format == "" {
		format = "text"
		if role != Dev {
			format = "json"
		}
	}
	var h slog.Handler = slog.NewTextHandler(w, opts)
	if format == "json" {
		h = slog.NewJSONHandler(w, opts)
	}
	return slog.New(caseHandler{inner: h})
}

// withCaseCodes makes l's lines carry "case" wherever they carry WorkflowID.
func withCaseCodes(l *slog.Logger) *slog.Logger {
	if _, ok := l.Handler().(caseHandler); ok {
		return l
	}
	return slog.New(caseHandler{inner: l.Handler()})
}

// caseHandler adds "case" to records that have a WorkflowID and no case,
// and keeps one "case" per line.
type caseHandler struct {
	inner   slog.Handler
	hasCase bool // the logger's own attributes name the case
	grouped bool // attributes now go into a group: leave them alone
}

func (h caseHandler) Enabled(ctx context.Context, l slog.Level) bool { return h.inner.Enabled(ctx, l) }

func (h caseHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	if h.grouped {
		return caseHandler{inner: h.inner.WithAttrs(attrs), hasCase: h.hasCase, grouped: true}
	}
	out := make([]slog.Attr, 0, len(attrs)+1)
	for _, a := range attrs {
		switch a.Key {
		case "case":
			if h.hasCase {
				continue
			}
			h.hasCase = true
		case "WorkflowID":
			if !h.hasCase && a.Value.String() != "" {
				out = append(out, slog.String("case", a.Value.String()))
				h.hasCase = true
			}
		}
		out = append(out, a)
	}
	return caseHandler{inner: h.inner.WithAttrs(out), hasCase: h.hasCase}
}

func (h caseHandler) WithGroup(name string) slog.Handler {
	return caseHandler{inner: h.inner.WithGroup(name), hasCase: h.hasCase, grouped: true}
}

func (h caseHandler) Handle(ctx context.Context, r slog.Record) error {
	if h.grouped {
		return h.inner.Handle(ctx, r)
	}
	var hasCase, dup bool
	var workflowID string
	r.Attrs(func(a slog.Attr) bool {
		switch a.Key {
		case "case":
			dup = dup || h.hasCase || hasCase
			hasCase = true
		case "WorkflowID":
			workflowID = a.Value.String()
		}
		return true
	})
	switch {
	case dup:
		// Keep the first "case" only.
		out := slog.NewRecord(r.Time, r.Level, r.Message, r.PC)
		seen := h.hasCase
		r.Attrs(func(a slog.Attr) bool {
			if a.Key == "case" {
				if seen {
					return true
				}
				seen = true
			}
			out.AddAttrs(a)
			return true
		})
		r = out
	case !h.hasCase && !hasCase && workflowID != "":
		r = r.Clone()
		r.AddAttrs(slog.String("case", workflowID))
	}
	return h.inner.Handle(ctx, r)
}
