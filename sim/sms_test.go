package sim

import (
	"net/http"
	"testing"
)

func TestSMS(t *testing.T) {
	s, base := startSim(t, Options{})
	send := base + "/sms/send"
	const text = "Hồ sơ HS-001 đã được tiếp nhận. Hẹn trả kết quả ngày 15/03/2026."
	type sent struct {
		MessageID string `json:"message_id"`
	}

	var first sent
	if got := call(t, "POST", send, map[string]string{"idempotency_key": "s1", "to": "0905 123 456", "text": text}, &first); got != http.StatusOK || first.MessageID == "" {
		t.Fatalf("send: %d %+v", got, first)
	}

	t.Run("SameKeyOneMessage", func(t *testing.T) {
		var again sent
		call(t, "POST", send, map[string]string{"idempotency_key": "s1", "to": "0905 123 456", "text": text}, &again)
		if again != first {
			t.Fatalf("same key: %+v, want %+v", again, first)
		}
		out := s.Outbox()
		if len(out) != 1 || out[0].ID != first.MessageID || out[0].To != "0905 123 456" || out[0].Text != text || out[0].At.IsZero() {
			t.Fatalf("outbox %+v, want the one message", out)
		}
	})
	t.Run("NumberForms", func(t *testing.T) {
		for i, to := range []string{"+84905123456", "84-387-123-456", "0705.123.456", "0981234567", "0561234567"} {
			if got := call(t, "POST", send, map[string]string{"idempotency_key": "n" + to, "to": to, "text": "x"}, nil); got != http.StatusOK {
				t.Errorf("%d: %s refused with %d", i, to, got)
			}
		}
	})
	t.Run("ErrInvalidNumber", func(t *testing.T) {
		// Too short, a landline (0235: Quảng Nam), not a number, too long.
		for _, to := range []string{"090512345", "02353812345", "abc", "09051234567", ""} {
			wantError(t, "POST", send, map[string]string{"idempotency_key": "bad" + to, "to": to, "text": "x"}, http.StatusUnprocessableEntity, "invalid_number")
		}
	})
	t.Run("ErrEmptyText", func(t *testing.T) {
		wantError(t, "POST", send, map[string]string{"idempotency_key": "e", "to": "0905123456", "text": " "}, http.StatusUnprocessableEntity, "empty_text")
	})
	t.Run("GetOutbox", func(t *testing.T) {
		var out []SMS
		if got := call(t, "GET", base+"/sms/outbox", nil, &out); got != http.StatusOK {
			t.Fatalf("outbox: %d", got)
		}
		if len(out) != len(s.Outbox()) || out[0].ID != first.MessageID || out[0].Text != text {
			t.Fatalf("outbox over HTTP: %+v", out)
		}
	})
}

func TestEmptyListsAreArrays(t *testing.T) {
	_, base := startSim(t, Options{})
	for _, path := range []string{"/sms/outbox", "/dev/mailbox"} {
		var raw []any
		if got := call(t, "GET", base+path, nil, &raw); got != http.StatusOK || raw == nil {
			t.Fatalf("%s: %d %v, want an empty JSON array", path, got, raw)
		}
	}
}
