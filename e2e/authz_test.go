package e2e

import (
	"slices"
	"testing"

	"github.com/motcua/motcua"
)

const permit = "cap-giay-phep-xay-dung" // SXD leads, STNMT co-reviews

var requestable = []motcua.Action{
	motcua.ActionReceive, motcua.ActionReturn, motcua.ActionReject, motcua.ActionRequestInfo,
	motcua.ActionSupplement, motcua.ActionReview, motcua.ActionCoReview, motcua.ActionApprove,
	motcua.ActionConfirmPayment, motcua.ActionIssue, motcua.ActionDeliver, motcua.ActionWithdraw,
	motcua.ActionReschedule, motcua.ActionAssign, motcua.ActionVerify, motcua.ActionConclude,
}

// party is someone who may try to act on a case.
type party struct {
	name    string
	token   string
	secret  bool // presents the case's secret
	visible bool // may see the case at all
	// may lists the actions this party may take when they are open.
	may []motcua.Action
}

// The authorization matrix: at three stages of a construction-permit case,
// every party tries every action. The case must answer 404 to those who may
// not see it, 409 for actions not open now, 403 for open actions the party
// may not take; and the timeline must not change.
func TestAuthorizationMatrix(t *testing.T) {
	e := newEnv(t)
	owner := e.citizen("079201001234")
	r := e.submit(owner, permit, motcua.DeliveryCounter)
	code := r.Code
	all := []motcua.Action{}
	parties := []party{
		{name: "anonymous"},
		// The receipt's secret completes the file; withdrawing needs the owner.
		{name: "secret holder", secret: true, visible: true, may: []motcua.Action{motcua.ActionSupplement}},
		{name: "owner", token: owner, visible: true, may: []motcua.Action{motcua.ActionSupplement, motcua.ActionWithdraw}},
		{name: "other citizen", token: e.citizen("001099000001")},
		{name: "admin", token: e.login(`{"role":"admin"}`), visible: true, may: all},
		{name: "SXD receiver", token: e.officer("r", "SXD", "receiver"), visible: true,
			may: []motcua.Action{motcua.ActionReceive, motcua.ActionReturn, motcua.ActionReject, motcua.ActionDeliver}},
		{name: "SXD reviewer", token: e.officer("v", "SXD", "reviewer"), visible: true,
			may: []motcua.Action{motcua.ActionReview, motcua.ActionRequestInfo, motcua.ActionReject, motcua.ActionIssue}},
		{name: "SXD approver", token: e.officer("a", "SXD", "approver"), visible: true, may: []motcua.Action{motcua.ActionApprove, motcua.ActionReject}},
		{name: "SXD cashier", token: e.officer("c", "SXD", "cashier"), visible: true, may: []motcua.Action{motcua.ActionConfirmPayment}},
		{name: "SXD head", token: e.officer("h", "SXD", "head"), visible: true, may: []motcua.Action{motcua.ActionReschedule}},
		{name: "STNMT reviewer (co-agency)", token: e.officer("co", "STNMT", "reviewer"), visible: true, may: []motcua.Action{motcua.ActionCoReview}},
		{name: "STNMT receiver (co-agency)", token: e.officer("co2", "STNMT", "receiver", "approver"), visible: true},
		{name: "SKHDT officer (uninvolved)", token: e.officer("x", "SKHDT", "receiver", "reviewer", "approver", "cashier", "head")},
	}
	stages := []struct {
		status motcua.Status
		open   []motcua.Action
		next   func()
	}{
		{motcua.StatusSubmitted, []motcua.Action{motcua.ActionReceive, motcua.ActionReject, motcua.ActionReturn, motcua.ActionWithdraw},
			func() { e.actOK(parties[5].token, code, motcua.ActionReceive, nil) }},
		// From version 3 the head may apologise and set a new date before the
		// due date (NĐ 61/2018 Điều 19 khoản 9; issue 12).
		{motcua.StatusInReview, []motcua.Action{motcua.ActionReject, motcua.ActionRequestInfo, motcua.ActionReview, motcua.ActionWithdraw, motcua.ActionReschedule},
			func() { e.actOK(parties[6].token, code, motcua.ActionReview, nil) }},
		{motcua.StatusCoReview, []motcua.Action{motcua.ActionCoReview, motcua.ActionWithdraw, motcua.ActionReschedule}, nil},
	}
	checked := 0
	for _, st := range stages {
		before := e.settled(parties[4].token, code)
		if before.Status != st.status {
			t.Fatalf("stage %s: case is %s", st.status, before.Status)
		}
		var open []motcua.Action
		for _, p := range before.Actions {
			if p.Action != motcua.ActionAttach && !slices.Contains(open, p.Action) {
				open = append(open, p.Action)
			}
		}
		slices.Sort(open)
		want := slices.Clone(st.open)
		slices.Sort(want)
		if !slices.Equal(open, want) {
			t.Fatalf("stage %s: open actions %v, want %v", st.status, open, want)
		}
		for _, p := range parties {
			for _, a := range requestable {
				isOpen := slices.Contains(st.open, a)
				var expect int
				switch {
				case !p.visible:
					expect = 404
				case !isOpen:
					expect = 409
				case slices.Contains(p.may, a):
					continue // allowed: the lifecycle tests take these
				default:
					expect = 403
				}
				var headers []string
				if p.secret {
					headers = []string{"X-Case-Secret", r.Secret}
				}
				got := e.act(p.token, code, a, map[string]any{}, headers...)
				checked++
				if got.status != expect {
					t.Errorf("%s: %s by %s: %d, want %d (%s)", st.status, a, p.name, got.status, expect, got.body)
				}
			}
		}
		after := e.must(e.call("GET", "/api/v1/cases/"+code, parties[4].token, nil), 200).caseView()
		if after.Version != before.Version {
			t.Fatalf("stage %s: denied requests changed the case (version %d → %d)", st.status, before.Version, after.Version)
		}
		if st.next != nil {
			st.next()
		}
	}
	if checked < 400 {
		t.Fatalf("only %d pairs checked", checked)
	}
	t.Logf("%d denied (stage, party, action) triples checked", checked)
	// Looking the case up follows the same rule.
	for _, p := range parties {
		var headers []string
		if p.secret {
			headers = []string{"X-Case-Secret", r.Secret}
		}
		want := 404
		if p.visible {
			want = 200
		}
		if got := e.call("GET", "/api/v1/cases/"+code, p.token, nil, headers...).status; got != want {
			t.Errorf("look-up by %s: %d, want %d", p.name, got, want)
		}
	}
	// Inboxes: only officers, and only their own agency's work.
	if got := e.call("GET", "/api/v1/inbox", owner, nil).status; got != 403 {
		t.Errorf("citizen inbox: %d", got)
	}
	if got := e.call("GET", "/api/v1/inbox", "", nil).status; got != 401 {
		t.Errorf("anonymous inbox: %d", got)
	}
	if got := inboxCodes(e, parties[10].token, ""); !slices.Equal(got, []string{code}) {
		t.Errorf("co-agency inbox %v", got)
	}
	if got := inboxCodes(e, parties[12].token, ""); len(got) != 0 {
		t.Errorf("uninvolved agency inbox %v", got)
	}
}
