package sim

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
)

// state is what the simulated agencies remember across a restart, as real
// ones would: registrations, payment orders, shipments and the answers kept
// for idempotency keys. Callbacks waiting for delivery and the mail and SMS
// seen are not kept.
type state struct {
	Businesses map[string]*business  `json:"businesses"`
	RegNumbers map[string]bool       `json:"registration_numbers"`
	Orders     map[string]*order     `json:"orders"`
	Shipments  map[string]*shipment  `json:"shipments"`
	Answers    map[string]savedReply `json:"answers"`
}

type savedReply struct {
	Status int             `json:"status"`
	Body   json.RawMessage `json:"body"`
}

// load reads the state file, if there is one.
func (s *Sim) load() error {
	b, err := os.ReadFile(s.opts.StateFile)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	} else if err != nil {
		return err
	}
	var st state
	if err := json.Unmarshal(b, &st); err != nil {
		return err
	}
	for k, v := range st.Businesses {
		s.businesses[k] = v
	}
	for k, v := range st.RegNumbers {
		s.regNumbers[k] = v
	}
	for k, o := range st.Orders {
		s.orders[k], s.refs[o.Ref] = o, o
	}
	for k, v := range st.Shipments {
		s.shipments[k] = v
	}
	for k, v := range st.Answers {
		s.answers[k] = answer{status: v.Status, body: v.Body}
	}
	return nil
}

// save writes the state file whole, then renames it over the old one, so a
// crash leaves either state, never half of one. It returns once the file
// holds every change counted before the call (changes): saves are one at a
// time, in order, and one write covers the changes of every request that
// waited for it. Two saves side by side once wrote the same temporary file,
// and the older snapshot could be renamed last: a restart then forgot
// payment orders already handed out (the crash test's "pay page answered
// 404").
func (s *Sim) save() {
	want := s.changes.Load()
	s.saveMu.Lock()
	defer s.saveMu.Unlock()
	if s.saved >= want {
		return // a save that started after our change has written it
	}
	s.mu.Lock()
	upTo := s.changes.Load()
	st := state{Businesses: s.businesses, RegNumbers: s.regNumbers, Orders: s.orders, Shipments: s.shipments,
		Answers: map[string]savedReply{}}
	for k, a := range s.answers {
		st.Answers[k] = savedReply{Status: a.status, Body: a.body}
	}
	b, err := json.Marshal(st)
	s.mu.Unlock()
	if err == nil {
		tmp := s.opts.StateFile + ".tmp"
		if err = os.MkdirAll(filepath.Dir(tmp), 0o750); err == nil {
			if err = os.WriteFile(tmp, b, 0o600); err == nil {
				err = os.Rename(tmp, s.opts.StateFile)
			}
		}
	}
	if err != nil {
		s.log.Error("save the simulator's state", "file", s.opts.StateFile, "err", err)
		return
	}
	s.saved = upTo
}

// persisting saves the state after every request that may change it, and
// only then answers: a back-end that crashes after answering must not
// forget what it answered (a payment link handed out, say).
func (s *Sim) persisting(h http.Handler) http.Handler {
	if s.opts.StateFile == "" {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			h.ServeHTTP(w, r)
			return
		}
		held := &heldResponse{header: http.Header{}, status: http.StatusOK}
		h.ServeHTTP(held, r)
		s.changes.Add(1)
		s.save()
		for k, v := range held.header {
			w.Header()[k] = v
		}
		w.WriteHeader(held.status)
		_, _ = w.Write(held.body.Bytes())
	})
}

// heldResponse keeps a handler's answer until the state is saved.
type heldResponse struct {
	header      http.Header
	status      int
	wroteHeader bool
	body        bytes.Buffer
}

func (h *heldResponse) Header() http.Header { return h.header }

func (h *heldResponse) WriteHeader(status int) {
	if !h.wroteHeader {
		h.status, h.wroteHeader = status, true
	}
}

func (h *heldResponse) Write(b []byte) (int, error) {
	h.wroteHeader = true
	return h.body.Write(b)
}
