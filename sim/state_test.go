package sim

import (
	"net/http"
	"path/filepath"
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
