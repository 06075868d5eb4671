// Package web is the citizen portal served beside the API: find a
// procedure, read what it needs, download its form, and look a case up by
// its code and secret. The pages are static; they call the public API, so
// the rules (rate limits, who sees what) live in one place.
package web

import (
	"embed"
	"io/fs"
	"net/http"
)

//go:embed static
var static embed.FS

// Handler serves the portal's files.
func Handler() http.Handler {
	sub, err := fs.Sub(static, "static")
	if err != nil {
		panic(err) // the embedded tree is fixed at build time
	}
	return http.FileServer(http.FS(sub))
}
