package api

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"io"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/motcua/motcua"
)

// Verifier checks the agency's signature of a document digest.
type Verifier interface {
	Verify(documentID string, sha256sum, sig []byte) bool
	KeyID() string
}

type verification struct {
	Authentic  bool      `json:"authentic"`
	Reason     string    `json:"reason,omitempty"`
	DocumentID string    `json:"document_id"`
	CaseCode   string    `json:"case_code"`
	Kind       string    `json:"kind"`
	Name       string    `json:"name"`
	SHA256     string    `json:"sha256"`
	Size       int64     `json:"size"`
	IssuedAt   time.Time `json:"issued_at"`
	KeyID      string    `json:"key_id"`
}

// verifyDocument tells anyone whether an issued document is authentic
// (GET /api/v1/verify/{id}, the QR code's target): the stored file still
// has the hash the agency signed. POST the file itself to the same address
// to check a copy: one changed byte and it is not authentic.
func (s *Server) verifyDocument(c *gin.Context) {
	// Like look-ups by secret, verification is rate-limited per address.
	if !s.limitSecret(c) {
		return
	}
	ctx := c.Request.Context()
	doc, code, err := s.Store.Document(ctx, c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	if doc.Signature == "" {
		s.fail(c, motcua.Errorf(motcua.ENOTFOUND, "Văn bản %s không phải văn bản do cơ quan ban hành.", doc.ID))
		return
	}
	v := verification{DocumentID: doc.ID, CaseCode: code, Kind: doc.Kind, Name: doc.Name, SHA256: doc.SHA256,
		Size: doc.Size, IssuedAt: doc.Uploaded, KeyID: doc.KeyID}
	var content io.Reader
	if c.Request.Method == http.MethodPost {
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, max(doc.Size, 1)+1<<20)
		f, _, err := c.Request.FormFile("file")
		if err != nil {
			s.fail(c, badRequest("Gửi tệp cần kiểm tra ở trường \"file\" (multipart/form-data)."))
			return
		}
		defer f.Close()
		content = f
	} else {
		blob, err := s.Blobs.Open(ctx, doc.SHA256)
		if err != nil {
			s.fail(c, err)
			return
		}
		defer blob.Close()
		content = blob
	}
	h := sha256.New()
	if _, err := io.Copy(h, content); err != nil {
		s.fail(c, badRequest("Không đọc được tệp."))
		return
	}
	sum := h.Sum(nil)
	sig, _ := base64.StdEncoding.DecodeString(doc.Signature)
	stored, _ := hex.DecodeString(doc.SHA256)
	switch {
	case hex.EncodeToString(sum) != doc.SHA256:
		v.Reason = "Nội dung tệp khác với văn bản đã ban hành."
	case s.Verifier == nil || doc.KeyID != s.Verifier.KeyID() || !s.Verifier.Verify(doc.ID, stored, sig):
		v.Reason = "Chữ ký số của cơ quan không khớp."
	default:
		v.Authentic = true
	}
	c.JSON(http.StatusOK, v)
}

// devMailbox shows the e-mails the simulator's mail sink received
// (GET /dev/mailbox, dev mode only).
func (s *Server) devMailbox(c *gin.Context) {
	c.JSON(http.StatusOK, gin.H{"messages": s.DevMailbox()})
}
