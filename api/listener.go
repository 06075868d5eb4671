package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"

	"github.com/motcua/motcua"
)

// Listener makes the answers net/http writes by itself, before any
// handler runs, answers in the API's error shape: a header too large
// (431) and a request it cannot parse (400) get an Error as JSON instead
// of plain text. Serve the API on it.
func Listener(ln net.Listener) net.Listener { return errorShapeListener{ln} }

type errorShapeListener struct{ net.Listener }

func (l errorShapeListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return errorShapeConn{c}, nil
}

type errorShapeConn struct{ net.Conn }

// net/http writes its own answers in one piece, exactly so:
// "HTTP/1.1 " + publicErr + plainHeaders + publicErr.
const plainHeaders = "\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n"

func (c errorShapeConn) Write(p []byte) (int, error) {
	if out, ok := inErrorShape(p); ok {
		if _, err := c.Conn.Write(out); err != nil {
			return 0, err
		}
		return len(p), nil
	}
	return c.Conn.Write(p)
}

// inErrorShape rewrites one of net/http's own plain-text answers.
func inErrorShape(p []byte) ([]byte, bool) {
	rest, ok := bytes.CutPrefix(p, []byte("HTTP/1.1 "))
	if !ok {
		return nil, false
	}
	publicErr, body, ok := bytes.Cut(rest, []byte(plainHeaders))
	if !ok || !bytes.Equal(publicErr, body) {
		return nil, false
	}
	var e *motcua.Error
	switch {
	case bytes.HasPrefix(publicErr, []byte("431 ")):
		e = motcua.Errorf(motcua.EHEADERTOOLARGE, "Tiêu đề (header) của yêu cầu quá lớn.")
	case bytes.HasPrefix(publicErr, []byte("400 ")):
		e = badRequest("Yêu cầu HTTP không đúng định dạng.")
	default:
		return nil, false
	}
	js, _ := json.Marshal(errorBody{Error: *e})
	status := statusOf(e.Code)
	return fmt.Appendf(nil, "HTTP/1.1 %d %s\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s",
		status, http.StatusText(status), len(js), js), true
}
