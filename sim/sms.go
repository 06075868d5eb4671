package sim

import (
	"net/http"
	"regexp"
	"strings"
	"time"
)

// SMS is a text message the gateway accepted.
type SMS struct {
	ID   string    `json:"id"`
	To   string    `json:"to"`
	Text string    `json:"text"`
	At   time.Time `json:"at"`
}

// vnMobile matches a Vietnamese mobile number in national (0…) or
// international (+84…, 84…) form: mobile ranges start 3, 5, 7, 8 or 9.
var vnMobile = regexp.MustCompile(`^(?:\+?84|0)[35789][0-9]{8}$`)

// phoneSeparators are what people type inside phone numbers.
var phoneSeparators = strings.NewReplacer(" ", "", ".", "", "-", "")

func (s *Sim) sendSMS(r *http.Request) (int, any) {
	var req struct {
		IdempotencyKey string `json:"idempotency_key"`
		To             string `json:"to"`
		Text           string `json:"text"`
	}
	if status, body, ok := decode(r, &req); !ok {
		return status, body
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.once("sms.send", req.IdempotencyKey, func() (int, any) {
		if !vnMobile.MatchString(phoneSeparators.Replace(req.To)) {
			return reject(http.StatusUnprocessableEntity, "invalid_number", "Số điện thoại di động không hợp lệ: "+req.To+".")
		}
		if strings.TrimSpace(req.Text) == "" {
			return reject(http.StatusUnprocessableEntity, "empty_text", "Nội dung tin nhắn trống.")
		}
		m := SMS{ID: "SMS" + now().Format("060102") + randomDigits(10), To: req.To, Text: req.Text, At: now()}
		s.outbox = append(s.outbox, m)
		return http.StatusOK, map[string]any{"message_id": m.ID}
	})
}

// Outbox returns the messages sent, newest last.
func (s *Sim) Outbox() []SMS {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]SMS{}, s.outbox...)
}
