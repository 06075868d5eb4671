package api

import (
	"context"

	"github.com/gin-gonic/gin"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/workflows"
)

// What one case may accumulate (issue 16, finding 1): uploads per case per
// minute (429), and files and bytes per case (422, checked here against the
// read model and by the case itself, workflows/bounds.go).

// attachRate fails with 429 when the case has taken too many uploads in
// the last minute, whoever sent them.
func (s *Server) attachRate(c *gin.Context, cs *motcua.Case) bool {
	if s.attaches.allow("case:"+cs.Code, s.Now()) {
		return true
	}
	c.Header("Retry-After", "60")
	s.fail(c, motcua.Errorf(motcua.ERATELIMIT, "Hồ sơ %s nhận quá nhiều tệp trong thời gian ngắn, vui lòng thử lại sau một phút.", cs.Code))
	return false
}

// attachRefusal says why cs takes no file of size from a (nil if it
// does): an open incident, or the case's bounds.
func (s *Server) attachRefusal(ctx context.Context, cs *motcua.Case, a motcua.Actor, size int64) error {
	if err := s.incidentRefusal(ctx, cs); err != nil {
		return err
	}
	proc := &motcua.Procedure{}
	if s.Catalog != nil {
		if p, ok := s.Catalog.Get(cs.Procedure.Code); ok {
			proc = p
		}
	}
	if msg := workflows.AttachRefusal(s.Attachments, proc, cs.Documents, a.Kind == motcua.KindCitizen, size); msg != "" {
		return motcua.FieldErrors(msg, map[string]string{"file": msg})
	}
	return nil
}

// caseAccess reads who may see a case (issue 16, finding 7): the store's
// access read, or, for a store without one, the case itself.
func (s *Server) caseAccess(ctx context.Context, code string) (motcua.CaseAccess, error) {
	if acc, ok := s.Store.(motcua.CaseAccesses); ok {
		return acc.CaseAccess(ctx, code)
	}
	cs, err := s.Store.Case(ctx, code)
	if motcua.ErrorCode(err) == motcua.ENOTFOUND {
		return motcua.CaseAccess{}, nil
	} else if err != nil {
		return motcua.CaseAccess{}, err
	}
	st, err := s.secretState(ctx, code)
	if err != nil {
		return motcua.CaseAccess{}, err
	}
	acc := motcua.CaseAccess{Found: true, Owner: cs.Owner, Agencies: cs.Agencies, Secret: st, Revision: cs.Revision}
	if inc := s.openIncident(ctx, code); inc != nil {
		acc.Incident = inc.ID
	}
	return acc, nil
}
