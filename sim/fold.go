package sim

import (
	"hash/fnv"
	"math/rand/v2"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// fold lowercases s, strips Vietnamese diacritics (đ becomes d) and reduces
// everything that is not a letter or digit to single spaces, so
// "Công ty  TNHH Hội-An" and "cong ty tnhh hoi an" compare equal.
func fold(s string) string {
	var b strings.Builder
	space := false
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r == 'đ' || r == 'Đ':
			r = 'd'
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			r = unicode.ToLower(r)
		default:
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// companyTypes are the folded prefixes naming a type of enterprise, longest
// first. The Law on Enterprises makes the type part of the name, but two
// names differing only in type are still the same name.
var companyTypes = []string{
	"cong ty trach nhiem huu han mot thanh vien", "cong ty trach nhiem huu han hai thanh vien tro len",
	"cong ty tnhh mot thanh vien", "cong ty tnhh hai thanh vien tro len", "cong ty trach nhiem huu han",
	"cong ty tnhh mtv", "cong ty tnhh", "cong ty co phan", "cong ty cp", "cong ty hop danh",
	"doanh nghiep tu nhan", "hop tac xa", "cong ty", "dntn", "htx",
}

// reservedWords may not appear in an enterprise name: Luật Doanh nghiệp
// 2020, Article 39 forbids names of state bodies and of the armed forces.
var reservedWords = []string{"nha nuoc", "quoc hoi", "chinh phu", "quan doi"}

// businessKey is the name the registry compares: folded, type prefix removed.
func businessKey(name string) string {
	k := fold(name)
	for _, p := range companyTypes {
		if k == p {
			return ""
		}
		if strings.HasPrefix(k, p+" ") {
			return k[len(p)+1:]
		}
	}
	return k
}

// reservedWord returns the reserved word name contains, if any.
func reservedWord(name string) string {
	padded := " " + fold(name) + " "
	for _, w := range reservedWords {
		if strings.Contains(padded, " "+w+" ") {
			return w
		}
	}
	return ""
}

// seeded returns a random source fixed by the strings given, so the fake
// data about an id is the same on every call and every run.
func seeded(parts ...string) *rand.Rand {
	h1, h2 := fnv.New64a(), fnv.New64()
	for _, p := range parts {
		h1.Write([]byte(p + "\x00"))
		h2.Write([]byte(p + "\x00"))
	}
	return rand.New(rand.NewPCG(h1.Sum64(), h2.Sum64()))
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

var (
	familyNames = []string{
		"Nguyễn", "Nguyễn", "Nguyễn", "Trần", "Trần", "Lê", "Lê", "Phạm", "Huỳnh", "Hoàng",
		"Phan", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Trương",
	}
	middleNames = [2][]string{
		{"Văn", "Văn", "Đức", "Minh", "Quốc", "Hữu", "Công", "Thanh"},
		{"Thị", "Thị", "Ngọc", "Thu", "Thanh", "Mỹ", "Kim", "Bích"},
	}
	givenNames = [2][]string{
		{"An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Khoa", "Long", "Nam", "Phúc", "Quang", "Sơn", "Tài", "Thành", "Trung", "Tuấn", "Việt", "Vinh"},
		{"Anh", "Chi", "Dung", "Hà", "Hạnh", "Hoa", "Hương", "Lan", "Linh", "Mai", "Ngân", "Nhung", "Phương", "Thảo", "Trang", "Uyên", "Vy", "Yến"},
	}
	streets = []string{"Trần Phú", "Phan Chu Trinh", "Hùng Vương", "Lê Lợi", "Nguyễn Huệ", "Hai Bà Trưng", "Bạch Đằng", "Lý Thường Kiệt"}
)

// place is a commune (xã, phường, thị trấn) of Quảng Nam with its district.
type place struct{ commune, district string }

// quangNam lists communes of Quảng Nam as organised in 2013, the seed's year.
var quangNam = []place{
	{"Phường Minh An", "thành phố Hội An"}, {"Phường Cẩm Phô", "thành phố Hội An"},
	{"Phường An Mỹ", "thành phố Tam Kỳ"}, {"Phường Tân Thạnh", "thành phố Tam Kỳ"},
	{"Xã Điện Minh", "huyện Điện Bàn"}, {"Thị trấn Vĩnh Điện", "huyện Điện Bàn"},
	{"Thị trấn Nam Phước", "huyện Duy Xuyên"}, {"Xã Duy Sơn", "huyện Duy Xuyên"},
	{"Thị trấn Hà Lam", "huyện Thăng Bình"}, {"Xã Bình Minh", "huyện Thăng Bình"},
	{"Thị trấn Núi Thành", "huyện Núi Thành"}, {"Xã Tam Xuân 1", "huyện Núi Thành"},
	{"Thị trấn Ái Nghĩa", "huyện Đại Lộc"}, {"Thị trấn Đông Phú", "huyện Quế Sơn"},
	{"Thị trấn Khâm Đức", "huyện Phước Sơn"}, {"Thị trấn Prao", "huyện Đông Giang"},
}

// fakeName returns a Vietnamese full name; female picks the name lists.
func fakeName(r *rand.Rand, female bool) string {
	g := 0
	if female {
		g = 1
	}
	return pick(r, familyNames) + " " + pick(r, middleNames[g]) + " " + pick(r, givenNames[g])
}

// fakeAddress returns an address in Quảng Nam: a street number in towns,
// a hamlet (thôn) in rural communes.
func fakeAddress(r *rand.Rand) string {
	p := pick(r, quangNam)
	var local string
	if strings.HasPrefix(p.commune, "Xã") {
		local = "Thôn " + strconv.Itoa(1+r.IntN(9))
	} else {
		local = "Số " + strconv.Itoa(1+r.IntN(250)) + " đường " + pick(r, streets)
	}
	return local + ", " + p.commune + ", " + p.district + ", tỉnh Quảng Nam"
}
