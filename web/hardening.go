package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/motcua/motcua"
)

// Issue 16 on the case page: withdrawing or paying with the receipt's
// secret asks for the one-time code sent to the applicant (finding 3); the
// desk sees a back-end's refusal before receiving (finding 9); a case whose
// processing stopped shows its incident (finding 1, case.html).

// needsCode names the applicant actions a secret holder takes only with a
// one-time code.
func needsCode(a motcua.Action) bool { return a == motcua.ActionWithdraw || a == motcua.ActionPay }

// receptionRefusal is what a back-end refused while the file waits at the
// desk, "" if nothing.
func receptionRefusal(c *caseView) string {
	if c.Status != motcua.StatusSubmitted {
		return ""
	}
	for i := len(c.Timeline) - 1; i >= 0; i-- {
		switch c.Timeline[i].Action {
		case motcua.EventCheckFailed:
			return c.Timeline[i].Note
		case motcua.ActionReturn, motcua.ActionSupplement:
			return ""
		}
	}
	return ""
}

// sendCode asks the API to send the one-time code for an action to the
// applicant, and shows the case again saying where it went.
func (s *Server) sendCode(p *page) {
	code := p.r.PathValue("code")
	c, secret, ok := p.loadCase(code)
	if !ok {
		return
	}
	action := motcua.Action(p.r.PathValue("action"))
	if !needsCode(action) {
		p.Notice = p.T("case.not_open")
		s.showCase(p, c, secret, "", nil)
		return
	}
	rd, ct := jsonBody(map[string]string{"action": string(action)})
	a := p.api(apiCall{method: "POST", path: "/api/v1/cases/" + url.PathEscape(code) + "/codes", body: rd, ctype: ct, secret: secret})
	if !a.ok() {
		p.status = a.status
		s.showCase(p, c, secret, string(action), map[string]string{"one_time_code": a.err().Message})
		return
	}
	var sent struct {
		SentTo []string `json:"sent_to"`
	}
	_ = a.decode(&sent)
	p.Notice = p.T("case.code_sent", "To", strings.Join(sent.SentTo, ", "))
	p.status = http.StatusOK
	s.showCase(p, c, secret, "", nil)
}
