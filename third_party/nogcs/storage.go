// Package storage stands in for cloud.google.com/go/storage, which the
// Temporal server imports only for archiving histories to Google Cloud
// Storage (common/archiver/gcloud). motcua's embedded server archives
// nothing, and the client brought gRPC's xDS and Envoy's API with it, a
// thirteenth of a cold build's CPU. go.mod replaces the module with these
// names: NewClient fails, so configuring a gs:// archival URI fails at
// start with ErrNotBuilt instead of archiving nowhere.
package storage

import (
	"context"
	"errors"

	"google.golang.org/api/option"
)

// ErrNotBuilt is what every call returns.
var ErrNotBuilt = errors.New("Google Cloud Storage archival is not built into motcua")

// ScopeFullControl is the OAuth scope the archiver asks for.
const ScopeFullControl = "https://www.googleapis.com/auth/devstorage.full_control"

// Client is never made: NewClient fails.
type Client struct{}

// NewClient returns ErrNotBuilt.
func NewClient(context.Context, ...option.ClientOption) (*Client, error) { return nil, ErrNotBuilt }

// Bucket returns a handle whose calls fail.
func (*Client) Bucket(string) *BucketHandle { return &BucketHandle{} }

// BucketHandle's calls fail.
type BucketHandle struct{}

// BucketAttrs is a bucket's description.
type BucketAttrs struct{ Name string }

// Object returns a handle whose calls fail.
func (*BucketHandle) Object(string) *ObjectHandle { return &ObjectHandle{} }

// Objects returns an iterator that fails.
func (*BucketHandle) Objects(context.Context, *Query) *ObjectIterator { return &ObjectIterator{} }

// Attrs returns ErrNotBuilt.
func (*BucketHandle) Attrs(context.Context) (*BucketAttrs, error) { return nil, ErrNotBuilt }

// Query selects objects by name prefix.
type Query struct{ Prefix string }

// ObjectAttrs is an object's description.
type ObjectAttrs struct{ Name string }

// ObjectIterator fails on its first Next.
type ObjectIterator struct{}

// Next returns ErrNotBuilt.
func (*ObjectIterator) Next() (*ObjectAttrs, error) { return nil, ErrNotBuilt }

// ObjectHandle's calls fail.
type ObjectHandle struct{}

// NewWriter returns a Writer that fails.
func (*ObjectHandle) NewWriter(context.Context) *Writer { return &Writer{} }

// NewReader returns ErrNotBuilt.
func (*ObjectHandle) NewReader(context.Context) (*Reader, error) { return nil, ErrNotBuilt }

// Attrs returns ErrNotBuilt.
func (*ObjectHandle) Attrs(context.Context) (*ObjectAttrs, error) { return nil, ErrNotBuilt }

// Writer fails.
type Writer struct{}

// Write returns ErrNotBuilt.
func (*Writer) Write([]byte) (int, error) { return 0, ErrNotBuilt }

// Close returns ErrNotBuilt.
func (*Writer) Close() error { return ErrNotBuilt }

// CloseWithError returns ErrNotBuilt.
func (*Writer) CloseWithError(error) error { return ErrNotBuilt }

// Reader fails.
type Reader struct{}

// Read returns ErrNotBuilt.
func (*Reader) Read([]byte) (int, error) { return 0, ErrNotBuilt }

// Close returns nil: there is nothing to release.
func (*Reader) Close() error { return nil }
