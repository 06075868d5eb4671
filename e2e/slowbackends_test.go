package e2e

import (
	"slices"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/sim"
)

// With every back-end answering in 6 s and failing 30 % of the time, no
// officer action waits for one: each answers before any back-end could
// have (the reception checks ran at filing, the fee order follows
// approval, the registry is called after the issue action answers), and
// the case still completes on its own.
func TestOfficerActionsDoNotWaitForSlowBackends(t *testing.T) {
	const latency = 6 * time.Second
	e := newEnv(t, func(o *envOptions) { o.reconcileAfter, o.backendTimeout = 3*time.Second, 10*time.Second })
	e.sim.SetFault("*", sim.Fault{Latency: latency, FailureRate: 0.3})
	tk := map[string]string{
		"citizen": e.citizen("049090001234"), "desk": e.officer("tiepnhan", "SKHDT", "receiver"),
		"reviewer": e.officer("chuyenvien", "SKHDT", "reviewer"), "leader": e.officer("giamdoc", "SKHDT", "approver"),
	}
	body := e.submission(business, motcua.DeliveryOnline)
	body["form"].(map[string]any)["enterprise"].(map[string]any)["name_vi"] = "Công ty TNHH Chậm Mà Chắc"
	var r receipt
	e.must(e.call("POST", "/api/v1/cases", tk["citizen"], body, "Idempotency-Key", randomHex(8)), 201).json(&r)

	// act takes an officer action and fails if its answer took as long as
	// one back-end call: then it waited for one.
	act := func(who string, a motcua.Action) motcua.Case {
		t.Helper()
		start := time.Now()
		v := e.actOK(tk[who], r.Code, a, nil)
		if took := time.Since(start); took >= latency {
			t.Fatalf("%s answered in %s: it waited for a back-end (%s each)", a, took.Round(time.Millisecond), latency)
		} else {
			t.Logf("%s answered in %s", a, took.Round(time.Millisecond))
		}
		return v
	}
	// From version 3 the desk decides once the reception check has
	// answered (a refusal holds the file: issue 16, finding 9), so receive
	// waits for it; the desk sees it on the case first, as it does here.
	e.waitLong(tk["desk"], r.Code, "the reception check answered", func(c motcua.Case) bool {
		return slices.ContainsFunc(c.Timeline, func(ev motcua.Event) bool {
			return ev.Action == motcua.EventCheck || ev.Action == motcua.EventCheckFailed
		})
	})
	act("desk", motcua.ActionReceive)
	act("reviewer", motcua.ActionReview)
	act("leader", motcua.ActionApprove)
	v := e.waitLong(tk["citizen"], r.Code, "ordered its fee", func(c motcua.Case) bool {
		return slices.ContainsFunc(c.Payments, func(p motcua.Payment) bool { return p.PayURL != "" })
	})
	e.pay(v.Payments[len(v.Payments)-1].PayURL, "success")
	e.waitLong(tk["reviewer"], r.Code, "paid", func(c motcua.Case) bool { return c.Status == motcua.StatusAwaitingIssue })

	v = act("reviewer", motcua.ActionIssue)
	// The registry had not answered when the officer got the answer.
	if v.Status != motcua.StatusAwaitingIssue || v.Result != nil || count(v, motcua.EventResultIssued) != 0 {
		t.Fatalf("issue answered after the registry: %s %+v %v", v.Status, v.Result, statuses(v))
	}
	v = e.waitLong(tk["citizen"], r.Code, "completed", func(c motcua.Case) bool { return c.Status == motcua.StatusCompleted })
	if v.Result == nil || v.Result.Number == "" || count(v, motcua.EventResultIssued) != 1 || count(v, motcua.ActionIssue) != 1 {
		t.Fatalf("completed without the registry's number: %+v %v", v.Result, statuses(v))
	}
}

// waitLong is waitFor for back-ends that take seconds per call and fail
// some of the time.
func (e *env) waitLong(token, code, what string, ok func(motcua.Case) bool) motcua.Case {
	e.t.Helper()
	deadline := time.Now().Add(3 * time.Minute)
	for {
		c := e.must(e.call("GET", "/api/v1/cases/"+code, token, nil), 200).caseView()
		if ok(c) {
			return c
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("case %s never %s: %s %v", code, what, c.Status, statuses(c))
		}
		time.Sleep(250 * time.Millisecond)
	}
}
