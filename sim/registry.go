package sim

import (
	"fmt"
	"math"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// business is an enterprise on the national business registration portal.
type business struct {
	Name, Type, RepresentativeID, Number string
	RegisteredAt                         time.Time
}

// seedRegistry registers a few enterprises of Quảng Nam, so the name check
// has something to find before anyone registers.
func (s *Sim) seedRegistry() {
	at := time.Date(2012, 3, 15, 9, 0, 0, 0, vnTime)
	for i, n := range []string{
		"Công ty TNHH Du lịch Hội An Xanh",
		"Công ty cổ phần Xây dựng Tam Kỳ",
		"Doanh nghiệp tư nhân Thu Bồn",
		"Hợp tác xã Nông nghiệp Điện Quang",
	} {
		num := fmt.Sprintf("40001%05d", 2345*(i+1))
		s.businesses[businessKey(n)] = &business{Name: n, Type: "seed", Number: num, RegisteredAt: at}
		s.regNumbers[num] = true
	}
}

// checkBusinessName applies the naming rules; ok is false with the reply to send.
func checkBusinessName(name string) (key string, status int, body any, ok bool) {
	key = businessKey(name)
	if key == "" {
		status, body = reject(http.StatusUnprocessableEntity, "invalid_name", "Tên doanh nghiệp không được để trống (ngoài loại hình doanh nghiệp).")
		return "", status, body, false
	}
	if w := reservedWord(name); w != "" {
		status, body = reject(http.StatusUnprocessableEntity, "forbidden_name",
			fmt.Sprintf("Tên doanh nghiệp không được chứa từ ngữ dành riêng cho cơ quan nhà nước, lực lượng vũ trang (%q).", w))
		return "", status, body, false
	}
	return key, 0, nil, true
}

func (s *Sim) nameCheck(r *http.Request) (int, any) {
	var req struct {
		Name string `json:"name"`
	}
	if status, body, ok := decode(r, &req); !ok {
		return status, body
	}
	key, status, body, ok := checkBusinessName(req.Name)
	if !ok {
		return status, body
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	_, taken := s.businesses[key]
	return http.StatusOK, map[string]any{"available": !taken, "similar": s.similarNames(key)}
}

// similarNames lists registered names that contain key or are contained in
// it word for word, or differ from it by at most two letters: what an
// officer would warn "dễ gây nhầm lẫn" (confusingly similar) about.
func (s *Sim) similarNames(key string) []string {
	out := []string{}
	for k, b := range s.businesses {
		if strings.Contains(" "+k+" ", " "+key+" ") || strings.Contains(" "+key+" ", " "+k+" ") || editDistance(k, key) <= 2 {
			out = append(out, b.Name)
		}
	}
	slices.Sort(out)
	return out
}

func editDistance(a, b string) int {
	x, y := []rune(a), []rune(b)
	prev := make([]int, len(y)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(x); i++ {
		cur := make([]int, len(y)+1)
		cur[0] = i
		for j := 1; j <= len(y); j++ {
			cost := 1
			if x[i-1] == y[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(y)]
}

func (s *Sim) registerBusiness(r *http.Request) (int, any) {
	var req struct {
		IdempotencyKey   string `json:"idempotency_key"`
		Name             string `json:"name"`
		Type             string `json:"type"`
		RepresentativeID string `json:"representative_id"`
	}
	if status, body, ok := decode(r, &req); !ok {
		return status, body
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.once("business.register", req.IdempotencyKey, func() (int, any) {
		key, status, body, ok := checkBusinessName(req.Name)
		if !ok {
			return status, body
		}
		if b, taken := s.businesses[key]; taken {
			return reject(http.StatusConflict, "name_taken", "Tên doanh nghiệp trùng với doanh nghiệp đã đăng ký: "+b.Name+".")
		}
		b := &business{Name: strings.TrimSpace(req.Name), Type: req.Type, RepresentativeID: req.RepresentativeID,
			Number: s.newRegistrationNumber(), RegisteredAt: now()}
		s.businesses[key] = b
		s.changed(&s.dirty.businesses, key)
		return http.StatusOK, map[string]any{"registration_number": b.Number, "registered_at": b.RegisteredAt, "name": b.Name}
	})
}

// newRegistrationNumber returns an unused enterprise code: the tax code,
// 10 digits, which in Quảng Nam starts with 40. Called with s.mu held.
func (s *Sim) newRegistrationNumber() string {
	for {
		n := "40" + randomDigits(8)
		if !s.regNumbers[n] {
			s.regNumbers[n] = true
			s.changed(&s.dirty.regNumbers, n)
			return n
		}
	}
}

var citizenID = regexp.MustCompile(`^[0-9]{12}$`)

func invalidID() (int, any) {
	return reject(http.StatusUnprocessableEntity, "invalid_id", "Số định danh cá nhân (CCCD) phải gồm 12 chữ số.")
}

// resident is a person in the national population database, derived from
// the id so that the same id always gives the same person.
type resident struct {
	FullName, BirthDate, Gender, Address string
}

// residentFor follows what a real CCCD number encodes: digit 4 gives
// century and sex (0/1: 1900s male/female, 2/3: 2000s), digits 5–6 the
// year of birth. The rest is made up.
func residentFor(id string) resident {
	r := seeded("population", id)
	d := int(id[3] - '0')
	female := d%2 == 1
	yy, _ := strconv.Atoi(id[4:6])
	year := 1900 + 100*min(d/2, 1) + yy
	if year > time.Now().Year() {
		year -= 100
	}
	born := time.Date(year, time.Month(1+r.IntN(12)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC)
	gender := "Nam"
	if female {
		gender = "Nữ"
	}
	return resident{FullName: fakeName(r, female), BirthDate: born.Format(time.DateOnly), Gender: gender, Address: fakeAddress(r)}
}

// parseBirthDate accepts ISO dates and the dd/mm/yyyy Vietnamese forms use.
func parseBirthDate(s string) (string, bool) {
	for _, layout := range []string{time.DateOnly, "02/01/2006", "2/1/2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Format(time.DateOnly), true
		}
	}
	return "", false
}

// verifyCitizen answers whether name (and birth date, if given) match the
// population database's record of the id. Ids starting 000 are not there.
func (s *Sim) verifyCitizen(r *http.Request) (int, any) {
	var req struct {
		IDNumber  string `json:"id_number"`
		Name      string `json:"name"`
		BirthDate string `json:"birth_date"`
	}
	if status, body, ok := decode(r, &req); !ok {
		return status, body
	}
	if !citizenID.MatchString(req.IDNumber) {
		return invalidID()
	}
	if strings.HasPrefix(req.IDNumber, "000") {
		return notFound("Không tìm thấy công dân có số định danh " + req.IDNumber + " trong Cơ sở dữ liệu quốc gia về dân cư.")
	}
	p := residentFor(req.IDNumber)
	valid := fold(req.Name) == fold(p.FullName)
	if req.BirthDate != "" {
		d, ok := parseBirthDate(req.BirthDate)
		if !ok {
			return reject(http.StatusUnprocessableEntity, "invalid_birth_date", "Ngày sinh phải theo dạng YYYY-MM-DD hoặc dd/mm/yyyy.")
		}
		valid = valid && d == p.BirthDate
	}
	return http.StatusOK, map[string]any{
		"valid": valid, "id_number": req.IDNumber, "full_name": p.FullName, "birth_date": p.BirthDate,
		"gender": p.Gender, "permanent_address": p.Address,
	}
}

var parcelID = regexp.MustCompile(`^([0-9]{1,4})-([0-9]{1,5})$`)

var landUses = []struct{ code, name string }{
	{"ODT", "Đất ở tại đô thị"}, {"ONT", "Đất ở tại nông thôn"}, {"LUC", "Đất chuyên trồng lúa nước"},
	{"CLN", "Đất trồng cây lâu năm"}, {"RSX", "Đất rừng sản xuất"},
}

// landParcel answers a cadastral record: parcel ("thửa") 345 of map sheet
// ("tờ bản đồ") 12 is "12-345".
func (s *Sim) landParcel(r *http.Request) (int, any) {
	id := r.PathValue("parcel")
	m := parcelID.FindStringSubmatch(id)
	if m == nil {
		return notFound("Không có thửa đất " + id + " (dùng dạng <tờ bản đồ>-<số thửa>, ví dụ 12-345).")
	}
	sheet, parcel := strings.TrimLeft(m[1], "0"), strings.TrimLeft(m[2], "0")
	if sheet == "" || parcel == "" {
		return notFound("Không có thửa đất " + id + ".")
	}
	rnd := seeded("land", sheet, parcel)
	use := pick(rnd, landUses)
	return http.StatusOK, map[string]any{
		"parcel": sheet + "-" + parcel, "map_sheet": sheet, "parcel_number": parcel,
		"area_m2":  math.Round((50+rnd.Float64()*750)*10) / 10,
		"land_use": use.code, "land_use_name": use.name,
		"owner_name": fakeName(rnd, rnd.IntN(2) == 1), "address": fakeAddress(rnd),
	}
}

type criminalRecord struct {
	Court    string `json:"court"`
	Judgment string `json:"judgment"`
	Date     string `json:"date"`
	Offence  string `json:"offence"`
}

// criminalRecordCheck searches the judicial records (lý lịch tư pháp) for
// the id: ids ending 13 have one conviction.
func (s *Sim) criminalRecordCheck(r *http.Request) (int, any) {
	var req struct {
		IdempotencyKey string `json:"idempotency_key"`
		IDNumber       string `json:"id_number"`
		Name           string `json:"name"`
	}
	if status, body, ok := decode(r, &req); !ok {
		return status, body
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.once("judicial.check", req.IdempotencyKey, func() (int, any) {
		if !citizenID.MatchString(req.IDNumber) {
			return invalidID()
		}
		records := []criminalRecord{}
		if strings.HasSuffix(req.IDNumber, "13") {
			records = append(records, criminalRecord{
				Court: "Tòa án nhân dân huyện Thăng Bình, tỉnh Quảng Nam", Judgment: "Bản án số 45/2019/HS-ST",
				Date: "2019-06-14", Offence: "Trộm cắp tài sản (Điều 173 Bộ luật Hình sự)",
			})
		}
		return http.StatusOK, map[string]any{"has_record": len(records) > 0, "records": records, "checked_at": now()}
	})
}
