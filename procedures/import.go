package procedures

import (
	"bytes"
	"cmp"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/motcua/motcua"
	"go.yaml.in/yaml/v3"
)

// The province's catalogue as exported from the national database of
// administrative procedures (Cơ sở dữ liệu quốc gia về thủ tục hành chính):
// one row per procedure, the columns named as the national database names
// them. CSV (UTF-8, comma-separated, a header row) or JSON (an array of
// objects keyed by the same headers). Headers are matched ignoring case and
// diacritics; columns not listed are ignored. Cells with several items
// (documents, legal texts, aliases) separate them by line breaks or ";".
//
//	Mã thủ tục              national procedure code, e.g. 1.001612 (required)
//	Tên thủ tục             name (required)
//	Lĩnh vực                field
//	Cơ quan thực hiện       agency by name: "Sở Tư pháp", "UBND cấp huyện"
//	Mã cơ quan              (optional) registry codes, overriding the name
//	Cấp thực hiện           Cấp tỉnh | Cấp huyện | Cấp xã (the first is taken)
//	Dịch vụ công trực tuyến Toàn trình | Một phần | (empty)
//	Thời hạn giải quyết     "05 ngày làm việc kể từ ..."
//	Phí, lệ phí             "Lệ phí: 200.000 đồng/hồ sơ" | "Không"
//	Thành phần hồ sơ        the documents
//	Căn cứ pháp lý          the legal texts
//	Đối tượng thực hiện     who applies
//	Kết quả thực hiện       what the applicant receives
//	Tên gọi khác            (optional) aliases
//
// Each row becomes a level-2 definition (information and a printable
// application letter) coded tthc-<national code>; the lead later gives it a
// shape to take cases.

// NationalRow is one procedure of the national export.
type NationalRow struct {
	Line         int    `json:"-"`
	NationalCode string `json:"ma_thu_tuc"`
	Name         string `json:"ten_thu_tuc"`
	Field        string `json:"linh_vuc"`
	Agency       string `json:"co_quan_thuc_hien"`
	AgencyCodes  string `json:"ma_co_quan"`
	Tier         string `json:"cap_thuc_hien"`
	Online       string `json:"dich_vu_cong_truc_tuyen"`
	Time         string `json:"thoi_han_giai_quyet"`
	Fee          string `json:"phi_le_phi"`
	Documents    string `json:"thanh_phan_ho_so"`
	LegalBasis   string `json:"can_cu_phap_ly"`
	Applicants   string `json:"doi_tuong_thuc_hien"`
	Result       string `json:"ket_qua_thuc_hien"`
	Aliases      string `json:"ten_goi_khac"`
}

// nationalColumns maps a folded header to its field of NationalRow.
var nationalColumns = map[string]func(*NationalRow) *string{
	"ma thu tuc":              func(r *NationalRow) *string { return &r.NationalCode },
	"ma tthc":                 func(r *NationalRow) *string { return &r.NationalCode },
	"ten thu tuc":             func(r *NationalRow) *string { return &r.Name },
	"ten tthc":                func(r *NationalRow) *string { return &r.Name },
	"linh vuc":                func(r *NationalRow) *string { return &r.Field },
	"co quan thuc hien":       func(r *NationalRow) *string { return &r.Agency },
	"ma co quan":              func(r *NationalRow) *string { return &r.AgencyCodes },
	"cap thuc hien":           func(r *NationalRow) *string { return &r.Tier },
	"dich vu cong truc tuyen": func(r *NationalRow) *string { return &r.Online },
	"muc do":                  func(r *NationalRow) *string { return &r.Online },
	"thoi han giai quyet":     func(r *NationalRow) *string { return &r.Time },
	"phi le phi":              func(r *NationalRow) *string { return &r.Fee },
	"thanh phan ho so":        func(r *NationalRow) *string { return &r.Documents },
	"can cu phap ly":          func(r *NationalRow) *string { return &r.LegalBasis },
	"doi tuong thuc hien":     func(r *NationalRow) *string { return &r.Applicants },
	"ket qua thuc hien":       func(r *NationalRow) *string { return &r.Result },
	"ten goi khac":            func(r *NationalRow) *string { return &r.Aliases },
}

