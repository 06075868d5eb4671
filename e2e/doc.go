// Package e2e holds the end-to-end tests: the real API over HTTP, a real
// Temporal server embedded in the test process, a real PostgreSQL, the real
// worker.
package e2e
