package procedures

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode"

	"github.com/motcua/motcua"
	"golang.org/x/text/unicode/norm"
)

// The search is ranked retrieval written for this catalogue (README,
// "Search"): BM25F over the fields below, on folded Vietnamese syllables and
// the compounds two adjacent syllables make, with query expansion for
// abbreviations and popular names (search_synonyms.go), prefix matching on
// the word being typed and one-edit typo tolerance on longer words. It runs
// in process on the loaded catalogue, so the embedded and the PostgreSQL
// deployments search the same way.

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

// terms are the words of s as the index keeps them: folded, split, with the
// spelling variants i/y made one ("ky" and "ki", "ly" and "li").
func terms(s string) []string {
	ws := words(s)
	for i, w := range ws {
		ws[i] = normalizeSyllable(w)
	}
	return ws
}

// initialConsonants of Vietnamese syllables, longest first.
var initialConsonants = []string{"ngh", "ch", "gh", "gi", "kh", "ng", "nh", "ph", "qu", "th", "tr",
	"b", "c", "d", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x"}

// normalizeSyllable writes a syllable whose rhyme is a lone i or y one way:
// "ky" and "ki", "ly" and "li", "quy" and "qui" are the same syllable spelt
// two ways, and people type both.
func normalizeSyllable(w string) string {
	if !strings.HasSuffix(w, "y") || len(w) > 4 {
		return w
	}
	for _, c := range initialConsonants {
		if rest, ok := strings.CutPrefix(w, c); ok {
			if rest == "y" {
				return c + "i"
			}
			return w
		}
	}
	return w
}

// Field weights of BM25F: the name and the names people use count most.
const (
	fieldName = iota
	fieldAlias
	fieldKeyword
	fieldEnglish
	fieldCode
	fieldField
	fieldAgency
	fieldSummary
	numFields
)

var fieldWeight = [numFields]float64{
	fieldName: 3, fieldAlias: 2.5, fieldKeyword: 2, fieldEnglish: 1.5, fieldCode: 1,
	fieldField: 0.8, fieldAgency: 0.6, fieldSummary: 0.4,
}

const (
	bm25K1 = 1.2
	bm25B  = 0.6
)

type posting struct {
	doc int32
	tf  float32 // weighted, length-normalised term frequency (BM25F)
}

// searchIndex is the inverted index of a catalogue: unigrams (syllables) and
// bigrams ("dang ky") in one dictionary; bigrams carry the order of words.
type searchIndex struct {
	docs     []*motcua.Procedure
	postings map[string][]posting
	idf      map[string]float64
	vocab    []string // sorted unigrams, for prefix and typo matching
	byNCode  map[string]int
	byName   map[string][]int // a whole name or alias, as terms joined by spaces
}

func buildIndex(all []*motcua.Procedure, agencies *Agencies) *searchIndex {
	ix := &searchIndex{docs: all, postings: map[string][]posting{}, idf: map[string]float64{}, byNCode: map[string]int{}, byName: map[string][]int{}}
	fieldTerms := make([][numFields][]string, len(all))
	var totalLen [numFields]float64
	for i, p := range all {
		f := &fieldTerms[i]
		f[fieldName] = terms(p.Name.Vi)
		f[fieldAlias] = joinTerms(p.Aliases)
		f[fieldKeyword] = joinTerms(p.Keywords)
		f[fieldEnglish] = terms(p.Name.En)
		f[fieldCode] = append(terms(p.Code), terms(p.NationalCode)...)
		f[fieldField] = terms(p.Field)
		f[fieldAgency] = agencyTerms(p, agencies)
		f[fieldSummary] = terms(p.Info.Summary)
		for k := range numFields {
			totalLen[k] += float64(len(f[k]))
		}
		for _, name := range append([]string{p.Name.Vi}, p.Aliases...) {
			key := strings.Join(terms(name), " ")
			if !slices.Contains(ix.byName[key], i) {
				ix.byName[key] = append(ix.byName[key], i)
			}
		}
		if p.NationalCode != "" {
			ix.byNCode[strings.ToLower(strings.TrimSpace(p.NationalCode))] = i
		}
	}
	n := float64(max(len(all), 1))
	var avgLen [numFields]float64
	for k := range numFields {
		avgLen[k] = max(totalLen[k]/n, 1)
	}
	unigrams := map[string]bool{}
	tf := map[string]float64{}
	seen := map[string]bool{}
	for i := range all {
		clear(tf)
		for k := range numFields {
			ts := fieldTerms[i][k]
			norm := fieldWeight[k] / (1 - bm25B + bm25B*float64(len(ts))/avgLen[k])
			clear(seen)
			for j, t := range ts {
				unigrams[t] = true
				tf[t] += norm
				if j > 0 {
					bg := ts[j-1] + " " + t
					if !seen[bg] { // a bigram counts once per field: "dang ky" repeated in a summary is noise
						tf[bg] += norm
						seen[bg] = true
					}
				}
			}
		}
		for t, w := range tf {
			ix.postings[t] = append(ix.postings[t], posting{doc: int32(i), tf: float32(w)})
		}
	}
	for t, ps := range ix.postings {
		df := float64(len(ps))
		ix.idf[t] = math.Log(1 + (n-df+0.5)/(df+0.5))
	}
	ix.vocab = make([]string, 0, len(unigrams))
	for t := range unigrams {
		ix.vocab = append(ix.vocab, t)
	}
	slices.Sort(ix.vocab)
	return ix
}

func joinTerms(texts []string) []string {
	var out []string
	for _, t := range texts {
		out = append(out, terms(t)...)
	}
	return out
}

// agencyTerms are the lead agency's code and name; a procedure every district
// offers is indexed under the first one's name ("UBND huyện ...") only.
func agencyTerms(p *motcua.Procedure, agencies *Agencies) []string {
	if len(p.Agencies) == 0 {
		return nil
	}
	out := terms(p.Agencies[0])
	if agencies != nil {
		if a, ok := agencies.Get(p.Agencies[0]); ok {
			out = append(out, terms(a.Name)...)
		}
	}
	return out
}

// Query selects procedures. Zero fields do not filter.
type Query struct {
	Text   string // ranked search over names, aliases, keywords, codes, field, agency and summary
	Agency string // a lead agency code
	Field  string // a field (lĩnh vực), as Fields names it
	Event  string // a life event's code (LifeEvents)
	Level  int
	Limit  int // 0 means 50
}

const defaultLimit = 50

// Search ranks the procedures that match q.Text, best first (ties by code),
// ignoring case and diacritics, expanding abbreviations and popular names,
// completing the last word and forgiving one typo in longer words. A
// procedure must match every word of the query but fillers ("thủ tục", "xin",
// "đối với"); one in three of a longer query may be missing. Without text it lists every procedure by code.
func (c *Catalog) Search(q Query) []*motcua.Procedure {
	limit := q.Limit
	if limit <= 0 {
		limit = defaultLimit
	}
	var inEvent []*motcua.Procedure
	if q.Event != "" {
		inEvent = c.EventProcedures(q.Event)
	}
	keep := func(p *motcua.Procedure) bool {
		return (q.Agency == "" || p.OffersAgency(q.Agency)) && (q.Level == 0 || p.Level == q.Level) &&
			(q.Field == "" || p.Field == q.Field) && (q.Event == "" || slices.Contains(inEvent, p))
	}
	if q.Event != "" && strings.TrimSpace(q.Text) == "" {
		// A life event lists its procedures in its own order.
		var out []*motcua.Procedure
		for _, p := range inEvent {
			if keep(p) && len(out) < limit {
				out = append(out, p)
			}
		}
		return out
	}
	ix := c.index
	if strings.TrimSpace(q.Text) == "" {
		var out []*motcua.Procedure
		for _, p := range ix.docs {
			if keep(p) && len(out) < limit {
				out = append(out, p)
			}
		}
		return out
	}
	hits := ix.search(q.Text)
	out := make([]*motcua.Procedure, 0, min(limit, len(hits)))
	for _, h := range hits {
		if p := ix.docs[h.doc]; keep(p) {
			out = append(out, p)
			if len(out) == limit {
				break
			}
		}
	}
	return out
}

type hit struct {
	doc   int
	score float64
}

// variant is an index term a query word may stand for, and how much a match
// on it is worth (1 for the word itself).
type variant struct {
	term   string
	weight float64
}

// concept is one thing the user asked for: a word, or an abbreviation or
// popular name with what it stands for. alts are its readings; a document
// matches the concept when it matches every word of one reading.
type concept struct {
	alts     [][][]variant // reading → word → variants
	optional bool          // a filler or function word: it scores but need not match
}

// known reports whether some reading of c has index terms for every word.
func (c concept) known() bool {
	for _, alt := range c.alts {
		if !slices.ContainsFunc(alt, func(vs []variant) bool { return len(vs) == 0 }) {
			return true
		}
	}
	return false
}

const (
	exactNameBonus = 1000
	prefixWeight   = 0.7
	typoWeight     = 0.6
	maxVariants    = 40
)

func (ix *searchIndex) search(text string) []hit {
	if i, ok := ix.byNCode[strings.ToLower(strings.TrimSpace(text))]; ok {
		return []hit{{doc: i, score: math.Inf(1)}}
	}
	qs := terms(text)
	if len(qs) == 0 {
		return nil
	}
	concepts, phrase := ix.analyze(qs, fillerMask(qs))
	n := len(ix.docs)
	total := make([]float64, n)
	matched := make([]int, n)
	conceptScore := make([]float64, n)
	altScore := make([]float64, n)
	altWords := make([]int, n)
	for _, c := range concepts {
		clear(conceptScore)
		for _, alt := range c.alts {
			clear(altScore)
			clear(altWords)
			for _, word := range alt {
				ix.scoreWord(word, altScore, altWords)
			}
			for d := range n {
				if altWords[d] == len(alt) && altScore[d] > conceptScore[d] {
					conceptScore[d] = altScore[d]
				}
			}
		}
		for d, s := range conceptScore {
			if s > 0 {
				total[d] += s
				if !c.optional {
					matched[d]++
				}
			}
		}
	}
	// Words in the order typed score again as compounds ("dang ky", "kinh doanh").
	for i := 1; i < len(phrase); i++ {
		ix.scoreWord([]variant{{phrase[i-1] + " " + phrase[i], 1}}, total, nil)
	}
	// A query that is a whole name or alias (the seed's wording) puts its
	// procedure first.
	for _, d := range ix.byName[strings.Join(qs, " ")] {
		total[d] += exactNameBonus
		matched[d] = len(concepts)
	}
	// Every word must match, but words the catalogue does not know may be
	// missing from a longer query, and so may any word of a long one.
	required, unknown := 0, 0
	for _, c := range concepts {
		switch {
		case c.optional:
		case !c.known():
			required++
			unknown++
		default:
			required++
		}
	}
	allowed := (required - 1) / 3
	if unknown > 0 && required >= 3 {
		allowed = max(allowed, 1)
	}
	need := required - allowed
	var hits []hit
	for d := range n {
		if matched[d] >= need && total[d] > 0 {
			// A document missing words ranks below those that have them all.
			cover := float64(matched[d]+unknown) / float64(max(required, 1))
			hits = append(hits, hit{d, total[d] * min(cover*cover, 1)})
		}
	}
	slices.SortFunc(hits, func(a, b hit) int {
		if a.score != b.score {
			if a.score > b.score {
				return -1
			}
			return 1
		}
		return strings.Compare(ix.docs[a.doc].Code, ix.docs[b.doc].Code)
	})
	return hits
}

// scoreWord adds to scores, for each document, the best BM25 score of the
// word's variants, and counts the document in words when one matched.
func (ix *searchIndex) scoreWord(vs []variant, scores []float64, words []int) {
	if len(vs) == 1 {
		idf := ix.idf[vs[0].term]
		for _, p := range ix.postings[vs[0].term] {
			tf := float64(p.tf)
			scores[p.doc] += vs[0].weight * idf * tf * (bm25K1 + 1) / (tf + bm25K1)
			if words != nil {
				words[p.doc]++
			}
		}
		return
	}
	best := make([]float64, len(scores))
	var touched []int32
	for _, v := range vs {
		idf := ix.idf[v.term]
		for _, p := range ix.postings[v.term] {
			tf := float64(p.tf)
			s := v.weight * idf * tf * (bm25K1 + 1) / (tf + bm25K1)
			if best[p.doc] == 0 {
				touched = append(touched, p.doc)
			}
			best[p.doc] = max(best[p.doc], s)
		}
	}
	for _, d := range touched {
		scores[d] += best[d]
		if words != nil {
			words[d]++
		}
	}
}

// analyze turns the query words into concepts: abbreviations and popular
// names get their expansions as further readings, every word its variants.
// phrase is the query as the index would spell it, for the compound bonus.
func (ix *searchIndex) analyze(qs []string, filler []bool) (concepts []concept, phrase []string) {
	for i := 0; i < len(qs); {
		last := i == len(qs)-1
		n, exps := matchSynonym(qs[i:])
		if n == 0 && filler[i] {
			concepts = append(concepts, concept{alts: [][][]variant{{{{qs[i], 1}}}}, optional: true})
			phrase = append(phrase, qs[i])
			i++
			continue
		}
		if n > 0 {
			var c concept
			orig := qs[i : i+n]
			c.alts = append(c.alts, ix.reading(orig, i+n == len(qs)))
			for _, e := range exps {
				c.alts = append(c.alts, ix.reading(e, false))
			}
			concepts = append(concepts, c)
			phrase = append(phrase, orig...)
			i += n
			continue
		}
		vs := ix.variants(qs[i], last)
		concepts = append(concepts, concept{alts: [][][]variant{{vs}}})
		if len(vs) > 0 {
			phrase = append(phrase, vs[0].term)
		} else {
			phrase = append(phrase, qs[i])
		}
		i++
	}
	return concepts, phrase
}

func (ix *searchIndex) reading(ws []string, lastTyped bool) [][]variant {
	r := make([][]variant, len(ws))
	for j, w := range ws {
		r[j] = ix.variants(w, lastTyped && j == len(ws)-1)
	}
	return r
}

// variants are the index terms a query word may stand for: itself; when it
// is the word being typed, the words it begins; when the index does not know
// it, the words one edit away if it has four letters or more (shorter ones
// are too often another word), and for three letters only two letters swapped
// or one doubled ("nia" → "nai", "xaa" → "xa").
func (ix *searchIndex) variants(w string, typing bool) []variant {
	var vs []variant
	_, known := ix.postings[w]
	if known {
		vs = append(vs, variant{w, 1})
	}
	if typing {
		start, _ := slices.BinarySearch(ix.vocab, w)
		for _, t := range ix.vocab[start:] {
			if !strings.HasPrefix(t, w) || len(vs) >= maxVariants {
				break
			}
			if t != w {
				vs = append(vs, variant{t, prefixWeight})
			}
		}
	}
	if !known && len(vs) == 0 && len(w) >= 3 {
		short := len(w) < 4
		for _, t := range ix.vocab {
			if short && shortTypo(w, t) || !short && oneEdit(w, t) {
				vs = append(vs, variant{t, typoWeight})
				if len(vs) >= maxVariants {
					break
				}
			}
		}
	}
	return vs
}

// oneEdit reports whether a and b differ by one insertion, deletion,
// substitution or transposition of adjacent letters (folded text is ASCII
// but for rare letters; bytes are compared).
func oneEdit(a, b string) bool {
	la, lb := len(a), len(b)
	if la < lb {
		a, b, la, lb = b, a, lb, la
	}
	switch la - lb {
	case 0:
		i := 0
		for i < la && a[i] == b[i] {
			i++
		}
		if i == la {
			return false
		}
		if a[i+1:] == b[i+1:] {
			return true // substitution
		}
		return i+1 < la && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:]
	case 1:
		i := 0
		for i < lb && a[i] == b[i] {
			i++
		}
		return a[i+1:] == b[i:]
	}
	return false
}

// shortTypo is the typo tolerance of three-letter words: two adjacent
// letters swapped, or a letter doubled.
func shortTypo(w, t string) bool {
	if len(t) == len(w) {
		return isSwap(w, t)
	}
	return len(t) == len(w)-1 && (w[1] == w[2] && t == w[:2] || w[0] == w[1] && t == w[1:])
}

func isSwap(a, b string) bool {
	for i := 0; i+1 < len(a); i++ {
		if a[i] != b[i] {
			return a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:]
		}
	}
	return false
}

// searchWords checks aliases and keywords: none blank or repeated.
func (v *validator) searchWords(p *motcua.Procedure) {
	for _, f := range []struct {
		key  string
		list []string
	}{{"aliases", p.Aliases}, {"keywords", p.Keywords}} {
		key, list := f.key, f.list
		seen := map[string]bool{}
		for i, w := range list {
			folded := strings.Join(words(w), " ")
			switch {
			case folded == "":
				v.add(fmt.Sprintf("%s.%d", key, i), "must have a letter or a digit")
			case seen[folded]:
				v.add(fmt.Sprintf("%s.%d", key, i), "%q is repeated", w)
			}
			seen[folded] = true
		}
	}
}
