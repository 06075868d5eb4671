package motcua

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base32"
	"strings"
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

// Valid reports whether secret is code's; case, spaces and dashes a person
// may type are ignored.
func (s CaseSecrets) Valid(code, secret string) bool {
	secret = strings.ToUpper(strings.NewReplacer(" ", "", "-", "").Replace(secret))
	return hmac.Equal([]byte(s.Of(code)), []byte(secret))
}
