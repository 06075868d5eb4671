package activities

import (
	"context"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"net/smtp"
	"slices"
	"strings"
	"time"

	"go.temporal.io/sdk/temporal"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/workflows"
)

// Notifier tells applicants of progress by SMS (the SMS gateway) and e-mail
// (an SMTP relay).
type Notifier struct {
	Backends *Backends
	SMTPAddr string
	From     string
	// PublicURL is where citizens reach the portal: a message's links are
	// written out under it.
	PublicURL string
}

// text is the message with its links written out, one a line.
func (n *Notifier) text(msg workflows.Notification) string {
	t := msg.Text
	for _, l := range msg.Links {
		t += "\n" + l.Label + ": " + n.PublicURL + l.Path
	}
	return t
}

// Notify sends n on each channel the applicant chose and has an address
// for. SMS carries the idempotency key; e-mail carries it as Message-ID so
// a relay or a reader can drop a repeat.
func (n *Notifier) Notify(ctx context.Context, msg workflows.Notification) error {
	if slices.Contains(msg.Channels, motcua.NotifySMS) && msg.Phone != "" {
		err := n.Backends.call(ctx, motcua.BackendSMS, "POST", "/sms/send",
			map[string]any{"idempotency_key": msg.IdempotencyKey + "-sms", "to": msg.Phone, "text": n.text(msg)}, nil)
		if err != nil {
			return err
		}
	}
	if slices.Contains(msg.Channels, motcua.NotifyEmail) && msg.Email != "" {
		if n.SMTPAddr == "" {
			return temporal.NewNonRetryableApplicationError("mail relay not configured", errNotConfigured, nil)
		}
		from, err := mail.ParseAddress(n.From)
		if err != nil {
			return temporal.NewNonRetryableApplicationError(fmt.Sprintf("mail sender %q: %v", n.From, err), errNotConfigured, nil)
		}
		if err := smtp.SendMail(n.SMTPAddr, nil, from.Address, []string{msg.Email}, n.mail(from, msg)); err != nil {
			return fmt.Errorf("send mail: %w", err)
		}
	}
	return nil
}

// mail builds a UTF-8 message whose Vietnamese subject and body survive
// any relay: an RFC 2047 subject and a quoted-printable body.
func (n *Notifier) mail(from *mail.Address, msg workflows.Notification) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "From: %s\r\n", from)
	fmt.Fprintf(&b, "To: %s\r\n", msg.Email)
	fmt.Fprintf(&b, "Subject: %s\r\n", mime.QEncoding.Encode("utf-8", "["+msg.CaseCode+"] "+msg.Subject))
	fmt.Fprintf(&b, "Message-ID: <%s@motcua>\r\n", msg.IdempotencyKey)
	fmt.Fprintf(&b, "Date: %s\r\n", time.Now().Format(time.RFC1123Z))
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n")
	qp := quotedprintable.NewWriter(&b)
	_, _ = qp.Write([]byte(strings.ReplaceAll(n.text(msg), "\n", "\r\n") + "\r\n\r\nTra cứu hồ sơ: mã " + msg.CaseCode + "\r\n"))
	_ = qp.Close()
	return []byte(b.String())
}
