package documents

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func newTestSigner(t *testing.T) *Signer {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return NewSigner(priv)
}

func TestSignVerify(t *testing.T) {
	s := newTestSigner(t)
	doc := mustRender(t)(RenderReceipt(sampleReceipt()))
	sum := sha256.Sum256(doc)
	const id = "DOC-SKHDT-260305-0001-R1"
	sig := s.Sign(id, sum[:])

	t.Run("OK", func(t *testing.T) {
		if !s.Verify(id, sum[:], sig) {
			t.Fatal("a signature does not verify")
		}
		if !NewSigner(s.priv).Verify(id, sum[:], sig) {
			t.Fatal("the same key loaded again does not verify")
		}
	})
	t.Run("OtherDocumentID", func(t *testing.T) {
		if s.Verify("DOC-SKHDT-260305-0002-R1", sum[:], sig) {
			t.Fatal("a signature verifies for another document id")
		}
	})
	t.Run("ChangedByte", func(t *testing.T) {
		changed := append([]byte(nil), doc...)
		changed[len(changed)/2] ^= 0x01
		other := sha256.Sum256(changed)
		if s.Verify(id, other[:], sig) {
			t.Fatal("a signature verifies for a file with one byte changed")
		}
	})
	t.Run("OtherKey", func(t *testing.T) {
		if newTestSigner(t).Verify(id, sum[:], sig) {
			t.Fatal("a signature verifies with another key")
		}
	})
	t.Run("DamagedSignature", func(t *testing.T) {
		bad := append([]byte(nil), sig...)
		bad[0] ^= 0x80
		if s.Verify(id, sum[:], bad) || s.Verify(id, sum[:], sig[:len(sig)-1]) || s.Verify(id, sum[:], nil) {
			t.Fatal("a damaged signature verifies")
		}
	})
	t.Run("MessageLayout", func(t *testing.T) {
		msg := append([]byte("motcua-document-v1\x00"+id+"\x00"), sum[:]...)
		if !ed25519.Verify(s.PublicKey(), msg, sig) {
			t.Fatal("the signature is not over the documented message")
		}
	})
	t.Run("HexDigestRejected", func(t *testing.T) {
		hexSum := []byte(hex.EncodeToString(sum[:]))
		if s.Verify(id, hexSum, sig) {
			t.Fatal("Verify accepted a 64-byte digest")
		}
		defer func() {
			if recover() == nil {
				t.Fatal("Sign signed a 64-byte digest")
			}
		}()
		s.Sign(id, hexSum)
	})
}

func TestKeyID(t *testing.T) {
	s := newTestSigner(t)
	sum := sha256.Sum256(s.PublicKey())
	if want := hex.EncodeToString(sum[:8]); s.KeyID() != want {
		t.Errorf("KeyID = %q, want %q", s.KeyID(), want)
	}
	if len(s.KeyID()) != 16 {
		t.Errorf("KeyID has %d characters, want 16", len(s.KeyID()))
	}
	if newTestSigner(t).KeyID() == s.KeyID() {
		t.Error("two keys have the same id")
	}
}

func TestLoadOrCreateKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys", "signing.pem")
	created, err := LoadOrCreateKey(path)
	if err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatalf("no key file was written: %v", err)
	}
	if mode := info.Mode().Perm(); mode != 0o600 {
		t.Errorf("the key file has mode %o, want 600", mode)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(data)
	if block == nil || block.Type != "PRIVATE KEY" {
		t.Fatalf("the key file is not a PKCS#8 PEM key:\n%s", data)
	}
	if _, err := x509.ParsePKCS8PrivateKey(block.Bytes); err != nil {
		t.Fatalf("the key file does not parse as PKCS#8: %v", err)
	}

	loaded, err := LoadOrCreateKey(path)
	if err != nil {
		t.Fatal(err)
	}
	if loaded.KeyID() != created.KeyID() || !loaded.PublicKey().Equal(created.PublicKey()) {
		t.Fatal("reloading the key file gave another key")
	}
	sum := sha256.Sum256([]byte("văn bản"))
	if !loaded.Verify("id", sum[:], created.Sign("id", sum[:])) {
		t.Fatal("the reloaded key does not verify the created key's signature")
	}
	if leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".signing-key-*")); len(leftovers) > 0 {
		t.Errorf("temporary files left behind: %v", leftovers)
	}
}

// Workers starting together on a fresh volume agree on one key.
func TestLoadOrCreateKeyConcurrently(t *testing.T) {
	path := filepath.Join(t.TempDir(), "signing.pem")
	const n = 8
	ids := make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			s, err := LoadOrCreateKey(path)
			if err == nil {
				ids[i] = s.KeyID()
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if ids[i] != ids[0] {
			t.Fatalf("worker %d got key %s, worker 0 got %s", i, ids[i], ids[0])
		}
	}
}

func TestLoadOrCreateKeyNamesTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "broken.pem")
	if err := os.WriteFile(path, []byte("not a key"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := LoadOrCreateKey(path)
	if err == nil || !strings.Contains(err.Error(), path) {
		t.Fatalf("err = %v, want an error naming %s", err, path)
	}
	dir := t.TempDir()
	if _, err := LoadOrCreateKey(dir); err == nil || !strings.Contains(err.Error(), dir) {
		t.Fatalf("reading a directory: err = %v, want an error naming %s", err, dir)
	}
}

func TestParseKey(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		pub, priv, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		der, err := x509.MarshalPKCS8PrivateKey(priv)
		if err != nil {
			t.Fatal(err)
		}
		s, err := ParseKey(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
		if err != nil {
			t.Fatal(err)
		}
		if !s.PublicKey().Equal(pub) {
			t.Fatal("ParseKey returned another key")
		}
	})
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ecDER, err := x509.MarshalPKCS8PrivateKey(ecKey)
	if err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]struct {
		pem  []byte
		want string
	}{
		"Garbage":     {[]byte("definitely not a key"), "no PEM block"},
		"Empty":       {nil, "no PEM block"},
		"WrongBlock":  {pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte{1, 2, 3}}), `"CERTIFICATE"`},
		"BadDER":      {pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte("garbage")}), "signing key"},
		"NotEd25519":  {pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: ecDER}), "want Ed25519"},
		"PublicBlock": {pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: []byte{1}}), `"PUBLIC KEY"`},
	} {
		t.Run(name, func(t *testing.T) {
			s, err := ParseKey(c.pem)
			if err == nil {
				t.Fatalf("ParseKey accepted it (key %s)", s.KeyID())
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("err = %q, want it to mention %s", err, c.want)
			}
		})
	}
}

func TestNewSignerRejectsShortKey(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("NewSigner accepted a 32-byte key")
		}
	}()
	NewSigner(make(ed25519.PrivateKey, 32))
}
