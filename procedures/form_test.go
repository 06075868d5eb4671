package procedures_test

import (
	"encoding/json"
	"maps"
	"strings"
	"testing"

	"github.com/motcua/motcua"
)

// edited returns the example form of p with one value replaced (or removed
// when value is remove), at a dotted path.
func edited(t *testing.T, p *motcua.Procedure, path string, value any) json.RawMessage {
	t.Helper()
	var form map[string]any
	if err := json.Unmarshal(p.ExampleForm, &form); err != nil {
		t.Fatal(err)
	}
	keys := strings.Split(path, ".")
	node := form
	for _, k := range keys[:len(keys)-1] {
		node = node[k].(map[string]any)
	}
	if value == remove {
		delete(node, keys[len(keys)-1])
	} else {
		node[keys[len(keys)-1]] = value
	}
	out, err := json.Marshal(form)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestValidateForm(t *testing.T) {
	c := mustEmbedded(t)
	p, _ := c.Get("dang-ky-thanh-lap-doanh-nghiep")

	if errs := c.ValidateForm(p, p.ExampleForm); errs != nil {
		t.Fatalf("the example is rejected: %v", errs)
	}
	lines := []any{map[string]any{"code": "46", "name": "Bán buôn"}}
	tests := []struct {
		name string
		form json.RawMessage
		want map[string]string
	}{
		{"Required", edited(t, p, "representative.full_name", remove),
			map[string]string{"representative.full_name": "Trường này là bắt buộc"}},
		{"RequiredObject", edited(t, p, "representative", remove),
			map[string]string{"representative": "Trường này là bắt buộc"}},
		{"Email", edited(t, p, "enterprise.email", "lienhe.songthu.vn"),
			map[string]string{"enterprise.email": "Không đúng định dạng email"}},
		{"TooLong", edited(t, p, "enterprise.name_vi", strings.Repeat("Á", 256)),
			map[string]string{"enterprise.name_vi": "Tối đa 255 ký tự"}},
		{"Empty", edited(t, p, "enterprise.name_vi", ""),
			map[string]string{"enterprise.name_vi": "Trường này không được để trống"}},
		{"Pattern", edited(t, p, "representative.citizen_id", "04918800123"),
			map[string]string{"representative.citizen_id": "Không đúng định dạng"}},
		{"Date", edited(t, p, "representative.birth_date", "1988-02-30"),
			map[string]string{"representative.birth_date": "Ngày không hợp lệ"}},
		{"Enum", edited(t, p, "representative.gender", "Khác"),
			map[string]string{"representative.gender": "Giá trị không hợp lệ, hãy chọn một trong: Nam; Nữ"}},
		{"Type", edited(t, p, "enterprise.capital", "năm trăm triệu"),
			map[string]string{"enterprise.capital": "Phải là số nguyên"}},
		{"Minimum", edited(t, p, "enterprise.capital", 0),
			map[string]string{"enterprise.capital": "Giá trị tối thiểu là 1"}},
		{"ArrayItem", edited(t, p, "enterprise.business_lines", lines),
			map[string]string{"enterprise.business_lines.0.code": "Không đúng định dạng"}},
		{"UnknownField", edited(t, p, "enterprise.colour", "xanh"),
			map[string]string{"enterprise.colour": "Trường này không có trong biểu mẫu"}},
		{"SeveralFields", edited(t, p, "enterprise", map[string]any{"type": "Công ty cổ phần"}),
			map[string]string{
				"enterprise.name_vi":        "Trường này là bắt buộc",
				"enterprise.address":        "Trường này là bắt buộc",
				"enterprise.phone":          "Trường này là bắt buộc",
				"enterprise.business_lines": "Trường này là bắt buộc",
				"enterprise.capital":        "Trường này là bắt buộc",
			}},
		{"NotJSON", json.RawMessage(`{"enterprise":`),
			map[string]string{"": "Dữ liệu biểu mẫu không đọc được (không đúng định dạng JSON)"}},
		{"NotAnObject", json.RawMessage(`[]`),
			map[string]string{"": "Phải là nhóm thông tin"}},
		{"Nothing", nil,
			map[string]string{"": "Chưa có nội dung biểu mẫu"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.ValidateForm(p, tt.form); !maps.Equal(got, tt.want) {
				t.Errorf("ValidateForm = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestValidateFormOfOtherProcedures(t *testing.T) {
	c := mustEmbedded(t)
	tamTru, _ := c.Get("dang-ky-tam-tru")
	got := c.ValidateForm(tamTru, edited(t, tamTru, "owner_consent", false))
	if got["owner_consent"] != "Bạn cần đánh dấu xác nhận mục này" {
		t.Errorf("a refused consent gives %v", got)
	}
	xayDung, _ := c.Get("cap-giay-phep-xay-dung")
	got = c.ValidateForm(xayDung, edited(t, xayDung, "site.land_area", 0))
	if got["site.land_area"] != "Phải lớn hơn 0" {
		t.Errorf("a zero area gives %v", got)
	}
	got = c.ValidateForm(xayDung, edited(t, xayDung, "building.floors", 1000))
	if got["building.floors"] != "Giá trị tối đa là 200" {
		t.Errorf("a thousand floors gives %v", got)
	}
}

// A case pins the definition it started with; its form must still validate
// after the catalogue has moved on.
func TestValidateFormOfPinnedDefinition(t *testing.T) {
	c := mustEmbedded(t)
	current, _ := c.Get("dang-ky-tam-tru")
	pinned := *current
	pinned.Version = 0
	pinned.Hash = "an-older-file"
	pinned.Form = json.RawMessage(`{"type":"object","required":["ho_ten"],"properties":{"ho_ten":{"type":"string","maxLength":5}}}`)

	if got := c.ValidateForm(&pinned, json.RawMessage(`{"ho_ten":"Nguyễn Văn A"}`)); got["ho_ten"] != "Tối đa 5 ký tự" {
		t.Errorf("pinned form gives %v, want its own maxLength", got)
	}
	if got := c.ValidateForm(&pinned, json.RawMessage(`{"ho_ten":"Nam"}`)); got != nil {
		t.Errorf("pinned form rejects a valid submission: %v", got)
	}
	noForm := motcua.Procedure{Code: "thong-tin", Level: 1}
	if got := c.ValidateForm(&noForm, json.RawMessage(`{}`)); got[""] == "" {
		t.Error("a procedure without a form accepted a submission")
	}
	broken := pinned
	broken.Form = json.RawMessage(`{"type":"object","properties":{"x":{"$ref":"file:///etc/passwd"}}}`)
	if got := c.ValidateForm(&broken, json.RawMessage(`{"x":1}`)); got[""] == "" {
		t.Errorf("a form referring to a file was used: %v", got)
	}
}

// A field that breaks several keywords gets the most basic message.
func TestValidateFormMostBasicMessage(t *testing.T) {
	c := mustEmbedded(t)
	p := motcua.Procedure{Code: "thu", Form: json.RawMessage(`{"type":"object","properties":{
		"a":{"type":"string","minLength":3,"pattern":"^[0-9]+$"},
		"b":{"type":"string","maxLength":5,"pattern":"^[0-9]+$"},
		"c":{"type":"string","format":"email","pattern":"^x"}}}`)}
	for range 20 { // causes arrive in map order; the choice must not depend on it
		got := c.ValidateForm(&p, json.RawMessage(`{"a":"x","b":"khong-phai-so","c":"y"}`))
		want := map[string]string{"a": "Tối thiểu 3 ký tự", "b": "Tối đa 5 ký tự", "c": "Không đúng định dạng email"}
		if !maps.Equal(got, want) {
			t.Fatalf("ValidateForm = %v, want %v", got, want)
		}
	}
}
