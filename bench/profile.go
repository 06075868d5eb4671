package bench

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
)

// profiles samples the first motcua round: CPU while it runs (one round is
// what a reader compares before and after a change), heap at the end,
// block and mutex contention throughout.
type profiles struct {
	dir     string // "" = no profiles
	cpu     bytes.Buffer
	running bool
	done    bool
}

func startProfiles(dir string) (*profiles, error) {
	if dir == "" {
		return &profiles{}, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	runtime.SetBlockProfileRate(10_000) // one event per 10 µs blocked
	runtime.SetMutexProfileFraction(20)
	return &profiles{dir: dir}, nil
}

func (p *profiles) resume() {
	if p.dir != "" && !p.done && !p.running {
		p.running = pprof.StartCPUProfile(&p.cpu) == nil
	}
}

func (p *profiles) pause() {
	if p.running {
		pprof.StopCPUProfile()
		p.running, p.done = false, true
	}
}

func (p *profiles) write() error {
	if p.dir == "" {
		return nil
	}
	if err := os.WriteFile(filepath.Join(p.dir, "cpu.pprof"), p.cpu.Bytes(), 0o644); err != nil {
		return err
	}
	for _, name := range []string{"heap", "block", "mutex"} {
		if err := p.writeProfile(name, name+".pprof"); err != nil {
			return err
		}
	}
	return nil
}

// writeHeap writes the heap as it is now (after the open cases are filed:
// what holds their memory).
func (p *profiles) writeHeap(file string) error {
	if p.dir == "" {
		return nil
	}
	return p.writeProfile("heap", file)
}

func (p *profiles) writeProfile(name, file string) error {
	f, err := os.Create(filepath.Join(p.dir, file))
	if err != nil {
		return err
	}
	err = pprof.Lookup(name).WriteTo(f, 0)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
