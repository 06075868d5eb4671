package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/system"
)

// driver plays the citizen and the officers over HTTP, as the browser and
// curl do.
type driver struct {
	sys       *system.System
	procedure string
	http      *http.Client
	seq       atomic.Int64

	citizen  string            // a citizen's token
	officers map[string]string // an officer's token per agency, holding every role
	mu       sync.Mutex
	submit   map[string]any // the submission body
	path     []string       // the actions a case takes after submission
}

func newDriver(sys *system.System, procedure string) *driver {
	tr := &http.Transport{MaxIdleConnsPerHost: 256}
	return &driver{sys: sys, procedure: procedure, http: &http.Client{Transport: tr, Timeout: time.Minute},
		officers: map[string]string{}}
}

// prepare signs in, builds the submission from the procedure's example form
// and runs one case to learn its path.
func (d *driver) prepare(ctx context.Context) error {
	var tok struct {
		Token string `json:"token"`
	}
	if err := d.call(ctx, "POST", "/api/v1/dev/login", "", map[string]any{"role": "citizen", "subject": "079201001234"}, &tok); err != nil {
		return err
	}
	d.citizen = tok.Token
	var p struct {
		ExampleForm json.RawMessage `json:"example_form"`
		Agencies    []string        `json:"agencies"`
		Delivery    []string        `json:"delivery"`
	}
	if err := d.call(ctx, "GET", "/api/v1/procedures/"+d.procedure, "", nil, &p); err != nil {
		return err
	}
	delivery := motcua.DeliveryCounter
	if !slices.Contains(p.Delivery, delivery) {
		delivery = p.Delivery[0]
	}
	// The applicant is who the simulated population database says holds
	// the ID number: a mismatch is a refusal at reception, which holds the
	// case at the desk (version 3).
	d.submit = map[string]any{"procedure": d.procedure, "agency": p.Agencies[0], "form": p.ExampleForm,
		"applicant": map[string]any{"name": "Nguyễn Hữu Sơn", "id_number": "079201001234", "phone": "0905123456"},
		"delivery":  map[string]any{"method": delivery, "address": "12 Phan Chu Trinh, Hội An"}}
	t := &timings{ms: map[string][]float64{}}
	if err := d.motcuaCase(ctx, t); err != nil {
		return fmt.Errorf("a first case of %s: %w", d.procedure, err)
	}
	for name := range t.ms {
		if name != "submit" {
			d.path = append(d.path, name)
		}
	}
	slices.Sort(d.path)
	return nil
}

// motcuaCase files a case and takes, as officers, each action it offers
// until it closes.
func (d *driver) motcuaCase(ctx context.Context, t *timings) error {
	key := fmt.Sprintf("bench-%d-%d", time.Now().UnixNano(), d.seq.Add(1))
	var cs motcua.Case
	at := time.Now()
	if err := d.call(ctx, "POST", "/api/v1/cases", d.citizen, d.submit, &cs, "Idempotency-Key", key); err != nil {
		return fmt.Errorf("submit: %w", err)
	}
	t.add("submit", at)
	for step := 0; !cs.Status.Final(); step++ {
		if step > 20 {
			return fmt.Errorf("case %s did not close after 20 actions (status %s)", cs.Code, cs.Status)
		}
		p, ok := nextAction(cs)
		if !ok {
			return fmt.Errorf("case %s (%s) offers officers nothing", cs.Code, cs.Status)
		}
		tok, err := d.officer(ctx, p.Agency)
		if err != nil {
			return err
		}
		at := time.Now()
		err = d.call(ctx, "POST", "/api/v1/cases/"+cs.Code+"/actions/"+string(p.Action), tok, payload(p.Action), &cs,
			"Idempotency-Key", fmt.Sprintf("%s-%d", key, step))
		if err != nil {
			return fmt.Errorf("%s %s: %w", cs.Code, p.Action, err)
		}
		t.add(string(p.Action), at)
	}
	return nil
}

// nextAction is the action an officer takes next on the happy path.
func nextAction(cs motcua.Case) (motcua.Permission, bool) {
	for _, want := range []motcua.Action{motcua.ActionReceive, motcua.ActionReview, motcua.ActionCoReview, motcua.ActionApprove,
		motcua.ActionConfirmPayment, motcua.ActionIssue, motcua.ActionDeliver, motcua.ActionAssign, motcua.ActionVerify, motcua.ActionConclude} {
		for _, p := range cs.Actions {
			if p.Action == want && p.Subject == "" {
				return p, true
			}
		}
	}
	return motcua.Permission{}, false
}

