package api

import (
	"net/http"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/motcua/motcua"
)

type devLoginRequest struct {
	Role    string        `json:"role"` // citizen, officer, admin
	Subject string        `json:"subject"`
	Name    string        `json:"name"`
	Agency  string        `json:"agency"`
	Roles   []motcua.Role `json:"roles"`
}

// devLogin issues a token for anyone (POST /api/v1/dev/login): `motcua dev`
// has no identity provider. The route exists only in dev mode.
func (s *Server) devLogin(c *gin.Context) {
	var req devLoginRequest
	if !s.decode(c, &req) {
		return
	}
	a := motcua.Actor{Kind: motcua.ActorKind(req.Role), Subject: strings.TrimSpace(req.Subject), Name: req.Name}
	bad := map[string]string{}
	switch a.Kind {
	case motcua.KindCitizen:
		if !personalIDPattern.MatchString(a.Subject) {
			bad["subject"] = msgCitizenID
		}
	case motcua.KindOfficer:
		if a.Subject == "" {
			bad["subject"] = "Cần tên đăng nhập của cán bộ."
		}
		if ag, ok := s.Catalog.Agencies().Get(req.Agency); !ok {
			bad["agency"] = "Không có cơ quan này."
		} else if msg := s.agencyNotActive(ag); msg != "" {
			bad["agency"] = msg
		}
		if len(req.Roles) == 0 {
			bad["roles"] = "Cần ít nhất một vai trò: receiver, reviewer, approver, cashier, head."
		}
		for _, r := range req.Roles {
			if !slices.Contains(motcua.OfficerRoles, r) {
				bad["roles"] = "Vai trò không hợp lệ: " + string(r) + "."
			}
		}
		a.Agency, a.Roles = req.Agency, req.Roles
	case motcua.KindAdmin:
		if a.Subject == "" {
			a.Subject = "admin"
		}
	default:
		bad["role"] = "Dùng citizen, officer hoặc admin."
	}
	if len(bad) > 0 {
		s.fail(c, motcua.FieldErrors("Không đăng nhập được.", bad))
		return
	}
	token, exp, err := s.Dev.Issue(a, s.Now())
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"token": token, "expires_at": exp, "actor": a})
}
