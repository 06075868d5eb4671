package sim

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"os"
	"path/filepath"
)

// state is what the simulated agencies remember across a restart, as real
// ones would: registrations, payment orders, shipments and the answers kept
// for idempotency keys. Callbacks waiting for delivery and the mail and SMS
// seen are not kept.
//
// It is kept as a snapshot (StateFile) and a journal after it
// (StateFile.journal-N, N named by the snapshot): every save appends one
// line holding the entries changed since the last, and when the journal
// outgrows the snapshot both are written afresh. A save wrote the whole
// state once, and the state grows with every case (an SMS's kept answer,
// an order): a bench's third round spent 6–7 % of the process's CPU
// encoding it, three times the first's.
type state struct {
	Journal    int64                 `json:"journal,omitempty"` // the generation of the journal that follows
	Businesses map[string]*business  `json:"businesses,omitempty"`
	RegNumbers map[string]bool       `json:"registration_numbers,omitempty"`
	Orders     map[string]*order     `json:"orders,omitempty"`
	Shipments  map[string]*shipment  `json:"shipments,omitempty"`
	Answers    map[string]savedReply `json:"answers,omitempty"`
}

type savedReply struct {
	Status int             `json:"status"`
	Body   json.RawMessage `json:"body"`
}

// merge lays d's entries over st's.
func (st *state) merge(d state) {
	mergeInto(&st.Businesses, d.Businesses)
	mergeInto(&st.RegNumbers, d.RegNumbers)
	mergeInto(&st.Orders, d.Orders)
	mergeInto(&st.Shipments, d.Shipments)
	mergeInto(&st.Answers, d.Answers)
}

func mergeInto[V any](dst *map[string]V, src map[string]V) {
	if len(src) > 0 && *dst == nil {
		*dst = map[string]V{}
	}
	maps.Copy(*dst, src)
}

// changedKeys are the entries changed since the last save, by map.
type changedKeys struct {
	businesses, regNumbers, orders, shipments, answers map[string]struct{}
}

func (c changedKeys) empty() bool {
	return len(c.businesses)+len(c.regNumbers)+len(c.orders)+len(c.shipments)+len(c.answers) == 0
}

// entries is the entries of m under keys (nil for none).
func entries[V any](m map[string]V, keys map[string]struct{}) map[string]V {
	if len(keys) == 0 {
		return nil
	}
	out := make(map[string]V, len(keys))
	for k := range keys {
		out[k] = m[k]
	}
	return out
}

// savedReplies is the kept answers under keys, as the state file holds them.
func savedReplies(answers map[string]answer, keys map[string]struct{}) map[string]savedReply {
	out := make(map[string]savedReply, len(keys))
	for k := range keys {
		a := answers[k]
		out[k] = savedReply{Status: a.status, Body: a.body}
	}
	return out
}

// changed notes that the entry under key in one of the kept maps changed.
// Called with s.mu held.
func (s *Sim) changed(set *map[string]struct{}, key string) {
	if s.opts.StateFile == "" {
		return
	}
	if *set == nil {
		*set = map[string]struct{}{}
	}
	(*set)[key] = struct{}{}
}

func journalPath(stateFile string, generation int64) string {
	return fmt.Sprintf("%s.journal-%d", stateFile, generation)
}

// readState reads the snapshot and its journal. A journal's last line cut
// short by a crash is left out: its request was never answered.
func readState(stateFile string) (state, error) {
	var st state
	b, err := os.ReadFile(stateFile)
	if errors.Is(err, os.ErrNotExist) {
		return st, nil
	} else if err != nil {
		return st, err
	}
	if err := json.Unmarshal(b, &st); err != nil {
		return st, err
	}
	j, err := os.ReadFile(journalPath(stateFile, st.Journal))
	if errors.Is(err, os.ErrNotExist) {
		return st, nil
	} else if err != nil {
		return st, err
	}
	for {
		line, rest, complete := bytes.Cut(j, []byte("\n"))
		if !complete {
			return st, nil
		}
		var d state
		if err := json.Unmarshal(line, &d); err != nil {
			return st, nil
		}
		st.merge(d)
		j = rest
	}
}

