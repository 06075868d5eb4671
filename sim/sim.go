// Package sim simulates the agency back-ends motcua calls — the business
// registry, the national population database, land records, the judicial
// records office, the national payment platform, the public postal service
// (BCCI), an SMS gateway and a mail server — over real HTTP and SMTP, so
// `motcua dev` and the end-to-end tests exercise the same clients, retries
// and signed callbacks as production. State lives in memory: the sim is a
// test double, not a database. Faults (latency, failures, lost callbacks)
// are injected per endpoint with SetFault or PUT /sim/faults/{endpoint}.
package sim

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// Options configures a Sim.
type Options struct {
	PaymentSecret      []byte        // HMAC-SHA256 key the gateway signs callbacks with
	PaymentCallbackURL string        // where payment results are POSTed (motcua's /api/v1/payments/callback); "" = none
	PostalCallbackURL  string        // where tracking events are POSTed (motcua's /api/v1/post/callback); "" = none
	PostalStepDelay    time.Duration // time between automatic tracking events; 0 = only advanced by hand
	PublicURL          string        // base URL of the sim itself, used in pay_url; "" = the Host the client called
	// StateFile keeps what the agencies remember across restarts (state.go);
	// "" keeps it in memory only.
	StateFile string
	Logger    *slog.Logger
}

// Sim is the set of simulated back-ends. Its zero value is not usable; call New.
type Sim struct {
	opts      Options
	log       *slog.Logger
	mux       *http.ServeMux
	client    *http.Client
	retryBase time.Duration // first pause between callback attempts; doubles each time

	// ctx ends when Close is called; it bounds callback deliveries, whose
	// couriers wg counts.
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	// changes counts requests that may have changed the state; saveMu
	// orders the saves, saved is the count the state files hold, and the
	// journal's fields are the saves' (state.go).
	changes       atomic.Int64
	saveMu        sync.Mutex
	saved         int64
	journal       *os.File
	generation    int64 // of the journal open
	journalBytes  int64
	snapshotBytes int64

	mu         sync.Mutex
	closed     bool
	faults     map[string]Fault
	dirty      changedKeys           // of the kept maps, since the last save (state.go)
	answers    map[string]answer     // scope + idempotency key → first successful answer
	businesses map[string]*business  // normalised name → registration
	regNumbers map[string]bool       // registration numbers handed out
	orders     map[string]*order     // order_id → order
	refs       map[string]*order     // gateway_ref → order
	shipments  map[string]*shipment  // tracking number → shipment
	queues     map[string][]callback // per order or shipment, callbacks waiting for delivery
	outbox     []SMS
	mailbox    []Mail
	sinks      []*smtpSink
}

// New returns a Sim; call Close to stop its goroutines and servers.
func New(o Options) *Sim {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Sim{
		opts:       o,
		log:        o.Logger.With("component", "sim"),
		mux:        http.NewServeMux(),
		client:     &http.Client{Timeout: 10 * time.Second},
		retryBase:  200 * time.Millisecond,
		ctx:        ctx,
		cancel:     cancel,
		faults:     map[string]Fault{},
		answers:    map[string]answer{},
		businesses: map[string]*business{},
		regNumbers: map[string]bool{},
		orders:     map[string]*order{},
		refs:       map[string]*order{},
		shipments:  map[string]*shipment{},
		queues:     map[string][]callback{},
	}
	s.seedRegistry()
	if o.StateFile != "" {
		if err := s.load(); err != nil {
			s.log.Error("the simulator's state is unreadable; starting afresh", "file", o.StateFile, "err", err)
		}
	}
	s.routes()
	return s
}

func (s *Sim) routes() {
	s.handle("POST /registry/business/name-check", "business.name_check", s.nameCheck)
	s.handle("POST /registry/business/register", "business.register", s.registerBusiness)
	s.handle("POST /population/verify", "population.verify", s.verifyCitizen)
	s.handle("GET /land/parcels/{parcel}", "land.parcel", s.landParcel)
	s.handle("POST /judicial/criminal-record-check", "judicial.check", s.criminalRecordCheck)

	s.handle("POST /payments/orders", "payment.create", s.createOrder)
	s.handle("GET /payments/orders/{order_id}", "payment.status", s.orderStatus)
	s.handle("POST /payments/orders/{order_id}/refund", "payment.refund", s.refundOrder)
	s.handle("POST /payments/orders/{order_id}/callback", "", s.resendCallback)
	s.mux.HandleFunc("GET /payments/pay/{gateway_ref}", s.payPage)
	s.mux.HandleFunc("POST /payments/pay/{gateway_ref}", s.payResult)

	s.handle("POST /post/shipments", "post.create", s.createShipment)
	s.handle("GET /post/shipments/{tn}", "", s.shipmentStatus)
	s.handle("POST /post/shipments/{tn}/advance", "", s.advanceShipment)

	s.handle("POST /sms/send", "sms.send", s.sendSMS)
	s.handle("GET /sms/outbox", "", func(*http.Request) (int, any) { return http.StatusOK, s.Outbox() })
	s.handle("GET /dev/mailbox", "", func(*http.Request) (int, any) { return http.StatusOK, s.Mailbox() })

	s.handle("GET /sim/faults", "", s.getFaults)
	s.handle("PUT /sim/faults/{endpoint}", "", s.putFault)
	s.handle("DELETE /sim/faults", "", s.clearFaults)
	s.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = io.WriteString(w, "ok\n")
	})
}

