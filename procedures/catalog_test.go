package procedures_test

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/procedures"
	"go.yaml.in/yaml/v3"
)

// wantCodes is every definition of the embedded catalogue, sorted: the six
// first definitions and those implementing the seed's priority table (seed.yaml).
var wantCodes = []string{
	"cap-ban-sao-bang-tot-nghiep",
	"cap-chung-chi-hanh-nghe-duoc",
	"cap-chung-chi-hanh-nghe-hoat-dong-xay-dung",
	"cap-giay-chung-nhan-an-toan-thuc-pham-cong-thuong",
	"cap-giay-chung-nhan-cua-hang-ban-le-xang-dau",
	"cap-giay-chung-nhan-dang-ky-dau-tu",
	"cap-giay-chung-nhan-dau-tu-trong-cay-thuoc-la",
	"cap-giay-chung-nhan-quyen-su-dung-dat-ho-gia-dinh-ca-nhan",
	"cap-giay-chung-nhan-quyen-su-dung-dat-to-chuc",
	"cap-giay-chung-nhan-tram-nap-lpg",
	"cap-giay-phep-ban-buon-ruou",
	"cap-giay-phep-ban-buon-thuoc-la",
	"cap-giay-phep-ban-le-ruou",
	"cap-giay-phep-ban-le-thuoc-la",
	"cap-giay-phep-buu-chinh",
	"cap-giay-phep-hanh-nghe-kham-benh-chua-benh",
	"cap-giay-phep-hoat-dong-in",
	"cap-giay-phep-in-gia-cong-cho-nuoc-ngoai",
	"cap-giay-phep-khai-thac-khoang-san",
	"cap-giay-phep-khai-thac-nuoc-duoi-dat",
	"cap-giay-phep-kinh-doanh-von-dau-tu-nuoc-ngoai",
	"cap-giay-phep-lao-dong-nguoi-nuoc-ngoai",
	"cap-giay-phep-moi-truong",
	"cap-giay-phep-moi-truong-xu-ly-chat-thai-nguy-hai",
	"cap-giay-phep-san-xuat-ruou-cong-nghiep",
	"cap-giay-phep-xay-dung",
	"cap-giay-phep-xay-dung-nha-o-rieng-le",
	"cap-giay-phep-xuat-ban-ban-tin",
	"cap-lai-giay-phep-lai-xe",
	"cap-phieu-ly-lich-tu-phap",
	"chap-thuan-van-phong-dai-dien-bao-chi",
	"cho-thue-dat-to-chuc",
	"chuyen-truong-trung-hoc-co-so",
	"chuyen-truong-trung-hoc-pho-thong",
	"cung-cap-thong-tin-quy-hoach",
	"dang-ky-hoat-dong-chi-nhanh-van-phong-dai-dien",
	"dang-ky-hop-dong-theo-mau",
	"dang-ky-may-photocopy-mau",
	"dang-ky-tam-tru",
	"dang-ky-thanh-lap-doanh-nghiep",
	"dang-ky-thanh-lap-ho-kinh-doanh",
	"dang-ky-thanh-lap-hop-tac-xa",
	"dang-ky-the-chap-quyen-su-dung-dat",
	"dang-ky-thu-truyen-hinh-ve-tinh",
	"dang-ky-thuc-hien-khuyen-mai",
	"dang-ky-xe-mo-to-lan-dau",
	"dang-ky-xe-o-to-lan-dau",
	"doi-giay-phep-lai-xe",
	"giai-quyet-huong-tro-cap-that-nghiep",
	"giai-quyet-khieu-nai",
	"giai-quyet-khieu-nai-lan-hai",
	"giai-quyet-to-cao",
	"khai-bao-tam-vang",
	"phan-anh-kien-nghi",
	"tham-dinh-du-an-cong-nghe-thong-tin",
	"thong-bao-to-chuc-hop-bao",
	"thu-hoi-dat-tu-nguyen-tra-lai",
	"tiep-nhan-giao-vien",
	"xac-nhan-thong-bao-hoat-dong-buu-chinh",
}

func mustEmbedded(t *testing.T) *procedures.Catalog {
	t.Helper()
	c, err := procedures.Embedded()
	if err != nil {
		t.Fatalf("embedded catalogue has problems:\n%v", err)
	}
	return c
}

func codes(ps []*motcua.Procedure) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Code
	}
	return out
}

