package bench

import (
	"bytes"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua/devserver"
)

// rss is the process's resident memory in bytes (Linux), 0 elsewhere.
func rss() int64 { return status("VmRSS") }

// rssParts is RSS's anonymous and file-backed parts (Linux).
func rssParts() (anon, file int64) { return status("RssAnon"), status("RssFile") }

// status is a field of /proc/self/status in bytes, 0 if unknown.
func status(field string) int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(b)) {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// cpuTimes is the CPU time the process has used (Linux), user and system.
func cpuTimes() (user, system time.Duration) {
	b, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return 0, 0
	}
	// Fields after the command name (which may hold spaces) start at ')'.
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
	if len(f) < 13 {
		return 0, 0
	}
	const tick = 10 * time.Millisecond // USER_HZ is 100 on Linux
	u, _ := strconv.ParseInt(f[11], 10, 64)
	s, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(u) * tick, time.Duration(s) * tick
}

// freeAddr is a free loopback address for the embedded Temporal server,
// which needs a fixed port.
func freeAddr() string {
	addr, err := devserver.FreeAddr()
	if err != nil {
		return "127.0.0.1:7233"
	}
	return addr
}
