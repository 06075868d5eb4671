package sim

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

type orderAnswer struct {
	OrderID    string     `json:"order_id"`
	GatewayRef string     `json:"gateway_ref"`
	PayURL     string     `json:"pay_url"`
	Status     string     `json:"status"`
	Amount     int64      `json:"amount"`
	PaidAt     *time.Time `json:"paid_at"`
	RefundedAt *time.Time `json:"refunded_at"`
}

type paymentCallback struct {
	OrderID    string     `json:"order_id"`
	GatewayRef string     `json:"gateway_ref"`
	Status     string     `json:"status"`
	Amount     int64      `json:"amount"`
	PaidAt     *time.Time `json:"paid_at"`
}

// createOrder opens an order and checks the answer's shape.
func createOrder(t *testing.T, base, id string, amount int64) orderAnswer {
	t.Helper()
	var o orderAnswer
	body := map[string]any{"order_id": id, "amount": amount, "description": "Lệ phí cấp phiếu lý lịch tư pháp", "return_url": "http://portal.test/cases/1"}
	if got := call(t, "POST", base+"/payments/orders", body, &o); got != http.StatusCreated {
		t.Fatalf("create order: status %d", got)
	}
	if o.OrderID != id || o.GatewayRef == "" || o.Status != "pending" || o.Amount != amount ||
		o.PayURL != base+"/payments/pay/"+o.GatewayRef {
		t.Fatalf("create order: got %+v", o)
	}
	return o
}

