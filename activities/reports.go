package activities

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"net/smtp"
	"strings"
	"time"

	"go.temporal.io/sdk/temporal"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/documents"
	"github.com/motcua/motcua/procedures"
	"github.com/motcua/motcua/store"
	"github.com/motcua/motcua/workflows"
)

// Reports builds the periodic reports from the read model's statistics and
// mails the province's to its office through the notifications' relay.
type Reports struct {
	DB       *store.DB
	Catalog  *procedures.Catalog
	Notifier *Notifier
	// Province is the agency that reports for the province (its name
	// heads the province's report); MailTo its office's address.
	Province string
	MailTo   string
	// Place is the place name before a report's date ("Đà Nẵng").
	Place string
}

var _ workflows.ReportActivities = (*Reports)(nil)

// BuildReports renders and stores the province's report (a line per
// agency) and each agency's (a line per procedure) for the period: every
// agency with a number in it.
func (r *Reports) BuildReports(ctx context.Context, req workflows.ReportRequest) ([]motcua.Report, error) {
	from, to, err := motcua.ReportRange(req.Period, req.Key)
	if err != nil {
		return nil, temporal.NewNonRetryableApplicationError(err.Error(), motcua.EINVALID, nil)
	}
	q := motcua.StatsQuery{From: from, To: to, Period: motcua.PeriodAll}
	total, err := r.total(ctx, q)
	if err != nil {
		return nil, err
	}
	q.By = []string{motcua.ByAgency}
	byAgency, err := r.DB.Stats(ctx, q)
	if err != nil {
		return nil, err
	}
	scope := "toàn tỉnh"
	if strings.Contains(r.agencyName(r.Province), "thành phố") {
		scope = "toàn thành phố"
	}
	province := documents.ReportDoc{Issuer: r.agencyName(r.Province), Scope: scope, Total: total, LineLabel: "Cơ quan"}
	for _, row := range byAgency {
		province.Lines = append(province.Lines, documents.ReportLine{Code: row.Agency, Name: r.agencyName(row.Agency), Row: row})
	}
	out := []motcua.Report{}
	rep, err := r.store(ctx, req, "", province)
	if err != nil {
		return nil, err
	}
	out = append(out, rep)
	for _, ag := range byAgency {
		q := motcua.StatsQuery{From: from, To: to, Period: motcua.PeriodAll, Agency: ag.Agency, By: []string{motcua.ByProcedure}}
		byProc, err := r.DB.Stats(ctx, q)
		if err != nil {
			return nil, err
		}
		doc := documents.ReportDoc{Issuer: r.agencyName(ag.Agency), Scope: r.agencyName(ag.Agency), Total: ag, LineLabel: "Thủ tục"}
		for _, row := range byProc {
			name := row.Procedure
			if p, ok := r.Catalog.Get(row.Procedure); ok {
				name = p.Name.Vi
			}
			doc.Lines = append(doc.Lines, documents.ReportLine{Code: row.Procedure, Name: name, Row: row})
		}
		rep, err := r.store(ctx, req, ag.Agency, doc)
		if err != nil {
			return nil, err
		}
		out = append(out, rep)
	}
	return out, nil
}

func (r *Reports) total(ctx context.Context, q motcua.StatsQuery) (motcua.StatsRow, error) {
	rows, err := r.DB.Stats(ctx, q)
	if err != nil || len(rows) == 0 {
		return motcua.StatsRow{Period: motcua.PeriodAll}, err
	}
	return rows[0], nil
}

// store renders doc for the period and saves it. The PDF is dated the day
// after the period, so making it again makes the same file.
func (r *Reports) store(ctx context.Context, req workflows.ReportRequest, agency string, doc documents.ReportDoc) (motcua.Report, error) {
	from, to, _ := motcua.ReportRange(req.Period, req.Key)
	doc.From, doc.To, doc.Made, doc.Period, doc.Place = from, to, to.AddDate(0, 0, 1), periodName(req.Period, from), r.Place
	pdf, err := documents.ReportPDF(doc)
	if err != nil {
		return motcua.Report{}, err
	}
	csv, err := documents.ReportCSV(doc)
	if err != nil {
		return motcua.Report{}, err
	}
	sum := sha256.Sum256(csv)
	t := doc.Total
	rep := motcua.Report{Period: req.Period, Key: req.Key, Agency: agency, From: from.Format(time.DateOnly), To: to.Format(time.DateOnly),
		Received: t.Received, Resolved: t.ResolvedOnTime + t.ResolvedLate, Late: t.ResolvedLate, Overdue: t.OpenOverdue,
		Digest: hex.EncodeToString(sum[:]), GeneratedAt: time.Now().UTC(), Generations: 1}
	return rep, r.DB.SaveReport(ctx, rep, pdf, csv)
}

