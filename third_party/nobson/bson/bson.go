// Package bson stands in for go.mongodb.org/mongo-driver/v2/bson, which
// Gin imports only for its BSON binding and renderer; motcua speaks JSON.
// go.mod replaces the MongoDB driver's module with this package: encoding
// or decoding BSON fails, so a BSON body is refused, not misread.
package bson

import "errors"

// ErrNoBSON is what Marshal and Unmarshal return.
var ErrNoBSON = errors.New("BSON is not supported: send JSON")

// Marshal returns ErrNoBSON.
func Marshal(any) ([]byte, error) { return nil, ErrNoBSON }

// Unmarshal returns ErrNoBSON.
func Unmarshal([]byte, any) error { return ErrNoBSON }
