package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"

	"github.com/motcua/motcua"
)

// DirBlobs stores blobs as files under a directory, content-addressed, so
// the same file uploaded twice is stored once.
type DirBlobs struct{ Dir string }

var sumPattern = regexp.MustCompile(`^[0-9a-f]{64}$`)

func (b DirBlobs) path(sum string) string { return filepath.Join(b.Dir, sum[:2], sum) }

func (b DirBlobs) Put(_ context.Context, r io.Reader, limit int64) (string, int64, error) {
	if err := os.MkdirAll(b.Dir, 0o750); err != nil {
		return "", 0, err
	}
	tmp, err := os.CreateTemp(b.Dir, "upload-*")
	if err != nil {
		return "", 0, err
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, h), io.LimitReader(r, limit+1))
	if err != nil {
		return "", 0, fmt.Errorf("store upload: %w", err)
	}
	if n > limit {
		return "", 0, motcua.Errorf(motcua.ETOOLARGE, "Tệp vượt quá dung lượng cho phép (%d byte).", limit)
	}
	if err := tmp.Sync(); err != nil {
		return "", 0, err
	}
	sum := hex.EncodeToString(h.Sum(nil))
	dst := b.path(sum)
	if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
		return "", 0, err
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		return "", 0, err
	}
	return sum, n, nil
}

func (b DirBlobs) Open(_ context.Context, sum string) (io.ReadCloser, error) {
	if !sumPattern.MatchString(sum) {
		return nil, motcua.Errorf(motcua.ENOTFOUND, "Không tìm thấy tệp.")
	}
	f, err := os.Open(b.path(sum))
	if errors.Is(err, os.ErrNotExist) {
		return nil, motcua.Errorf(motcua.ENOTFOUND, "Không tìm thấy tệp.")
	}
	return f, err
}