func TestEmbedded(t *testing.T) {
	c := mustEmbedded(t)
	if got := codes(c.All()); !slices.Equal(got, wantCodes) {
		t.Fatalf("All() = %v, want %v", got, wantCodes)
	}
	for _, p := range c.All() {
		t.Run(p.Code, func(t *testing.T) {
			data, err := os.ReadFile("definitions/" + p.Code + ".yaml")
			if err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256(data)
			if p.Hash != hex.EncodeToString(sum[:]) {
				t.Errorf("Hash = %s, want the SHA-256 of the file", p.Hash)
			}
			if p.Shape == "" {
				t.Error("Shape is empty; want the default filled in")
			}
			if len(p.Form) > 0 {
				if errs := c.ValidateForm(p, p.ExampleForm); errs != nil {
					t.Errorf("the example does not satisfy the form: %v", errs)
				}
			}
			if p.Level >= 3 && len(p.ExampleForm) == 0 {
				t.Error("no example form")
			}
		})
	}

	p, _ := c.Get("dang-ky-thanh-lap-doanh-nghiep")
	if p.Shape != motcua.ShapeStandard {
		t.Errorf("omitted shape = %q, want standard", p.Shape)
	}
	form := string(p.Form)
	if strings.Index(form, `"enterprise"`) > strings.Index(form, `"representative"`) {
		t.Error("form properties lost the order they were written in")
	}
	if _, ok := c.Get("khong-co"); ok {
		t.Error("Get of an unknown code succeeded")
	}
	if got, _ := c.Get("giai-quyet-khieu-nai"); got.Shape != motcua.ShapeComplaint || got.Deadlines["accept"] != 10 || got.Deadlines["resolve"] != 30 {
		t.Errorf("complaint = shape %q deadlines %v", got.Shape, got.Deadlines)
	}
}

func TestLoadDir(t *testing.T) {
	c, err := procedures.LoadDir("definitions")
	if err != nil {
		t.Fatal(err)
	}
	if got := codes(c.All()); !slices.Equal(got, wantCodes) {
		t.Errorf("LoadDir gave %v, want %v", got, wantCodes)
	}
	if _, err := procedures.LoadDir(t.TempDir()); err == nil {
		t.Error("an empty directory loaded without error")
	}
}

// baseYAML is a valid level-4 definition; each rule test breaks one thing.
const baseYAML = `
code: thu-tuc
version: 1
name: {vi: Thủ tục mẫu, en: Sample procedure}
tier: province
agencies: [STP]
co_agencies: [{agency: CAT, days: 5, role: reviewer}]
level: 4
online: full
form:
  type: object
  additionalProperties: false
  required: [email]
  properties:
    email: {type: string, format: email}
example_form: {email: ai@example.vn}
documents: [{code: don, name: Đơn đề nghị, required: true}]
fee: {amount: 1000, name: Lệ phí, legal_basis: Thông tư mẫu}
processing_days: 10
supplement_days: 15
steps:
  receive: {role: receiver}
  review: {role: reviewer}
  approve: {role: approver}
  payment: {role: cashier}
  issue: {role: reviewer}
  deliver: {role: receiver}
result:
  type: certificate
  name: Giấy chứng nhận
  template:
    kind: certificate
    fields: [{label: Thư điện tử, value: "{form.email}"}]
    validity: {text: 05 năm, basis: "Luật mẫu, Điều 1"}
    signer: {title: GIÁM ĐỐC}
delivery: [online, counter]
info: {summary: Tóm tắt, legal_basis: [Luật mẫu]}
`

// remove marks a key to delete in an edit.
type removeKey struct{}

var remove removeKey

// definition returns baseYAML with edits applied: dotted paths (list items by
// index) mapped to new values.
func definition(t *testing.T, edits map[string]any) []byte {
	t.Helper()
	var doc map[string]any
	if err := yaml.Unmarshal([]byte(baseYAML), &doc); err != nil {
		t.Fatal(err)
	}
	for path, value := range edits {
		keys := strings.Split(path, ".")
		var node any = doc
		for _, k := range keys[:len(keys)-1] {
			switch n := node.(type) {
			case map[string]any:
				node = n[k]
			case []any:
				i, _ := strconv.Atoi(k)
				node = n[i]
			}
		}
		last := keys[len(keys)-1]
		switch n := node.(type) {
		case map[string]any:
			if value == remove {
				delete(n, last)
			} else {
				n[last] = value
			}
		case []any:
			i, _ := strconv.Atoi(last)
			n[i] = value
		default:
			t.Fatalf("edit %s: no such path", path)
		}
	}
	out, err := yaml.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func load(t *testing.T, files map[string][]byte) (*procedures.Catalog, procedures.Problems) {
	t.Helper()
	fsys := fstest.MapFS{}
	for name, data := range files {
		fsys[name] = &fstest.MapFile{Data: data}
	}
	c, err := procedures.Load(fsys, procedures.DefaultAgencies())
	if err == nil {
		return c, nil
	}
	var ps procedures.Problems
	if !errors.As(err, &ps) {
		t.Fatalf("Load error is %T, want Problems: %v", err, err)
	}
	if c != nil {
		t.Error("Load returned a catalogue along with problems")
	}
	return nil, ps
}

func fields(ps procedures.Problems) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Field
	}
	return out
}

