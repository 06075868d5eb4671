package sim

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
)

// SignatureHeader carries Sign(secret, body) on every callback.
const SignatureHeader = "X-Signature"

// Sign returns the hex HMAC-SHA256 of body under secret: the value of
// SignatureHeader, which the receiver recomputes over the raw body.
func Sign(secret, body []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

// callbackRetries is how many times a callback not answered 2xx is sent
// again, after the first attempt.
const callbackRetries = 5

// callback is one notification to motcua: a payment result or a tracking event.
type callback struct {
	fault string // "payment.callback" or "post.callback"
	url   string
	body  []byte
}

// notify queues a callback. Callbacks with the same key (one order, one
// shipment) go out one at a time in order, so a retried "in_transit" never
// lands after "delivered"; different keys do not wait for each other.
// Called with s.mu held.
func (s *Sim) notify(key string, cb callback) {
	if s.closed || cb.url == "" {
		return
	}
	q := s.queues[key]
	s.queues[key] = append(q, cb)
	if len(q) == 0 {
		s.wg.Add(1)
		go s.courier(key)
	}
}

// courier delivers the queue of key until it is empty.
func (s *Sim) courier(key string) {
	defer s.wg.Done()
	for {
		s.mu.Lock()
		q := s.queues[key]
		if len(q) == 0 || s.ctx.Err() != nil {
			delete(s.queues, key)
			s.mu.Unlock()
			return
		}
		s.mu.Unlock()

		s.deliver(q[0])

		s.mu.Lock()
		s.queues[key] = s.queues[key][1:]
		s.mu.Unlock()
	}
}

// deliver sends cb, retrying with doubling pauses until it is answered 2xx,
// the retries are spent, its fault drops it or the sim closes.
func (s *Sim) deliver(cb callback) {
	log := s.log.With("url", cb.url, "fault", cb.fault)
	pause := s.retryBase
	for attempt := 1; ; attempt++ {
		f := s.fault(cb.fault)
		if f.DropCallbacks {
			log.Info("callback dropped by fault")
			return
		}
		if !sleep(s.ctx, f.Latency) {
			return
		}
		err := errors.New("lost on the way (injected failure)")
		if !f.fails() {
			err = s.post(cb)
		}
		if err == nil {
			log.Debug("callback delivered", "attempt", attempt)
			return
		}
		if attempt > callbackRetries {
			log.Warn("callback abandoned", "attempts", attempt, "err", err)
			return
		}
		log.Warn("callback failed; will retry", "attempt", attempt, "in", pause, "err", err)
		if !sleep(s.ctx, pause) {
			return
		}
		pause *= 2
	}
}

// post makes one delivery attempt.
func (s *Sim) post(cb callback) error {
	req, err := http.NewRequestWithContext(s.ctx, http.MethodPost, cb.url, bytes.NewReader(cb.body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set(SignatureHeader, Sign(s.opts.PaymentSecret, cb.body))
	resp, err := s.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("answered %s", resp.Status)
	}
	return nil
}
