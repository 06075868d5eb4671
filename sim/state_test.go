package sim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
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
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var st state
	if err := json.Unmarshal(b, &st); err != nil {
		t.Fatal(err)
	}
	for i := range n {
		if _, ok := st.Orders[fmt.Sprintf("HS-%d", i)]; !ok {
			t.Errorf("order HS-%d was answered but is not in the state file (%d orders there)", i, len(st.Orders))
		}
	}
}
