package sim

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// trackingStates are a shipment's states in order.
var trackingStates = []string{"accepted", "in_transit", "out_for_delivery", "delivered"}

// trackingNotes are what the post office says at each state.
var trackingNotes = map[string]string{
	"accepted":         "Bưu cục đã nhận bưu gửi.",
	"in_transit":       "Bưu gửi đang được vận chuyển đến bưu cục phát.",
	"out_for_delivery": "Bưu tá đang đi phát.",
	"delivered":        "Đã phát thành công.",
}

// shipment is a parcel with the public postal service (Bưu chính công ích).
type shipment struct {
	TrackingNumber string          `json:"tracking_number"`
	Status         string          `json:"status"`
	Recipient      string          `json:"recipient"`
	Phone          string          `json:"phone"`
	Address        string          `json:"address"`
	Contents       string          `json:"contents"`
	Events         []trackingEvent `json:"events"`
	timer          *time.Timer     // next automatic step, when PostalStepDelay > 0
}

// trackingEvent is one state change; it is also the callback body.
type trackingEvent struct {
	TrackingNumber string    `json:"tracking_number"`
	Status         string    `json:"status"`
	At             time.Time `json:"at"`
	Note           string    `json:"note"`
}

func (s *Sim) createShipment(r *http.Request) (int, any) {
	var req struct {
		IdempotencyKey string `json:"idempotency_key"`
		Recipient      string `json:"recipient"`
		Phone          string `json:"phone"`
		Address        string `json:"address"`
		Contents       string `json:"contents"`
	}
	if status, body, ok := decode(r, &req); !ok {
		return status, body
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.once("post.create", req.IdempotencyKey, func() (int, any) {
		if strings.TrimSpace(req.Address) == "" {
			return reject(http.StatusUnprocessableEntity, "invalid_address", "Thiếu địa chỉ người nhận.")
		}
		if strings.TrimSpace(req.Recipient) == "" {
			return reject(http.StatusUnprocessableEntity, "invalid_recipient", "Thiếu tên người nhận.")
		}
		sh := &shipment{TrackingNumber: s.newTrackingNumber(), Status: "accepted", Recipient: req.Recipient,
			Phone: req.Phone, Address: req.Address, Contents: req.Contents}
		sh.Events = []trackingEvent{{TrackingNumber: sh.TrackingNumber, Status: sh.Status, At: now(), Note: trackingNotes[sh.Status]}}
		s.shipments[sh.TrackingNumber] = sh
		s.changed(&s.dirty.shipments, sh.TrackingNumber)
		s.scheduleStep(sh)
		return http.StatusCreated, map[string]any{"tracking_number": sh.TrackingNumber, "status": sh.Status}
	})
}

// newTrackingNumber returns an unused UPU S10 number as the Vietnamese post
// issues them for domestic express: EB, eight digits, a check digit, VN.
// Called with s.mu held.
func (s *Sim) newTrackingNumber() string {
	for {
		serial := randomDigits(8)
		tn := "EB" + serial + strconv.Itoa(s10CheckDigit(serial)) + "VN"
		if s.shipments[tn] == nil {
			return tn
		}
	}
}

// s10CheckDigit is the UPU S10 check digit of an 8-digit serial number.
func s10CheckDigit(serial string) int {
	weights := []int{8, 6, 4, 2, 3, 5, 9, 7}
	sum := 0
	for i, w := range weights {
		sum += int(serial[i]-'0') * w
	}
	switch c := 11 - sum%11; c {
	case 10:
		return 0
	case 11:
		return 5
	default:
		return c
	}
}

// scheduleStep arms the next automatic state change. Called with s.mu held.
func (s *Sim) scheduleStep(sh *shipment) {
	if s.opts.PostalStepDelay <= 0 || s.closed || sh.Status == "delivered" {
		return
	}
	sh.timer = time.AfterFunc(s.opts.PostalStepDelay, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.closed {
			return
		}
		s.advance(sh)
		s.scheduleStep(sh)
	})
}

// advance moves sh one state on and tells motcua, reporting false when it
// was already delivered. Called with s.mu held.
func (s *Sim) advance(sh *shipment) bool {
	i := slices.Index(trackingStates, sh.Status)
	if i == len(trackingStates)-1 {
		return false
	}
	sh.Status = trackingStates[i+1]
	note := trackingNotes[sh.Status]
	if sh.Status == "delivered" {
		note += " Người nhận: " + sh.Recipient + "."
	}
	ev := trackingEvent{TrackingNumber: sh.TrackingNumber, Status: sh.Status, At: now(), Note: note}
	sh.Events = append(sh.Events, ev)
	s.changed(&s.dirty.shipments, sh.TrackingNumber)
	body, _ := json.Marshal(ev)
	s.notify("shipment:"+sh.TrackingNumber, callback{fault: "post.callback", url: s.opts.PostalCallbackURL, body: body})
	return true
}

func (s *Sim) shipmentStatus(r *http.Request) (int, any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sh, ok := s.shipments[r.PathValue("tn")]
	if !ok {
		return notFound("Không có bưu gửi " + r.PathValue("tn") + ".")
	}
	return http.StatusOK, shipmentView(sh)
}

// advanceShipment moves a shipment on by hand, for tests and demos.
func (s *Sim) advanceShipment(r *http.Request) (int, any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sh, ok := s.shipments[r.PathValue("tn")]
	if !ok {
		return notFound("Không có bưu gửi " + r.PathValue("tn") + ".")
	}
	if !s.advance(sh) {
		return reject(http.StatusConflict, "already_delivered", "Bưu gửi "+sh.TrackingNumber+" đã được phát.")
	}
	return http.StatusOK, shipmentView(sh)
}

// shipmentView copies sh so it can be encoded after s.mu is released.
func shipmentView(sh *shipment) shipment {
	v := *sh
	v.Events = slices.Clone(sh.Events)
	v.timer = nil
	return v
}
