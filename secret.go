package motcua

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base32"
	"strconv"
	"strings"
	"time"
)

// CaseSecrets derives a case's look-up secret from its code, so nothing
// needs storing: the receipt shows it, and whoever holds it may look the
// case up and complete its file (supplement, attach); withdrawing or paying
// needs the owner signed in (workflows.ActionSpec.BySecret).
type CaseSecrets struct{ Key []byte }

var secretEncoding = base32.NewEncoding("0123456789ABCDEFGHJKMNPQRSTVWXYZ").WithPadding(base32.NoPadding)

// Of returns the 10-character secret of code (50 bits; look-ups are
// rate-limited, so it cannot be guessed).
func (s CaseSecrets) Of(code string) string {
	m := hmac.New(sha256.New, s.Key)
	m.Write([]byte("motcua case secret\x00" + code))
	return secretEncoding.EncodeToString(m.Sum(nil))[:10]
}

// OfGeneration returns code's secret after it was re-issued generation
// times (0 is the receipt's, Of): each re-issue makes the one before it
// useless, and nothing needs storing but the count.
func (s CaseSecrets) OfGeneration(code string, generation int) string {
	if generation == 0 {
		return s.Of(code)
	}
	m := hmac.New(sha256.New, s.Key)
	m.Write([]byte("motcua case secret\x00" + code + "\x00" + strconv.Itoa(generation)))
	return secretEncoding.EncodeToString(m.Sum(nil))[:10]
}

// Valid reports whether secret is code's at generation; case, spaces and
// dashes a person may type are ignored.
func (s CaseSecrets) Valid(code string, generation int, secret string) bool {
	secret = strings.ToUpper(strings.NewReplacer(" ", "", "-", "").Replace(secret))
	return hmac.Equal([]byte(s.OfGeneration(code, generation)), []byte(secret))
}

// SecretState is where a case's secret stands: how often it was re-issued,
// and whether it was revoked (then no secret opens the case).
type SecretState struct {
	Generation int
	Revoked    bool
}

// OneTimeCodes keeps the hashes of one-time codes sent to a case's
// applicant, so that a holder of the receipt's secret may withdraw or pay
// (the store implements it): short-lived, single use, attempts limited.
type OneTimeCodes interface {
	SaveOneTimeCode(ctx context.Context, code, purpose, hash string, expires, now time.Time) error
	UseOneTimeCode(ctx context.Context, code, purpose, hash string, maxAttempts int, now time.Time) (ok bool, left int, err error)
}

// CaseAccess is what deciding who may see a case needs: whether it exists,
// its owner and the agencies involved. Reading it costs the same whether
// the case exists or not, so a look-up that is refused does the same work
// either way (issue 16, finding 7).
type CaseAccess struct {
	Found    bool
	Owner    string
	Agencies []string
	// Read in the same statement, so that a look-up costs the read model
	// one query: where the case's secret stands, the case's revision (a
	// view cached at that revision is current) and its open incident's ID
	// (0: none).
	Secret   SecretState
	Revision int64
	Incident int64
}

// CaseAccesses reads a case's CaseAccess (the store implements it).
type CaseAccesses interface {
	CaseAccess(ctx context.Context, code string) (CaseAccess, error)
}