func column(header string) func(*NationalRow) *string {
	return nationalColumns[strings.Join(words(header), " ")]
}

// ReadNational reads an export: JSON when name ends in .json, CSV otherwise.
func ReadNational(name string, r io.Reader) ([]NationalRow, error) {
	if strings.EqualFold(path.Ext(name), ".json") {
		return readNationalJSON(r)
	}
	return readNationalCSV(r)
}

func readNationalCSV(r io.Reader) ([]NationalRow, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("the header row: %w", err)
	}
	header[0] = strings.TrimPrefix(header[0], "\uFEFF") // Excel writes a byte-order mark
	cols := make([]func(*NationalRow) *string, len(header))
	for i, h := range header {
		cols[i] = column(h)
	}
	var probe NationalRow
	if !slices.ContainsFunc(cols, func(col func(*NationalRow) *string) bool { return col != nil && col(&probe) == &probe.NationalCode }) {
		return nil, fmt.Errorf("no column “Mã thủ tục” in the header %q", header)
	}
	var rows []NationalRow
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return nil, err
		}
		line, _ := cr.FieldPos(0)
		row := NationalRow{Line: line}
		for i, v := range rec {
			if i < len(cols) && cols[i] != nil {
				*cols[i](&row) = strings.TrimSpace(v)
			}
		}
		if row == (NationalRow{Line: line}) {
			continue // a blank line
		}
		rows = append(rows, row)
	}
}

func readNationalJSON(r io.Reader) ([]NationalRow, error) {
	var objs []map[string]any
	if err := json.NewDecoder(r).Decode(&objs); err != nil {
		return nil, err
	}
	rows := make([]NationalRow, len(objs))
	for i, o := range objs {
		rows[i].Line = i + 1
		for k, v := range o {
			col := column(k)
			if col == nil {
				continue
			}
			switch v := v.(type) {
			case string:
				*col(&rows[i]) = strings.TrimSpace(v)
			case []any: // lists of documents, legal texts
				var items []string
				for _, it := range v {
					items = append(items, fmt.Sprint(it))
				}
				*col(&rows[i]) = strings.Join(items, "\n")
			case nil:
			default:
				*col(&rows[i]) = fmt.Sprint(v)
			}
		}
	}
	return rows, nil
}

// Imported is a definition made from a row: its code, the YAML file and the
// procedure as loaded from that file.
type Imported struct {
	Row       int
	Code      string
	YAML      []byte
	Procedure *motcua.Procedure
}

// ImportCode is the code of an imported definition: tthc- and the national
// code, dots as hyphens (1.001612 → tthc-1-001612).
func ImportCode(nationalCode string) string {
	return "tthc-" + strings.Join(words(nationalCode), "-")
}

// ImportOptions: the registry to find agencies in (DefaultAgencies when
// nil), the catalogue whose definitions win over rows of the same national
// code, and the place whose units a name such as "Sở Tư pháp" means when
// the registry has several ("Quảng Nam": Sở Tư pháp tỉnh Quảng Nam).
type ImportOptions struct {
	Agencies *Agencies
	Existing *Catalog
	Place    string
}

// Import turns rows into definitions checked as Load checks them. Rows whose
// national code a definition of existing already carries are skipped (the
// full definition wins) and reported in skipped; rows that cannot make a
// valid definition are reported as problems, file "row N".
func Import(rows []NationalRow, opt ImportOptions) (out []Imported, skipped []string, ps Problems) {
	agencies := opt.Agencies
	if agencies == nil {
		agencies = DefaultAgencies()
	}
	defined := map[string]string{}
	if opt.Existing != nil {
		for _, p := range opt.Existing.all {
			if p.NationalCode != "" {
				defined[p.NationalCode] = p.Code
			}
		}
	}
	c := &Catalog{agencies: agencies, forms: newFormCache()}
	seen := map[string]int{}
	for _, row := range rows {
		file := fmt.Sprintf("row %d", row.Line)
		if code, ok := defined[row.NationalCode]; ok {
			skipped = append(skipped, fmt.Sprintf("%s (%s): defined by %s", row.NationalCode, file, code))
			continue
		}
		if first, ok := seen[row.NationalCode]; ok && row.NationalCode != "" {
			ps = append(ps, Problem{file, "ma_thu_tuc", fmt.Sprintf("code %s repeats row %d", row.NationalCode, first)})
			continue
		}
		seen[row.NationalCode] = row.Line
		data, rowPs := importYAML(row, agencies, opt.Place)
		if len(rowPs) > 0 {
			ps = append(ps, rowPs...)
			continue
		}
		code := ImportCode(row.NationalCode)
		p, defPs := c.parse(code+".yaml", data)
		for _, d := range defPs {
			d.File = file
			ps = append(ps, d)
		}
		if p != nil {
			out = append(out, Imported{Row: row.Line, Code: code, YAML: data, Procedure: p})
		}
	}
	return out, skipped, ps
}

