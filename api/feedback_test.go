package api

import (
	"strings"
	"testing"
)

// A published text keeps what was said and loses who said it: the names
// and numbers the case knows, and whatever has the form of an e-mail
// address, a phone number, an ID number or a case code.
func TestRedactLeavesNoPersonalData(t *testing.T) {
	text := "Tôi là Lê Thị Hồng Nhung (CCCD 049188001234, CMND 201234567), gọi 0905 123 456 hoặc +84912000111, " +
		"thư nhung.le@example.vn; hồ sơ SKHDT-250303-0012 và DN-STC-251127-0003 quá hạn 5 ngày từ 12/3/2025."
	got := redact(text, []string{"Lê Thị Hồng Nhung", "", "An"})
	for _, personal := range []string{"Hồng Nhung", "049188001234", "201234567", "0905 123 456", "+84912000111", "nhung.le@example.vn",
		"SKHDT-250303-0012", "DN-STC-251127-0003"} {
		if strings.Contains(got, personal) {
			t.Errorf("%q left in %q", personal, got)
		}
	}
	for _, kept := range []string{"quá hạn 5 ngày từ 12/3/2025", "Tôi là", "hồ sơ"} {
		if !strings.Contains(got, kept) {
			t.Errorf("%q lost from %q", kept, got)
		}
	}
}
