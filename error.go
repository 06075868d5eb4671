// Package motcua is the shared vocabulary of the case engine: case statuses,
// actions, actor roles, procedure definitions and error codes. It imports
// nothing of ours, so every adapter (workflows, store, api) can depend on it.
package motcua

import (
	"errors"
	"fmt"
)

// Error codes, one vocabulary for the whole system. The HTTP layer maps each
// code to a status once; workflows use them as application-error types.
const (
	EINVALID      = "invalid"
	ENOTFOUND     = "not_found"
	ECONFLICT     = "conflict"
	EFORBIDDEN    = "forbidden"
	EUNAUTHORIZED = "unauthorized"
	ETOOLARGE     = "too_large"
	EUNSUPPORTED  = "unsupported_media_type"
	ERATELIMIT    = "rate_limited"
	EUNAVAILABLE  = "unavailable"
	EINTERNAL     = "internal"
)

// Error is an error a user may read: Message is written for the person who
// made the request, Fields names what was wrong with each input field.
type Error struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
	// En is the message in English when the code that wrote Message wrote
	// it too (the API answers it under Accept-Language: en).
	En string `json:"-"`
}

func (e *Error) Error() string { return fmt.Sprintf("%s: %s", e.Code, e.Message) }

// Errorf returns an *Error with the given code and formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// FieldErrors returns an EINVALID error listing a problem per field.
func FieldErrors(message string, fields map[string]string) *Error {
	return &Error{Code: EINVALID, Message: message, Fields: fields}
}

// ErrorCode returns the code of err, EINTERNAL when err is not an *Error.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing message of err; internal errors get a
// generic message so their text never reaches a client.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return MsgInternal
}

// MsgInternal is what a person reads when the system failed.
const MsgInternal = "Hệ thống đang gặp sự cố, vui lòng thử lại sau."

// MessageEn is the English of a message a workflow wrote in both
// languages: it travels as the application error's details.
type MessageEn struct {
	En string `json:"en"`
}

// Error codes of requests malformed at the HTTP level, as opposed to
// invalid content (EINVALID).
const (
	EBADREQUEST = "bad_request"        // a missing header, a body that does not parse
	EMETHOD     = "method_not_allowed" // a known path, another method
	// EHEADERTOOLARGE: the request's headers exceed what the server reads.
	EHEADERTOOLARGE = "header_too_large"
)
