// Package sqlite3 stands in for github.com/mattn/go-sqlite3, which GORM's
// SQLite dialect (gorm.io/driver/sqlite) imports only to register its cgo
// driver. motcua runs SQLite on modernc.org/sqlite (the driver Temporal's
// own store uses) and names it in the dialect (DriverName "sqlite"), so the
// cgo driver was compiled — the slowest package of a cold build — and never
// used. go.mod replaces it with this empty package (issue 11).
package sqlite3
