package sim

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/textproto"
	"strings"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Mail is a message the SMTP sink received, decoded for reading: From and
// Subject without MIME encoded-words, Body the text part without its
// transfer encoding, line breaks as \n and trailing ones trimmed. To is the
// envelope's recipients, so Bcc shows too.
type Mail struct {
	From    string    `json:"from"`
	To      []string  `json:"to"`
	Subject string    `json:"subject"`
	Body    string    `json:"body"`
	At      time.Time `json:"at"`
	// Attachments are the files attached, decoded (a report's PDF and CSV).
	Attachments []Attachment `json:"attachments,omitempty"`
}

// Attachment is one attached file.
type Attachment struct {
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	Data        []byte `json:"data"`
}

// Mailbox returns the messages received, newest last.
func (s *Sim) Mailbox() []Mail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Mail{}, s.mailbox...)
}

// smtpSink is one ServeSMTP call's server and listener.
type smtpSink struct {
	srv *smtp.Server
	l   net.Listener
}

// close stops the server; closing l as well covers a Close that comes
// before Serve has registered the listener with the server.
func (k *smtpSink) close() error {
	err := k.srv.Close()
	_ = k.l.Close()
	if errors.Is(err, net.ErrClosed) || errors.Is(err, smtp.ErrServerClosed) {
		return nil
	}
	return err
}

// ServeSMTP runs an SMTP sink on l that accepts any message from anyone —
// with or without AUTH, any credentials — and keeps it in the mailbox. It
// returns nil when Close is called.
func (s *Sim) ServeSMTP(l net.Listener) error {
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) {
		return &mailSession{sim: s}, nil
	}))
	srv.Domain = "sim.motcua.local"
	srv.MaxMessageBytes = 25 << 20
	srv.MaxRecipients = 100
	srv.AllowInsecureAuth = true
	srv.ReadTimeout, srv.WriteTimeout = time.Minute, time.Minute
	srv.ErrorLog = smtpLog{s.log.With("server", "smtp")}

	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		_ = l.Close()
		return nil
	}
	s.sinks = append(s.sinks, &smtpSink{srv: srv, l: l})
	s.mu.Unlock()
	return srv.Serve(l)
}

// mailSession is one SMTP conversation.
type mailSession struct {
	sim  *Sim
	from string
	to   []string
}

func (m *mailSession) AuthMechanisms() []string { return []string{sasl.Plain} }

func (m *mailSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, _, _ string) error { return nil }), nil
}

func (m *mailSession) Mail(from string, _ *smtp.MailOptions) error {
	m.from = from
	return nil
}

func (m *mailSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	m.to = append(m.to, to)
	return nil
}

func (m *mailSession) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	msg, err := decodeMail(raw)
	if err != nil {
		// A sink keeps what it cannot parse, raw, rather than bounce it.
		m.sim.log.Warn("undecodable mail kept raw", "from", m.from, "err", err)
		msg = Mail{Body: string(raw)}
	}
	if msg.From == "" {
		msg.From = m.from
	}
	msg.To, msg.At = append([]string{}, m.to...), now()
	m.sim.mu.Lock()
	m.sim.mailbox = append(m.sim.mailbox, msg)
	m.sim.mu.Unlock()
	m.sim.log.Info("mail received", "to", msg.To, "subject", msg.Subject)
	return nil
}

func (m *mailSession) Reset() { m.from, m.to = "", nil }

func (m *mailSession) Logout() error { return nil }

// decodeMail reads an RFC 5322 message into a Mail without recipients.
func decodeMail(raw []byte) (Mail, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return Mail{}, err
	}
	dec := new(mime.WordDecoder)
	header := func(name string) string {
		v := msg.Header.Get(name)
		if d, err := dec.DecodeHeader(v); err == nil {
			return d
		}
		return v
	}
	raw, err = io.ReadAll(msg.Body)
	if err != nil {
		return Mail{}, err
	}
	body, err := textBody(textproto.MIMEHeader(msg.Header), bytes.NewReader(raw))
	if err != nil {
		return Mail{}, err
	}
	body = strings.TrimRight(strings.ReplaceAll(body, "\r\n", "\n"), "\n")
	files, err := attachments(textproto.MIMEHeader(msg.Header), bytes.NewReader(raw))
	if err != nil {
		return Mail{}, err
	}
	return Mail{From: header("From"), Subject: header("Subject"), Body: body, Attachments: files}, nil
}

// attachments decodes the parts of a multipart message sent as
// attachments.
func attachments(h textproto.MIMEHeader, r io.Reader) ([]Attachment, error) {
	mediaType, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil || !strings.HasPrefix(mediaType, "multipart/") {
		return nil, nil
	}
	parts := multipart.NewReader(r, params["boundary"])
	var out []Attachment
	for {
		p, err := parts.NextRawPart()
		if errors.Is(err, io.EOF) {
			return out, nil
		} else if err != nil {
			return nil, err
		}
		disp, dparams, _ := mime.ParseMediaType(p.Header.Get("Content-Disposition"))
		if disp != "attachment" {
			continue
		}
		data, err := io.ReadAll(transferDecoder(p.Header.Get("Content-Transfer-Encoding"), p))
		if err != nil {
			return nil, err
		}
		out = append(out, Attachment{Name: dparams["filename"], ContentType: p.Header.Get("Content-Type"), Data: data})
	}
}

// textBody returns the readable text of a MIME entity: its text/plain part
// if it has one, else its first text part, attachments skipped.
func textBody(h textproto.MIMEHeader, r io.Reader) (string, error) {
	mediaType, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil {
		mediaType = "text/plain"
	}
	if !strings.HasPrefix(mediaType, "multipart/") {
		b, err := io.ReadAll(transferDecoder(h.Get("Content-Transfer-Encoding"), r))
		return string(b), err
	}
	parts := multipart.NewReader(r, params["boundary"])
	var fallback string
	for {
		p, err := parts.NextRawPart()
		if errors.Is(err, io.EOF) {
			return fallback, nil
		} else if err != nil {
			return "", err
		}
		if disp, _, _ := mime.ParseMediaType(p.Header.Get("Content-Disposition")); disp == "attachment" {
			continue
		}
		pt, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		if pt != "" && !strings.HasPrefix(pt, "text/") && !strings.HasPrefix(pt, "multipart/") {
			continue
		}
		text, err := textBody(p.Header, p)
		if err != nil {
			return "", err
		}
		if pt == "" || pt == "text/plain" || (strings.HasPrefix(pt, "multipart/") && text != "") {
			return text, nil
		}
		if fallback == "" {
			fallback = text
		}
	}
}

func transferDecoder(encoding string, r io.Reader) io.Reader {
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "quoted-printable":
		return quotedprintable.NewReader(r)
	case "base64":
		return base64.NewDecoder(base64.StdEncoding, r)
	}
	return r
}

// smtpLog sends go-smtp's connection errors to slog at debug level: they
// are clients hanging up, which a sink does not care about.
type smtpLog struct{ log *slog.Logger }

func (l smtpLog) Printf(format string, v ...any) { l.log.Debug(fmt.Sprintf(format, v...)) }
func (l smtpLog) Println(v ...any)               { l.log.Debug(strings.TrimSpace(fmt.Sprintln(v...))) }