// importDef is the YAML of an imported definition, in the order authors
// write definitions.
type importDef struct {
	Code         string                `yaml:"code"`
	Version      int                   `yaml:"version"`
	NationalCode string                `yaml:"national_code"`
	Name         motcua.Text           `yaml:"name"`
	Aliases      []string              `yaml:"aliases,omitempty"`
	Field        string                `yaml:"field,omitempty"`
	Tier         string                `yaml:"tier"`
	Agencies     []string              `yaml:"agencies,flow"`
	Level        int                   `yaml:"level"`
	Form         *yaml.Node            `yaml:"form"`
	Documents    []motcua.DocumentSpec `yaml:"documents"`
	Fee          *motcua.Fee           `yaml:"fee"`
	Days         int                   `yaml:"processing_days,omitempty"`
	Result       *motcua.ResultSpec    `yaml:"result,omitempty"`
	Delivery     []string              `yaml:"delivery,flow"`
	Info         motcua.Info           `yaml:"info"`
}

var (
	nationalCode = regexp.MustCompile(`^[0-9]+(\.[0-9A-Za-z]+)+$`)
	workingDays  = regexp.MustCompile(`(?i)(\d+)\s*(ngày làm việc|ngày)`)
	amountVND    = regexp.MustCompile(`(\d{1,3}(?:[.,]\d{3})+|\d+)\s*(?:đồng|đ\b|vnđ|vnd)`)
)

