package api

import (
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/motcua/motcua"
)

// Ratings: once a case has ended, its applicant — signed in as its owner,
// or holding its look-up secret — rates how it was served (PUT
// /cases/{code}/rating), and may change the rating for 7 days. The rating
// is the case's, not a person's: statistics count it, nothing published
// shows it.

type ratingBody struct {
	Overall  int    `json:"overall"`
	TimeKept int    `json:"time_kept"`
	Attitude int    `json:"attitude"`
	Guidance int    `json:"guidance"`
	Fees     int    `json:"fees"`
	Comment  string `json:"comment"`
}

const maxRatingComment = 2000

// mayRate: the applicant, by account or secret; nobody else speaks for
// them.
func mayRate(a motcua.Actor, cs *motcua.Case) bool {
	return a.WithSecret || (a.Kind == motcua.KindCitizen && a.Subject == cs.Owner)
}

func (s *Server) ratings() (motcua.Ratings, bool) {
	r, ok := s.Store.(motcua.Ratings)
	return r, ok
}

// putRating rates a closed case or changes its rating.
func (s *Server) putRating(c *gin.Context) {
	store, ok := s.ratings()
	if !ok {
		s.fail(c, motcua.Errorf(motcua.EUNAVAILABLE, "Chưa nhận được đánh giá, vui lòng thử lại sau."))
		return
	}
	cs, a, ok := s.visibleCase(c)
	if !ok {
		return
	}
	if !mayRate(a, cs) {
		s.fail(c, motcua.Errorf(motcua.EFORBIDDEN, "Chỉ người nộp hồ sơ mới đánh giá được hồ sơ này."))
		return
	}
	if !cs.Status.Final() {
		s.fail(c, motcua.Errorf(motcua.ECONFLICT, "Hồ sơ chưa kết thúc; có thể đánh giá khi hồ sơ đã có kết quả hoặc đã kết thúc."))
		return
	}
	var body ratingBody
	if !s.decode(c, &body) {
		return
	}
	body.Comment = strings.TrimSpace(body.Comment)
	bad := map[string]string{}
	for field, v := range map[string]int{"overall": body.Overall, "time_kept": body.TimeKept, "attitude": body.Attitude,
		"guidance": body.Guidance, "fees": body.Fees} {
		if v < 1 || v > 5 {
			bad[field] = "Chọn một mức từ 1 (rất không hài lòng) đến 5 (rất hài lòng)."
		}
	}
	if utf8.RuneCountInString(body.Comment) > maxRatingComment {
		bad["comment"] = "Tối đa 2000 ký tự."
	}
	if len(bad) > 0 {
		s.fail(c, motcua.FieldErrors("Đánh giá chưa hợp lệ, vui lòng kiểm tra các trường được đánh dấu.", bad))
		return
	}
	r := motcua.Rating{Overall: body.Overall, TimeKept: body.TimeKept, Attitude: body.Attitude, Guidance: body.Guidance,
		Fees: body.Fees, Comment: body.Comment}
	saved, created, err := store.SaveRating(c.Request.Context(), cs.Code, r, s.Now())
	if err != nil {
		s.fail(c, err)
		return
	}
	s.log.Info("case rated", "case", cs.Code, "overall", saved.Overall, "first", created)
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	c.JSON(status, saved)
}

// getRating shows a case's rating to whoever may rate it and to officers
// of its agencies.
func (s *Server) getRating(c *gin.Context) {
	store, ok := s.ratings()
	if !ok {
		s.fail(c, motcua.Errorf(motcua.ENOTFOUND, "Hồ sơ %s chưa được đánh giá.", c.Param("code")))
		return
	}
	cs, _, ok := s.visibleCase(c)
	if !ok {
		return
	}
	r, err := store.Rating(c.Request.Context(), cs.Code)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, r)
}
