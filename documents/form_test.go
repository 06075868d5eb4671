package documents

import (
	"bytes"
	"encoding/json"
	"strings"
	"sync"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/procedures"
)

var catalog = sync.OnceValues(procedures.Embedded)

func mustCatalog(t testing.TB) *procedures.Catalog {
	t.Helper()
	c, err := catalog()
	if err != nil {
		t.Fatalf("loading the embedded procedures: %v", err)
	}
	return c
}

func formProcedure(t testing.TB, code string) *motcua.Procedure {
	t.Helper()
	p, ok := mustCatalog(t).Get(code)
	if !ok {
		t.Fatalf("no procedure %s in the catalogue", code)
	}
	return p
}

// firstField reads, independently of the renderer, the schema's title and
// the title (or key) of its first property in the order of the JSON text.
func firstField(t *testing.T, schema json.RawMessage) (title, first string) {
	t.Helper()
	var top struct {
		Title string `json:"title"`
	}
	if err := json.Unmarshal(schema, &top); err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(schema))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("the schema is not an object: %v %v", tok, err)
	}
	for {
		if !dec.More() {
			t.Fatal("no properties in the schema")
		}
		key, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		if key == "properties" {
			break
		}
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			t.Fatal(err)
		}
	}
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("properties is not an object: %v %v", tok, err)
	}
	keyTok, err := dec.Token()
	if err != nil {
		t.Fatal(err)
	}
	var prop struct {
		Title string `json:"title"`
	}
	if err := dec.Decode(&prop); err != nil {
		t.Fatal(err)
	}
	if prop.Title == "" {
		return top.Title, keyTok.(string)
	}
	return top.Title, prop.Title
}

// Every procedure a citizen can apply for (level 2 and up) has a printable
// form that shows its title, its first field and what to attach.
func TestRenderFormEveryDefinition(t *testing.T) {
	c := mustCatalog(t)
	rendered := 0
	for _, p := range c.All() {
		if p.Level < 2 {
			continue
		}
		t.Run(p.Code, func(t *testing.T) {
			agency := p.Agencies[0]
			if a, ok := c.Agencies().Get(agency); ok {
				agency = a.Name
			}
			data := mustRender(t)(RenderForm(p, agency))
			d := readPDF(t, data)
			title, first := firstField(t, p.Form)
			if title == "" {
				title = p.Name.Vi
			}
			wants := []string{
				"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
				"Độc lập - Tự do - Hạnh phúc",
				strings.ToUpper(title),
				"Kính gửi: " + agency,
				"1. " + first,
				"NGƯỜI LÀM ĐƠN", "(Ký, ghi rõ họ tên)",
			}
			for _, doc := range p.Documents {
				wants = append(wants, doc.Name)
			}
			if p.FeeAmount() > 0 {
				wants = append(wants, motcua.Money(p.FeeAmount()))
			}
			assertContains(t, d, wants...)
			assertGlyphs(t, d)
		})
		rendered++
	}
	if rendered < 2 {
		t.Fatalf("only %d definitions of level 2 or more", rendered)
	}
}

func TestRenderFormLevelTwo(t *testing.T) {
	p := formProcedure(t, "cung-cap-thong-tin-quy-hoach")
	if p.Level != 2 {
		t.Fatalf("%s is level %d; the test wants a level-2 procedure", p.Code, p.Level)
	}
	d := readPDF(t, mustRender(t)(RenderForm(p, "Sở Xây dựng tỉnh Quảng Nam")))
	writeSample(t, "form-level2.pdf", mustRender(t)(RenderForm(p, "Sở Xây dựng tỉnh Quảng Nam")))
	assertContains(t, d,
		"ĐƠN ĐỀ NGHỊ CUNG CẤP THÔNG TIN VỀ QUY HOẠCH XÂY DỰNG",
		"Kính gửi: Sở Xây dựng tỉnh Quảng Nam",
		"1. Tổ chức, cá nhân đề nghị",
		"Tên tổ chức hoặc họ và tên cá nhân:",
		"Diện tích khu đất (m²):",
		"3. Mục đích sử dụng thông tin:",
		"Hồ sơ gửi kèm theo gồm:",
		"1. Đơn đề nghị cung cấp thông tin về quy hoạch xây dựng (01 bản chính)",
		"Phí, lệ phí: không thu phí, lệ phí.",
	)
}

func TestRenderFormBusinessRegistration(t *testing.T) {
	p := formProcedure(t, "dang-ky-thanh-lap-doanh-nghiep")
	data := mustRender(t)(RenderForm(p, "Sở Kế hoạch và Đầu tư tỉnh Quảng Nam"))
	writeSample(t, "form.pdf", data)
	d := readPDF(t, data)
	assertContains(t, d,
		"GIẤY ĐỀ NGHỊ ĐĂNG KÝ DOANH NGHIỆP",
		"Loại hình doanh nghiệp: ☐ Doanh nghiệp tư nhân ☐ Công ty TNHH một thành viên",
		"Giới tính: ☐ Nam ☐ Nữ",
		// The business lines are a table to fill in.
		"STT Mã ngành (cấp 4) Tên ngành Ngành, nghề kinh doanh chính",
		"(Ghi theo mã ngành cấp 4 của Hệ thống ngành kinh tế Việt Nam.)",
		"Ngày sinh: / /",
		"Phí, lệ phí: Lệ phí đăng ký doanh nghiệp: 50.000 đồng.",
		"Thời hạn giải quyết: 03 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ.",
		"2. Chủ doanh nghiệp tư nhân hoặc người đại diện theo pháp luật",
	)
}

