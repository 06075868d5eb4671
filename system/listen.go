package system

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"

	"github.com/motcua/motcua/config"
)

// listen listens on addr for what, or says which setting (key) moves it.
func listen(what, addr, key string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, listenError(what, addr, key, err)
	}
	return ln, nil
}

// probe checks that addr is free for a server that listens by itself.
func probe(what, addr, key string) error {
	if _, port, _ := net.SplitHostPort(addr); port == "0" {
		return nil
	}
	ln, err := listen(what, addr, key)
	if err != nil {
		return err
	}
	return ln.Close()
}

func listenError(what, addr, key string, err error) error {
	var sys *os.SyscallError
	if errors.As(err, &sys) {
		err = sys.Err // "address already in use", without the syscall's name
	}
	return fmt.Errorf("%s: cannot listen on %s: %w; set another address with %s", what, addr, err, config.Setting(key))
}

// leftovers is what a dev start created, for a start that fails to remove:
// the data directory (and its parents) if it was new, else the files a
// start writes into it that were not there before, and any file tracked.
type leftovers struct {
	dir     string
	newDirs []string // deepest first
	before  map[string]bool
	files   []string
}

// ours are the names a dev start writes into the data directory.
var ours = []string{"secret.key", "signing-key.pem", ".signing-key-", "temporal.db", "temporal.log", "motcua.db", "blobs"}

// claimDataDir creates dir and remembers what it held before.
func claimDataDir(dir string) (*leftovers, error) {
	l := &leftovers{dir: dir, before: map[string]bool{}}
	for d := filepath.Clean(dir); ; d = filepath.Dir(d) {
		_, err := os.Stat(d)
		if err == nil {
			break
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("data directory %s: %w", dir, err)
		}
		l.newDirs = append(l.newDirs, d)
		if filepath.Dir(d) == d {
			break
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("data directory %s: %w", dir, err)
	}
	for _, e := range entries {
		l.before[e.Name()] = true
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("data directory %s (%s): %w", dir, config.Setting("data_dir"), err)
	}
	return l, nil
}

// track remembers path if it does not exist yet.
func (l *leftovers) track(path string) {
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		l.files = append(l.files, path)
	}
}

// remove deletes what the start created; nil removes nothing.
func (l *leftovers) remove() {
	if l == nil {
		return
	}
	for _, f := range l.files {
		_ = os.Remove(f)
	}
	entries, _ := os.ReadDir(l.dir)
	for _, e := range entries {
		if l.before[e.Name()] {
			continue
		}
		for _, prefix := range ours {
			if strings.HasPrefix(e.Name(), prefix) {
				_ = os.RemoveAll(filepath.Join(l.dir, e.Name()))
				break
			}
		}
	}
	for _, d := range l.newDirs {
		_ = os.Remove(d) // only when empty: never anything we did not write
	}
}
