package procedures

import (
	"slices"
	"strings"
)

// synonyms are abbreviations and popular names, folded as the query is, with
// the official wording each stands for. A query word (or run of words) found
// here also matches its expansions; the definitions' aliases and keywords
// carry the names that belong to one procedure only.
var synonyms = map[string][]string{
	// Abbreviations used on desks, forms and forums.
	"gpxd":    {"giay phep xay dung"},
	"cchn":    {"chung chi hanh nghe"},
	"lltp":    {"ly lich tu phap"},
	"gcn":     {"giay chung nhan"},
	"gcnqsdd": {"giay chung nhan quyen su dung dat"},
	"qsdd":    {"quyen su dung dat"},
	"qsd":     {"quyen su dung"},
	"dkkd":    {"dang ky kinh doanh", "dang ky doanh nghiep"},
	"dkdn":    {"dang ky doanh nghiep"},
	"gpkd":    {"dang ky kinh doanh", "giay phep kinh doanh"},
	"hkd":     {"ho kinh doanh"},
	"htx":     {"hop tac xa"},
	"dn":      {"doanh nghiep"},
	"thcs":    {"trung hoc co so"},
	"thpt":    {"trung hoc pho thong"},
	"cap 2":   {"trung hoc co so"},
	"cap ii":  {"trung hoc co so"},
	"cap 3":   {"trung hoc pho thong"},
	"cap iii": {"trung hoc pho thong"},
	"gplx":    {"giay phep lai xe"},
	"blx":     {"giay phep lai xe"},
	"gpld":    {"giay phep lao dong"},
	"bhtn":    {"bao hiem that nghiep", "tro cap that nghiep"},
	"tctn":    {"tro cap that nghiep"},
	"attp":    {"an toan thuc pham"},
	"atvstp":  {"an toan thuc pham"},
	"vsattp":  {"an toan thuc pham"},
	"gpmt":    {"giay phep moi truong"},
	"dtm":     {"danh gia tac dong moi truong"},
	"ctnh":    {"chat thai nguy hai"},
	"cntt":    {"cong nghe thong tin"},
	"ubnd":    {"uy ban nhan dan"},
	"lpg":     {"khi dau mo hoa long"},
	"tthc":    {"thu tuc hanh chinh"},
	"dkx":     {"dang ky xe"},
	"cccd":    {"can cuoc"},
	"oto":     {"o to"},
	"lop 6":   {"trung hoc co so"},
	"lop 7":   {"trung hoc co so"},
	"lop 8":   {"trung hoc co so"},
	"lop 9":   {"trung hoc co so"},
	"lop 10":  {"trung hoc pho thong"},
	"lop 11":  {"trung hoc pho thong"},
	"lop 12":  {"trung hoc pho thong"},
	"cavet":   {"ca vet", "chung nhan dang ky xe"},
	"ca vet":  {"chung nhan dang ky xe"},
	"cmnd":    {"can cuoc", "chung minh nhan dan"},
	// Popular names.
	"so do":                {"giay chung nhan quyen su dung dat"},
	"so hong":              {"giay chung nhan quyen su dung dat quyen so huu nha o", "quyen so huu nha o"},
	"bang lai":             {"giay phep lai xe"},
	"bang lai xe":          {"giay phep lai xe"},
	"gas":                  {"khi dau mo hoa long", "lpg"},
	"khi ga":               {"khi dau mo hoa long"},
	"nuoc ngam":            {"nuoc duoi dat"},
	"xay nha":              {"xay dung nha o", "giay phep xay dung"},
	"giay phep kinh doanh": {"dang ky kinh doanh", "dang ky doanh nghiep", "giay phep kinh doanh"},
	"mo cong ty":           {"thanh lap doanh nghiep"},
	"lap cong ty":          {"thanh lap doanh nghiep"},
	"thanh lap cong ty":    {"thanh lap doanh nghiep"},
	"cong ty":              {"doanh nghiep"},
	"cay xang":             {"cua hang ban le xang dau"},
	"may photo":            {"may photocopy"},
	"photo mau":            {"photocopy mau"},
	"chao ve tinh":         {"thu tin hieu truyen hinh ve tinh"},
	"khieu kien":           {"khieu nai"},
	"to giac":              {"to cao"},
	"ho khau":              {"cu tru"},
	"xe hoi":               {"o to"},
	"xe may":               {"mo to", "xe may"},
	"bien so":              {"bien so xe", "dang ky xe"},
	"van bang":             {"bang tot nghiep"},
	"bang cap 3":           {"bang tot nghiep trung hoc pho thong"},
}

// fillers are words people put around what they look for ("thủ tục xin ...
// ở đâu") and function words of official names ("đối với", "các"): they
// score when found but need not be.
var fillers = [][]string{
	{"thu", "tuc"}, {"o", "dau"}, {"nhu", "the", "nao"}, {"the", "nao"}, {"bao", "nhieu"}, {"bao", "lau"},
	{"can", "gi"}, {"nhung", "gi"}, {"ho", "so"}, {"huong", "dan"}, {"doi", "voi"}, {"truong", "hop"},
	{"xin"}, {"lam"}, {"muon"}, {"cach"}, {"toi"}, {"minh"}, {"giup"}, {"online"}, {"nop"}, {"don"},
	{"gui"}, {"mo"}, {"len"}, {"can"}, {"gi"}, {"khong"}, {"nao"}, {"cac"}, {"cua"}, {"va"}, {"hoac"}, {"voi"}, {"cho"}, {"tai"}, {"ve"}, {"de"}, {"la"}, {"o"}, {"con"},
}

var (
	synonymTerms map[string][][]string // normalised key → expansions as terms
	synonymMax   int                   // words in the longest key
	fillerTerms  [][]string
)

func init() {
	synonymTerms = make(map[string][][]string, len(synonyms))
	for k, exps := range synonyms {
		key := terms(k)
		synonymMax = max(synonymMax, len(key))
		for _, e := range exps {
			synonymTerms[strings.Join(key, " ")] = append(synonymTerms[strings.Join(key, " ")], terms(e))
		}
	}
	for _, f := range fillers {
		fillerTerms = append(fillerTerms, terms(strings.Join(f, " ")))
	}
}

// matchSynonym finds the longest key at the start of qs: how many words it
// takes and its expansions.
func matchSynonym(qs []string) (int, [][]string) {
	for n := min(synonymMax, len(qs)); n > 0; n-- {
		if exps, ok := synonymTerms[strings.Join(qs[:n], " ")]; ok {
			return n, exps
		}
	}
	return 0, nil
}

// fillerMask marks the filler words of qs, unless the query is nothing
// else ("mẫu đơn" alone is still searched in full).
func fillerMask(qs []string) []bool {
	mask := make([]bool, len(qs))
	all := true
	for i := 0; i < len(qs); {
		n := 0
		for _, f := range fillerTerms {
			if len(f) <= len(qs)-i && slices.Equal(qs[i:i+len(f)], f) {
				n = len(f)
				break
			}
		}
		if n == 0 {
			all = false
			i++
			continue
		}
		for k := range n {
			mask[i+k] = true
		}
		i += n
	}
	if all {
		clear(mask)
	}
	return mask
}
