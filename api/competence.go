package api

import (
	"slices"
	"strings"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/procedures"
)

// competentAgency is an agency that may lead a case filed today, as the
// catalogue shows it.
type competentAgency struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	NameEn string `json:"name_en"`
	Tier   string `json:"tier"`
}

// procedureView is a definition with the agencies competent today.
type procedureView struct {
	motcua.Procedure
	Competent []competentAgency `json:"competent"`
}

// filingDay is the day a submission is routed on (competence by date).
func (s *Server) filingDay() time.Time {
	if s.FilingClock != nil {
		return s.FilingClock()
	}
	return s.Now()
}

// competent lists the agencies that may lead a case of p filed today.
func (s *Server) competent(p *motcua.Procedure) []competentAgency {
	ags := s.Catalog.Agencies().Competent(p, s.filingDay())
	out := make([]competentAgency, len(ags))
	for i, a := range ags {
		out[i] = competentAgency{Code: a.Code, Name: a.Name, NameEn: a.NameEn, Tier: a.Tier}
	}
	return out
}

// routeSubmission sets req.Agency to the agency competent on the filing day
// (see procedures.Agencies.Route), or explains, naming the agencies, why
// it cannot: no choice among several, a choice that is not competent, or
// nobody competent.
func (s *Server) routeSubmission(proc *motcua.Procedure, req *submitRequest) (msg string, ok bool) {
	reg := s.Catalog.Agencies()
	day := s.filingDay()
	lead, choices := reg.Route(proc, req.Agency, day)
	if lead == nil && len(choices) > 1 {
		// Several communes are competent: the address the definition
		// names (where the business sits, the land lies, the person stays)
		// decides, among the successors of the unit the applicant asked
		// for when some are competent (a former district's communes).
		among := choices
		if req.Agency != "" {
			held := slices.DeleteFunc(reg.Holders(req.Agency, day), func(a *procedures.Agency) bool { return !slices.Contains(choices, a) })
			if len(held) > 0 {
				among = held
			}
		}
		lead = reg.Serving(procedures.LocalityAddress(proc, req.Form, req.Applicant), among)
	}
	if lead != nil {
		req.Agency = lead.Code
		return "", true
	}
	if len(choices) == 0 {
		return "Hiện chưa có cơ quan nào được giao giải quyết thủ tục này; vui lòng liên hệ bộ phận một cửa.", false
	}
	names := make([]string, len(choices))
	for i, a := range choices {
		names[i] = a.Name
	}
	list := strings.Join(names, "; ")
	if req.Agency == "" {
		return "Cần chọn cơ quan giải quyết (địa chỉ trong hồ sơ không cho biết thuộc phường, xã nào), một trong: " + list + ".", false
	}
	asked := req.Agency
	if a, known := reg.Get(req.Agency); known {
		asked = a.Name
	}
	return asked + " không có thẩm quyền giải quyết thủ tục này vào ngày nộp; chọn một trong: " + list + ".", false
}
