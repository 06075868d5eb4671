package api

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/big"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/workflows"
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

// One-time codes (issue 16, finding 3): the receipt's secret lets its
// holder look the case up and complete the file; withdrawing or paying also
// needs the applicant signed in as the owner, or the one-time code this
// sends to the applicant's phone or e-mail (POST /cases/{code}/codes
// {"action": "withdraw"}), given as X-One-Time-Code with the action. A code
// lasts oneTimeCodeTTL, works once, allows oneTimeCodeAttempts tries; only
// its HMAC is kept.
const (
	oneTimeCodeTTL      = 10 * time.Minute
	oneTimeCodeAttempts = 5
)

// needsOneTimeCode reports whether a takes action on cs only with a
// one-time code: a secret holder who is not the owner signed in, ending or
// paying.
func needsOneTimeCode(a motcua.Actor, cs *motcua.Case, action motcua.Action) bool {
	spec, ok := workflows.Spec(action)
	return ok && !spec.BySecret && a.WithSecret && a.Kind == motcua.KindCitizen && a.Subject != cs.Owner &&
		(action == motcua.ActionWithdraw || action == motcua.ActionPay)
}

func (s *Server) oneTimeCodeHash(code string, action motcua.Action, otp string) string {
	m := hmac.New(sha256.New, s.Secrets.Key)
	m.Write([]byte("motcua one-time code\x00" + code + "\x00" + string(action) + "\x00" + otp))
	return hex.EncodeToString(m.Sum(nil))
}

// sendCode sends a one-time code for an action to the case's applicant.
func (s *Server) sendCode(c *gin.Context) {
	cs, a, ok := s.visibleCase(c)
	if !ok {
		return
	}
	var body struct {
		Action motcua.Action `json:"action"`
	}
	if !s.decode(c, &body) {
		return
	}
	if body.Action != motcua.ActionWithdraw && body.Action != motcua.ActionPay {
		s.fail(c, motcua.FieldErrors("Mã xác thực một lần chỉ dùng để rút hồ sơ hoặc thanh toán.", map[string]string{"action": "Dùng withdraw hoặc pay."}))
		return
	}
	codes, keeps := s.Store.(motcua.OneTimeCodes)
	to := contacts(cs.Applicant)
	switch {
	case !needsOneTimeCode(a, cs, body.Action):
		s.fail(c, motcua.Errorf(motcua.ECONFLICT, "Bạn đã đăng nhập là người nộp hồ sơ: không cần mã xác thực."))
		return
	case !keeps || s.SendCode == nil:
		s.fail(c, motcua.Errorf(motcua.EUNAVAILABLE, "Chưa gửi được mã xác thực; vui lòng đăng nhập để thực hiện."))
		return
	case len(to) == 0:
		s.fail(c, motcua.Errorf(motcua.ECONFLICT, "Hồ sơ không có số điện thoại hay thư điện tử để gửi mã; vui lòng đăng nhập hoặc đến bộ phận một cửa."))
		return
	case !s.codeSends.allow("send:"+cs.Code, s.Now()):
		c.Header("Retry-After", "60")
		s.fail(c, motcua.Errorf(motcua.ERATELIMIT, "Đã gửi mã gần đây, vui lòng đợi một phút rồi thử lại."))
		return
	}
	otp, err := sixDigits()
	if err != nil {
		s.fail(c, err)
		return
	}
	now := s.Now()
	if err := codes.SaveOneTimeCode(c.Request.Context(), cs.Code, string(body.Action), s.oneTimeCodeHash(cs.Code, body.Action, otp), now.Add(oneTimeCodeTTL), now); err != nil {
		s.fail(c, err)
		return
	}
	what := map[motcua.Action]string{motcua.ActionWithdraw: "rút hồ sơ", motcua.ActionPay: "thanh toán"}[body.Action]
	n := workflows.Notification{IdempotencyKey: "otp-" + newID(), CaseCode: cs.Code, Phone: cs.Applicant.Phone, Email: cs.Applicant.Email,
		Subject: "Mã xác thực " + what,
		Text: fmt.Sprintf("Mã xác thực để %s hồ sơ %s: %s (hiệu lực %d phút, dùng một lần). Không đưa mã này cho người khác.",
			what, cs.Code, otp, int(oneTimeCodeTTL.Minutes()))}
	for _, t := range to {
		n.Channels = append(n.Channels, t.channel)
	}
	if err := s.SendCode(c.Request.Context(), n); err != nil {
		s.log.Error("one-time code not sent", "case", cs.Code, "err", err)
		s.fail(c, motcua.Errorf(motcua.EUNAVAILABLE, "Chưa gửi được mã xác thực, vui lòng thử lại sau."))
		return
	}
	s.log.Info("one-time code sent", "case", cs.Code, "action", body.Action)
	sent := []string{}
	for _, t := range to {
		sent = append(sent, t.masked)
	}
	c.JSON(http.StatusAccepted, gin.H{"sent_to": sent, "expires_at": now.Add(oneTimeCodeTTL).UTC()})
}

// checkOneTimeCode marks a as having given the one-time code for action,
// or says why not.
func (s *Server) checkOneTimeCode(c *gin.Context, cs *motcua.Case, a *motcua.Actor, action motcua.Action) error {
	if !needsOneTimeCode(*a, cs, action) {
		return nil
	}
	otp := strings.TrimSpace(c.GetHeader("X-One-Time-Code"))
	codes, keeps := s.Store.(motcua.OneTimeCodes)
	if otp == "" || !keeps {
		return &motcua.Error{Code: motcua.EFORBIDDEN, Message: "Rút hồ sơ hoặc thanh toán bằng mã tra cứu cần thêm mã xác thực gửi tới điện thoại hoặc thư điện tử của người nộp, hoặc đăng nhập.",
			Fields: map[string]string{"X-One-Time-Code": "Cần mã xác thực một lần."}}
	}
	ok, left, err := codes.UseOneTimeCode(c.Request.Context(), cs.Code, string(action), s.oneTimeCodeHash(cs.Code, action, otp), oneTimeCodeAttempts, s.Now())
	if err != nil {
		return err
	}
	if !ok {
		msg := "Mã xác thực không đúng, đã hết hạn hoặc đã dùng; hãy yêu cầu mã mới."
		if left > 0 {
			msg = fmt.Sprintf("Mã xác thực không đúng; còn %d lần thử.", left)
		}
		return &motcua.Error{Code: motcua.EFORBIDDEN, Message: msg, Fields: map[string]string{"X-One-Time-Code": msg}}
	}
	a.OneTimeCode = true
	a.Name = "Người giữ mã tra cứu (xác thực bằng mã gửi tới người nộp)"
	return nil
}

type contact struct{ channel, masked string }

// contacts are where a one-time code may go, masked for the answer.
func contacts(ap motcua.Applicant) []contact {
	var out []contact
	if p := ap.Phone; len(p) >= 6 {
		out = append(out, contact{motcua.NotifySMS, p[:3] + strings.Repeat("*", len(p)-5) + p[len(p)-2:]})
	}
	if user, domain, ok := strings.Cut(ap.Email, "@"); ok && user != "" {
		out = append(out, contact{motcua.NotifyEmail, user[:1] + "***@" + domain})
	}
	return out
}

// sixDigits is a uniformly random six-digit code.
func sixDigits() (string, error) {
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%06d", n.Int64()), nil
}
