package web

import (
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/calendar"
)

type statusCount struct {
	Status, Text string
	N            int
	URL          string
	Current      bool
}

type inboxData struct {
	Cases      []caseSummary
	Counts     []statusCount
	Total      int
	Status     string
	Procedure  string
	Overdue    string
	NextURL    string
	FirstURL   string
	Statuses   []Option
	Procedures []Option
	AgencyName string
	Roles      []string
	// RegisterFrom and RegisterTo are the register's default period: this
	// month so far (YYYY-MM-DD).
	RegisterFrom, RegisterTo string
}

// inbox is the officer's list (/can-bo): the cases waiting for one of
// their roles at their agency, soonest due first, with filters, counts per
// status, overdue and due-soon marked, and keyset paging.
func (s *Server) inbox(p *page) {
	if !p.requireSignIn() {
		return
	}
	if !p.Officer() {
		p.status = http.StatusForbidden
		p.fail(p.T("inbox.only_officers"))
		return
	}
	q := p.r.URL.Query()
	d := &inboxData{Status: q.Get("status"), Procedure: q.Get("procedure"), Overdue: q.Get("overdue"),
		AgencyName: s.agencyName(p.Actor.Agency, p.Lang)}
	today := s.cfg.Now().In(calendar.Location)
	d.RegisterFrom = today.AddDate(0, 0, 1-today.Day()).Format(time.DateOnly)
	d.RegisterTo = today.Format(time.DateOnly)
	for _, r := range p.Actor.Roles {
		d.Roles = append(d.Roles, p.T("role."+string(r)))
	}
	filter := url.Values{}
	for k, v := range map[string]string{"status": d.Status, "procedure": d.Procedure, "overdue": d.Overdue} {
		if v != "" {
			filter.Set(k, v)
		}
	}
	apiQ := url.Values{"limit": {"50"}}
	for k := range filter {
		apiQ.Set(k, filter.Get(k))
	}
	if c := q.Get("cursor"); c != "" {
		apiQ.Set("cursor", c)
		d.FirstURL = "/can-bo?" + filter.Encode()
	}
	a := p.api(apiCall{method: "GET", path: "/api/v1/inbox?" + apiQ.Encode()})
	if !a.ok() {
		p.apiFail(a.err(), a.status)
		return
	}
	var list casePageList
	_ = a.decode(&list)
	now := s.cfg.Now()
	for _, c := range list.Cases {
		c.Name = s.caseProcName(c.Procedure, p.Lang)
		c.DueSoon = c.DueAt != nil && !c.Overdue && c.DueAt.Sub(now) < 48*time.Hour
		for _, perm := range c.Actions {
			if perm.Agency == p.Actor.Agency && p.Actor.HasRole(perm.Role) && offered(perm.Action) {
				c.Asked = append(c.Asked, s.actionTitle(perm.Action, p.Lang))
			}
		}
		c.Asked = slices.Compact(c.Asked)
		d.Cases = append(d.Cases, c)
	}
	if list.NextCursor != "" {
		nq := url.Values{}
		for k := range filter {
			nq.Set(k, filter.Get(k))
		}
		nq.Set("cursor", list.NextCursor)
		d.NextURL = "/can-bo?" + nq.Encode()
	}
	if sc, ok := s.cfg.Store.(StatusCounter); ok {
		counts, err := sc.InboxCounts(p.r.Context(), motcua.InboxQuery{Agency: p.Actor.Agency, Subject: p.Actor.Subject, Roles: p.Actor.Roles})
		if err != nil {
			s.log.Warn("inbox counts", "err", err)
		}
		keys := make([]string, 0, len(counts))
		for k := range counts {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			d.Total += counts[k]
			d.Counts = append(d.Counts, statusCount{Status: k, Text: p.T("status." + k), N: counts[k],
				URL: "/can-bo?status=" + url.QueryEscape(k), Current: k == d.Status})
		}
	}
	for _, st := range []motcua.Status{motcua.StatusSubmitted, motcua.StatusAwaitingSupplement, motcua.StatusReceived, motcua.StatusInReview,
		motcua.StatusCoReview, motcua.StatusAwaitingApproval, motcua.StatusAwaitingPayment, motcua.StatusAwaitingIssue, motcua.StatusResultReady,
		motcua.StatusAwaitingAssignment, motcua.StatusInvestigating, motcua.StatusAwaitingConclusion} {
		d.Statuses = append(d.Statuses, Option{Value: string(st), Label: p.T("status." + string(st)), Selected: string(st) == d.Status})
	}
	for _, pr := range s.cfg.Catalog.All() {
		if pr.OffersAgency(p.Actor.Agency) || slices.ContainsFunc(pr.CoAgencies, func(c motcua.CoAgency) bool { return c.Agency == p.Actor.Agency }) {
			d.Procedures = append(d.Procedures, Option{Value: pr.Code, Label: s.procName(pr, p.Lang), Selected: pr.Code == d.Procedure})
		}
	}
	p.Title = p.T("inbox.title")
	p.Data = d
	p.render("inbox")
}

// counterPick lets a receiving officer find the procedure a walk-in
// applicant files at the counter.
func (s *Server) counterPick(p *page) {
	if !p.requireSignIn() {
		return
	}
	if !(p.Officer() && p.Actor.HasRole(motcua.RoleReceiver)) {
		p.status = http.StatusForbidden
		p.fail(p.T("file.only_receiver"))
		return
	}
	d := s.search(p, "/can-bo/nop-ho-so", "/can-bo/nop-ho-so/", 2)
	d.Agency = p.Actor.Agency
	if d.Q == "" && p.r.URL.Query().Get("agency") == "" {
		// Only what this agency leads.
		q := p.r.URL.Query()
		q.Set("agency", p.Actor.Agency)
		p.r.URL.RawQuery = q.Encode()
		d = s.search(p, "/can-bo/nop-ho-so", "/can-bo/nop-ho-so/", 2)
	}
	d.Counter = true
	p.Title = p.T("counter.title")
	p.Data = d
	p.render("search")
}

// register downloads the officer's agency's register of files for a
// period, as the API draws it up (PDF, signed; or CSV).
func (s *Server) register(p *page) {
	if !p.requireSignIn() {
		return
	}
	q := url.Values{}
	for _, k := range []string{"from", "to", "format"} {
		if v := p.r.URL.Query().Get(k); v != "" {
			q.Set(k, v)
		}
	}
	a := p.api(apiCall{method: "GET", path: "/api/v1/agencies/" + url.PathEscape(p.Actor.Agency) + "/register?" + q.Encode()})
	if !a.ok() {
		p.apiFail(a.err(), a.status)
		return
	}
	passThrough(p.w, a, "Content-Disposition", "Content-Type", "X-Document-ID")
}