// periodName is "tháng 10 năm 2026", "quý III năm 2026" or "năm 2026".
func periodName(period string, from time.Time) string {
	switch period {
	case motcua.PeriodMonth:
		return fmt.Sprintf("tháng %d năm %d", from.Month(), from.Year())
	case motcua.PeriodQuarter:
		return fmt.Sprintf("quý %s năm %d", []string{"I", "II", "III", "IV"}[(from.Month()-1)/3], from.Year())
	}
	return fmt.Sprintf("năm %d", from.Year())
}

func (r *Reports) agencyName(code string) string {
	if a, ok := r.Catalog.Agencies().Get(code); ok {
		return a.Name
	}
	return code
}

// MailReport sends the province's stored report (PDF and CSV attached) to
// its office. The Message-ID names the period, so a retried send is one
// message to a relay or reader that drops repeats.
func (r *Reports) MailReport(ctx context.Context, req workflows.ReportRequest) error {
	n := r.Notifier
	if n == nil || n.SMTPAddr == "" || r.MailTo == "" {
		return temporal.NewNonRetryableApplicationError("mail relay or reports.mail_to not configured", errNotConfigured, nil)
	}
	from, err := mail.ParseAddress(n.From)
	if err != nil {
		return temporal.NewNonRetryableApplicationError(fmt.Sprintf("mail sender %q: %v", n.From, err), errNotConfigured, nil)
	}
	to, err := mail.ParseAddress(r.MailTo)
	if err != nil {
		return temporal.NewNonRetryableApplicationError(fmt.Sprintf("reports.mail_to %q: %v", r.MailTo, err), errNotConfigured, nil)
	}
	rep, pdf, err := r.DB.ReportFile(ctx, req.Period, req.Key, "", "pdf")
	if err != nil {
		return err
	}
	_, csv, err := r.DB.ReportFile(ctx, req.Period, req.Key, "", "csv")
	if err != nil {
		return err
	}
	start, _, _ := motcua.ReportRange(req.Period, req.Key)
	name := periodName(req.Period, start)
	text := fmt.Sprintf("Kính gửi Văn phòng,\r\n\r\nHệ thống một cửa điện tử gửi báo cáo tình hình giải quyết thủ tục hành chính %s (từ %s đến %s): "+
		"tiếp nhận %d hồ sơ, có kết quả %d (quá hạn %d), đang giải quyết quá hạn %d.\r\n\r\n"+
		"Báo cáo của từng cơ quan có trên hệ thống (GET /api/v1/reports?period=%s&key=%s).\r\n",
		name, rep.From, rep.To, rep.Received, rep.Resolved, rep.Late, rep.Overdue, req.Period, req.Key)
	file := "bao-cao-" + req.Period + "-" + req.Key
	msg := reportMail(from, to, "Báo cáo tình hình giải quyết TTHC "+name, "report-"+req.Period+"-"+req.Key+"-"+rep.Digest[:12], text,
		[]attachment{{file + ".pdf", "application/pdf", pdf}, {file + ".csv", "text/csv; charset=utf-8", csv}})
	if err := smtp.SendMail(n.SMTPAddr, nil, from.Address, []string{to.Address}, msg); err != nil {
		return fmt.Errorf("send report mail: %w", err)
	}
	return nil
}

type attachment struct {
	name, contentType string
	data              []byte
}

// reportMail is a multipart/mixed message: the text, then each file in
// base64.
func reportMail(from, to *mail.Address, subject, id, text string, files []attachment) []byte {
	const boundary = "motcua-report-boundary"
	var b strings.Builder
	fmt.Fprintf(&b, "From: %s\r\nTo: %s\r\n", from, to)
	fmt.Fprintf(&b, "Subject: %s\r\n", mime.QEncoding.Encode("utf-8", subject))
	fmt.Fprintf(&b, "Message-ID: <%s@motcua>\r\nDate: %s\r\nMIME-Version: 1.0\r\n", id, time.Now().Format(time.RFC1123Z))
	fmt.Fprintf(&b, "Content-Type: multipart/mixed; boundary=%q\r\n\r\n", boundary)
	fmt.Fprintf(&b, "--%s\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n", boundary)
	qp := quotedprintable.NewWriter(&b)
	_, _ = qp.Write([]byte(text))
	_ = qp.Close()
	for _, f := range files {
		fmt.Fprintf(&b, "\r\n--%s\r\nContent-Type: %s\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=%q\r\n\r\n",
			boundary, f.contentType, f.name)
		enc := base64.StdEncoding.EncodeToString(f.data)
		for len(enc) > 76 {
			b.WriteString(enc[:76] + "\r\n")
			enc = enc[76:]
		}
		b.WriteString(enc + "\r\n")
	}
	fmt.Fprintf(&b, "--%s--\r\n", boundary)
	return []byte(b.String())
}