// Fields come in the order of the schema text, which is neither
// alphabetical nor Go's map order.
func TestRenderFormFieldOrder(t *testing.T) {
	p := &motcua.Procedure{
		Code:    "thu-nghiem",
		Version: 3,
		Name:    motcua.Text{Vi: "Thủ tục thử nghiệm"},
		Form: json.RawMessage(`{"type":"object","properties":{
			"zeta":{"title":"Trường Zeta","type":"string"},
			"alpha":{"title":"Trường Alpha","type":"object","properties":{
				"yy":{"title":"Con Yên","type":"string"},
				"bb":{"title":"Con Bình","type":"string","enum":["Ô thứ ba","Ô thứ nhất","Ô thứ hai"]}}},
			"mu":{"type":["integer","null"]},
			"beta":{"title":"Cam đoan","type":"boolean","const":true},
			"pham_vi":{"title":"Phạm vi cung ứng","type":"string","const":"Nội tỉnh"},
			"ngay":{"title":"Ngày nộp","type":"string","format":"date-time"},
			"ds":{"title":"Danh sách","type":"array","maxItems":2,"items":{"type":"string"}},
			"rows":{"title":"Thành viên","type":"array","items":{"type":"object","properties":{
				"ten":{"title":"Họ tên","type":"string"},"nu":{"title":"Là nữ","type":"boolean"}}}}}}`),
		Documents: []motcua.DocumentSpec{
			{Name: "Tờ khai", Required: true, Copies: "01 bản chính"},
			{Name: "Giấy ủy quyền", Copies: "01 bản sao"},
			{Name: "Bản vẽ", Note: "Chỉ nộp khi xây mới."},
		},
	}
	d := readPDF(t, mustRender(t)(RenderForm(p, "")))
	text := d.text()
	order := []string{
		"THỦ TỤC THỬ NGHIỆM", // no schema title: the procedure name
		"Kính gửi:",
		"1. Trường Zeta:",
		"2. Trường Alpha",
		"Con Yên:",
		"Con Bình: ☐ Ô thứ ba ☐ Ô thứ nhất ☐ Ô thứ hai",
		"3. mu:", // no title: the key
		"4. ☐ Cam đoan",
		"5. Phạm vi cung ứng: Nội tỉnh",
		"6. Ngày nộp: giờ phút, ngày / /",
		"7. Danh sách: 1. 2.",
		"8. Thành viên: STT Họ tên Là nữ 1 ☐ 2 ☐ 3 ☐",
		"Hồ sơ gửi kèm theo gồm:",
		"1. Tờ khai (01 bản chính)",
		"2. Giấy ủy quyền (01 bản sao) (nếu có)",
		"3. Bản vẽ Chỉ nộp khi xây mới.",
		"Mẫu đơn của thủ tục “Thủ tục thử nghiệm” (mã thu-nghiem, phiên bản 3).",
	}
	at := 0
	for _, want := range order {
		i := strings.Index(text[at:], want)
		if i < 0 {
			t.Fatalf("%q is missing or out of order; text from there:\n%s", want, text[at:])
		}
		at += i + len(want)
	}
	if strings.Contains(text, "3. 3.") {
		t.Error("an array was drawn with more rows than maxItems")
	}
}

func TestRenderFormWithoutSchema(t *testing.T) {
	p := &motcua.Procedure{Code: "khong-bieu-mau", Name: motcua.Text{Vi: "Xác nhận thông tin cư trú"}, ProcessingDays: 1}
	d := readPDF(t, mustRender(t)(RenderForm(p, "Công an phường An Mỹ")))
	assertContains(t, d, "XÁC NHẬN THÔNG TIN CƯ TRÚ", "Kính gửi: Công an phường An Mỹ", "Nội dung đề nghị:",
		"Thời hạn giải quyết: 01 ngày làm việc")
}

func TestRenderFormBadSchema(t *testing.T) {
	p := &motcua.Procedure{Code: "hong", Name: motcua.Text{Vi: "Hỏng"}, Form: json.RawMessage(`{"properties":`)}
	_, err := RenderForm(p, "")
	if err == nil || !strings.Contains(err.Error(), "hong") {
		t.Errorf("err = %v, want an error naming the procedure", err)
	}
	if _, err := RenderForm(nil, ""); err == nil {
		t.Error("a nil procedure rendered")
	}
}

func BenchmarkRenderForm(b *testing.B) {
	p := formProcedure(b, "dang-ky-thanh-lap-doanh-nghiep")
	for b.Loop() {
		if _, err := RenderForm(p, "Sở Tài chính tỉnh Quảng Nam"); err != nil {
			b.Fatal(err)
		}
	}
}