func importYAML(row NationalRow, agencies *Agencies, place string) ([]byte, Problems) {
	file := fmt.Sprintf("row %d", row.Line)
	var ps Problems
	bad := func(field, format string, args ...any) {
		ps = append(ps, Problem{file, field, fmt.Sprintf(format, args...)})
	}
	if !nationalCode.MatchString(row.NationalCode) {
		bad("ma_thu_tuc", "%q is not a national procedure code (such as 1.001612)", row.NationalCode)
	}
	if blank(row.Name) {
		bad("ten_thu_tuc", "the name is empty")
	}
	tier := importTier(row.Tier, row.Agency)
	codes, err := importAgencies(row, tier, agencies, place)
	if err != nil {
		bad("co_quan_thuc_hien", "%v", err)
	}
	if len(ps) > 0 {
		return nil, ps
	}
	d := importDef{
		Code: ImportCode(row.NationalCode), Version: 1, NationalCode: row.NationalCode,
		Name:    motcua.Text{Vi: oneLine(row.Name), En: "National procedure " + row.NationalCode + " (no English name yet)"},
		Aliases: items(row.Aliases), Field: oneLine(row.Field), Tier: tier, Agencies: codes, Level: 2,
		Delivery: []string{"counter", "post"},
	}
	d.Form = importForm()
	for i, doc := range items(row.Documents) {
		d.Documents = append(d.Documents, motcua.DocumentSpec{Code: fmt.Sprintf("tp-%02d", i+1), Name: doc, Required: true})
	}
	if len(d.Documents) == 0 {
		d.Documents = []motcua.DocumentSpec{{Code: "don-de-nghi", Name: "Đơn đề nghị (theo mẫu)", Required: true}}
	}
	legal := items(row.LegalBasis)
	if len(legal) == 0 {
		bad("can_cu_phap_ly", "no legal basis: the national database always lists one")
		return nil, ps
	}
	notes := []string{"Nhập từ Cơ sở dữ liệu quốc gia về thủ tục hành chính (mã " + row.NationalCode + "); nộp hồ sơ giấy tại Bộ phận Một cửa hoặc qua bưu chính."}
	if fee := oneLine(row.Fee); fee != "" && !isNone(fee) {
		if m := amountVND.FindStringSubmatch(fee); m != nil {
			amount, _ := strconv.ParseInt(strings.NewReplacer(".", "", ",", "").Replace(m[1]), 10, 64)
			d.Fee = &motcua.Fee{Amount: amount, Name: fee, LegalBasis: "Văn bản quy định mức thu không có trong dữ liệu xuất (cần xác minh)"}
		} else {
			notes = append(notes, "Phí, lệ phí: "+fee)
		}
	}
	if t := oneLine(row.Time); t != "" {
		if m := workingDays.FindStringSubmatch(t); m != nil && strings.EqualFold(m[2], "ngày làm việc") {
			d.Days, _ = strconv.Atoi(m[1])
		}
		notes = append(notes, "Thời hạn giải quyết: "+t)
	}
	if o := oneLine(row.Online); o != "" {
		notes = append(notes, "Dịch vụ công trực tuyến (Cổng quốc gia): "+o)
	}
	if r := oneLine(row.Result); r != "" {
		d.Result = &motcua.ResultSpec{Type: resultType(r), Name: r}
	}
	applicants := cmp.Or(oneLine(row.Applicants), "Tổ chức, cá nhân")
	agencyName := codes[0]
	if a, ok := agencies.Get(codes[0]); ok {
		agencyName = a.Name
	}
	if tier != motcua.TierProvince {
		agencyName = map[string]string{motcua.TierDistrict: "Ủy ban nhân dân cấp huyện", motcua.TierCommune: "Ủy ban nhân dân cấp xã"}[tier]
	}
	summary := fmt.Sprintf("%s. Lĩnh vực: %s. Cơ quan giải quyết: %s. Tải mẫu đơn, chuẩn bị hồ sơ theo danh sách dưới đây và nộp tại Bộ phận Một cửa.",
		d.Name.Vi, cmp.Or(d.Field, "chưa phân loại"), agencyName)
	if tier == motcua.TierCommune {
		notes = append(notes, "Thủ tục cấp xã: danh mục cơ quan chưa có Ủy ban nhân dân cấp xã, nên thủ tục được gắn với Ủy ban nhân dân cấp huyện (cần bổ sung danh mục cấp xã).")
	}
	d.Info = motcua.Info{Summary: summary, Applicants: applicants, LegalBasis: legal, Notes: notes}
	var b bytes.Buffer
	fmt.Fprintf(&b, "# Imported from the national database of administrative procedures, row %d; edit freely.\n", row.Line)
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(d); err != nil {
		bad("", "%v", err)
		return nil, ps
	}
	return b.Bytes(), nil
}

// importForm is the printable application letter of an imported procedure:
// the applicant and what they ask for. It has no title (the printed form
// takes the procedure's name), so every imported definition shares one
// schema, compiled once.
func importForm() *yaml.Node {
	src := `$schema: https://json-schema.org/draft/2020-12/schema
type: object
additionalProperties: false
required: [applicant, request]
properties:
  applicant:
    title: Tổ chức, cá nhân đề nghị
    type: object
    additionalProperties: false
    required: [name, address, phone]
    properties:
      name: {title: Tên tổ chức hoặc họ và tên, type: string, minLength: 1, maxLength: 255}
      id_number: {title: Số định danh cá nhân hoặc mã số doanh nghiệp, type: string, pattern: "^([0-9]{10}|[0-9]{12})$"}
      address: {title: Địa chỉ, type: string, minLength: 1, maxLength: 500}
      phone: {title: Số điện thoại, type: string, pattern: "^(0|\\+84)[0-9]{9,10}$"}
  request:
    title: Nội dung đề nghị
    type: string
    minLength: 1
    maxLength: 2000
`
	var n yaml.Node
	if err := yaml.Unmarshal([]byte(src), &n); err != nil {
		panic("procedures: the import form does not parse: " + err.Error())
	}
	return n.Content[0]
}

