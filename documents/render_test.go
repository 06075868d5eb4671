package documents

import (
	"bytes"
	"crypto/sha256"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/skip2/go-qrcode"
	"golang.org/x/text/unicode/norm"
	"rsc.io/pdf"
)

var ict = time.FixedZone("ICT", 7*3600)

func sampleApplicant() motcua.Applicant {
	return motcua.Applicant{
		Name:     "Nguyễn Thị Hồng Nhung",
		IDNumber: "049188001234",
		Phone:    "0905123456",
		Email:    "hongnhung@songthu.vn",
		Address:  "Số 45 đường Hùng Vương, phường An Mỹ, thành phố Tam Kỳ, tỉnh Quảng Nam",
	}
}

func sampleReceipt() Receipt {
	return Receipt{
		DocumentID:    "DOC-SKHDT-260305-0001-R1",
		CaseCode:      "SKHDT-260305-0001",
		Secret:        "K7QF-2XPM",
		AgencyName:    "Sở Kế hoạch và Đầu tư tỉnh Quảng Nam",
		ProcedureName: "Đăng ký thành lập doanh nghiệp tư nhân, công ty trách nhiệm hữu hạn, công ty cổ phần, công ty hợp danh",
		Applicant:     sampleApplicant(),
		Documents: []string{
			"Giấy đề nghị đăng ký doanh nghiệp",
			"Điều lệ công ty",
			"Bản sao giấy tờ pháp lý của cá nhân đối với chủ doanh nghiệp tư nhân, người đại diện theo pháp luật",
		},
		ReceivedAt: time.Date(2026, 3, 5, 8, 30, 0, 0, ict),
		DueAt:      time.Date(2026, 3, 10, 17, 0, 0, 0, ict),
		ReceivedBy: "Trần Văn Đức",
		Delivery:   "Nhận trực tiếp tại Trung tâm Phục vụ hành chính công tỉnh Quảng Nam",
		VerifyURL:  "https://dichvucong.quangnam.gov.vn/tra-cuu/SKHDT-260305-0001",
	}
}

func sampleResult() Result {
	return Result{
		DocumentID:    "DOC-SXD-260312-0042-KQ",
		CaseCode:      "SXD-260220-0042",
		Number:        "125/GPXD",
		Title:         "Giấy phép xây dựng",
		AgencyName:    "Sở Xây dựng tỉnh Quảng Nam",
		ProcedureName: "Cấp giấy phép xây dựng",
		Applicant:     sampleApplicant(),
		Lines: []string{
			"Được phép xây dựng công trình: Nhà ở riêng lẻ, 03 tầng, tổng diện tích sàn 285 m².",
			"Địa điểm xây dựng: thửa đất số 102, tờ bản đồ số 7, phường Điện Ngọc, thị xã Điện Bàn, tỉnh Quảng Nam.",
			"Giấy phép này có hiệu lực khởi công xây dựng trong thời hạn 12 tháng kể từ ngày cấp; quá thời hạn trên thì phải đề nghị gia hạn giấy phép xây dựng.",
		},
		IssuedAt:  time.Date(2026, 2, 9, 15, 45, 0, 0, ict),
		IssuedBy:  "Lê Quang Vũ",
		VerifyURL: "https://dichvucong.quangnam.gov.vn/xac-thuc/DOC-SXD-260312-0042-KQ",
	}
}

// mustRender checks a render's results: mustRender(t)(RenderReceipt(r)).
func mustRender(t testing.TB) func([]byte, error) []byte {
	return func(data []byte, err error) []byte {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(data, []byte("%PDF-")) {
			t.Fatalf("output does not start with %%PDF-: %q", data[:min(len(data), 16)])
		}
		return data
	}
}