func TestBaseDefinitionIsValid(t *testing.T) {
	c, ps := load(t, map[string][]byte{"thu-tuc.yaml": definition(t, nil)})
	if ps != nil {
		t.Fatalf("the base definition has problems:\n%v", ps)
	}
	if _, ok := c.Get("thu-tuc"); !ok {
		t.Fatal("the base definition is not in the catalogue")
	}
}

func TestRules(t *testing.T) {
	complaintDeadlines := map[string]any{"accept": 10, "resolve": 30}
	tests := []struct {
		name  string
		edits map[string]any
		field string
		msg   string // a part of the message, where several rules share a field
	}{
		{"CodePattern", map[string]any{"code": "Thu_Tuc"}, "code", "lowercase"},
		{"CodeEqualsFileName", map[string]any{"code": "thu-tuc-khac"}, "code", "file name"},
		{"Version", map[string]any{"version": 0}, "version", ""},
		{"NameVi", map[string]any{"name.vi": " "}, "name.vi", ""},
		{"NameEn", map[string]any{"name.en": ""}, "name.en", ""},
		{"Tier", map[string]any{"tier": "city"}, "tier", ""},
		{"AgenciesEmpty", map[string]any{"agencies": []any{}}, "agencies", ""},
		{"AgencyUnknown", map[string]any{"agencies": []any{"STP", "SO-MA"}}, "agencies.1", "unknown"},
		{"AgencyTwice", map[string]any{"agencies": []any{"STP", "STP"}}, "agencies.1", "twice"},
		{"CoAgencyUnknown", map[string]any{"co_agencies.0.agency": "SO-MA"}, "co_agencies.0.agency", "unknown"},
		{"CoAgencyIsLead", map[string]any{"co_agencies.0.agency": "STP"}, "co_agencies.0.agency", "leads"},
		{"CoAgencyDays", map[string]any{"co_agencies.0.days": 0}, "co_agencies.0.days", "at least"},
		{"CoAgencyDaysExceed", map[string]any{"co_agencies.0.days": 11}, "co_agencies.0.days", "exceed"},
		{"CoAgencyRole", map[string]any{"co_agencies.0.role": "applicant"}, "co_agencies.0.role", ""},
		{"LevelLow", map[string]any{"level": 0}, "level", ""},
		{"LevelHigh", map[string]any{"level": 5}, "level", ""},
		{"OnlineLevel4", map[string]any{"online": "partial"}, "online", ""},
		{"OnlineLevel3", map[string]any{"level": 3, "online": ""}, "online", ""},
		{"OnlineLevel2", map[string]any{"level": 2}, "online", ""},
		// The roadmap (levels): dated entries in order, the last at today's level.
		{"LevelsSince", map[string]any{"levels": []any{map[string]any{"since": "31/12/2013", "level": 4}}}, "levels.0.since", "YYYY-MM-DD"},
		{"LevelsOrder", map[string]any{"levels": []any{map[string]any{"since": "2014-12-31", "level": 3}, map[string]any{"since": "2013-12-31", "level": 4}}}, "levels.1.since", "after"},
		{"LevelsLevel", map[string]any{"levels": []any{map[string]any{"since": "2013-12-31", "level": 5}, map[string]any{"since": "2014-12-31", "level": 4}}}, "levels.0.level", "1 to 4"},
		{"LevelsLastNotToday", map[string]any{"levels": []any{map[string]any{"since": "2013-12-31", "level": 3}}}, "levels.0.level", "today's level"},
		{"Shape", map[string]any{"shape": "tuy-y"}, "shape", ""},
		{"FormMissing", map[string]any{"form": remove, "example_form": remove}, "form", "required"},
		{"FormNotObject", map[string]any{"form": map[string]any{"type": "string"}}, "form", "type object"},
		{"FormDoesNotCompile", map[string]any{"form.properties.email.type": 5}, "form", "compile"},
		{"ExampleMissing", map[string]any{"example_form": remove}, "example_form", ""},
		{"ExampleInvalid", map[string]any{"example_form.email": "khong-phai-email"}, "example_form.email", "email"},
		{"ExampleWithoutForm", map[string]any{"level": 2, "online": remove, "form": remove}, "example_form", ""},
		{"StepReceive", map[string]any{"steps.receive": remove}, "steps.receive", ""},
		{"StepReview", map[string]any{"steps.review": remove}, "steps.review", ""},
		{"StepIssue", map[string]any{"steps.issue": remove}, "steps.issue", ""},
		{"StepDeliver", map[string]any{"steps.deliver": remove}, "steps.deliver", ""},
		{"StepRole", map[string]any{"steps.review.role": "boss"}, "steps.review.role", ""},
		{"StepRoleMissing", map[string]any{"steps.approve": map[string]any{}}, "steps.approve.role", ""},
		{"StepAgency", map[string]any{"steps.review.agency": "SO-MA"}, "steps.review.agency", ""},
		{"ComplaintAssign", map[string]any{"shape": "complaint", "deadlines": complaintDeadlines, "steps.conclude": map[string]any{"role": "head"}}, "steps.assign", ""},
		{"ComplaintConclude", map[string]any{"shape": "complaint", "deadlines": complaintDeadlines, "steps.assign": map[string]any{"role": "head"}}, "steps.conclude", ""},
		{"ComplaintAccept", map[string]any{"shape": "complaint", "deadlines": map[string]any{"resolve": 30}}, "deadlines.accept", "needs"},
		{"ComplaintResolve", map[string]any{"shape": "complaint", "deadlines": map[string]any{"accept": 10}}, "deadlines.resolve", "needs"},
		{"ComplaintDeadlineDays", map[string]any{"shape": "complaint", "deadlines": map[string]any{"accept": 0, "resolve": 30}}, "deadlines.accept", "at least"},
		{"DeadlineUnknown", map[string]any{"deadlines": map[string]any{"accept": 10}}, "deadlines.accept", "no accept"},
		{"FeeNegative", map[string]any{"fee.amount": -1}, "fee.amount", ""},
		{"FeeLegalBasis", map[string]any{"fee.legal_basis": ""}, "fee.legal_basis", ""},
		{"FeeName", map[string]any{"fee.name": ""}, "fee.name", ""},
		{"FeeWithoutPayment", map[string]any{"steps.payment": remove}, "steps.payment", "no payment step"},
		{"PaymentWithoutFee", map[string]any{"fee": nil}, "steps.payment", "no fee"},
		{"PaymentWithZeroFee", map[string]any{"fee.amount": 0}, "steps.payment", "no fee"},
		// The fee schedule (motcua.Fee): when due, each rate's channel, the
		// form field it reads, its label and basis; each charge's basis.
		{"FeeDue", map[string]any{"fee.due": "later"}, "fee.due", ""},
		{"FeeRateChannel", map[string]any{"fee.rates": []any{rate("channel", "post")}}, "fee.rates.0.channel", ""},
		{"FeeRateLabel", map[string]any{"fee.rates": []any{rate("label", "")}}, "fee.rates.0.label", ""},
		{"FeeRateBasis", map[string]any{"fee.rates": []any{rate("basis", "")}}, "fee.rates.0.basis", ""},
		{"FeeRateCondition", map[string]any{"fee.rates": []any{rate("channel", "")}}, "fee.rates.0", "channel or a form condition"},
		{"FeeRateField", map[string]any{"fee.rates": []any{rate("form", map[string]any{"khong_co": "x"})}}, "fee.rates.0.form.khong_co", "no field"},
		{"FeeRateNegative", map[string]any{"fee.rates": []any{rate("amount", -5)}}, "fee.rates.0.amount", ""},
		{"FeeChargeBasis", map[string]any{"fee.charges": []any{map[string]any{"name": "Phí công bố", "amount": 100000}}}, "fee.charges.0.legal_basis", ""},
		{"FeeChargeName", map[string]any{"fee.charges": []any{map[string]any{"amount": 1, "legal_basis": "TT"}}}, "fee.charges.0.name", ""},
		{"FeeChargeRate", map[string]any{"fee.charges": []any{map[string]any{"name": "P", "amount": 1, "legal_basis": "TT", "rates": []any{rate("label", "")}}}}, "fee.charges.0.rates.0.label", ""},
		{"ProcessingDays", map[string]any{"processing_days": 0}, "processing_days", ""},
		{"SupplementDays", map[string]any{"supplement_days": remove}, "supplement_days", ""},
		{"DeliveryEmpty", map[string]any{"delivery": []any{}}, "delivery", ""},
		{"DeliveryUnknown", map[string]any{"delivery": []any{"email"}}, "delivery.0", ""},
		{"DeliveryTwice", map[string]any{"delivery": []any{"post", "post"}}, "delivery.1", ""},
		{"DocumentsEmpty", map[string]any{"documents": []any{}}, "documents", ""},
		{"DocumentCode", map[string]any{"documents.0.code": ""}, "documents.0.code", ""},
		{"DocumentCodeTwice", map[string]any{"documents": []any{
			map[string]any{"code": "don", "name": "Đơn"}, map[string]any{"code": "don", "name": "Bản sao"},
		}}, "documents.1.code", ""},
		{"DocumentName", map[string]any{"documents.0.name": ""}, "documents.0.name", ""},
		{"ResultType", map[string]any{"result.type": "giay"}, "result.type", ""},
		{"ResultName", map[string]any{"result.name": ""}, "result.name", ""},
		// The result's template: kind, the signer's capacity in capitals,
		// placeholders naming data the case has, a decision's grounds and
		// articles (Nghị định 30/2020/NĐ-CP Phụ lục I), a term's basis.
		{"ResultTemplate", map[string]any{"result.template": remove}, "result.template", ""},
		{"ResultTemplateKind", map[string]any{"result.template.kind": "giay"}, "result.template.kind", ""},
		{"ResultSignerTitle", map[string]any{"result.template.signer.title": ""}, "result.template.signer.title", ""},
		{"ResultSignerCapitals", map[string]any{"result.template.signer.title": "Giám đốc"}, "result.template.signer", "capitals"},
		{"ResultFieldUnknownData", map[string]any{"result.template.fields.0.value": "{applicant.hair}"}, "result.template.fields.0.value", "not data"},
		{"ResultFieldNotInForm", map[string]any{"result.template.fields.0.value": "{form.phone}"}, "result.template.fields.0.value", "no field phone"},
		{"ResultFieldLabel", map[string]any{"result.template.fields.0.label": ""}, "result.template.fields.0", "label"},
		{"ResultNoFields", map[string]any{"result.template.fields": remove}, "result.template.fields", ""},
		{"ResultValidityBasis", map[string]any{"result.template.validity.basis": ""}, "result.template.validity", "article"},
		{"ResultArticlesOfCertificate", map[string]any{"result.template.articles": []any{"Điều"}}, "result.template.articles", "only a decision"},
		{"DecisionArticles", map[string]any{"result.template.kind": "decision", "result.template.basis": []any{"Căn cứ Luật mẫu"}}, "result.template.articles", ""},
		{"DecisionBasis", map[string]any{"result.template.kind": "decision", "result.template.articles": []any{"Cấp.", "Thi hành."}}, "result.template.basis", ""},
		{"DecisionBasisWording", map[string]any{"result.template.kind": "decision", "result.template.articles": []any{"Cấp.", "Thi hành."},
			"result.template.basis": []any{"Luật mẫu"}}, "result.template.basis.0", "Căn cứ"},
		{"InfoSummary", map[string]any{"info.summary": ""}, "info.summary", ""},
		{"InfoLegalBasis", map[string]any{"info.legal_basis": []any{}}, "info.legal_basis", ""},
		{"UnknownKey", map[string]any{"colour": "xanh"}, "colour", "unknown key"},
		{"UnknownNestedKey", map[string]any{"steps.review.colour": "xanh"}, "colour", "unknown key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, ps := load(t, map[string][]byte{"thu-tuc.yaml": definition(t, tt.edits)})
			for _, p := range ps {
				if p.File == "thu-tuc.yaml" && p.Field == tt.field && strings.Contains(p.Message, tt.msg) {
					return
				}
			}
			t.Errorf("no problem at %q (message containing %q); got:\n%v", tt.field, tt.msg, ps)
		})
	}
}

