package api

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/workflows"
)

// A denouncer's identity is secret (Luật Tố cáo 2018 Điều 8 khoản 3, Điều 9
// khoản 1 điểm b, Điều 31 khoản 4, Điều 47 khoản 2): the API takes it out
// of a denunciation before the case starts and seals it (AES-256-GCM, the
// key derived from the case-secret key of the config) in its own table. The
// workflow's input and history, the read model, the case view, timeline,
// inbox, statistics and exports see a placeholder; only the officers
// handling the denunciation (the receiving desk and the head who resolves
// it) read the identity back, through GET /cases/{code}/denouncer. The
// investigator works from the redacted petition, as the Law's guidance
// requires.

// denouncerIdentity is what is sealed.
type denouncerIdentity struct {
	Applicant motcua.Applicant `json:"applicant"`
	Denouncer json.RawMessage  `json:"denouncer,omitempty"` // the form's denouncer part
	Address   string           `json:"delivery_address,omitempty"`
	FiledBy   string           `json:"filed_by,omitempty"` // the citizen account that filed
}

// sealDenunciation takes the denouncer's identity out of in, for a
// denunciation, and returns it sealed (nil for other procedures).
func (s *Server) sealDenunciation(in *workflows.CaseInput) ([]byte, error) {
	if in.Procedure.Shape != motcua.ShapeDenunciation {
		return nil, nil
	}
	if in.Anonymous {
		// Nothing to seal: the filing carries no identity, and the
		// account that sent it is not kept with the case either (the desk
		// that wrote the information down at the counter is named).
		if in.SubmittedBy.Kind == motcua.KindCitizen {
			in.SubmittedBy = motcua.Actor{Kind: motcua.KindCitizen, Subject: "anonymous", Name: motcua.AnonymousPlaceholder}
		}
		in.Owner, in.Notify = "", nil
		return nil, nil
	}
	if _, ok := s.Store.(motcua.SealedIdentities); !ok || len(s.Secrets.Key) == 0 {
		return nil, motcua.Errorf(motcua.EUNAVAILABLE, "Hệ thống chưa có nơi lưu giữ bí mật thông tin người tố cáo; chưa thể tiếp nhận đơn tố cáo.")
	}
	id := denouncerIdentity{Applicant: in.Applicant, Address: in.Delivery.Address}
	form := map[string]json.RawMessage{}
	if len(in.Form) > 0 {
		if err := json.Unmarshal(in.Form, &form); err != nil {
			return nil, motcua.Errorf(motcua.EINVALID, "Đơn tố cáo không đúng mẫu.")
		}
	}
	id.Denouncer = form["denouncer"]
	delete(form, "denouncer")
	in.Form, _ = json.Marshal(form)
	if in.SubmittedBy.Kind == motcua.KindCitizen {
		id.FiledBy = in.SubmittedBy.Subject
		in.SubmittedBy = motcua.Actor{Kind: motcua.KindCitizen, Subject: "denouncer", Name: motcua.DenouncerPlaceholder}
	}
	in.Applicant = motcua.Applicant{Name: motcua.DenouncerPlaceholder}
	in.Owner, in.Notify = "", nil // the denouncer follows the case with the receipt's secret
	if in.Delivery.Method == motcua.DeliveryPost {
		in.Delivery = motcua.Delivery{Method: motcua.DeliveryCounter} // the address would name them
	}
	in.Delivery.Address = ""
	plain, err := json.Marshal(id)
	if err != nil {
		return nil, err
	}
	return s.sealer().Seal(plain)
}

// anonymousFiling strips what an anonymous denunciation may not carry
// before it is checked: the applicant, the form's denouncer part, the
// notification channels and a postal address. What remains is the
// information itself (the accused, the content, the evidence): the agency
// inspects it when it is specific and evidenced (Luật Tố cáo 2018 Điều 25
// khoản 2) and follows it with no one.
func anonymousFiling(req *submitRequest) {
	req.Applicant = motcua.Applicant{Name: motcua.AnonymousPlaceholder}
	req.Delivery = motcua.Delivery{Method: motcua.DeliveryCounter}
	req.Notify, req.OnBehalf = &[]string{}, false
	form := map[string]json.RawMessage{}
	if json.Unmarshal(req.Form, &form) == nil {
		delete(form, "denouncer")
		req.Form, _ = json.Marshal(form)
	}
}

// keepSealed stores the sealed identity of a denunciation just filed.
func (s *Server) keepSealed(c *gin.Context, code string, sealed []byte) error {
	if sealed == nil {
		return nil
	}
	return s.Store.(motcua.SealedIdentities).SealIdentity(c.Request.Context(), code, sealed)
}

// denouncer answers GET /cases/{code}/denouncer: the sealed identity, to
// the receiving desk and the head of the agency handling the denunciation.
func (s *Server) denouncer(c *gin.Context) {
	cs, a, ok := s.visibleCase(c)
	if !ok {
		return
	}
	ids, stored := s.Store.(motcua.SealedIdentities)
	if cs.Procedure.Shape != motcua.ShapeDenunciation || !stored {
		s.fail(c, motcua.Errorf(motcua.ENOTFOUND, "Hồ sơ %s không phải đơn tố cáo.", cs.Code))
		return
	}
	if a.Kind != motcua.KindOfficer || a.Agency != cs.Agency || !(a.HasRole(motcua.RoleHead) || a.HasRole(motcua.RoleReceiver)) {
		s.fail(c, motcua.Errorf(motcua.EFORBIDDEN, "Chỉ người tiếp nhận và người giải quyết tố cáo được xem thông tin người tố cáo (Luật Tố cáo 2018 Điều 31 khoản 4)."))
		return
	}
	sealed, err := ids.SealedIdentity(c.Request.Context(), cs.Code)
	if err != nil {
		s.fail(c, err)
		return
	}
	plain, err := s.sealer().Open(sealed)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.log.Info("denouncer identity read", "case", cs.Code, "by", a.Subject) // who read it, never what
	c.Data(http.StatusOK, "application/json; charset=utf-8", plain)
}

// sealer encrypts with a key derived from the case-secret key.
func (s *Server) sealer() identitySealer {
	m := hmac.New(sha256.New, s.Secrets.Key)
	m.Write([]byte("motcua denouncer identity v1"))
	return identitySealer{key: m.Sum(nil)}
}

type identitySealer struct{ key []byte }

func (k identitySealer) aead() (cipher.AEAD, error) {
	block, err := aes.NewCipher(k.key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// Seal encrypts plain: nonce then ciphertext.
func (k identitySealer) Seal(plain []byte) ([]byte, error) {
	g, err := k.aead()
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, g.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	return g.Seal(nonce, nonce, plain, nil), nil
}

// Open decrypts what Seal made.
func (k identitySealer) Open(sealed []byte) ([]byte, error) {
	g, err := k.aead()
	if err != nil {
		return nil, err
	}
	if len(sealed) < g.NonceSize() {
		return nil, errors.New("sealed identity too short")
	}
	return g.Open(nil, sealed[:g.NonceSize()], sealed[g.NonceSize():], nil)
}