// writeSample keeps a rendered document for a person to look at when
// MOTCUA_PDF_DIR is set.
func writeSample(t *testing.T, name string, data []byte) {
	if dir := os.Getenv("MOTCUA_PDF_DIR"); dir != "" {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestRenderReceipt(t *testing.T) {
	r := sampleReceipt()
	data := mustRender(t)(RenderReceipt(r))
	writeSample(t, "receipt.pdf", data)
	d := readPDF(t, data)
	if len(d.pages) != 1 {
		t.Errorf("the receipt has %d pages, want 1", len(d.pages))
	}
	assertContains(t, d,
		"SỞ KẾ HOẠCH VÀ ĐẦU TƯ TỈNH QUẢNG NAM",
		"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
		"Độc lập - Tự do - Hạnh phúc",
		"Tam Kỳ, ngày 05 tháng 3 năm 2026",
		"GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
		"Mã hồ sơ: SKHDT-260305-0001",
		"Mã tra cứu: K7QF-2XPM",
		"Tiếp nhận hồ sơ của: Nguyễn Thị Hồng Nhung",
		"Số định danh cá nhân: 049188001234",
		"Địa chỉ: Số 45 đường Hùng Vương, phường An Mỹ, thành phố Tam Kỳ, tỉnh Quảng Nam",
		"Số điện thoại: 0905123456; thư điện tử: hongnhung@songthu.vn",
		"Nội dung yêu cầu giải quyết: Đăng ký thành lập doanh nghiệp tư nhân, công ty trách nhiệm hữu hạn",
		"a) Giấy đề nghị đăng ký doanh nghiệp",
		"b) Điều lệ công ty",
		"c) Bản sao giấy tờ pháp lý của cá nhân đối với chủ doanh nghiệp tư nhân, người đại diện theo pháp luật",
		"Thời gian nhận hồ sơ: 08 giờ 30 phút, ngày 05 tháng 3 năm 2026",
		"Thời gian trả kết quả giải quyết hồ sơ: 17 giờ 00 phút, ngày 10 tháng 3 năm 2026",
		"Hình thức nhận kết quả: Nhận trực tiếp tại Trung tâm Phục vụ hành chính công tỉnh Quảng Nam",
		"NGƯỜI NỘP HỒ SƠ", "NGƯỜI TIẾP NHẬN HỒ SƠ", "Trần Văn Đức",
		"Tra cứu / xác thực: https://dichvucong.quangnam.gov.vn/tra-cuu/SKHDT-260305-0001",
		"Mã văn bản: DOC-SKHDT-260305-0001-R1",
	)
	assertGlyphs(t, d)
	assertQRCode(t, d, r.VerifyURL)
	assertInfoDate(t, d, "D:20260305083000")
}

func TestRenderResult(t *testing.T) {
	r := sampleResult()
	data := mustRender(t)(RenderResult(r))
	writeSample(t, "result.pdf", data)
	d := readPDF(t, data)
	if len(d.pages) != 1 {
		t.Errorf("the result has %d pages, want 1", len(d.pages))
	}
	assertContains(t, d,
		"SỞ XÂY DỰNG TỈNH QUẢNG NAM",
		"Số: 125/GPXD",
		"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
		"Tam Kỳ, ngày 09 tháng 02 năm 2026",
		"GIẤY PHÉP XÂY DỰNG",
		"Cấp cho: Nguyễn Thị Hồng Nhung",
		"tỉnh Quảng Nam",
		r.Lines[0], r.Lines[1], r.Lines[2],
		"Kết quả giải quyết thủ tục hành chính: Cấp giấy phép xây dựng (mã hồ sơ SXD-260220-0042).",
		"Nơi nhận:", "Lưu: VT, hồ sơ SXD-260220-0042.",
		"Lê Quang Vũ",
		"Tra cứu / xác thực: "+r.VerifyURL,
		"Mã văn bản: DOC-SXD-260312-0042-KQ",
	)
	assertGlyphs(t, d)
	assertQRCode(t, d, r.VerifyURL)
	assertInfoDate(t, d, "D:20260209154500")
}

func TestRenderPlace(t *testing.T) {
	r := sampleResult()
	r.Place = "Đà Nẵng"
	d := readPDF(t, mustRender(t)(RenderResult(r)))
	assertContains(t, d, "Đà Nẵng, ngày 09 tháng 02 năm 2026")
}

// assertQRCode checks that the last page draws the QR code of url: the
// filled rectangles of its modules, read back into a grid, give url's
// bitmap, and the page holds no image.
func assertQRCode(t *testing.T, d *pdfDoc, url string) {
	t.Helper()
	q, err := qrcode.New(url, qrcode.Medium)
	if err != nil {
		t.Fatal(err)
	}
	want := q.Bitmap()
	page := d.reader.Page(len(d.pages))
	xobjects := page.Resources().Key("XObject")
	for _, k := range xobjects.Keys() {
		if xobjects.Key(k).Key("Subtype").Name() == "Image" {
			t.Fatalf("the last page has an image (%s); the QR code is drawn", k)
		}
	}
	m := qrSize / float64(len(want)) * 72 / 25.4 // a module, in points
	near := func(a, b float64) bool { return math.Abs(a-b) < m/100 }
	var modules []pdf.Rect
	for _, r := range page.Content().Rect {
		if r.Min.Y > r.Max.Y { // fpdf draws downwards
			r.Min.Y, r.Max.Y = r.Max.Y, r.Min.Y
		}
		if near(r.Max.Y-r.Min.Y, m) {
			modules = append(modules, r)
		}
	}
	if len(modules) == 0 {
		t.Fatalf("the last page draws no QR module of %.2f pt", m)
	}
	// The finder pattern's corner is the first dark module, inside the
	// quiet zone of 4.
	left, top := modules[0].Min.X, modules[0].Max.Y
	for _, r := range modules {
		left, top = math.Min(left, r.Min.X), math.Max(top, r.Max.Y)
	}
	left, top = left-4*m, top+4*m
	got := make([][]bool, len(want))
	for i := range got {
		got[i] = make([]bool, len(want))
	}
	for _, r := range modules {
		row := int(math.Round((top - r.Max.Y) / m))
		for c := int(math.Round((r.Min.X - left) / m)); c < int(math.Round((r.Max.X-left)/m)); c++ {
			if row < 0 || row >= len(got) || c < 0 || c >= len(got) {
				t.Fatalf("a QR module at row %d column %d is outside the %d×%d code", row, c, len(got), len(got))
			}
			got[row][c] = true
		}
	}
	for i := range want {
		if !slices.Equal(got[i], want[i]) {
			t.Fatalf("QR row %d drawn %v, want %v (the code of %s)", i, got[i], want[i], url)
		}
	}
}

func assertInfoDate(t *testing.T, d *pdfDoc, want string) {
	t.Helper()
	info := d.reader.Trailer().Key("Info")
	for _, k := range []string{"CreationDate", "ModDate"} {
		if got := info.Key(k).Text(); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
}

func TestRenderWithoutVerifyURL(t *testing.T) {
	r := sampleReceipt()
	r.VerifyURL = ""
	d := readPDF(t, mustRender(t)(RenderReceipt(r)))
	assertContains(t, d, "Mã văn bản: DOC-SKHDT-260305-0001-R1")
	if strings.Contains(d.text(), "Tra cứu / xác thực") {
		t.Error("a receipt without a look-up address still offers one")
	}
}

func TestRenderRequiresIdentity(t *testing.T) {
	for name, edit := range map[string]func(*Receipt){
		"DocumentID": func(r *Receipt) { r.DocumentID = "" },
		"CaseCode":   func(r *Receipt) { r.CaseCode = "" },
		"ReceivedAt": func(r *Receipt) { r.ReceivedAt = time.Time{} },
	} {
		r := sampleReceipt()
		edit(&r)
		if _, err := RenderReceipt(r); err == nil {
			t.Errorf("a receipt without %s rendered", name)
		}
	}
	for name, edit := range map[string]func(*Result){
		"DocumentID": func(r *Result) { r.DocumentID = "" },
		"Title":      func(r *Result) { r.Title = " " },
		"IssuedAt":   func(r *Result) { r.IssuedAt = time.Time{} },
	} {
		r := sampleResult()
		edit(&r)
		if _, err := RenderResult(r); err == nil {
			t.Errorf("a result without %s rendered", name)
		}
	}
}

// A receipt with many documents runs onto a second page; the page is
// numbered and the QR code goes to the end.
func TestRenderLongReceipt(t *testing.T) {
	r := sampleReceipt()
	for i := range 40 {
		r.Documents = append(r.Documents, "Bản vẽ thiết kế xây dựng số "+string(rune('A'+i%26)))
	}
	d := readPDF(t, mustRender(t)(RenderReceipt(r)))
	if len(d.pages) < 2 {
		t.Fatalf("%d pages, want at least 2", len(d.pages))
	}
	if !strings.Contains(d.pages[len(d.pages)-1], "Mã văn bản: DOC-SKHDT-260305-0001-R1") {
		t.Error("the document id is not on the last page")
	}
	if first := strings.Fields(d.pages[1])[0]; first != "2" {
		t.Errorf("page 2 starts with %q, want its number", first)
	}
	assertQRCode(t, d, r.VerifyURL)
}

// Text typed in decomposed form (a base letter and combining marks) is
// drawn with the precomposed glyphs.
func TestRenderDecomposedText(t *testing.T) {
	r := sampleReceipt()
	r.Applicant.Name = norm.NFD.String("Nguyễn Thị Hồng Nhung")
	if r.Applicant.Name == "Nguyễn Thị Hồng Nhung" {
		t.Fatal("the test name is not decomposed")
	}
	d := readPDF(t, mustRender(t)(RenderReceipt(r)))
	assertContains(t, d, "Tiếp nhận hồ sơ của: Nguyễn Thị Hồng Nhung")
	assertGlyphs(t, d)
}

// The glyph check can fail: a character DejaVu Sans lacks is reported.
func TestMissingGlyphIsDetected(t *testing.T) {
	r := sampleReceipt()
	r.Applicant.Name = "Nguyễn 阮"
	d := readPDF(t, mustRender(t)(RenderReceipt(r)))
	if !d.missing['阮'] {
		t.Error("a character without a glyph was not reported")
	}
	if d.missing['ễ'] {
		t.Error("ễ reported without a glyph")
	}
}

func TestDeterministic(t *testing.T) {
	p := formProcedure(t, "dang-ky-thanh-lap-doanh-nghiep")
	renders := map[string]func() ([]byte, error){
		"receipt": func() ([]byte, error) { return RenderReceipt(sampleReceipt()) },
		"result":  func() ([]byte, error) { return RenderResult(sampleResult()) },
		"form":    func() ([]byte, error) { return RenderForm(p, "Sở Tài chính tỉnh Quảng Nam") },
	}
	for name, render := range renders {
		t.Run(name, func(t *testing.T) {
			first := mustRender(t)(render())
			// Concurrent renders share the embedded fonts; they must neither
			// disturb each other nor depend on map order.
			const n = 8
			outs := make([][]byte, n)
			errs := make([]error, n)
			var wg sync.WaitGroup
			for i := range n {
				wg.Go(func() { outs[i], errs[i] = render() })
			}
			wg.Wait()
			for i := range n {
				if errs[i] != nil {
					t.Fatal(errs[i])
				}
				if !bytes.Equal(outs[i], first) {
					t.Fatalf("render %d differs from the first (%d vs %d bytes)", i+1, len(outs[i]), len(first))
				}
			}
		})
	}
	// And the bytes do depend on the input.
	r := sampleReceipt()
	r.Secret = "K7QF-2XPN"
	a := mustRender(t)(RenderReceipt(sampleReceipt()))
	b := mustRender(t)(RenderReceipt(r))
	if bytes.Equal(a, b) {
		t.Error("receipts with different secrets are identical")
	}
}

func TestFontsAreNotModified(t *testing.T) {
	before := [2][32]byte{sha256.Sum256(fontRegular), sha256.Sum256(fontBold)}
	mustRender(t)(RenderReceipt(sampleReceipt()))
	mustRender(t)(RenderResult(sampleResult()))
	after := [2][32]byte{sha256.Sum256(fontRegular), sha256.Sum256(fontBold)}
	if before != after {
		t.Fatal("rendering modified the embedded font bytes")
	}
}

func TestVNDate(t *testing.T) {
	for _, c := range []struct {
		t    time.Time
		want string
	}{
		{time.Date(2026, 3, 5, 8, 30, 0, 0, ict), "ngày 05 tháng 3 năm 2026"},
		{time.Date(2026, 1, 15, 8, 0, 0, 0, ict), "ngày 15 tháng 01 năm 2026"},
		{time.Date(2026, 2, 28, 8, 0, 0, 0, ict), "ngày 28 tháng 02 năm 2026"},
		{time.Date(2025, 12, 31, 8, 0, 0, 0, ict), "ngày 31 tháng 12 năm 2025"},
		// 20:00 UTC is already the next day in Viet Nam.
		{time.Date(2026, 3, 4, 20, 0, 0, 0, time.UTC), "ngày 05 tháng 3 năm 2026"},
	} {
		if got := vnDate(c.t); got != c.want {
			t.Errorf("vnDate(%v) = %q, want %q", c.t, got, c.want)
		}
	}
	if got, want := vnTime(time.Date(2026, 3, 5, 1, 5, 0, 0, time.UTC)), "08 giờ 05 phút, ngày 05 tháng 3 năm 2026"; got != want {
		t.Errorf("vnTime = %q, want %q", got, want)
	}
	if got, want := placeDate("", time.Date(2026, 3, 5, 8, 0, 0, 0, ict)), "Tam Kỳ, ngày 05 tháng 3 năm 2026"; got != want {
		t.Errorf("placeDate = %q, want %q", got, want)
	}
}

func TestMoney(t *testing.T) {
	for amount, want := range map[int64]string{
		0:          "0 đồng",
		999:        "999 đồng",
		1000:       "1.000 đồng",
		50000:      "50.000 đồng",
		10750000:   "10.750.000 đồng",
		-1200000:   "-1.200.000 đồng",
		1000000000: "1.000.000.000 đồng",
	} {
		if got := motcua.Money(amount); got != want {
			t.Errorf("motcua.Money(%d) = %q, want %q", amount, got, want)
		}
	}
}

func TestClean(t *testing.T) {
	for in, want := range map[string]string{
		norm.NFD.String("Quảng Nam"): "Quảng Nam",
		"a\tb\r\nc\x00d":             "a b\ncd",
		"Nhung 😀":                    "Nhung ?",
	} {
		if got := clean(in); got != want {
			t.Errorf("clean(%q) = %q, want %q", in, got, want)
		}
	}
	if got, want := oneLine("  Sở Xây dựng\n tỉnh  Quảng Nam "), "Sở Xây dựng tỉnh Quảng Nam"; got != want {
		t.Errorf("oneLine = %q, want %q", got, want)
	}
}

func BenchmarkRenderReceipt(b *testing.B) {
	r := sampleReceipt()
	for b.Loop() {
		if _, err := RenderReceipt(r); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRenderResult(b *testing.B) {
	r := sampleResult()
	for b.Loop() {
		if _, err := RenderResult(r); err != nil {
			b.Fatal(err)
		}
	}
}

func TestAgencyLines(t *testing.T) {
	w := newWriter("thử", "", time.Date(2026, 3, 5, 8, 0, 0, 0, ict))
	w.font("B", 11)
	for name, want := range map[string]string{
		"SỞ TƯ PHÁP": "SỞ TƯ PHÁP",
		"SỞ KẾ HOẠCH VÀ ĐẦU TƯ TỈNH QUẢNG NAM":               "SỞ KẾ HOẠCH VÀ ĐẦU TƯ\nTỈNH QUẢNG NAM",
		"ỦY BAN NHÂN DÂN THỊ XÃ ĐIỆN BÀN":                    "ỦY BAN NHÂN DÂN\nTHỊ XÃ ĐIỆN BÀN",
		"SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI TỈNH QUẢNG NAM": "SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI\nTỈNH QUẢNG NAM",
		"CÔNG AN PHƯỜNG AN MỸ, THÀNH PHỐ TAM KỲ":             "CÔNG AN PHƯỜNG AN MỸ,\nTHÀNH PHỐ TAM KỲ",
		"TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG":                  "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG",
	} {
		if got := w.agencyLines(name, agencyColW); got != want {
			t.Errorf("agencyLines(%q) = %q, want %q", name, got, want)
		}
	}
}