// load reads the state, if there is one, and starts a journal of its own.
// Without one it writes nothing: the first save does (a start that fails
// later leaves no files behind).
func (s *Sim) load() error {
	if _, err := os.Stat(s.opts.StateFile); errors.Is(err, os.ErrNotExist) {
		return nil
	}
	st, err := readState(s.opts.StateFile)
	if err != nil {
		return err
	}
	s.mu.Lock()
	maps.Copy(s.businesses, st.Businesses)
	maps.Copy(s.regNumbers, st.RegNumbers)
	for k, o := range st.Orders {
		s.orders[k], s.refs[o.Ref] = o, o
	}
	maps.Copy(s.shipments, st.Shipments)
	for k, v := range st.Answers {
		s.answers[k] = answer{status: v.Status, body: v.Body}
	}
	s.generation = st.Journal
	s.mu.Unlock()
	s.saveMu.Lock()
	defer s.saveMu.Unlock()
	if err := s.compact(); err != nil {
		return err
	}
	// Journals a crash left behind a newer snapshot.
	old, _ := filepath.Glob(s.opts.StateFile + ".journal-*")
	for _, f := range old {
		if f != journalPath(s.opts.StateFile, s.generation) {
			_ = os.Remove(f)
		}
	}
	return nil
}

// save appends what changed to the journal, then returns, once the state
// on disk holds every change counted before it was called: saves are made
// one at a time, in order, and one write covers the changes of every
// request that waited for it. (Two saves side by side once wrote the same
// temporary file, and the older snapshot could be renamed last: a restart
// then forgot payment orders already handed out — the crash test's "pay
// page answered 404".)
func (s *Sim) save() {
	want := s.changes.Load()
	s.saveMu.Lock()
	defer s.saveMu.Unlock()
	if s.saved >= want {
		return // a save that started after our change has written it
	}
	s.mu.Lock()
	upTo := s.changes.Load()
	d := s.takeChanged()
	b, err := json.Marshal(d)
	s.mu.Unlock()
	if err == nil && s.journal != nil {
		err = s.appendJournal(append(b, '\n'))
	}
	if err != nil || s.journal == nil || s.journalBytes > max(s.snapshotBytes, minJournal) {
		// The first save, or a journal that cannot be written, writes a
		// snapshot: it holds the changes the line held.
		if err = s.compact(); err != nil {
			s.log.Error("save the simulator's state", "file", s.opts.StateFile, "err", err)
			return
		}
	}
	s.saved = upTo
}

// minJournal is the journal's length below which it is never compacted:
// a small state is written whole rarely.
const minJournal = 1 << 20

// takeChanged returns the entries changed since it was last called.
// Called with s.mu held.
func (s *Sim) takeChanged() state {
	c := s.dirty
	s.dirty = changedKeys{}
	return state{Businesses: entries(s.businesses, c.businesses), RegNumbers: entries(s.regNumbers, c.regNumbers),
		Orders: entries(s.orders, c.orders), Shipments: entries(s.shipments, c.shipments), Answers: savedReplies(s.answers, c.answers)}
}

func (s *Sim) appendJournal(line []byte) error {
	n, err := s.journal.Write(line)
	s.journalBytes += int64(n)
	return err
}

// compact writes the whole state as a snapshot naming a new journal,
// renames it over the old one (a crash leaves either, never half of one),
// and only then starts the new journal and removes the old. Called with
// s.saveMu held.
func (s *Sim) compact() error {
	s.mu.Lock()
	next := s.generation + 1
	all := make(map[string]struct{}, len(s.answers))
	for k := range s.answers {
		all[k] = struct{}{}
	}
	st := state{Journal: next, Businesses: s.businesses, RegNumbers: s.regNumbers, Orders: s.orders, Shipments: s.shipments,
		Answers: savedReplies(s.answers, all)}
	b, err := json.Marshal(st)
	s.dirty = changedKeys{} // the snapshot holds them
	s.mu.Unlock()
	if err != nil {
		return err
	}
	file := s.opts.StateFile
	if err := os.MkdirAll(filepath.Dir(file), 0o750); err != nil {
		return err
	}
	tmp := file + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return err
	}
	if err := os.Rename(tmp, file); err != nil {
		return err
	}
	// The snapshot names the next journal now: the old one is done with,
	// and without the new one the next save writes a snapshot again.
	if s.journal != nil {
		_ = s.journal.Close()
	}
	_ = os.Remove(journalPath(file, s.generation))
	s.generation, s.journalBytes, s.snapshotBytes = next, 0, int64(len(b))
	s.journal, err = os.OpenFile(journalPath(file, next), os.O_CREATE|os.O_TRUNC|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		s.journal = nil
	}
	return err
}

// closeJournal saves what changed without a request (a shipment's
// automatic step) and closes the journal file.
func (s *Sim) closeJournal() {
	s.mu.Lock()
	pending := !s.dirty.empty()
	s.mu.Unlock()
	if pending {
		s.changes.Add(1)
		s.save()
	}
	s.saveMu.Lock()
	defer s.saveMu.Unlock()
	if s.journal != nil {
		_ = s.journal.Close()
		s.journal = nil
	}
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
