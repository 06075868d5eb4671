package api

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/motcua/motcua"
)

// The look-up secret printed on the receipt: its owner or the desk may
// re-issue it (the old one stops working) or revoke it (none works until
// re-issued). Only the count of re-issues is stored; the secret is derived.

// secretState is where code's secret stands; without a store that keeps
// it, the receipt's secret always.
func (s *Server) secretState(ctx context.Context, code string) (motcua.SecretState, error) {
	if st, ok := s.Store.(motcua.SecretStates); ok {
		return st.SecretState(ctx, code)
	}
	return motcua.SecretState{}, nil
}

// validSecret reports whether secret opens code now.
func (s *Server) validSecret(ctx context.Context, code, secret string) bool {
	st, err := s.secretState(ctx, code)
	if err != nil {
		s.log.Error("secret state", "case", code, "err", err)
		return false
	}
	return !st.Revoked && s.Secrets.Valid(code, st.Generation, secret)
}

// currentSecret is the secret that opens code now ("" when revoked).
func (s *Server) currentSecret(ctx context.Context, code string) (string, error) {
	st, err := s.secretState(ctx, code)
	if err != nil || st.Revoked {
		return "", err
	}
	return s.Secrets.OfGeneration(code, st.Generation), nil
}

// mayManageSecret: the applicant signed in as the case's owner, an officer
// receiving at its lead agency, an administrator — not a secret holder.
func mayManageSecret(a motcua.Actor, cs *motcua.Case) bool {
	switch {
	case a.WithSecret:
		return false
	case a.Kind == motcua.KindCitizen:
		return a.Subject == cs.Owner
	case a.Kind == motcua.KindOfficer:
		return a.Agency == cs.Agency && a.HasRole(motcua.RoleReceiver)
	}
	return a.Kind == motcua.KindAdmin
}

// reissueSecret gives the case a new secret (POST /cases/{code}/secret).
func (s *Server) reissueSecret(c *gin.Context) {
	cs, st, ok := s.secretChange(c)
	if !ok {
		return
	}
	st = motcua.SecretState{Generation: st.Generation + 1}
	if err := s.Store.(motcua.SecretStates).SetSecretState(c.Request.Context(), cs.Code, st); err != nil {
		s.fail(c, err)
		return
	}
	a, _ := actor(c)
	s.log.Info("case secret re-issued", "case", cs.Code, "by", a.Subject, "generation", st.Generation)
	c.JSON(http.StatusOK, gin.H{"code": cs.Code, "secret": s.Secrets.OfGeneration(cs.Code, st.Generation)})
}

// revokeSecret makes no secret open the case (DELETE /cases/{code}/secret).
func (s *Server) revokeSecret(c *gin.Context) {
	cs, st, ok := s.secretChange(c)
	if !ok {
		return
	}
	st.Revoked = true
	if err := s.Store.(motcua.SecretStates).SetSecretState(c.Request.Context(), cs.Code, st); err != nil {
		s.fail(c, err)
		return
	}
	a, _ := actor(c)
	s.log.Info("case secret revoked", "case", cs.Code, "by", a.Subject)
	c.Status(http.StatusNoContent)
}

// secretChange loads the case and its secret's state for whoever may
// change it.
func (s *Server) secretChange(c *gin.Context) (*motcua.Case, motcua.SecretState, bool) {
	if _, ok := s.requireActor(c); !ok {
		return nil, motcua.SecretState{}, false
	}
	cs, a, ok := s.visibleCase(c)
	if !ok {
		return nil, motcua.SecretState{}, false
	}
	if !mayManageSecret(a, cs) {
		s.fail(c, motcua.Errorf(motcua.EFORBIDDEN, "Chỉ người nộp hồ sơ (đã đăng nhập) hoặc cán bộ tiếp nhận của cơ quan giải quyết mới cấp lại hoặc thu hồi được mã tra cứu."))
		return nil, motcua.SecretState{}, false
	}
	if _, keeps := s.Store.(motcua.SecretStates); !keeps {
		s.fail(c, motcua.Errorf(motcua.EUNAVAILABLE, "Chưa cấp lại được mã tra cứu, vui lòng thử lại sau."))
		return nil, motcua.SecretState{}, false
	}
	st, err := s.secretState(c.Request.Context(), cs.Code)
	if err != nil {
		s.fail(c, err)
		return nil, motcua.SecretState{}, false
	}
	return cs, st, true
}
