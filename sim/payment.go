package sim

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"
)

// Order statuses on the payment gateway.
const (
	orderPending  = "pending"
	orderPaid     = "paid"
	orderFailed   = "failed"
	orderRefunded = "refunded"
)

// order is a payment order on the simulated national payment platform.
type order struct {
	ID, Ref, Description, ReturnURL, Status string
	Amount                                  int64
	PaidAt, RefundedAt                      *time.Time
	// Result is the body of the last result callback, kept so the
	// duplicate-callback endpoint re-sends exactly the same bytes.
	Result []byte
}

type orderView struct {
	OrderID     string     `json:"order_id"`
	GatewayRef  string     `json:"gateway_ref"`
	PayURL      string     `json:"pay_url"`
	Status      string     `json:"status"`
	Amount      int64      `json:"amount"`
	Description string     `json:"description,omitempty"`
	PaidAt      *time.Time `json:"paid_at,omitempty"`
	RefundedAt  *time.Time `json:"refunded_at,omitempty"`
}

// paymentResult is the body POSTed to PaymentCallbackURL.
type paymentResult struct {
	OrderID    string     `json:"order_id"`
	GatewayRef string     `json:"gateway_ref"`
	Status     string     `json:"status"`
	Amount     int64      `json:"amount"`
	PaidAt     *time.Time `json:"paid_at,omitempty"`
}

func (s *Sim) view(r *http.Request, o *order) orderView {
	return orderView{OrderID: o.ID, GatewayRef: o.Ref, PayURL: s.baseURL(r) + "/payments/pay/" + o.Ref, Status: o.Status,
		Amount: o.Amount, Description: o.Description, PaidAt: o.PaidAt, RefundedAt: o.RefundedAt}
}

// baseURL is where payers reach the sim: PublicURL, or else the host the
// caller used, which in dev is the same machine.
func (s *Sim) baseURL(r *http.Request) string {
	if s.opts.PublicURL != "" {
		return strings.TrimRight(s.opts.PublicURL, "/")
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// createOrder opens a payment order. order_id is the idempotency key: the
// same id answers the same order, unless the amount differs, which is a
// caller's bug worth a 409 rather than a silent wrong charge.
func (s *Sim) createOrder(r *http.Request) (int, any) {
	var req struct {
		OrderID     string `json:"order_id"`
		Amount      int64  `json:"amount"`
		Description string `json:"description"`
		ReturnURL   string `json:"return_url"`
	}
	if status, body, ok := decode(r, &req); !ok {
		return status, body
	}
	if strings.TrimSpace(req.OrderID) == "" {
		return reject(http.StatusUnprocessableEntity, "invalid_order_id", "Thiếu mã đơn hàng (order_id).")
	}
	if req.Amount <= 0 {
		return reject(http.StatusUnprocessableEntity, "invalid_amount", "Số tiền thanh toán phải lớn hơn 0 đồng.")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if o, ok := s.orders[req.OrderID]; ok {
		if o.Amount != req.Amount {
			return reject(http.StatusConflict, "order_conflict", "Đơn hàng "+o.ID+" đã tạo với số tiền khác.")
		}
		return http.StatusOK, s.view(r, o)
	}
	o := &order{ID: req.OrderID, Ref: s.newGatewayRef(), Description: req.Description, ReturnURL: req.ReturnURL,
		Status: orderPending, Amount: req.Amount}
	s.orders[o.ID], s.refs[o.Ref] = o, o
	s.changed(&s.dirty.orders, o.ID)
	return http.StatusCreated, s.view(r, o)
}

// newGatewayRef returns an unused transaction reference. Called with s.mu held.
func (s *Sim) newGatewayRef() string {
	for {
		ref := "GW" + now().Format("060102") + randomDigits(8)
		if s.refs[ref] == nil {
			return ref
		}
	}
}

func (s *Sim) orderStatus(r *http.Request) (int, any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.orders[r.PathValue("order_id")]
	if !ok {
		return notFound("Không có đơn hàng " + r.PathValue("order_id") + ".")
	}
	return http.StatusOK, s.view(r, o)
}

// settle records the payer's choice on the pay page and, when it changes
// the order, tells motcua. A paid or refunded order is final; a failed one
// may still be paid, as a payer may try again. It returns a copy of the
// order and whether it changed.
func (s *Sim) settle(ref string, success bool) (o order, changed, found bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.refs[ref]
	if !ok {
		return order{}, false, false
	}
	next := orderFailed
	if success {
		next = orderPaid
	}
	if p.Status == orderPaid || p.Status == orderRefunded || p.Status == next {
		return *p, false, true
	}
	p.Status = next
	if next == orderPaid {
		t := now()
		p.PaidAt = &t
	}
	body, _ := json.Marshal(paymentResult{OrderID: p.ID, GatewayRef: p.Ref, Status: p.Status, Amount: p.Amount, PaidAt: p.PaidAt})
	p.Result = body
	s.changed(&s.dirty.orders, p.ID)
	s.notify("order:"+p.ID, callback{fault: "payment.callback", url: s.opts.PaymentCallbackURL, body: body})
	return *p, true, true
}

// refundOrder refunds a paid order once per idempotency key; the key is
// scoped to the order, so reusing it for another order is not a replay.
func (s *Sim) refundOrder(r *http.Request) (int, any) {
	var req struct {
		IdempotencyKey string `json:"idempotency_key"`
		Reason         string `json:"reason"`
	}
	if status, body, ok := decode(r, &req); !ok {
		return status, body
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.orders[r.PathValue("order_id")]
	if !ok {
		return notFound("Không có đơn hàng " + r.PathValue("order_id") + ".")
	}
	return s.once("payment.refund\x00"+o.ID, req.IdempotencyKey, func() (int, any) {
		if o.Status != orderPaid {
			return reject(http.StatusConflict, "not_paid", "Đơn hàng "+o.ID+" chưa được thanh toán nên không thể hoàn tiền (trạng thái: "+o.Status+").")
		}
		t := now()
		o.Status, o.RefundedAt = orderRefunded, &t
		s.changed(&s.dirty.orders, o.ID)
		return http.StatusOK, map[string]any{"refund_ref": "RF" + t.Format("060102") + randomDigits(8), "status": o.Status, "amount": o.Amount}
	})
}

// resendCallback sends the order's last result callback again, byte for
// byte, as a gateway does when it is unsure motcua got it.
func (s *Sim) resendCallback(r *http.Request) (int, any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.orders[r.PathValue("order_id")]
	switch {
	case !ok:
		return notFound("Không có đơn hàng " + r.PathValue("order_id") + ".")
	case o.Result == nil:
		return reject(http.StatusConflict, "no_result", "Đơn hàng "+o.ID+" chưa có kết quả thanh toán để gửi lại.")
	case s.opts.PaymentCallbackURL == "":
		return reject(http.StatusConflict, "no_callback_url", "Chưa cấu hình địa chỉ nhận kết quả thanh toán.")
	}
	s.notify("order:"+o.ID, callback{fault: "payment.callback", url: s.opts.PaymentCallbackURL, body: o.Result})
	return http.StatusAccepted, map[string]any{"order_id": o.ID, "queued": true}
}