func importTier(tier, agency string) string {
	t := strings.Join(words(tier+" "+agency), " ")
	switch {
	case strings.Contains(Fold(tier), "tinh") || tier == "" && !strings.Contains(t, "cap huyen") && !strings.Contains(t, "cap xa"):
		return motcua.TierProvince
	case strings.Contains(t, "huyen"):
		return motcua.TierDistrict
	case strings.Contains(t, "xa"):
		return motcua.TierCommune
	}
	return motcua.TierProvince
}

// importAgencies finds the lead agencies: the codes given, or the agency
// named (the registry unit whose name begins with it, of place if several
// do), or every district for "UBND cấp huyện" and "cấp xã".
func importAgencies(row NationalRow, tier string, agencies *Agencies, place string) ([]string, error) {
	if codes := items(row.AgencyCodes); len(codes) > 0 {
		for _, c := range codes {
			if _, ok := agencies.Get(c); !ok {
				return nil, fmt.Errorf("unknown agency code %q", c)
			}
		}
		return codes, nil
	}
	if tier != motcua.TierProvince {
		var out []string
		for _, a := range agencies.All() {
			if a.Tier == motcua.TierDistrict {
				out = append(out, a.Code)
			}
		}
		if len(out) == 0 {
			return nil, fmt.Errorf("the registry has no district")
		}
		return out, nil
	}
	name := strings.Join(words(strings.ReplaceAll(row.Agency, "UBND", "Ủy ban nhân dân")), " ")
	if name == "" {
		return nil, fmt.Errorf("no agency: give “Cơ quan thực hiện” or “Mã cơ quan”")
	}
	var found []string
	for _, a := range agencies.All() {
		n := strings.Join(words(a.Name), " ")
		if n == name || strings.HasPrefix(n, name+" ") {
			if p := strings.Join(words(place), " "); p != "" && strings.HasSuffix(n, " "+p) {
				return []string{a.Code}, nil
			}
			found = append(found, a.Code)
		}
	}
	if len(found) > 0 {
		return found[:1], nil
	}
	return nil, fmt.Errorf("no agency of the registry is named %q (give “Mã cơ quan”)", row.Agency)
}

func resultType(r string) string {
	f := Fold(r)
	switch {
	case strings.Contains(f, "giay phep"):
		return "licence"
	case strings.Contains(f, "chung nhan") || strings.Contains(f, "chung chi") || strings.Contains(f, "the "):
		return "certificate"
	case strings.Contains(f, "quyet dinh"):
		return "decision"
	}
	return "confirmation"
}

// items splits a cell at line breaks and semicolons, dropping list marks.
func items(cell string) []string {
	var out []string
	for _, line := range strings.FieldsFunc(cell, func(r rune) bool { return r == '\n' || r == ';' }) {
		line = strings.TrimLeft(strings.TrimSpace(line), "-+•*– ")
		if line = oneLine(line); line != "" && !slices.Contains(out, line) {
			out = append(out, line)
		}
	}
	return out
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func isNone(s string) bool {
	f := strings.Trim(Fold(s), " .")
	return f == "khong" || f == "khong co" || f == "mien phi" || f == "khong thu"
}

// ImportFiles renders the definitions as files, name → content, for a
// catalogue directory.
func ImportFiles(defs []Imported) map[string][]byte {
	files := make(map[string][]byte, len(defs))
	for _, d := range defs {
		files[d.Code+".yaml"] = d.YAML
	}
	return files
}

// EmbeddedFiles are the embedded definitions, name → content, so an import
// directory can hold the whole catalogue.
func EmbeddedFiles() (map[string][]byte, error) {
	names, err := definitionsFS.ReadDir("definitions")
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{}
	for _, e := range names {
		data, err := definitionsFS.ReadFile("definitions/" + e.Name())
		if err != nil {
			return nil, err
		}
		files[e.Name()] = data
	}
	return files, nil
}
