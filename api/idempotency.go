package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/motcua/motcua"
)

// How long an answer is kept for retries under its Idempotency-Key.
const idempotencyKeep = 24 * time.Hour

// idempotencyKey requires the Idempotency-Key header.
func (s *Server) idempotencyKey(c *gin.Context) (string, bool) {
	k := strings.TrimSpace(c.GetHeader("Idempotency-Key"))
	if k == "" || len(k) > 200 {
		s.fail(c, badRequest("Cần tiêu đề Idempotency-Key (tối đa 200 ký tự), để gửi lại không tạo thao tác trùng."))
		return "", false
	}
	return k, true
}

// requestHash identifies what a request asks: its method, path and body,
// a JSON body canonically (key order and spacing do not matter).
func requestHash(c *gin.Context, body []byte) string {
	var v any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if dec.Decode(&v) == nil {
		if canon, err := json.Marshal(v); err == nil {
			body = canon
		}
	}
	h := sha256.New()
	h.Write([]byte(c.Request.Method + " " + c.Request.URL.Path + "\n"))
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}

// keyHold is a request's hold on its Idempotency-Key, or the answer kept
// under it.
type keyHold struct {
	id   string
	prev *motcua.IdempotentRequest // the kept answer, when this is a retry
}

// holdKey claims the subject's key for the request with hash. A retry of
// an answered request gets prev; a request with the same key in progress
// is waited for; the key used for another request is 422 (as the IETF
// Idempotency-Key draft says).
func (s *Server) holdKey(c *gin.Context, subject, key, hash string) (*keyHold, bool) {
	id := digest(subject, "idempotency", key)
	ctx := c.Request.Context()
	waitUntil := time.Now().Add(s.ActionTimeout)
	for {
		now := s.Now()
		r, err := s.Idempotency.BeginRequest(ctx, id, hash, now, now.Add(s.ActionTimeout+10*time.Second))
		if err != nil {
			s.fail(c, err)
			return nil, false
		}
		switch {
		case r.Hash != hash:
			s.fail(c, motcua.FieldErrors("Idempotency-Key này đã được dùng cho một yêu cầu khác; mỗi yêu cầu mới cần một Idempotency-Key mới.",
				map[string]string{"Idempotency-Key": "Đã dùng cho một yêu cầu khác."}))
			return nil, false
		case r.Claimed:
			return &keyHold{id: id}, true
		case r.Status != 0:
			return &keyHold{id: id, prev: &r}, true
		}
		// Another request with this key is under way: wait for its answer.
		if time.Now().After(waitUntil) {
			s.fail(c, motcua.Errorf(motcua.ECONFLICT, "Một yêu cầu khác với cùng Idempotency-Key đang được xử lý; vui lòng thử lại sau."))
			return nil, false
		}
		select {
		case <-ctx.Done():
			s.fail(c, ctx.Err())
			return nil, false
		case <-time.After(25 * time.Millisecond):
		}
	}
}

// replay answers a retry with the answer kept for its key.
func (s *Server) replay(c *gin.Context, h *keyHold) {
	c.Header("Idempotent-Replayed", "true")
	c.Data(h.prev.Status, "application/json; charset=utf-8", h.prev.Body)
}

// answer sends status and v, keeping them under the request's key.
func (s *Server) answer(c *gin.Context, h *keyHold, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		s.release(c, h, err)
		return
	}
	s.keep(c, h, status, body)
	c.Data(status, "application/json; charset=utf-8", body)
}

// keep stores the answer of a request holding its key. The request has
// acted: a failure to keep its answer is logged, not the client's error.
func (s *Server) keep(c *gin.Context, h *keyHold, status int, body []byte) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(c.Request.Context()), 5*time.Second)
	defer cancel()
	if err := s.Idempotency.FinishRequest(ctx, h.id, status, body, s.Now().Add(idempotencyKeep)); err != nil {
		s.log.Error("idempotent answer not kept; a retry will act again", "path", c.Request.URL.Path, "case", c.Param("code"), "err", err)
	}
}

// release frees the key of a request that failed, so a retry acts, and
// answers err.
func (s *Server) release(c *gin.Context, h *keyHold, err error) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(c.Request.Context()), 5*time.Second)
	defer cancel()
	if ferr := s.Idempotency.AbandonRequest(ctx, h.id); ferr != nil {
		s.log.Warn("idempotency key not freed; it frees itself when its lease ends", "path", c.Request.URL.Path, "err", ferr)
	}
	s.fail(c, err)
}

// memIdempotency keeps keys in memory, for a server without a database
// that keeps them (tests, a router built for its routes).
type memIdempotency struct {
	mu   sync.Mutex
	keys map[string]*memKey
}

type memKey struct {
	motcua.IdempotentRequest
	expires time.Time
}

func newMemIdempotency() *memIdempotency { return &memIdempotency{keys: map[string]*memKey{}} }

func (m *memIdempotency) BeginRequest(_ context.Context, key, hash string, now, leaseUntil time.Time) (motcua.IdempotentRequest, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if k, ok := m.keys[key]; ok && now.Before(k.expires) {
		r := k.IdempotentRequest
		r.Claimed = false
		return r, nil
	}
	m.keys[key] = &memKey{IdempotentRequest: motcua.IdempotentRequest{Hash: hash}, expires: leaseUntil}
	return motcua.IdempotentRequest{Claimed: true, Hash: hash}, nil
}

func (m *memIdempotency) FinishRequest(_ context.Context, key string, status int, body []byte, keepUntil time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if k, ok := m.keys[key]; ok {
		k.Status, k.Body, k.expires = status, body, keepUntil
	}
	return nil
}

func (m *memIdempotency) AbandonRequest(_ context.Context, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if k, ok := m.keys[key]; ok && k.Status == 0 {
		delete(m.keys, key)
	}
	return nil
}
