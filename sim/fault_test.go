package sim

import (
	"encoding/json"
	"net/http"
	"strconv"
	"testing"
	"time"
)

func TestFailureRate(t *testing.T) {
	t.Run("AllFailWithNoEffect", func(t *testing.T) {
		s, base := startSim(t, Options{})
		s.SetFault("payment.create", Fault{FailureRate: 1})
		for range 5 {
			wantError(t, "POST", base+"/payments/orders", map[string]any{"order_id": "HS-1", "amount": 1000}, http.StatusServiceUnavailable, "unavailable")
		}
		s.SetFault("payment.create", Fault{})
		wantError(t, "GET", base+"/payments/orders/HS-1", nil, http.StatusNotFound, "not_found")
		// Nothing was created, so the first successful try creates it: 201.
		createOrder(t, base, "HS-1", 1000)
	})
	t.Run("IdempotentEffectsToo", func(t *testing.T) {
		s, base := startSim(t, Options{})
		s.SetFault("sms.send", Fault{FailureRate: 1})
		wantError(t, "POST", base+"/sms/send", map[string]string{"idempotency_key": "k", "to": "0905123456", "text": "x"}, http.StatusServiceUnavailable, "unavailable")
		if n := len(s.Outbox()); n != 0 {
			t.Fatalf("%d messages sent by a failed request", n)
		}
	})
	t.Run("Some", func(t *testing.T) {
		s, base := startSim(t, Options{})
		s.SetFault("sms.send", Fault{FailureRate: 0.3})
		failed := 0
		for i := range 200 {
			switch got := call(t, "POST", base+"/sms/send", map[string]string{"idempotency_key": strconv.Itoa(i), "to": "0905123456", "text": "x"}, nil); got {
			case http.StatusServiceUnavailable:
				failed++
			case http.StatusOK:
			default:
				t.Fatalf("status %d", got)
			}
		}
		// Binomial(200, 0.3): mean 60, sd 6.5; 20..100 is over 6 sd either side.
		if failed < 20 || failed > 100 {
			t.Fatalf("%d of 200 failed, want about 60", failed)
		}
		if sent := len(s.Outbox()); sent != 200-failed {
			t.Fatalf("%d sent, want %d: only the requests that succeeded have an effect", sent, 200-failed)
		}
	})
	t.Run("OtherEndpointsUnaffected", func(t *testing.T) {
		s, base := startSim(t, Options{})
		s.SetFault("payment.create", Fault{FailureRate: 1})
		if got := call(t, "POST", base+"/sms/send", map[string]string{"idempotency_key": "k", "to": "0905123456", "text": "x"}, nil); got != http.StatusOK {
			t.Fatalf("sms.send: %d", got)
		}
	})
	t.Run("Wildcard", func(t *testing.T) {
		s, base := startSim(t, Options{})
		s.SetFault("*", Fault{FailureRate: 1})
		s.SetFault("land.parcel", Fault{Latency: time.Millisecond})
		wantError(t, "POST", base+"/population/verify", map[string]string{"id_number": "049090001234"}, http.StatusServiceUnavailable, "unavailable")
		if got := call(t, "GET", base+"/land/parcels/1-2", nil, nil); got != http.StatusOK {
			t.Fatalf("an endpoint's own fault must replace the wildcard: %d", got)
		}
		if got := call(t, "GET", base+"/healthz", nil, nil); got != http.StatusOK {
			t.Fatalf("healthz has no fault: %d", got)
		}
	})
}

func TestLatency(t *testing.T) {
	s, base := startSim(t, Options{})
	const latency = 120 * time.Millisecond
	s.SetFault("population.verify", Fault{Latency: latency})
	start := time.Now()
	if got := call(t, "POST", base+"/population/verify", map[string]string{"id_number": "049090001234", "name": "x"}, nil); got != http.StatusOK {
		t.Fatalf("status %d", got)
	}
	if d := time.Since(start); d < latency {
		t.Fatalf("answered after %v, want at least %v", d, latency)
	}

	t.Run("EffectBeforeTheWait", func(t *testing.T) {
		// A client giving up during the latency finds the effect done.
		s.SetFault("payment.create", Fault{Latency: 5 * time.Second})
		c := &http.Client{Timeout: 300 * time.Millisecond}
		resp, err := c.Post(base+"/payments/orders", "application/json", jsonBody(t, map[string]any{"order_id": "L1", "amount": 1000}))
		if err == nil {
			resp.Body.Close()
			t.Fatal("the client did not time out")
		}
		s.SetFault("payment.create", Fault{})
		if got := call(t, "POST", base+"/payments/orders", map[string]any{"order_id": "L1", "amount": 1000}, nil); got != http.StatusOK {
			t.Fatalf("retry: %d, want 200 for the order created by the timed-out request", got)
		}
	})
}

func TestFaultControls(t *testing.T) {
	s, base := startSim(t, Options{})

	var f Fault
	if got := call(t, "PUT", base+"/sim/faults/payment.status", map[string]any{"latency": "150ms", "failure_rate": 0.5}, &f); got != http.StatusOK {
		t.Fatalf("put: %d", got)
	}
	if want := (Fault{Latency: 150 * time.Millisecond, FailureRate: 0.5}); f != want || s.fault("payment.status") != want {
		t.Fatalf("put gave %+v, in force %+v, want %+v", f, s.fault("payment.status"), want)
	}
	call(t, "PUT", base+"/sim/faults/post.callback", map[string]any{"latency": 2000000, "drop_callbacks": true}, nil)

	var all map[string]Fault
	if got := call(t, "GET", base+"/sim/faults", nil, &all); got != http.StatusOK {
		t.Fatalf("get: %d", got)
	}
	want := map[string]Fault{
		"payment.status": {Latency: 150 * time.Millisecond, FailureRate: 0.5},
		"post.callback":  {Latency: 2 * time.Millisecond, DropCallbacks: true},
	}
	if len(all) != len(want) || all["payment.status"] != want["payment.status"] || all["post.callback"] != want["post.callback"] {
		t.Fatalf("faults %+v, want %+v", all, want)
	}

	wantError(t, "PUT", base+"/sim/faults/payment.typo", map[string]any{"failure_rate": 1}, http.StatusNotFound, "not_found")
	wantError(t, "PUT", base+"/sim/faults/sms.send", map[string]any{"failure_rate": 1.5}, http.StatusUnprocessableEntity, "invalid_fault")
	wantError(t, "PUT", base+"/sim/faults/sms.send", map[string]any{"latency": "soon"}, http.StatusBadRequest, "bad_request")

	if got := call(t, "DELETE", base+"/sim/faults", nil, nil); got != http.StatusNoContent {
		t.Fatalf("delete: %d", got)
	}
	all = nil
	call(t, "GET", base+"/sim/faults", nil, &all)
	if len(all) != 0 {
		t.Fatalf("faults after delete: %+v", all)
	}

	t.Run("SetFaultPanicsOnUnknownName", func(t *testing.T) {
		defer func() {
			if recover() == nil {
				t.Fatal("no panic")
			}
		}()
		s.SetFault("payments.create", Fault{FailureRate: 1})
	})
}

func TestFaultJSON(t *testing.T) {
	in := Fault{Latency: 1500 * time.Millisecond, FailureRate: 0.25, DropCallbacks: true}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"latency":"1.5s","failure_rate":0.25,"drop_callbacks":true}`; string(b) != want {
		t.Fatalf("marshal: %s, want %s", b, want)
	}
	var out Fault
	if err := json.Unmarshal(b, &out); err != nil || out != in {
		t.Fatalf("round trip: %+v %v", out, err)
	}
}
