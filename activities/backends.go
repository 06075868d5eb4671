package activities

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"go.temporal.io/sdk/temporal"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/workflows"
)

// Backends are the typed clients of the agency systems (motcua.Backends).
// Every call with an effect carries an idempotency key derived from the case
// code and step, so a retried activity never acts twice.
type Backends struct {
	// URLs are the base URLs of the systems, by back-end name; a system
	// without one is not configured.
	URLs map[string]string
	HTTP *http.Client
}

// Types of the activities' non-retryable failures (a back-end's own refusal
// is typed backend_<its code>).
const (
	errNotConfigured = "backend_not_configured" // no URL for the back-end, or no mail relay
	errBadRequest    = "backend_request"        // the request could not be built
	errFormField     = "form_field"             // the form lacks the field a check reads
	errRender        = "render"                 // a document could not be rendered
)

// backendError is how a back-end explains a refusal.
type backendError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// call sends a JSON request and decodes the answer. A 4xx is the back-end's
// rule, not a fault: it fails the activity for good, in the back-end's own
// words. Timeouts, connection errors and 5xx are returned for Temporal to
// retry.
func (b *Backends) call(ctx context.Context, backend, method, path string, in, out any) error {
	desc, _ := motcua.BackendOf(backend)
	system, base := cmp.Or(desc.Title, backend), b.URLs[backend]
	if base == "" {
		return temporal.NewNonRetryableApplicationError(system+" chưa được cấu hình kết nối.", errNotConfigured, nil)
	}
	var body io.Reader
	if in != nil {
		buf, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(buf)
	}
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimRight(base, "/")+path, body)
	if err != nil {
		return temporal.NewNonRetryableApplicationError(err.Error(), errBadRequest, nil)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	res, err := b.HTTP.Do(req)
	if err != nil {
		return fmt.Errorf("%s: %w", system, err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	if err != nil {
		return fmt.Errorf("%s: read answer: %w", system, err)
	}
	switch {
	case res.StatusCode >= 500 || res.StatusCode == http.StatusTooManyRequests || res.StatusCode == http.StatusRequestTimeout:
		return fmt.Errorf("%s answered %s", system, res.Status)
	case res.StatusCode >= 400:
		var e backendError
		_ = json.Unmarshal(raw, &e)
		msg := e.Message
		if msg == "" {
			msg = fmt.Sprintf("%s từ chối yêu cầu (%s).", system, res.Status)
		}
		return temporal.NewNonRetryableApplicationError(msg, "backend_"+strings.ToLower(cmp.Or(e.Code, fmt.Sprint(res.StatusCode))), nil, e)
	}
	if out != nil && len(raw) > 0 {
		if err := json.Unmarshal(raw, out); err != nil {
			return fmt.Errorf("%s: unreadable answer: %w", system, err)
		}
	}
	return nil
}

// field reads a dotted path ("enterprise.name_vi") of a form as text.
func field(form json.RawMessage, path string) (string, error) {
	var v any
	if err := json.Unmarshal(form, &v); err != nil {
		return "", err
	}
	for _, k := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return "", fmt.Errorf("form has no field %s", path)
		}
		v = m[k]
	}
	switch x := v.(type) {
	case string:
		return x, nil
	case nil:
		return "", fmt.Errorf("form has no field %s", path)
	default:
		return fmt.Sprint(x), nil
	}
}

// RunCheck asks the back-end a definition names about a case.
func (b *Backends) RunCheck(ctx context.Context, req workflows.CheckRequest) (workflows.CheckResult, error) {
	check, ok := checks[req.Kind]
	if !ok {
		return workflows.CheckResult{}, temporal.NewNonRetryableApplicationError("unknown check "+req.Kind, motcua.EINVALID, nil)
	}
	var value string
	if req.Field != "" {
		v, err := field(req.Form, req.Field)
		if err != nil {
			return workflows.CheckResult{}, temporal.NewNonRetryableApplicationError("Biểu mẫu thiếu thông tin cần kiểm tra: "+req.Field, errFormField, nil)
		}
		value = v
	}
	return check(ctx, b, req, value)
}