func payload(a motcua.Action) map[string]any {
	switch a {
	case motcua.ActionConfirmPayment:
		return map[string]any{"data": map[string]any{"receipt_no": "BL-BENCH"}}
	case motcua.ActionCoReview:
		return map[string]any{"data": map[string]any{"agree": true}}
	}
	return map[string]any{}
}

// officer is a token of an officer of agency holding every role.
func (d *driver) officer(ctx context.Context, agency string) (string, error) {
	d.mu.Lock()
	tok, ok := d.officers[agency]
	d.mu.Unlock()
	if ok {
		return tok, nil
	}
	var out struct {
		Token string `json:"token"`
	}
	err := d.call(ctx, "POST", "/api/v1/dev/login", "", map[string]any{"role": "officer", "subject": "bench@" + agency, "agency": agency,
		"roles": motcua.OfficerRoles}, &out)
	if err != nil {
		return "", err
	}
	d.mu.Lock()
	d.officers[agency] = out.Token
	d.mu.Unlock()
	return out.Token, nil
}

// lookups compares reading one open case through the API (with its
// secret: the whole view each time, then as a client polling with the
// ETag of the view it holds) and as a Temporal query, each for a round's
// length.
func (d *driver) lookups(ctx context.Context, clients int, length time.Duration) (api, cond, query roundResult, err error) {
	var receipt struct {
		motcua.Case
		Secret string `json:"secret"`
	}
	if err := d.call(ctx, "POST", "/api/v1/cases", d.citizen, d.submit, &receipt, "Idempotency-Key", fmt.Sprint("bench-lookup-", time.Now().UnixNano())); err != nil {
		return api, cond, query, err
	}
	api = d.round(ctx, clients, length, func(ctx context.Context, t *timings) error {
		at := time.Now()
		var cs motcua.Case
		if err := d.call(ctx, "GET", "/api/v1/cases/"+receipt.Code, "", nil, &cs, "X-Case-Secret", receipt.Secret); err != nil {
			return err
		}
		t.add("lookup", at)
		return nil
	})
	cond = d.round(ctx, clients, length, func(ctx context.Context, t *timings) error {
		at := time.Now()
		if err := d.poll(ctx, "/api/v1/cases/"+receipt.Code, receipt.Secret, t); err != nil {
			return err
		}
		t.add("lookup", at)
		return nil
	})
	query = d.round(ctx, clients, length, func(ctx context.Context, t *timings) error {
		at := time.Now()
		v, err := d.sys.Temporal.QueryWorkflow(ctx, receipt.Code, "", "case")
		if err == nil {
			var cs motcua.Case
			err = v.Get(&cs)
		}
		if err != nil {
			return err
		}
		t.add("query", at)
		return nil
	})
	return api, cond, query, nil
}

// poll reads a case as a client that holds a view does: with its ETag,
// decoding a body only when the case changed (200) and not on 304.
func (d *driver) poll(ctx context.Context, path, secret string, t *timings) error {
	req, err := http.NewRequestWithContext(ctx, "GET", d.sys.URL+path, nil)
	if err != nil {
		return err
	}
	req.Header.Set("X-Case-Secret", secret)
	if t.etag != "" {
		req.Header.Set("If-None-Match", t.etag)
	}
	res, err := d.http.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	switch res.StatusCode {
	case http.StatusNotModified:
		return nil
	case http.StatusOK:
		var cs motcua.Case
		if err := json.NewDecoder(res.Body).Decode(&cs); err != nil {
			return err
		}
		t.etag = res.Header.Get("ETag")
		return nil
	}
	raw, _ := io.ReadAll(res.Body)
	return fmt.Errorf("GET %s: %s %s", path, res.Status, raw)
}

// call sends a JSON request and decodes a 2xx answer into out.
func (d *driver) call(ctx context.Context, method, path, token string, body, out any, headers ...string) error {
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, d.sys.URL+path, r)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := d.http.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		return err
	}
	if res.StatusCode/100 != 2 {
		return &statusError{status: res.StatusCode, msg: fmt.Sprintf("%s %s: %s %s", method, path, res.Status, raw)}
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(raw, out)
}

// statusError is an answer other than 2xx.
type statusError struct {
	status int
	msg    string
}

func (e *statusError) Error() string { return e.msg }
