package sim

import (
	"html/template"
	"net/http"

	"github.com/motcua/motcua"
)

var payPageTmpl = template.Must(template.New("pay").Funcs(template.FuncMap{"vnd": func(n int64) string { return motcua.GroupThousands(n) + " ₫" }, "statusText": statusText}).Parse(`<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
body{font-family:system-ui,sans-serif;max-width:34rem;margin:2rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse;width:100%}td{padding:.45rem;border-bottom:1px solid #ddd}
button{font-size:1rem;padding:.6rem 1.2rem;margin:1rem .5rem 0 0;border:0;border-radius:4px;color:#fff;cursor:pointer}
.ok{background:#1a7f37}.fail{background:#b42318}.note{color:#666;font-size:.85rem;margin-top:2rem}
</style>
</head>
<body>
<h1>{{.Title}}</h1>
{{with .Message}}<p>{{.}}</p>{{end}}
{{with .Order}}<table>
<tr><td>Mã đơn hàng</td><td>{{.ID}}</td></tr>
<tr><td>Mã giao dịch</td><td>{{.Ref}}</td></tr>
<tr><td>Nội dung</td><td>{{.Description}}</td></tr>
<tr><td>Số tiền</td><td><strong>{{vnd .Amount}}</strong></td></tr>
<tr><td>Trạng thái</td><td>{{statusText .Status}}</td></tr>
</table>{{end}}
{{if .CanPay}}<form method="post">
<button class="ok" name="result" value="success">Thanh toán thành công</button>
<button class="fail" name="result" value="fail">Thanh toán thất bại</button>
</form>{{end}}
{{with .Order}}{{with .ReturnURL}}<p><a href="{{.}}">Quay lại Cổng dịch vụ công</a></p>{{end}}{{end}}
<p class="note">Cổng thanh toán mô phỏng của motcua: không có giao dịch thật nào được thực hiện.</p>
</body>
</html>
`))

type payPage struct {
	Title, Message string
	Order          *order
	CanPay         bool
}

// payPage shows the order to the payer with a button for each outcome.
func (s *Sim) payPage(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	p, ok := s.refs[r.PathValue("gateway_ref")]
	var o order
	if ok {
		o = *p
	}
	s.mu.Unlock()
	if !ok {
		renderPay(w, http.StatusNotFound, payPage{Title: "Không tìm thấy giao dịch", Message: "Mã giao dịch không tồn tại hoặc đã hết hạn."})
		return
	}
	renderPay(w, http.StatusOK, payPage{Title: "Thanh toán phí, lệ phí", Order: &o,
		CanPay: o.Status == orderPending || o.Status == orderFailed})
}

// payResult records the payer's button and answers at once; the callback
// to motcua goes out in the background.
func (s *Sim) payResult(w http.ResponseWriter, r *http.Request) {
	var success bool
	switch r.PostFormValue("result") {
	case "success":
		success = true
	case "fail":
	default:
		renderPay(w, http.StatusBadRequest, payPage{Title: "Yêu cầu không hợp lệ", Message: "Kết quả phải là success hoặc fail."})
		return
	}
	o, changed, found := s.settle(r.PathValue("gateway_ref"), success)
	if !found {
		renderPay(w, http.StatusNotFound, payPage{Title: "Không tìm thấy giao dịch", Message: "Mã giao dịch không tồn tại hoặc đã hết hạn."})
		return
	}
	page := payPage{Order: &o}
	switch {
	case !changed && (o.Status == orderPaid || o.Status == orderRefunded):
		page.Title, page.Message = "Đơn hàng đã được thanh toán", "Đơn hàng này đã được thanh toán trước đó; không thu tiền thêm."
	case o.Status == orderPaid:
		page.Title, page.Message = "Thanh toán thành công", "Cảm ơn bạn. Kết quả đã được gửi tới cơ quan giải quyết hồ sơ."
	default:
		page.Title, page.Message, page.CanPay = "Thanh toán không thành công", "Giao dịch không thành công. Bạn có thể thử lại.", true
	}
	renderPay(w, http.StatusOK, page)
}

func renderPay(w http.ResponseWriter, status int, p payPage) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_ = payPageTmpl.Execute(w, p)
}

func statusText(status string) string {
	switch status {
	case orderPending:
		return "Chờ thanh toán"
	case orderPaid:
		return "Đã thanh toán"
	case orderFailed:
		return "Thanh toán không thành công"
	case orderRefunded:
		return "Đã hoàn tiền"
	}
	return status
}
