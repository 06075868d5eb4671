package documents

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// signingContext separates our signatures from any other use of the key.
const signingContext = "motcua-document-v1\x00"

// Signer signs issued documents with Ed25519 and verifies them.
type Signer struct {
	priv  ed25519.PrivateKey
	pub   ed25519.PublicKey
	keyID string
}

// NewSigner wraps a private key. It panics if priv is not a 64-byte Ed25519
// key: a malformed key is a configuration error to catch at start-up.
func NewSigner(priv ed25519.PrivateKey) *Signer {
	if len(priv) != ed25519.PrivateKeySize {
		panic(fmt.Sprintf("documents: Ed25519 private key has %d bytes, want %d", len(priv), ed25519.PrivateKeySize))
	}
	pub := priv.Public().(ed25519.PublicKey)
	sum := sha256.Sum256(pub)
	return &Signer{priv: priv, pub: pub, keyID: hex.EncodeToString(sum[:])[:16]}
}

// LoadOrCreateKey reads a PKCS#8 PEM private key from path. When the file
// does not exist it generates a key and writes it there with mode 0600, which
// suits development; production keys come from configuration (ParseKey).
func LoadOrCreateKey(path string) (*Signer, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		if err := createKey(path); err != nil {
			return nil, fmt.Errorf("documents: creating signing key %s: %w", path, err)
		}
		data, err = os.ReadFile(path)
	}
	if err != nil {
		return nil, fmt.Errorf("documents: reading signing key: %w", err)
	}
	s, err := ParseKey(data)
	if err != nil {
		return nil, fmt.Errorf("%w (file %s)", err, path)
	}
	return s, nil
}

// createKey writes a new key to a temporary file and links it into place,
// so a concurrent reader never sees a half-written key and, when two workers
// race, both end up with the key of whichever linked first.
func createKey(path string) error {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return err
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return err
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".signing-key-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // CreateTemp made it 0600
	if err := pem.Encode(tmp, &pem.Block{Type: "PRIVATE KEY", Bytes: der}); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Link(tmp.Name(), path); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	return nil
}

// ParseKey reads an Ed25519 private key in PKCS#8 PEM ("PRIVATE KEY"), the
// form `openssl genpkey -algorithm ed25519` writes.
func ParseKey(pemBytes []byte) (*Signer, error) {
	block, _ := pem.Decode(pemBytes)
	if block == nil {
		return nil, errors.New("documents: signing key: no PEM block found (want a PKCS#8 \"PRIVATE KEY\")")
	}
	if block.Type != "PRIVATE KEY" {
		return nil, fmt.Errorf("documents: signing key: PEM block is %q, want a PKCS#8 \"PRIVATE KEY\"", block.Type)
	}
	key, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("documents: signing key: %w", err)
	}
	priv, ok := key.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("documents: signing key: is a %T, want Ed25519", key)
	}
	return NewSigner(priv), nil
}

// KeyID is the first 16 hex characters of the SHA-256 of the public key: it
// names the key that signed a document, so keys can be rotated.
func (s *Signer) KeyID() string { return s.keyID }

// PublicKey returns the key that verifies this signer's signatures.
func (s *Signer) PublicKey() ed25519.PublicKey { return s.pub }

// Sign signs a document's SHA-256 digest bound to its id: the signed message
// is "motcua-document-v1\x00" + documentID + "\x00" + digest, so a signature
// cannot be moved to another document. It panics if the digest is not 32
// bytes (a hex string passed by mistake must not produce a signature).
func (s *Signer) Sign(documentID string, sha256sum []byte) []byte {
	if len(sha256sum) != sha256.Size {
		panic(fmt.Sprintf("documents: Sign wants a %d-byte SHA-256 digest, got %d bytes", sha256.Size, len(sha256sum)))
	}
	return ed25519.Sign(s.priv, message(documentID, sha256sum))
}

// Verify reports whether sig is this signer's signature of the document
// with documentID and digest sha256sum.
func (s *Signer) Verify(documentID string, sha256sum, sig []byte) bool {
	if len(sha256sum) != sha256.Size {
		return false
	}
	return ed25519.Verify(s.pub, message(documentID, sha256sum), sig)
}

// message is unambiguous even if documentID holds a NUL: the digest has a
// fixed length, so the id is whatever lies between the prefix and it.
func message(documentID string, sum []byte) []byte {
	m := make([]byte, 0, len(signingContext)+len(documentID)+1+len(sum))
	m = append(m, signingContext...)
	m = append(m, documentID...)
	m = append(m, 0)
	return append(m, sum...)
}
