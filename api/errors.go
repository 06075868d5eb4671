package api

import (
	"context"
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/web"
	"github.com/motcua/motcua/workflows"
)

// statusOf maps an error code to its HTTP status: the one place that does.
func statusOf(code string) int {
	switch code {
	case motcua.EINVALID:
		return http.StatusUnprocessableEntity
	case motcua.ENOTFOUND:
		return http.StatusNotFound
	case motcua.ECONFLICT:
		return http.StatusConflict
	case motcua.EFORBIDDEN:
		return http.StatusForbidden
	case motcua.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case motcua.ETOOLARGE:
		return http.StatusRequestEntityTooLarge
	case motcua.EUNSUPPORTED:
		return http.StatusUnsupportedMediaType
	case motcua.ERATELIMIT:
		return http.StatusTooManyRequests
	case motcua.EUNAVAILABLE:
		return http.StatusServiceUnavailable
	case motcua.EBADREQUEST:
		return http.StatusBadRequest
	case motcua.EMETHOD:
		return http.StatusMethodNotAllowed
	case motcua.EHEADERTOOLARGE:
		return http.StatusRequestHeaderFieldsTooLarge
	}
	return http.StatusInternalServerError
}

// badRequest is for requests malformed at the HTTP level (a missing
// header, JSON that does not parse), as opposed to invalid content (422).
func badRequest(message string) *motcua.Error {
	return &motcua.Error{Code: motcua.EBADREQUEST, Message: message}
}

type errorBody struct {
	Error motcua.Error `json:"error"`
}

// fail writes err as {"error": {...}}. Internal errors are logged with the
// request's case code and shown to the client as a generic message.
func (s *Server) fail(c *gin.Context, err error) {
	e := web.LocalizeError(c.GetHeader("Accept-Language"), s.toError(err))
	if e.Code == motcua.EINTERNAL || e.Code == motcua.EUNAVAILABLE {
		s.log.Error("request failed", "method", c.Request.Method, "path", c.FullPath(),
			"case", caseOf(c), "err", err)
	}
	c.Set(errCodeKey, e.Code)
	c.AbortWithStatusJSON(statusOf(e.Code), errorBody{Error: *e})
}

// toError translates errors from the read model and from Temporal into the
// shared vocabulary.
func (s *Server) toError(err error) *motcua.Error {
	var me *motcua.Error
	if errors.As(err, &me) {
		return me
	}
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) {
		e := &motcua.Error{Code: appErr.Type(), Message: appErr.Message()}
		switch appErr.Type() {
		case motcua.EINVALID:
			var fields map[string]string
			if appErr.HasDetails() && appErr.Details(&fields) == nil {
				e.Fields = fields
			}
		case motcua.ECONFLICT, motcua.EFORBIDDEN, motcua.EUNAVAILABLE:
			var en motcua.MessageEn
			if appErr.HasDetails() && appErr.Details(&en) == nil {
				e.En = en.En
			}
		case workflows.ErrBusy:
			e.Code = motcua.ECONFLICT
		default:
			return &motcua.Error{Code: motcua.EINTERNAL, Message: motcua.ErrorMessage(err)}
		}
		return e
	}
	var notFound *serviceerror.NotFound
	if errors.As(err, &notFound) {
		return motcua.Errorf(motcua.ENOTFOUND, "Không tìm thấy hồ sơ.")
	}
	var unavailable *serviceerror.Unavailable
	if errors.As(err, &unavailable) {
		return motcua.Errorf(motcua.EUNAVAILABLE, "Hệ thống xử lý hồ sơ tạm thời không sẵn sàng, vui lòng thử lại sau.")
	}
	var updateTimeout *client.WorkflowUpdateServiceTimeoutOrCanceledError
	if errors.Is(err, context.DeadlineExceeded) || errors.As(err, &updateTimeout) {
		return motcua.Errorf(motcua.EUNAVAILABLE, "Hệ thống chưa xử lý xong yêu cầu; vui lòng gửi lại với cùng Idempotency-Key để nhận kết quả.")
	}
	if errors.Is(err, errCaseClosed) {
		return motcua.Errorf(motcua.ECONFLICT, "Hồ sơ đã kết thúc, không thể thực hiện thêm thao tác.")
	}
	s.log.Debug("unmapped error", "err", err)
	return &motcua.Error{Code: motcua.EINTERNAL, Message: motcua.ErrorMessage(err)}
}

var errCaseClosed = errors.New("case closed")

// errOrNil is err in the shared vocabulary (nil stays nil), for metrics.
func (s *Server) errOrNil(err error) error {
	if err == nil {
		return nil
	}
	return s.toError(err)
}
