package procedures

import (
	"slices"
	"strings"
	"unicode"

	"github.com/motcua/motcua"
	"golang.org/x/text/unicode/norm"
)

// Fold lowercases s and strips Vietnamese diacritics ("Đăng ký" → "dang ky"),
// so text typed without accents, as it often is, still matches.
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == 'đ' || r == 'Đ' || r == 'Ð': // Ð (eth) is a common mistype of Đ
			b.WriteByte('d')
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// words splits folded text at anything that is not a letter or a digit, so
// "dang-ky-tam-tru" and "Đăng ký tạm trú" give the same words.
func words(s string) []string {
	return strings.FieldsFunc(Fold(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

type searchEntry struct {
	p            *motcua.Procedure
	vi, en, code []string
}

func buildIndex(all []*motcua.Procedure) []searchEntry {
	index := make([]searchEntry, len(all))
	for i, p := range all {
		index[i] = searchEntry{p: p, vi: words(p.Name.Vi), en: words(p.Name.En), code: words(p.Code)}
	}
	return index
}

// Query selects procedures. Zero fields do not filter.
type Query struct {
	Text   string // matched against names (vi, en) and code; every word must match
	Agency string // a lead agency code
	Level  int
	Limit  int // 0 means 50
}

const defaultLimit = 50

// Search finds procedures whose names or code contain every word of q.Text
// (as a word or the start of one), ignoring case and diacritics. The best
// matches come first, then by code.
func (c *Catalog) Search(q Query) []*motcua.Procedure {
	query := words(q.Text)
	type hit struct {
		p     *motcua.Procedure
		score int
	}
	var hits []hit
	for _, e := range c.index {
		if q.Agency != "" && !e.p.OffersAgency(q.Agency) || q.Level != 0 && e.p.Level != q.Level {
			continue
		}
		if score, ok := e.score(query); ok {
			hits = append(hits, hit{e.p, score})
		}
	}
	slices.SortFunc(hits, func(a, b hit) int {
		if a.score != b.score {
			return b.score - a.score
		}
		return strings.Compare(a.p.Code, b.p.Code)
	})
	limit := q.Limit
	if limit <= 0 {
		limit = defaultLimit
	}
	out := make([]*motcua.Procedure, 0, min(limit, len(hits)))
	for _, h := range hits[:min(limit, len(hits))] {
		out = append(out, h.p)
	}
	return out
}

// score rates how well the query words match e: whole words beat prefixes,
// the Vietnamese name beats the English one, the words in order as a phrase
// and the exact code beat scattered words. ok is false when a word is missing.
func (e searchEntry) score(query []string) (score int, ok bool) {
	for _, w := range query {
		best := max(wordScore(e.vi, w, 10, 5), wordScore(e.en, w, 6, 3), wordScore(e.code, w, 4, 2))
		if best == 0 {
			return 0, false
		}
		score += best
	}
	if len(query) > 1 {
		if containsRun(e.vi, query) {
			score += 20
		} else if containsRun(e.en, query) {
			score += 12
		}
	}
	if len(query) > 0 && slices.Equal(query, e.code) {
		score += 100
	}
	return score, true
}

func wordScore(text []string, w string, whole, prefix int) int {
	best := 0
	for _, t := range text {
		if t == w {
			return whole
		}
		if strings.HasPrefix(t, w) {
			best = prefix
		}
	}
	return best
}

// containsRun reports whether the query words appear consecutively in text,
// the last one possibly as a prefix (the user may still be typing).
func containsRun(text, query []string) bool {
	for i := 0; i+len(query) <= len(text); i++ {
		run := text[i : i+len(query)]
		last := len(query) - 1
		if slices.Equal(run[:last], query[:last]) && strings.HasPrefix(run[last], query[last]) {
			return true
		}
	}
	return false
}
