package e2e

import "testing"

// /readyz says whether each agency back-end answers (here the simulator,
// for every one) without making the API unready when one does not.
func TestReadyReportsBackends(t *testing.T) {
	e := newEnv(t)
	var ready struct {
		Ready    bool              `json:"ready"`
		Backends map[string]string `json:"backends"`
	}
	e.must(e.call("GET", "/readyz", "", nil), 200).json(&ready)
	if !ready.Ready || len(ready.Backends) != 7 {
		t.Fatalf("readyz %+v", ready)
	}
	for name, state := range ready.Backends {
		if state != "ok" {
			t.Errorf("back-end %s: %s", name, state)
		}
	}
}