func TestLevelTwoNeedsOnlyInformation(t *testing.T) {
	minimal := `
code: thong-tin
version: 1
name: {vi: Thủ tục thông tin, en: Information only}
tier: district
agencies: [UBND-TAMKY]
level: 2
documents: [{code: don, name: Đơn}]
info: {summary: Tóm tắt, legal_basis: [Luật mẫu]}
`
	if _, ps := load(t, map[string][]byte{"thong-tin.yaml": []byte(minimal)}); ps != nil {
		t.Fatalf("a minimal level-2 definition has problems:\n%v", ps)
	}
	// What is written must still be valid.
	broken := minimal + "steps: {receive: {role: boss}}\nprocessing_days: -1\n"
	_, ps := load(t, map[string][]byte{"thong-tin.yaml": []byte(broken)})
	if got := fields(ps); !slices.Equal(got, []string{"steps.receive.role", "processing_days"}) {
		t.Errorf("problems at %v, want steps.receive.role and processing_days", got)
	}
}

func TestEveryProblemIsReported(t *testing.T) {
	bad := definition(t, map[string]any{
		"version":            0,
		"tier":               "city",
		"steps.review":       remove,
		"delivery":           []any{"fax"},
		"info.summary":       "",
		"co_agencies.0.days": 0,
	})
	other := definition(t, map[string]any{"code": "khac"})
	_, ps := load(t, map[string][]byte{"thu-tuc.yaml": bad, "khac-ten.yaml": other})
	want := map[string]bool{
		"thu-tuc.yaml: version":            true,
		"thu-tuc.yaml: tier":               true,
		"thu-tuc.yaml: steps.review":       true,
		"thu-tuc.yaml: delivery.0":         true,
		"thu-tuc.yaml: info.summary":       true,
		"thu-tuc.yaml: co_agencies.0.days": true,
		"khac-ten.yaml: code":              true,
	}
	for _, p := range ps {
		delete(want, p.File+": "+p.Field)
	}
	if len(want) > 0 {
		t.Errorf("not reported: %v; got:\n%v", want, ps)
	}
	if lines := strings.Split(ps.Error(), "\n"); len(lines) != len(ps) {
		t.Errorf("Error() has %d lines for %d problems", len(lines), len(ps))
	}
	if s := (procedures.Problem{File: "a.yaml", Field: "steps.payment", Message: "m"}).String(); s != "a.yaml: steps.payment: m" {
		t.Errorf("Problem.String() = %q", s)
	}
}

