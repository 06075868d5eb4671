package sim

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// The agencies remember across a restart, as real ones would: an order
// still pending when the simulator stopped is paid on its page afterwards,
// and a registration keeps its number.
func TestStateSurvivesRestart(t *testing.T) {
	file := filepath.Join(t.TempDir(), "sim-state.json")
	first, base := startSim(t, Options{StateFile: file})
	o := createOrder(t, base, "HS-SAU-KHOI-DONG", 7000)
	var reg struct {
		Number string `json:"registration_number"`
	}
	if got := call(t, "POST", base+"/registry/business/register", map[string]any{"idempotency_key": "k1",
		"name": "Công ty TNHH Nhớ Lâu", "representative_id": "079201001234"}, &reg); got != http.StatusOK || reg.Number == "" {
		t.Fatalf("register: %d %+v", got, reg)
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}

	_, again := startSim(t, Options{StateFile: file})
	if st := orderStatus(t, again, o.OrderID); st.Status != "pending" || st.GatewayRef != o.GatewayRef {
		t.Fatalf("the order after a restart: %+v", st)
	}
	pay(t, again+"/payments/pay/"+o.GatewayRef, "success")
	if st := orderStatus(t, again, o.OrderID); st.Status != "paid" {
		t.Fatalf("paid after a restart: %+v", st)
	}
	var same struct {
		Number string `json:"registration_number"`
	}
	call(t, "POST", again+"/registry/business/register", map[string]any{"idempotency_key": "k1",
		"name": "Công ty TNHH Nhớ Lâu", "representative_id": "079201001234"}, &same)
	if same.Number != reg.Number {
		t.Fatalf("the retried registration got %q, first %q", same.Number, reg.Number)
	}
}

// What a back-end answered is on disk before the answer leaves, whatever
// runs beside it: forty orders created at once, the state file read the
// moment the last answer came (no Close: a crash) holds every one. Saves
// side by side once renamed an older snapshot last, and the file was
// written after answering.
func TestStateHoldsEveryAnswer(t *testing.T) {
	file := filepath.Join(t.TempDir(), "sim-state.json")
	_, base := startSim(t, Options{StateFile: file})
	const n = 40
	var wg sync.WaitGroup
	failed := make(chan string, n)
	for i := range n {
		wg.Go(func() {
			res, err := http.Post(base+"/payments/orders", "application/json", strings.NewReader(fmt.Sprintf(
				`{"order_id": "HS-%d", "amount": 7000, "description": "Lệ phí", "return_url": "http://portal.test/cases/1"}`, i)))
			if err != nil {
				failed <- err.Error()
				return
			}
			res.Body.Close()
			if res.StatusCode != http.StatusCreated {
				failed <- res.Status
			}
		})
	}
	wg.Wait()
	close(failed)
	for f := range failed {
		t.Fatalf("create order: %s", f)
	}
	st, err := readState(file)
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		if _, ok := st.Orders[fmt.Sprintf("HS-%d", i)]; !ok {
			t.Errorf("order HS-%d was answered but is not in the state file (%d orders there)", i, len(st.Orders))
		}
	}
}

// A save appends what changed to the journal instead of writing the whole
// state; a restart reads the snapshot and the journal after it, leaving
// out a last line a crash cut short; a journal grown past the snapshot is
// folded into a new one. Every answer is kept through all of it.
func TestStateJournal(t *testing.T) {
	file := filepath.Join(t.TempDir(), "sim-state.json")
	s, base := startSim(t, Options{StateFile: file})
	for i := range 30 {
		createOrder(t, base, fmt.Sprintf("HS-%d", i), 7000)
	}
	snapshot, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(snapshot), "HS-29") {
		t.Fatal("the snapshot was written again for an order: the journal should hold it")
	}
	journal := journalPath(file, s.generation)
	lines, _ := os.ReadFile(journal)
	if n := strings.Count(string(lines), "\n"); n < 1 || n > 30 || !strings.Contains(string(lines), "HS-29") {
		t.Fatalf("journal %s: %d lines, want one a save, the last order in it", journal, n)
	}
	// A crash in the middle of a line: the line is left out, the rest kept.
	f, err := os.OpenFile(journal, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(`{"orders":{"HS-CUT":{"id":"HS-`); err != nil {
		t.Fatal(err)
	}
	f.Close()
	st, err := readState(file)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Orders) != 30 {
		t.Fatalf("read back %d orders, want 30", len(st.Orders))
	}

	// A restart reads them all and starts a journal of its own.
	again := New(Options{StateFile: file, Logger: s.log})
	defer again.Close()
	if len(again.orders) != 30 || again.generation != s.generation+1 {
		t.Fatalf("after a restart: %d orders, journal %d (was %d)", len(again.orders), again.generation, s.generation)
	}
	if _, err := os.Stat(journal); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("the old journal is still there: %v", err)
	}
	// Grown past the snapshot (and the floor), the journal is folded in.
	again.mu.Lock()
	for i := range 20 {
		k := fmt.Sprintf("sms.send\x00big-%d", i)
		again.answers[k] = answer{status: 200, body: json.RawMessage(`"` + strings.Repeat("x", minJournal/10) + `"`)}
		again.changed(&again.dirty.answers, k)
		again.changes.Add(1)
	}
	again.mu.Unlock()
	gen := again.generation
	for range 20 {
		again.changes.Add(1)
		again.save()
	}
	if again.generation == gen {
		t.Fatalf("a journal of %d bytes was never folded into a snapshot", again.journalBytes)
	}
	st, err = readState(file)
	if err != nil || len(st.Orders) != 30 || len(st.Answers) < 20 {
		t.Fatalf("after folding: %d orders, %d answers, %v", len(st.Orders), len(st.Answers), err)
	}
}

// A shipment's automatic steps change the state without a request; the
// last of them is saved when the simulator closes.
func TestStateKeepsStepsAtClose(t *testing.T) {
	rc := newReceiver(t, 0)
	file := filepath.Join(t.TempDir(), "sim-state.json")
	s, base := startSim(t, Options{StateFile: file, PostalCallbackURL: rc.URL, PostalStepDelay: 20 * time.Millisecond})
	tn := createShipment(t, base, "p1")
	rc.wait(t, 3) // delivered
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	st, err := readState(file)
	if err != nil {
		t.Fatal(err)
	}
	if sh := st.Shipments[tn]; sh == nil || sh.Status != "delivered" || len(sh.Events) != 4 {
		t.Fatalf("shipment after close: %+v", sh)
	}
}
