package sim

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"time"
)

// Fault is what goes wrong at one endpoint. In JSON, latency is a Go
// duration string ("1.5s"); a number of nanoseconds is accepted too.
type Fault struct {
	Latency       time.Duration `json:"latency"`        // added before answering
	FailureRate   float64       `json:"failure_rate"`   // 0..1: share of requests answered 503 (before any effect)
	DropCallbacks bool          `json:"drop_callbacks"` // for "payment.callback"/"post.callback": never send them
}

// FaultEndpoints are the names SetFault accepts besides "*". For the two
// callback names, Latency delays each delivery attempt and FailureRate is
// the share of attempts lost on the way (and so retried).
var FaultEndpoints = []string{
	"business.name_check", "business.register", "population.verify", "land.parcel", "judicial.check",
	"payment.create", "payment.status", "payment.refund", "payment.callback",
	"post.create", "post.callback", "sms.send",
}

// SetFault sets the fault of endpoint, one of FaultEndpoints, or "*" for
// every endpoint without a fault of its own. The zero Fault clears it. An
// unknown name panics: a misspelt fault would make a test pass vacuously.
func (s *Sim) SetFault(endpoint string, f Fault) {
	if endpoint != "*" && !slices.Contains(FaultEndpoints, endpoint) {
		panic(fmt.Sprintf("sim: unknown fault endpoint %q", endpoint))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if f == (Fault{}) {
		delete(s.faults, endpoint)
		return
	}
	s.faults[endpoint] = f
}

// fault returns the fault in force at endpoint ("" = none).
func (s *Sim) fault(endpoint string) Fault {
	if endpoint == "" {
		return Fault{}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if f, ok := s.faults[endpoint]; ok {
		return f
	}
	return s.faults["*"]
}

// fails draws whether this request is one of the injected failures.
func (f Fault) fails() bool { return f.FailureRate > 0 && rand.Float64() < f.FailureRate }

func (f Fault) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Latency       string  `json:"latency"`
		FailureRate   float64 `json:"failure_rate"`
		DropCallbacks bool    `json:"drop_callbacks"`
	}{f.Latency.String(), f.FailureRate, f.DropCallbacks})
}

func (f *Fault) UnmarshalJSON(b []byte) error {
	var v struct {
		Latency       json.RawMessage `json:"latency"`
		FailureRate   float64         `json:"failure_rate"`
		DropCallbacks bool            `json:"drop_callbacks"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*f = Fault{FailureRate: v.FailureRate, DropCallbacks: v.DropCallbacks}
	if len(v.Latency) == 0 || string(v.Latency) == "null" {
		return nil
	}
	var text string
	if err := json.Unmarshal(v.Latency, &text); err == nil {
		d, err := time.ParseDuration(text)
		if err != nil {
			return fmt.Errorf("latency: %w", err)
		}
		f.Latency = d
		return nil
	}
	var ns int64
	if err := json.Unmarshal(v.Latency, &ns); err != nil {
		return fmt.Errorf("latency: want a duration such as \"500ms\" or nanoseconds")
	}
	f.Latency = time.Duration(ns)
	return nil
}

func (s *Sim) getFaults(*http.Request) (int, any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]Fault, len(s.faults))
	for k, f := range s.faults {
		out[k] = f
	}
	return http.StatusOK, out
}

func (s *Sim) putFault(r *http.Request) (int, any) {
	name := r.PathValue("endpoint")
	if name != "*" && !slices.Contains(FaultEndpoints, name) {
		return notFound(fmt.Sprintf("Không có điểm cuối %q; dùng một trong %v hoặc \"*\".", name, FaultEndpoints))
	}
	var f Fault
	if status, body, ok := decode(r, &f); !ok {
		return status, body
	}
	if f.FailureRate < 0 || f.FailureRate > 1 || f.Latency < 0 {
		return reject(http.StatusUnprocessableEntity, "invalid_fault", "failure_rate phải trong khoảng 0..1 và latency không âm.")
	}
	s.SetFault(name, f)
	return http.StatusOK, f
}

func (s *Sim) clearFaults(*http.Request) (int, any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.faults)
	return http.StatusNoContent, nil
}