func TestBrokenYAML(t *testing.T) {
	_, ps := load(t, map[string][]byte{"thu-tuc.yaml": []byte("code: [unclosed\n"), "trong.yaml": nil})
	if len(ps) != 2 || ps[0].File != "thu-tuc.yaml" || ps[1].File != "trong.yaml" || ps[1].Message != "the file is empty" {
		t.Errorf("got %v, want one problem in each file", ps)
	}
}

func TestFormYAML(t *testing.T) {
	// The result prints no form field: the forms below are others.
	base := string(definition(t, map[string]any{"form": remove, "example_form": remove,
		"result.template.fields": []any{map[string]any{"label": "Họ và tên", "value": "{applicant.name}"}}}))
	repeated := base + "form:\n  type: object\n  type: string\nexample_form: {}\n"
	_, ps := load(t, map[string][]byte{"thu-tuc.yaml": []byte(repeated)})
	if len(ps) != 1 || ps[0].Field != "form" || !strings.Contains(ps[0].Message, "repeated") {
		t.Errorf("a repeated key in the form gives %v", ps)
	}

	// An unquoted date in a form stays the text written, not a timestamp.
	dated := base + "form:\n  type: object\n  properties:\n    ngay: {const: 2024-01-31}\nexample_form: {ngay: \"2024-01-31\"}\n"
	c, ps := load(t, map[string][]byte{"thu-tuc.yaml": []byte(dated)})
	if ps != nil {
		t.Fatal(ps)
	}
	p, _ := c.Get("thu-tuc")
	if !strings.Contains(string(p.Form), `"const":"2024-01-31"`) {
		t.Errorf("form = %s", p.Form)
	}
}

// rate is a valid fee rate with one field changed.
func rate(key string, value any) map[string]any {
	r := map[string]any{"channel": "online", "amount": 1000, "label": "nộp trực tuyến", "basis": "Thông tư số 1/2020/TT-BTC, Điều 4"}
	r[key] = value
	return r
}
