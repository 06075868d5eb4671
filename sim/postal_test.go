package sim

import (
	"net/http"
	"regexp"
	"strconv"
	"testing"
	"time"
)

type trackingCallback struct {
	TrackingNumber string    `json:"tracking_number"`
	Status         string    `json:"status"`
	At             time.Time `json:"at"`
	Note           string    `json:"note"`
}

type shipmentAnswer struct {
	TrackingNumber string             `json:"tracking_number"`
	Status         string             `json:"status"`
	Events         []trackingCallback `json:"events"`
}

func createShipment(t *testing.T, base, key string) string {
	t.Helper()
	var a shipmentAnswer
	body := map[string]string{"idempotency_key": key, "recipient": "Nguyễn Thị Mai", "phone": "0905123456",
		"address": "Số 12 đường Trần Phú, Phường Minh An, thành phố Hội An, tỉnh Quảng Nam", "contents": "Giấy chứng nhận đăng ký doanh nghiệp"}
	if got := call(t, "POST", base+"/post/shipments", body, &a); got != http.StatusCreated {
		t.Fatalf("create shipment: %d", got)
	}
	if a.Status != "accepted" {
		t.Fatalf("create shipment: %+v", a)
	}
	return a.TrackingNumber
}

// checkCallbacks verifies tracking callbacks for tn with the given statuses, in order.
func checkCallbacks(t *testing.T, got []delivery, tn string, statuses ...string) {
	t.Helper()
	if len(got) != len(statuses) {
		t.Fatalf("%d callbacks, want %v", len(got), statuses)
	}
	for i, d := range got {
		var cb trackingCallback
		verified(t, d, &cb)
		if cb.TrackingNumber != tn || cb.Status != statuses[i] || cb.At.IsZero() || cb.Note == "" {
			t.Fatalf("callback %d: %+v, want %s for %s", i, cb, statuses[i], tn)
		}
	}
}

func TestShipmentCreate(t *testing.T) {
	_, base := startSim(t, Options{})
	tn := createShipment(t, base, "p1")

	t.Run("TrackingNumber", func(t *testing.T) {
		m := regexp.MustCompile(`^EB([0-9]{8})([0-9])VN$`).FindStringSubmatch(tn)
		if m == nil {
			t.Fatalf("tracking number %s, want EB + 9 digits + VN", tn)
		}
		if check := strconv.Itoa(s10CheckDigit(m[1])); check != m[2] {
			t.Fatalf("%s: check digit %s, want %s", tn, m[2], check)
		}
	})
	t.Run("CheckDigit", func(t *testing.T) {
		// UPU S10 examples: RR473124829GB; and the two special cases.
		for serial, want := range map[string]int{"47312482": 9, "00000000": 5, "00000001": 4} {
			if got := s10CheckDigit(serial); got != want {
				t.Errorf("s10CheckDigit(%s) = %d, want %d", serial, got, want)
			}
		}
	})
	t.Run("SameKeySameShipment", func(t *testing.T) {
		if again := createShipment(t, base, "p1"); again != tn {
			t.Fatalf("same key gave %s, want %s", again, tn)
		}
		if other := createShipment(t, base, "p2"); other == tn {
			t.Fatal("another key gave the same shipment")
		}
	})
	t.Run("ErrEmptyAddress", func(t *testing.T) {
		wantError(t, "POST", base+"/post/shipments", map[string]string{"idempotency_key": "p3", "recipient": "An", "address": "  "},
			http.StatusUnprocessableEntity, "invalid_address")
	})
	t.Run("ErrUnknown", func(t *testing.T) {
		wantError(t, "GET", base+"/post/shipments/EB000000005VN", nil, http.StatusNotFound, "not_found")
		wantError(t, "POST", base+"/post/shipments/EB000000005VN/advance", nil, http.StatusNotFound, "not_found")
	})
}

func TestShipmentAdvanceByHand(t *testing.T) {
	rc := newReceiver(t, 1) // the first delivery is refused, and retried
	_, base := startSim(t, Options{PostalCallbackURL: rc.URL})
	tn := createShipment(t, base, "p1")

	for _, want := range []string{"in_transit", "out_for_delivery", "delivered"} {
		var a shipmentAnswer
		if got := call(t, "POST", base+"/post/shipments/"+tn+"/advance", nil, &a); got != http.StatusOK || a.Status != want {
			t.Fatalf("advance: %d %+v, want %s", got, a, want)
		}
	}
	wantError(t, "POST", base+"/post/shipments/"+tn+"/advance", nil, http.StatusConflict, "already_delivered")

	got := rc.wait(t, 4)
	checkCallbacks(t, got, tn, "in_transit", "in_transit", "out_for_delivery", "delivered")

	var a shipmentAnswer
	call(t, "GET", base+"/post/shipments/"+tn, nil, &a)
	if a.Status != "delivered" || len(a.Events) != 4 || a.Events[0].Status != "accepted" || a.Events[3].Status != "delivered" {
		t.Fatalf("shipment: %+v", a)
	}
}

func TestShipmentAdvanceByDelay(t *testing.T) {
	rc := newReceiver(t, 0)
	_, base := startSim(t, Options{PostalCallbackURL: rc.URL, PostalStepDelay: 20 * time.Millisecond})
	start := time.Now()
	tn := createShipment(t, base, "p1")
	got := rc.wait(t, 3)
	if d := time.Since(start); d < 60*time.Millisecond {
		t.Fatalf("delivered after %v, want at least 3 steps of 20ms", d)
	}
	checkCallbacks(t, got, tn, "in_transit", "out_for_delivery", "delivered")
	time.Sleep(60 * time.Millisecond)
	if n := rc.count(); n != 3 {
		t.Fatalf("%d callbacks, want 3: a delivered shipment stops", n)
	}
}

func TestShipmentStepsStopOnClose(t *testing.T) {
	rc := newReceiver(t, 0)
	s, base := startSim(t, Options{PostalCallbackURL: rc.URL, PostalStepDelay: 100 * time.Millisecond})
	createShipment(t, base, "p1")
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	if n := rc.count(); n != 0 {
		t.Fatalf("%d callbacks after Close", n)
	}
}

func TestPostCallbackDropped(t *testing.T) {
	rc := newReceiver(t, 0)
	s, base := startSim(t, Options{PostalCallbackURL: rc.URL})
	s.SetFault("post.callback", Fault{DropCallbacks: true})
	tn := createShipment(t, base, "p1")
	call(t, "POST", base+"/post/shipments/"+tn+"/advance", nil, nil)
	time.Sleep(100 * time.Millisecond)
	if n := rc.count(); n != 0 {
		t.Fatalf("%d callbacks arrived, want none", n)
	}
}
