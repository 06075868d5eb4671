package api

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"

	"github.com/gin-gonic/gin"
	"go.temporal.io/sdk/temporal"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/workflows"
)

// SignatureHeader carries the HMAC-SHA256 (hex) of a callback's body.
const SignatureHeader = "X-Signature"

// signedBody reads a callback's body and checks the sender's signature.
func (s *Server) signedBody(c *gin.Context) ([]byte, bool) {
	body, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, 64<<10))
	if err != nil {
		s.fail(c, badRequest("Không đọc được nội dung."))
		return nil, false
	}
	mac := hmac.New(sha256.New, s.CallbackSecret)
	mac.Write(body)
	got, err := hex.DecodeString(c.GetHeader(SignatureHeader))
	if len(s.CallbackSecret) == 0 || err != nil || !hmac.Equal(got, mac.Sum(nil)) {
		s.log.Warn("callback with a bad signature", "path", c.FullPath(), "client", c.ClientIP())
		s.fail(c, motcua.Errorf(motcua.EUNAUTHORIZED, "Chữ ký không hợp lệ."))
		return nil, false
	}
	// The body becomes the data of the case's event: checked like any text.
	if bad := jsonTextProblems(body, func(string) textRule { return freeText }); len(bad) > 0 {
		s.fail(c, motcua.FieldErrors("Dữ liệu có ký tự không hợp lệ.", bad))
		return nil, false
	}
	return body, true
}

// paymentCallback takes the payment gateway's result
// (POST /api/v1/payments/callback) to the case. A result the case already
// has, or no longer waits for, is acknowledged and changes nothing, so a
// gateway that repeats itself is recorded once.
func (s *Server) paymentCallback(c *gin.Context) {
	body, ok := s.signedBody(c)
	if !ok {
		return
	}
	var d workflows.PaymentResultData
	if err := json.Unmarshal(body, &d); err != nil || d.OrderID == "" {
		s.fail(c, motcua.FieldErrors("Kết quả thanh toán không hợp lệ.", map[string]string{"order_id": "bắt buộc"}))
		return
	}
	code, found := workflows.CaseOfPaymentOrder(d.OrderID)
	if !found {
		s.fail(c, motcua.Errorf(motcua.ENOTFOUND, "Không có giao dịch %s.", d.OrderID))
		return
	}
	s.systemUpdate(c, code, motcua.ActionPaymentResult, body, "payment:"+d.OrderID+":"+d.Status)
}

// postalCallback takes a tracking event of a posted result
// (POST /api/v1/post/callback) to its case.
func (s *Server) postalCallback(c *gin.Context) {
	body, ok := s.signedBody(c)
	if !ok {
		return
	}
	var d workflows.TrackingData
	if err := json.Unmarshal(body, &d); err != nil || d.Tracking == "" {
		s.fail(c, motcua.FieldErrors("Sự kiện bưu chính không hợp lệ.", map[string]string{"tracking_number": "bắt buộc"}))
		return
	}
	cs, err := s.Store.CaseByTracking(c.Request.Context(), d.Tracking)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.systemUpdate(c, cs.Code, motcua.ActionPostalTracking, body, "post:"+d.Tracking+":"+d.Status)
}

// systemUpdate hands a back-end's callback to a case as an Update of the
// system actor, acknowledging repeats.
func (s *Server) systemUpdate(c *gin.Context, code string, action motcua.Action, data []byte, updateID string) {
	cs, err := s.Store.Case(c.Request.Context(), code)
	if err != nil {
		s.fail(c, err)
		return
	}
	req := motcua.ActionRequest{Action: action, Actor: motcua.SystemActor, Data: data}
	_, err = s.update(c.Request.Context(), cs, req, digest("system", updateID))
	var appErr *temporal.ApplicationError
	switch {
	case err == nil:
		c.JSON(http.StatusOK, gin.H{"ok": true, "case": code})
	case errors.Is(err, errCaseClosed), errors.As(err, &appErr) && appErr.Type() == motcua.ECONFLICT:
		c.JSON(http.StatusOK, gin.H{"ok": true, "case": code, "note": "already recorded"})
	default:
		s.fail(c, err)
	}
}