// pay presses a button on the pay page, as the payer's browser does.
func pay(t *testing.T, payURL, result string) string {
	t.Helper()
	resp, err := http.PostForm(payURL, url.Values{"result": {result}})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("pay %s: %d %s", result, resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	return string(b)
}

func orderStatus(t *testing.T, base, id string) orderAnswer {
	t.Helper()
	var o orderAnswer
	if got := call(t, "GET", base+"/payments/orders/"+id, nil, &o); got != http.StatusOK {
		t.Fatalf("order status: %d", got)
	}
	return o
}

func TestPaymentOrders(t *testing.T) {
	_, base := startSim(t, Options{})
	first := createOrder(t, base, "HS-001", 150000)

	t.Run("SameOrderIDSameOrder", func(t *testing.T) {
		var o orderAnswer
		got := call(t, "POST", base+"/payments/orders", map[string]any{"order_id": "HS-001", "amount": 150000}, &o)
		if got != http.StatusOK || o.GatewayRef != first.GatewayRef {
			t.Fatalf("got %d %+v, want 200 with gateway_ref %s", got, o, first.GatewayRef)
		}
	})
	t.Run("ErrOrderConflict", func(t *testing.T) {
		wantError(t, "POST", base+"/payments/orders", map[string]any{"order_id": "HS-001", "amount": 1}, http.StatusConflict, "order_conflict")
	})
	t.Run("ErrInvalidAmount", func(t *testing.T) {
		for _, amount := range []int64{0, -5000} {
			wantError(t, "POST", base+"/payments/orders", map[string]any{"order_id": "HS-002", "amount": amount}, http.StatusUnprocessableEntity, "invalid_amount")
		}
		wantError(t, "GET", base+"/payments/orders/HS-002", nil, http.StatusNotFound, "not_found")
	})
	t.Run("Status", func(t *testing.T) {
		if o := orderStatus(t, base, "HS-001"); o.Status != "pending" || o.GatewayRef != first.GatewayRef || o.PaidAt != nil {
			t.Fatalf("got %+v", o)
		}
	})
	t.Run("ErrUnknownOrder", func(t *testing.T) {
		wantError(t, "GET", base+"/payments/orders/nope", nil, http.StatusNotFound, "not_found")
	})
	t.Run("PublicURL", func(t *testing.T) {
		_, other := startSim(t, Options{PublicURL: "https://pay.example.vn/"})
		var o orderAnswer
		call(t, "POST", other+"/payments/orders", map[string]any{"order_id": "X", "amount": 1000}, &o)
		if want := "https://pay.example.vn/payments/pay/" + o.GatewayRef; o.PayURL != want {
			t.Fatalf("pay_url %s, want %s", o.PayURL, want)
		}
	})
}

func TestPayPage(t *testing.T) {
	_, base := startSim(t, Options{})
	o := createOrder(t, base, "HS-010", 1500000)
	resp, err := http.Get(o.PayURL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	page := string(b)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/html; charset=utf-8" {
		t.Fatalf("pay page: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	for _, want := range []string{"HS-010", "1.500.000 ₫", "Lệ phí cấp phiếu lý lịch tư pháp", `value="success"`, `value="fail"`, "Chờ thanh toán"} {
		if !strings.Contains(page, want) {
			t.Errorf("pay page lacks %q", want)
		}
	}

	resp, err = http.Get(base + "/payments/pay/unknown")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Fatalf("unknown ref: %d, want 404", resp.StatusCode)
	}
}

func TestPaymentCallback(t *testing.T) {
	t.Run("PaidSendsSignedCallback", func(t *testing.T) {
		rc := newReceiver(t, 0)
		_, base := startSim(t, Options{PaymentCallbackURL: rc.URL})
		o := createOrder(t, base, "HS-020", 200000)
		if page := pay(t, o.PayURL, "success"); !strings.Contains(page, "Thanh toán thành công") {
			t.Fatalf("confirmation page: %s", page)
		}
		var cb paymentCallback
		verified(t, rc.wait(t, 1)[0], &cb)
		if cb.OrderID != "HS-020" || cb.GatewayRef != o.GatewayRef || cb.Status != "paid" || cb.Amount != 200000 || cb.PaidAt == nil {
			t.Fatalf("callback %+v", cb)
		}
		if s := orderStatus(t, base, "HS-020"); s.Status != "paid" || s.PaidAt == nil || !s.PaidAt.Equal(*cb.PaidAt) {
			t.Fatalf("status after paying: %+v", s)
		}
	})
	t.Run("FailedThenPaid", func(t *testing.T) {
		rc := newReceiver(t, 0)
		_, base := startSim(t, Options{PaymentCallbackURL: rc.URL})
		o := createOrder(t, base, "HS-021", 50000)
		pay(t, o.PayURL, "fail")
		pay(t, o.PayURL, "success")
		got := rc.wait(t, 2)
		var failed, paid paymentCallback
		verified(t, got[0], &failed)
		verified(t, got[1], &paid)
		if failed.Status != "failed" || failed.PaidAt != nil || paid.Status != "paid" {
			t.Fatalf("callbacks %+v then %+v, want failed then paid, in order", failed, paid)
		}
	})
	t.Run("PaidStaysPaid", func(t *testing.T) {
		rc := newReceiver(t, 0)
		_, base := startSim(t, Options{PaymentCallbackURL: rc.URL})
		o := createOrder(t, base, "HS-022", 50000)
		pay(t, o.PayURL, "success")
		rc.wait(t, 1)
		if page := pay(t, o.PayURL, "fail"); !strings.Contains(page, "đã được thanh toán") {
			t.Fatalf("second press: %s", page)
		}
		if s := orderStatus(t, base, "HS-022"); s.Status != "paid" {
			t.Fatalf("status %s after a fail on a paid order", s.Status)
		}
		time.Sleep(50 * time.Millisecond)
		if n := rc.count(); n != 1 {
			t.Fatalf("%d callbacks, want 1: an unchanged order sends none", n)
		}
	})
	t.Run("Retried", func(t *testing.T) {
		rc := newReceiver(t, 2)
		_, base := startSim(t, Options{PaymentCallbackURL: rc.URL})
		o := createOrder(t, base, "HS-023", 50000)
		pay(t, o.PayURL, "success")
		got := rc.wait(t, 3)
		for _, d := range got {
			var cb paymentCallback
			verified(t, d, &cb)
			if string(d.Body) != string(got[0].Body) {
				t.Fatalf("retry sent %s, first attempt %s", d.Body, got[0].Body)
			}
		}
		time.Sleep(50 * time.Millisecond)
		if n := rc.count(); n != 3 {
			t.Fatalf("%d attempts, want 3: two refused, one accepted", n)
		}
	})
	t.Run("RetriesAreBounded", func(t *testing.T) {
		rc := newReceiver(t, 1000)
		_, base := startSim(t, Options{PaymentCallbackURL: rc.URL})
		o := createOrder(t, base, "HS-024", 50000)
		pay(t, o.PayURL, "success")
		rc.wait(t, 1+callbackRetries)
		// 5ms, 10ms … 80ms of pauses: the sixth attempt was the last.
		time.Sleep(300 * time.Millisecond)
		if n := rc.count(); n != 1+callbackRetries {
			t.Fatalf("%d attempts, want %d", n, 1+callbackRetries)
		}
	})
	t.Run("DropCallbacks", func(t *testing.T) {
		rc := newReceiver(t, 0)
		s, base := startSim(t, Options{PaymentCallbackURL: rc.URL})
		s.SetFault("payment.callback", Fault{DropCallbacks: true})
		o := createOrder(t, base, "HS-025", 50000)
		pay(t, o.PayURL, "success")
		time.Sleep(100 * time.Millisecond)
		if n := rc.count(); n != 0 {
			t.Fatalf("%d callbacks arrived, want none", n)
		}
		if st := orderStatus(t, base, "HS-025"); st.Status != "paid" {
			t.Fatalf("status %s: dropping the callback must not undo the payment", st.Status)
		}

		// The lost result can still be delivered once the fault is gone.
		s.SetFault("payment.callback", Fault{})
		if got := call(t, "POST", base+"/payments/orders/HS-025/callback", nil, nil); got != http.StatusAccepted {
			t.Fatalf("resend: %d", got)
		}
		var cb paymentCallback
		verified(t, rc.wait(t, 1)[0], &cb)
		if cb.Status != "paid" {
			t.Fatalf("callback %+v", cb)
		}
	})
	t.Run("CallbackLatency", func(t *testing.T) {
		rc := newReceiver(t, 0)
		s, base := startSim(t, Options{PaymentCallbackURL: rc.URL})
		s.SetFault("payment.callback", Fault{Latency: 150 * time.Millisecond})
		o := createOrder(t, base, "HS-026", 50000)
		start := time.Now()
		pay(t, o.PayURL, "success")
		rc.wait(t, 1)
		if d := time.Since(start); d < 150*time.Millisecond {
			t.Fatalf("callback after %v, want at least 150ms", d)
		}
	})
	t.Run("Duplicate", func(t *testing.T) {
		rc := newReceiver(t, 0)
		_, base := startSim(t, Options{PaymentCallbackURL: rc.URL})
		o := createOrder(t, base, "HS-027", 50000)
		wantError(t, "POST", base+"/payments/orders/HS-027/callback", nil, http.StatusConflict, "no_result")
		pay(t, o.PayURL, "success")
		rc.wait(t, 1)
		if got := call(t, "POST", base+"/payments/orders/HS-027/callback", nil, nil); got != http.StatusAccepted {
			t.Fatalf("resend: %d", got)
		}
		got := rc.wait(t, 2)
		var cb paymentCallback
		verified(t, got[1], &cb)
		if string(got[1].Body) != string(got[0].Body) || got[1].Signature != got[0].Signature {
			t.Fatalf("duplicate %s differs from original %s", got[1].Body, got[0].Body)
		}
		wantError(t, "POST", base+"/payments/orders/nope/callback", nil, http.StatusNotFound, "not_found")
	})
	t.Run("CallbackURLSetLater", func(t *testing.T) {
		rc := newReceiver(t, 0)
		s, base := startSim(t, Options{})
		s.SetCallbackURLs(rc.URL, "")
		o := createOrder(t, base, "HS-028", 50000)
		pay(t, o.PayURL, "success")
		rc.wait(t, 1)
	})
}

func TestRefund(t *testing.T) {
	rc := newReceiver(t, 0)
	_, base := startSim(t, Options{PaymentCallbackURL: rc.URL})
	o := createOrder(t, base, "HS-030", 300000)
	refund := base + "/payments/orders/HS-030/refund"
	type refundAnswer struct {
		RefundRef string `json:"refund_ref"`
		Status    string `json:"status"`
		Amount    int64  `json:"amount"`
	}

	wantError(t, "POST", refund, map[string]string{"idempotency_key": "r1", "reason": "rút hồ sơ"}, http.StatusConflict, "not_paid")
	pay(t, o.PayURL, "success")

	var first refundAnswer
	if got := call(t, "POST", refund, map[string]string{"idempotency_key": "r1", "reason": "rút hồ sơ"}, &first); got != http.StatusOK {
		t.Fatalf("refund: %d", got)
	}
	if first.RefundRef == "" || first.Status != "refunded" || first.Amount != 300000 {
		t.Fatalf("refund: %+v", first)
	}
	var again refundAnswer
	if got := call(t, "POST", refund, map[string]string{"idempotency_key": "r1"}, &again); got != http.StatusOK || again != first {
		t.Fatalf("same key: %d %+v, want %+v", got, again, first)
	}
	wantError(t, "POST", refund, map[string]string{"idempotency_key": "r2"}, http.StatusConflict, "not_paid")
	if s := orderStatus(t, base, "HS-030"); s.Status != "refunded" || s.RefundedAt == nil {
		t.Fatalf("status after refund: %+v", s)
	}
	if page := pay(t, o.PayURL, "success"); !strings.Contains(page, "đã được thanh toán") {
		t.Fatalf("paying a refunded order: %s", page)
	}
	wantError(t, "POST", base+"/payments/orders/nope/refund", map[string]string{"idempotency_key": "r1"}, http.StatusNotFound, "not_found")
	wantError(t, "POST", refund, map[string]string{}, http.StatusUnprocessableEntity, "missing_idempotency_key")
}
