package api

import (
	"bufio"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/motcua/motcua"
)

// upload attaches one file to a case (POST /cases/{code}/documents,
// multipart field "file"). The type is sniffed from the content, not taken
// from the client; the file is stored before the case records it, so a
// recorded document always has its bytes.
func (s *Server) upload(c *gin.Context) {
	cs, a, ok := s.visibleCase(c)
	if !ok || !s.attachRate(c, cs) {
		return
	}
	// Room for the multipart envelope around the file.
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, s.MaxUpload+64<<10)
	mr, err := c.Request.MultipartReader()
	if err != nil {
		s.fail(c, motcua.Errorf(motcua.EUNSUPPORTED, "Cần gửi tệp dạng multipart/form-data, trường \"file\"."))
		return
	}
	var part io.Reader
	var name string
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			s.fail(c, badRequest("Thiếu trường \"file\"."))
			return
		} else if err != nil {
			s.fail(c, s.uploadError(clientBodyError{err}))
			return
		}
		if p.FormName() == "file" {
			if msg := textProblem(p.FileName(), fileName); msg != "" {
				s.fail(c, motcua.FieldErrors("Tên tệp không hợp lệ.", map[string]string{"file": msg}))
				return
			}
			part, name = clientBody{p}, cleanFileName(p.FileName())
			break
		}
	}
	br := bufio.NewReaderSize(part, 512)
	head, err := br.Peek(512)
	if err != nil && !errors.Is(err, io.EOF) {
		s.fail(c, s.uploadError(err))
		return
	}
	if len(head) == 0 {
		s.fail(c, motcua.FieldErrors("Tệp rỗng.", map[string]string{"file": "Tệp rỗng."}))
		return
	}
	ctype, _, _ := mime.ParseMediaType(http.DetectContentType(head))
	if !slices.Contains(s.AllowedTypes, ctype) {
		s.fail(c, motcua.Errorf(motcua.EUNSUPPORTED, "Loại tệp %s không được nhận; chấp nhận: %s.", ctype, strings.Join(s.AllowedTypes, ", ")))
		return
	}
	sum, size, err := s.Blobs.Put(c.Request.Context(), br, s.MaxUpload)
	if err != nil {
		s.fail(c, s.uploadError(err))
		return
	}
	doc := motcua.Document{ID: newID(), Name: name, Type: ctype, Size: size, SHA256: sum}
	data, _ := json.Marshal(doc)
	key := sum // without a key, the same file twice is the same attachment
	var hold *keyHold
	if c.GetHeader("Idempotency-Key") != "" {
		if key, ok = s.idempotencyKey(c); !ok {
			return
		}
		// The request is its file, not its multipart envelope, whose
		// boundary changes on every retry.
		if hold, ok = s.holdKey(c, a.Subject, key, digest(c.Request.URL.Path, name, sum)); !ok {
			return
		}
		if hold.prev != nil {
			s.replay(c, hold)
			return
		}
	}
	err = s.attachRefusal(c.Request.Context(), cs, a, size)
	var view *motcua.Case
	if err == nil {
		view, err = s.update(c.Request.Context(), cs, motcua.ActionRequest{Action: motcua.ActionAttach, Actor: a, Data: data},
			digest(a.Subject, "attach", key))
	}
	if err != nil {
		if hold != nil {
			s.release(c, hold, err)
		} else {
			s.fail(c, err)
		}
		return
	}
	// The attachment is the file's: the same bytes sent again under
	// another name, without a key, are the attachment already there.
	found := false
	for _, d := range view.Documents {
		if d.SHA256 == sum && (d.Name == name || !found) {
			doc, found = d, true
		}
	}
	if hold != nil {
		s.answer(c, hold, http.StatusCreated, doc)
		return
	}
	c.JSON(http.StatusCreated, doc)
}

// clientBody marks the errors of reading a request's body as the
// client's: a body cut short or malformed multipart is a bad request,
// not a failure of ours.
type clientBody struct{ r io.Reader }

func (b clientBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if err != nil && !errors.Is(err, io.EOF) {
		err = clientBodyError{err}
	}
	return n, err
}

type clientBodyError struct{ err error }

func (e clientBodyError) Error() string { return "request body: " + e.err.Error() }
func (e clientBodyError) Unwrap() error { return e.err }

// uploadError is err of an upload in the shared vocabulary: too large
// (413), the client's malformed or cut body (400), else as it is.
func (s *Server) uploadError(err error) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return motcua.Errorf(motcua.ETOOLARGE, "Tệp vượt quá dung lượng cho phép (%s).", humanSize(s.MaxUpload))
	}
	if motcua.ErrorCode(err) != motcua.EINTERNAL {
		return err
	}
	var client clientBodyError
	if errors.As(err, &client) || errors.Is(err, io.ErrUnexpectedEOF) {
		return badRequest("Dữ liệu multipart/form-data không đúng định dạng hoặc bị cắt ngang.")
	}
	return err
}

// download streams a document of a case to whoever may see the case.
func (s *Server) download(c *gin.Context) {
	cs, _, ok := s.visibleCase(c)
	if !ok {
		return
	}
	i := slices.IndexFunc(cs.Documents, func(d motcua.Document) bool { return d.ID == c.Param("id") })
	if i < 0 {
		s.fail(c, motcua.Errorf(motcua.ENOTFOUND, "Hồ sơ không có tài liệu này."))
		return
	}
	d := cs.Documents[i]
	f, err := s.Blobs.Open(c.Request.Context(), d.SHA256)
	if err != nil {
		s.fail(c, err)
		return
	}
	defer f.Close()
	c.Header("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": d.Name}))
	c.Header("X-Content-SHA256", d.SHA256)
	c.DataFromReader(http.StatusOK, d.Size, d.Type, f, nil)
}

// cleanFileName keeps a display name safe to show and to send back.
func cleanFileName(n string) string {
	n = filepath.Base(strings.ReplaceAll(n, "\\", "/"))
	n = strings.Map(func(r rune) rune {
		if r < 32 || r == 127 || strings.ContainsRune(`"<>|*?:`, r) {
			return -1
		}
		return r
	}, n)
	for utf8.RuneCountInString(n) > 200 {
		_, size := utf8.DecodeLastRuneInString(n)
		n = n[:len(n)-size]
	}
	if n == "" || n == "." || n == "/" {
		return "tai-lieu"
	}
	return n
}

// humanSize writes a byte count as people read it.
func humanSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.4g MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.4g KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d byte", n)
}

func newID() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%x", b)
}
