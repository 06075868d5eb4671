package documents

import (
	"strings"
	"testing"

	"github.com/motcua/motcua"
)

// The receipt shows the fee: the total, then each line with its amount,
// why that rate and its basis (TT 47/2019/TT-BTC: online registration
// exempt, the publication fee apart).
func TestReceiptShowsFeeAndBasis(t *testing.T) {
	r := sampleReceipt()
	r.Fees = []motcua.FeeLine{
		{Name: "Lệ phí đăng ký doanh nghiệp", Amount: 0, Reason: "miễn lệ phí khi đăng ký qua mạng điện tử", Basis: "Thông tư số 47/2019/TT-BTC, Biểu mức thu"},
		{Name: "Phí công bố nội dung đăng ký doanh nghiệp", Amount: 100000, Basis: "Thông tư số 47/2019/TT-BTC, Biểu mức thu"},
	}
	d := readPDF(t, mustRender(t)(RenderReceipt(r)))
	assertContains(t, d,
		"5. Phí, lệ phí: 100.000 đồng",
		"a) Lệ phí đăng ký doanh nghiệp: miễn (miễn lệ phí khi đăng ký qua mạng điện tử). Căn cứ: Thông tư số 47/2019/TT-BTC, Biểu mức thu.",
		"b) Phí công bố nội dung đăng ký doanh nghiệp: 100.000 đồng. Căn cứ: Thông tư số 47/2019/TT-BTC, Biểu mức thu.",
	)
	r.Fees = nil
	if d := readPDF(t, mustRender(t)(RenderReceipt(r))); strings.Contains(d.text(), "Phí, lệ phí") {
		t.Error("a receipt without a fee shows one")
	}
}
