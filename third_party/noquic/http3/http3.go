// Package http3 stands in for github.com/quic-go/quic-go/http3, which Gin
// imports only for Engine.RunQUIC; motcua serves HTTP/1.1 and HTTP/2 with
// net/http. go.mod replaces the quic-go module with this package.
package http3

import (
	"errors"
	"net/http"
)

// ListenAndServeQUIC refuses: HTTP/3 is not built in.
func ListenAndServeQUIC(string, string, string, http.Handler) error {
	return errors.New("HTTP/3 is not built into motcua")
}
