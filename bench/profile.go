package bench

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
)

// profiles samples the motcua rounds: CPU of each while it runs (the
// first is what a reader compares before and after a change; later ones
// show what grows with the cases a run leaves behind), heap at the end,
// block and mutex contention throughout.
type profiles struct {
	dir     string // "" = no profiles
	cpu     []*bytes.Buffer
	running bool
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

// resume starts the CPU profile of the next round.
func (p *profiles) resume() {
	if p.dir != "" && !p.running {
		b := new(bytes.Buffer)
		if p.running = pprof.StartCPUProfile(b) == nil; p.running {
			p.cpu = append(p.cpu, b)
		}
	}
}

func (p *profiles) pause() {
	if p.running {
		pprof.StopCPUProfile()
		p.running = false
	}
}

// write writes cpu.pprof (the first round), cpu-2.pprof and on (the
// later ones), and the other profiles as they are now.
func (p *profiles) write() error {
	if p.dir == "" {
		return nil
	}
	for i, b := range p.cpu {
		name := "cpu.pprof"
		if i > 0 {
			name = fmt.Sprintf("cpu-%d.pprof", i+1)
		}
		if err := os.WriteFile(filepath.Join(p.dir, name), b.Bytes(), 0o644); err != nil {
			return err
		}
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
