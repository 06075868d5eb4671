package api

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"testing"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/workflows"
)

// Errors from Temporal and from cases reach clients in the shared
// vocabulary; nothing internal leaks.
func TestErrorMapping(t *testing.T) {
	s := &Server{log: slog.New(slog.DiscardHandler)}
	for name, c := range map[string]struct {
		err  error
		code string
	}{
		"update timed out":  {client.NewWorkflowUpdateServiceTimeoutOrCanceledError(errors.New("deadline")), motcua.EUNAVAILABLE},
		"context deadline":  {fmt.Errorf("update: %w", context.DeadlineExceeded), motcua.EUNAVAILABLE},
		"temporal down":     {serviceerror.NewUnavailable("no"), motcua.EUNAVAILABLE},
		"no workflow":       {serviceerror.NewNotFound("gone"), motcua.ENOTFOUND},
		"case busy":         {temporal.NewApplicationError("busy", workflows.ErrBusy), motcua.ECONFLICT},
		"case refused":      {temporal.NewApplicationError("no", motcua.EFORBIDDEN), motcua.EFORBIDDEN},
		"back-end down":     {temporal.NewApplicationError("later", motcua.EUNAVAILABLE), motcua.EUNAVAILABLE},
		"closed":            {errCaseClosed, motcua.ECONFLICT},
		"unknown app error": {temporal.NewApplicationError("secret detail", "weird"), motcua.EINTERNAL},
		"plain error":       {errors.New("dial tcp 10.0.0.1: secret detail"), motcua.EINTERNAL},
	} {
		got := s.toError(c.err)
		if got.Code != c.code {
			t.Errorf("%s: code %s, want %s", name, got.Code, c.code)
		}
		if got.Code == motcua.EINTERNAL && got.Message != motcua.ErrorMessage(nil) {
			t.Errorf("%s: internal text reached the client: %q", name, got.Message)
		}
	}
	fields := s.toError(temporal.NewApplicationError("bad", motcua.EINVALID, map[string]string{"reason": "bắt buộc"}))
	if fields.Code != motcua.EINVALID || fields.Fields["reason"] != "bắt buộc" {
		t.Fatalf("invalid with fields: %+v", fields)
	}
}

// Each code of the vocabulary has its own status; unknown codes are 500.
func TestStatusOf(t *testing.T) {
	for code, want := range map[string]int{
		motcua.EBADREQUEST: http.StatusBadRequest, motcua.EUNAUTHORIZED: http.StatusUnauthorized,
		motcua.EFORBIDDEN: http.StatusForbidden, motcua.ENOTFOUND: http.StatusNotFound,
		motcua.EMETHOD: http.StatusMethodNotAllowed, motcua.ECONFLICT: http.StatusConflict,
		motcua.ETOOLARGE: http.StatusRequestEntityTooLarge, motcua.EUNSUPPORTED: http.StatusUnsupportedMediaType,
		motcua.EINVALID: http.StatusUnprocessableEntity, motcua.ERATELIMIT: http.StatusTooManyRequests,
		motcua.EINTERNAL: http.StatusInternalServerError, motcua.EUNAVAILABLE: http.StatusServiceUnavailable,
		motcua.EHEADERTOOLARGE: http.StatusRequestHeaderFieldsTooLarge, "weird": http.StatusInternalServerError,
	} {
		if got := statusOf(code); got != want {
			t.Errorf("statusOf(%q) = %d, want %d", code, got, want)
		}
	}
}