// Handler serves every simulated endpoint.
func (s *Sim) Handler() http.Handler { return s.persisting(s.mux) }

// SetCallbackURLs sets where payment results and tracking events go, for
// when the API's address is known only after the sim has started.
func (s *Sim) SetCallbackURLs(payment, postal string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.opts.PaymentCallbackURL, s.opts.PostalCallbackURL = payment, postal
}

// Close stops automatic tracking events, abandons callbacks still being
// delivered (waiting for their goroutines) and stops the SMTP sinks, whose
// ServeSMTP calls then return nil. The HTTP handler keeps answering, but
// sends no more callbacks.
func (s *Sim) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	for _, sh := range s.shipments {
		if sh.timer != nil {
			sh.timer.Stop()
		}
	}
	sinks := s.sinks
	s.sinks = nil
	s.mu.Unlock()

	s.cancel()
	var errs []error
	for _, k := range sinks {
		errs = append(errs, k.close())
	}
	s.wg.Wait()
	s.closeJournal()
	return errors.Join(errs...)
}

// endpoint answers a JSON request with a status and a body to encode.
type endpoint func(r *http.Request) (status int, body any)

// handle mounts h on pattern behind the fault of the named endpoint ("" =
// none): an injected failure answers 503 before h runs, so it has no
// effect; latency delays the answer after h ran, so a client that times out
// meanwhile must retry with its idempotency key to learn the outcome.
func (s *Sim) handle(pattern, faultName string, h endpoint) {
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		f := s.fault(faultName)
		var status int
		var body any
		if f.fails() {
			status, body = reject(http.StatusServiceUnavailable, "unavailable", "Hệ thống đang bận, vui lòng thử lại sau (lỗi mô phỏng).")
		} else {
			status, body = h(r)
		}
		if !sleep(r.Context(), f.Latency) {
			return
		}
		writeJSON(w, status, body)
	})
}

// apiError is the body of every error answer.
type apiError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

func reject(status int, code, message string) (int, any) {
	return status, apiError{Code: code, Message: message}
}

func notFound(message string) (int, any) { return reject(http.StatusNotFound, "not_found", message) }

// decode reads a JSON body into v; a malformed body is the caller's fault.
func decode(r *http.Request, v any) (int, any, bool) {
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(v); err != nil {
		status, body := reject(http.StatusBadRequest, "bad_request", "Dữ liệu JSON không hợp lệ: "+err.Error())
		return status, body, false
	}
	return 0, nil, true
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	if body == nil {
		w.WriteHeader(status)
		return
	}
	b, err := json.Marshal(body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}

// answer is a response kept for an idempotency key, encoded once so later
// changes to the state it came from cannot alter it.
type answer struct {
	status int
	body   json.RawMessage
}

// once runs effect at most once per scope and idempotency key and repeats
// its first successful answer, so a client retrying after a timeout causes
// one effect. Rule violations are not kept: they had no effect, and a retry
// is judged anew. Called with s.mu held.
func (s *Sim) once(scope, key string, effect func() (int, any)) (int, any) {
	if key == "" {
		return reject(http.StatusUnprocessableEntity, "missing_idempotency_key", "Thiếu idempotency_key.")
	}
	k := scope + "\x00" + key
	if a, ok := s.answers[k]; ok {
		return a.status, a.body
	}
	status, body := effect()
	if status >= 200 && status < 300 {
		b, err := json.Marshal(body)
		if err != nil {
			return reject(http.StatusInternalServerError, "internal", err.Error())
		}
		s.answers[k] = answer{status: status, body: b}
		s.changed(&s.dirty.answers, k)
		return status, json.RawMessage(b)
	}
	return status, body
}

// sleep waits d or until ctx ends, reporting whether the wait completed.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// vnTime is Vietnam's time zone (ICT, UTC+7, no daylight saving), fixed so
// the sim needs no tz database.
var vnTime = time.FixedZone("ICT", 7*60*60)

func now() time.Time { return time.Now().In(vnTime) }

// randomDigits returns n random decimal digits for references that must
// not be guessable or repeat across runs.
func randomDigits(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = '0' + b[i]%10
	}
	return string(b)
}
