package workflows

import (
	"encoding/json"
	"fmt"

	"go.temporal.io/sdk/temporal"

	"github.com/motcua/motcua"
)

// What a case may accumulate (issue 16, finding 1): 333 small files posted
// to one case grew its history until Temporal terminated it. From
// versionBounded on, a case takes files up to the bounds it was started
// with (CaseInput.Attachments, from the uploads.* config), so its history
// stays bounded whatever anyone uploads. The API checks the same bounds
// against the read model first, and limits uploads per case per minute;
// the case's own check holds when concurrent uploads race past the API's.

// AttachLimits bound the files a case accepts.
type AttachLimits struct {
	// FilesPerDocument: the applicant's files per document the procedure
	// lists (at least one document counts), capped by FilesPerCase.
	FilesPerDocument int `json:"files_per_document"`
	// FilesPerCase: the applicant's files, and separately the officers'
	// working papers.
	FilesPerCase int `json:"files_per_case"`
	// CaseBytes: the size of every uploaded file together.
	CaseBytes int64 `json:"case_bytes"`
}

// DefaultAttachLimits are the config's defaults, for a case started
// without limits.
var DefaultAttachLimits = AttachLimits{FilesPerDocument: 5, FilesPerCase: 40, CaseBytes: 100 << 20}

func (l AttachLimits) orDefault() AttachLimits {
	if l.FilesPerDocument < 1 || l.FilesPerCase < 1 || l.CaseBytes < 1 {
		return DefaultAttachLimits
	}
	return l
}

// ApplicantFiles is how many files the applicant may attach to a case of
// procedure p.
func (l AttachLimits) ApplicantFiles(p *motcua.Procedure) int {
	return min(l.FilesPerCase, l.FilesPerDocument*max(1, len(p.Documents)))
}

// uploaded reports whether d came from a person (not issued by the
// agency).
func uploaded(d motcua.Document) bool {
	return d.Kind == motcua.DocumentApplication || d.Kind == motcua.DocumentSupplement || d.Kind == motcua.DocumentWorking
}

// AttachRefusal says why a case holding docs takes no file of size more
// from a citizen (byApplicant) or an officer, "" if it takes it.
func AttachRefusal(l AttachLimits, p *motcua.Procedure, docs []motcua.Document, byApplicant bool, size int64) string {
	l = l.orDefault()
	files, bytes := 0, size
	for _, d := range docs {
		if !uploaded(d) {
			continue
		}
		bytes += d.Size
		if (d.Kind == motcua.DocumentWorking) != byApplicant {
			files++
		}
	}
	limit := l.FilesPerCase
	if byApplicant {
		limit = l.ApplicantFiles(p)
	}
	switch {
	case files >= limit:
		return fmt.Sprintf("Hồ sơ đã có %d tệp đính kèm, tối đa %d tệp; hãy gộp các trang vào một tệp cho mỗi giấy tờ.", files, limit)
	case bytes > l.CaseBytes:
		return fmt.Sprintf("Tổng dung lượng tệp của hồ sơ vượt quá %s MB.", motcua.GroupThousands(l.CaseBytes>>20))
	}
	return ""
}

// checkAttach refuses a file beyond the case's bounds, from versionBounded
// on (a validator: the refusal never enters history).
func (c *caseRun) checkAttach(req motcua.ActionRequest) error {
	if c.version < versionBounded || req.Action != motcua.ActionAttach {
		return nil
	}
	var d motcua.Document
	_ = json.Unmarshal(req.Data, &d)
	if msg := AttachRefusal(c.in.Attachments, c.proc, c.state.Documents, req.Actor.Kind == motcua.KindCitizen, d.Size); msg != "" {
		return temporal.NewApplicationError(msg, motcua.EINVALID, map[string]string{"file": msg})
	}
	return nil
}