// checks are the clients of each check kind (motcua.Checks): value is the
// form field the definition names, if any.
var checks = map[string]func(ctx context.Context, b *Backends, req workflows.CheckRequest, value string) (workflows.CheckResult, error){
	motcua.CheckBusinessName: func(ctx context.Context, b *Backends, _ workflows.CheckRequest, value string) (workflows.CheckResult, error) {
		var out struct {
			Available bool     `json:"available"`
			Similar   []string `json:"similar"`
		}
		if err := b.call(ctx, motcua.BackendRegistry, "POST", "/registry/business/name-check", map[string]any{"name": value}, &out); err != nil {
			return workflows.CheckResult{}, err
		}
		summary := fmt.Sprintf("Tên %q chưa có doanh nghiệp nào sử dụng.", value)
		if !out.Available {
			summary = fmt.Sprintf("Tên %q trùng hoặc gây nhầm lẫn với: %s.", value, strings.Join(out.Similar, "; "))
		}
		return result(out.Available, summary, out)
	},
	motcua.CheckBusinessRegister: func(ctx context.Context, b *Backends, req workflows.CheckRequest, value string) (workflows.CheckResult, error) {
		var out struct {
			Number string `json:"registration_number"`
		}
		err := b.call(ctx, motcua.BackendRegistry, "POST", "/registry/business/register",
			map[string]any{"idempotency_key": req.IdempotencyKey, "name": value, "representative_id": req.Applicant.IDNumber}, &out)
		if err != nil {
			return workflows.CheckResult{}, err
		}
		res, err := result(true, "Đã đăng ký doanh nghiệp, mã số "+out.Number+".", out)
		res.Number = out.Number
		return res, err
	},
	motcua.CheckPopulation: func(ctx context.Context, b *Backends, req workflows.CheckRequest, _ string) (workflows.CheckResult, error) {
		var out struct {
			Valid    bool   `json:"valid"`
			FullName string `json:"full_name"`
		}
		err := b.call(ctx, motcua.BackendPopulation, "POST", "/population/verify",
			map[string]any{"id_number": req.Applicant.IDNumber, "name": req.Applicant.Name}, &out)
		if err != nil {
			return workflows.CheckResult{}, err
		}
		summary := "Thông tin công dân khớp với Cơ sở dữ liệu quốc gia về dân cư."
		if !out.Valid {
			summary = fmt.Sprintf("Thông tin công dân không khớp (CSDL ghi: %s).", out.FullName)
		}
		return result(out.Valid, summary, out)
	},
	motcua.CheckCriminalRecord: func(ctx context.Context, b *Backends, req workflows.CheckRequest, _ string) (workflows.CheckResult, error) {
		var out struct {
			HasRecord bool              `json:"has_record"`
			Records   []json.RawMessage `json:"records"`
		}
		err := b.call(ctx, motcua.BackendJudicial, "POST", "/judicial/criminal-record-check",
			map[string]any{"idempotency_key": req.IdempotencyKey, "id_number": req.Applicant.IDNumber, "name": req.Applicant.Name}, &out)
		if err != nil {
			return workflows.CheckResult{}, err
		}
		summary := "Không có án tích."
		if out.HasRecord {
			summary = fmt.Sprintf("Có %d bản án ghi trong lý lịch tư pháp.", len(out.Records))
		}
		return result(true, summary, out)
	},
	motcua.CheckLandParcel: func(ctx context.Context, b *Backends, _ workflows.CheckRequest, value string) (workflows.CheckResult, error) {
		var out struct {
			Area    float64 `json:"area_m2"`
			LandUse string  `json:"land_use"`
			Owner   string  `json:"owner_name"`
		}
		if err := b.call(ctx, motcua.BackendLand, "GET", "/land/parcels/"+url.PathEscape(value), nil, &out); err != nil {
			return workflows.CheckResult{}, err
		}
		return result(true, fmt.Sprintf("Thửa đất %s: %.1f m², %s, người sử dụng %s.", value, out.Area, out.LandUse, out.Owner), out)
	},
}

func result(ok bool, summary string, data any) (workflows.CheckResult, error) {
	raw, err := json.Marshal(data)
	return workflows.CheckResult{OK: ok, Summary: summary, Data: raw}, err
}

// CreatePayment opens an order at the payment gateway; the order ID is the
// idempotency key.
func (b *Backends) CreatePayment(ctx context.Context, o workflows.PaymentOrder) (workflows.PaymentOrder, error) {
	var out struct {
		OrderID    string `json:"order_id"`
		GatewayRef string `json:"gateway_ref"`
		PayURL     string `json:"pay_url"`
	}
	err := b.call(ctx, motcua.BackendPayment, "POST", "/payments/orders",
		map[string]any{"order_id": o.OrderID, "amount": o.Amount, "description": o.Description}, &out)
	if err != nil {
		return o, err
	}
	o.GatewayRef, o.PayURL = out.GatewayRef, out.PayURL
	return o, nil
}

// PaymentStatus asks the gateway about an order (reconciliation).
func (b *Backends) PaymentStatus(ctx context.Context, o workflows.PaymentOrder) (workflows.PaymentState, error) {
	var st workflows.PaymentState
	err := b.call(ctx, motcua.BackendPayment, "GET", "/payments/orders/"+url.PathEscape(o.OrderID), nil, &st)
	return st, err
}

// RefundPayment returns a paid order's money.
func (b *Backends) RefundPayment(ctx context.Context, r workflows.RefundRequest) (workflows.RefundResult, error) {
	var out workflows.RefundResult
	err := b.call(ctx, motcua.BackendPayment, "POST", "/payments/orders/"+url.PathEscape(r.OrderID)+"/refund",
		map[string]any{"idempotency_key": r.IdempotencyKey, "reason": r.Reason}, &out)
	return out, err
}

// CreateShipment hands the result to the public postal service.
func (b *Backends) CreateShipment(ctx context.Context, r workflows.ShipmentRequest) (workflows.Shipment, error) {
	var out struct {
		Tracking string `json:"tracking_number"`
	}
	err := b.call(ctx, motcua.BackendPost, "POST", "/post/shipments", map[string]any{
		"idempotency_key": r.IdempotencyKey, "recipient": r.Recipient, "phone": r.Phone, "address": r.Address, "contents": r.Contents,
	}, &out)
	if err == nil && out.Tracking == "" {
		err = errors.New("postal service gave no tracking number")
	}
	return workflows.Shipment{Tracking: out.Tracking}, err
}
