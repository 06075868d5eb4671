// Package codec stands in for github.com/ugorji/go/codec, which Gin
// imports only for its MessagePack binding and renderer (Gin drops them
// with the build tag nomsgpack, which `go run ./cmd/motcua dev` cannot
// pass). motcua speaks JSON; the package was a sixteenth of a cold build's
// CPU. go.mod replaces it with these names: encoding or decoding
// MessagePack fails, so a MessagePack body is refused, not misread.
package codec

import (
	"errors"
	"io"
)

// ErrNoMsgpack is what encoding or decoding MessagePack returns.
var ErrNoMsgpack = errors.New("MessagePack is not supported: send JSON")

// MsgpackHandle is the name Gin configures; it configures nothing.
type MsgpackHandle struct{}

// Encoder refuses to encode.
type Encoder struct{}

// NewEncoder returns an Encoder that refuses.
func NewEncoder(io.Writer, *MsgpackHandle) *Encoder { return &Encoder{} }

// Encode returns ErrNoMsgpack.
func (*Encoder) Encode(any) error { return ErrNoMsgpack }

// Decoder refuses to decode.
type Decoder struct{}

// NewDecoder returns a Decoder that refuses.
func NewDecoder(io.Reader, *MsgpackHandle) *Decoder { return &Decoder{} }

// Decode returns ErrNoMsgpack.
func (*Decoder) Decode(any) error { return ErrNoMsgpack }
