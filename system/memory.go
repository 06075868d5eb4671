package system

import (
	"os"
	"runtime/debug"
)

// devMemoryLimit is the Go runtime's soft memory limit in `motcua dev`
// and the benchmark: the collector runs sooner as the process nears it,
// instead of letting the heap grow to twice what is live (bench --open:
// RSS 495 MiB while filing 1,000 cases, 330 MiB once collected).
const devMemoryLimit = 256 << 20

// LimitDevMemory sets devMemoryLimit unless GOMEMLIMIT says otherwise.
// It is the process's setting, so the commands call it, not Start.
func LimitDevMemory() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(devMemoryLimit)
	}
}
