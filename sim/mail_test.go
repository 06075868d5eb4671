package sim

import (
	"encoding/base64"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/http"
	"net/smtp"
	"slices"
	"strings"
	"testing"
	"time"
)

const (
	vnSubject = "Thông báo tiếp nhận hồ sơ HS-2026-000123 — Sở Kế hoạch và Đầu tư tỉnh Quảng Nam"
	vnBody    = "Kính gửi ông Nguyễn Văn Đức,\nHồ sơ đăng ký thành lập doanh nghiệp của ông đã được tiếp nhận.\nNgày hẹn trả kết quả: 15/03/2026."
)

// startSMTP runs s's SMTP sink on a free port and returns its address; the
// test fails if ServeSMTP does not return nil once s is closed.
func startSMTP(t *testing.T, s *Sim) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- s.ServeSMTP(l) }()
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("ServeSMTP: %v", err)
			}
		case <-time.After(5 * time.Second):
			t.Error("ServeSMTP did not return after Close")
		}
	})
	return l.Addr().String()
}

// crlf turns a message written with \n into the wire form.
func crlf(s string) []byte { return []byte(strings.ReplaceAll(s, "\n", "\r\n")) }

func TestSMTPSink(t *testing.T) {
	base64Body := base64.StdEncoding.EncodeToString([]byte(vnBody))
	messages := map[string]string{
		"Base64": "From: " + mime.QEncoding.Encode("utf-8", "Một cửa Quảng Nam") + " <noreply@motcua.test>\n" +
			"To: duc@example.vn\n" +
			"Subject: " + mime.BEncoding.Encode("utf-8", vnSubject) + "\n" +
			"MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n" +
			base64Body[:40] + "\n" + base64Body[40:] + "\n",
		"QuotedPrintable": "From: noreply@motcua.test\nTo: duc@example.vn\n" +
			"Subject: " + mime.QEncoding.Encode("utf-8", vnSubject) + "\n" +
			"MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n" +
			qp(t, vnBody) + "\n",
		"Multipart": "From: noreply@motcua.test\nTo: duc@example.vn\n" +
			"Subject: " + mime.QEncoding.Encode("utf-8", vnSubject) + "\n" +
			"MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=outer\n\n" +
			"--outer\nContent-Type: text/plain; charset=utf-8\nContent-Disposition: attachment; filename=\"ghi-chu.txt\"\n\nghi chú đính kèm\n" +
			"--outer\nContent-Type: multipart/alternative; boundary=inner\n\n" +
			"--inner\nContent-Type: text/html; charset=utf-8\n\n<p>HTML</p>\n" +
			"--inner\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n" + qp(t, vnBody) + "\n" +
			"--inner--\n" +
			"--outer\nContent-Type: application/pdf\nContent-Disposition: attachment; filename=\"bien-nhan.pdf\"\nContent-Transfer-Encoding: base64\n\nJVBERi0=\n" +
			"--outer--\n",
		"Raw8bit": "From: noreply@motcua.test\nTo: duc@example.vn\nSubject: " + vnSubject + "\n" +
			"Content-Type: text/plain; charset=utf-8\n\n" + vnBody + "\n",
	}
	for name, msg := range messages {
		t.Run(name, func(t *testing.T) {
			s, _ := startSim(t, Options{})
			addr := startSMTP(t, s)
			if err := smtp.SendMail(addr, nil, "noreply@motcua.test", []string{"duc@example.vn", "luu-tru@motcua.test"}, crlf(msg)); err != nil {
				t.Fatal(err)
			}
			box := s.Mailbox()
			if len(box) != 1 {
				t.Fatalf("mailbox has %d messages, want 1", len(box))
			}
			m := box[0]
			if m.Subject != vnSubject {
				t.Errorf("subject %q, want %q", m.Subject, vnSubject)
			}
			if m.Body != vnBody {
				t.Errorf("body %q, want %q", m.Body, vnBody)
			}
			if !slices.Equal(m.To, []string{"duc@example.vn", "luu-tru@motcua.test"}) || m.From == "" || m.At.IsZero() {
				t.Errorf("got %+v", m)
			}
		})
	}
}

func qp(t *testing.T, s string) string {
	t.Helper()
	var b strings.Builder
	w := quotedprintable.NewWriter(&b)
	if _, err := w.Write([]byte(s)); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "=") {
		t.Fatalf("quoted-printable encoding left %q unencoded", b.String())
	}
	return strings.ReplaceAll(b.String(), "\r\n", "\n")
}

func TestSMTPSinkDecodedFrom(t *testing.T) {
	s, _ := startSim(t, Options{})
	addr := startSMTP(t, s)
	msg := "From: " + mime.QEncoding.Encode("utf-8", "Sở Tư pháp") + " <stp@quangnam.test>\nSubject: x\n\nx\n"
	if err := smtp.SendMail(addr, nil, "bounce@quangnam.test", []string{"a@example.vn"}, crlf(msg)); err != nil {
		t.Fatal(err)
	}
	if from := s.Mailbox()[0].From; from != "Sở Tư pháp <stp@quangnam.test>" {
		t.Fatalf("from %q", from)
	}
}

func TestSMTPSinkAcceptsAnyAuth(t *testing.T) {
	s, _ := startSim(t, Options{})
	addr := startSMTP(t, s)
	auth := smtp.PlainAuth("", "motcua", "any-password", "127.0.0.1")
	if err := smtp.SendMail(addr, auth, "noreply@motcua.test", []string{"a@example.vn"}, crlf("Subject: có xác thực\n\nnội dung\n")); err != nil {
		t.Fatal(err)
	}
	if box := s.Mailbox(); len(box) != 1 || box[0].Subject != "có xác thực" || box[0].Body != "nội dung" {
		t.Fatalf("mailbox %+v", box)
	}
}

func TestMailboxEndpoint(t *testing.T) {
	s, base := startSim(t, Options{})
	addr := startSMTP(t, s)
	for _, subj := range []string{"Thư thứ nhất", "Thư thứ hai"} {
		msg := "From: noreply@motcua.test\nSubject: " + mime.QEncoding.Encode("utf-8", subj) + "\n\n" + vnBody + "\n"
		if err := smtp.SendMail(addr, nil, "noreply@motcua.test", []string{"duc@example.vn"}, crlf(msg)); err != nil {
			t.Fatal(err)
		}
	}
	var box []struct {
		From    string    `json:"from"`
		To      []string  `json:"to"`
		Subject string    `json:"subject"`
		Body    string    `json:"body"`
		At      time.Time `json:"at"`
	}
	if got := call(t, "GET", base+"/dev/mailbox", nil, &box); got != http.StatusOK {
		t.Fatalf("mailbox: %d", got)
	}
	if len(box) != 2 || box[0].Subject != "Thư thứ nhất" || box[1].Subject != "Thư thứ hai" || box[1].Body != vnBody ||
		box[0].To[0] != "duc@example.vn" || box[0].At.IsZero() {
		t.Fatalf("mailbox %+v, want both messages, oldest first", box)
	}
}

func TestServeSMTPAfterClose(t *testing.T) {
	s := New(Options{})
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- s.ServeSMTP(l) }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("ServeSMTP on a closed Sim: %v", err)
		}
	case <-time.After(5 * time.Second):
		l.Close()
		t.Fatal("ServeSMTP on a closed Sim did not return")
	}
	if _, err := net.Dial("tcp", l.Addr().String()); err == nil {
		t.Fatal("the listener is still open")
	}
}
