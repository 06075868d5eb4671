package sim

import (
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
// crash leaves either state, never half of one.
func (s *Sim) save() {
	s.mu.Lock()
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
	}
}

// persisting saves the state after every request that may change it.
func (s *Sim) persisting(h http.Handler) http.Handler {
	if s.opts.StateFile == "" {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r)
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			s.save()
		}
	})
}
