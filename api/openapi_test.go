package api

// Tests that keep openapi.json true to the router and to the wire format.
// kin-openapi loads and validates the document (OpenAPI 3.1, every $ref
// local and resolving, path parameters matching the templates, responses
// described, the examples of parameters, requests and responses satisfying
// their schemas); on top of it these tests check:
//
//   - its (method, path) pairs are exactly the router's, and the routes that
//     exist only in dev mode are exactly those marked x-motcua-dev-only;
//   - every operation has a summary, a description, a 2xx answer, and a 404
//     when it takes a case or procedure `code`;
//   - the examples of component schemas satisfy them;
//   - the properties of the schemas are the JSON fields of the Go types;
//   - the enums are the Go vocabulary, and error examples agree with
//     statusOf;
//   - live answers of the server (answers_test.go) satisfy the document.
//
// Run: go test ./api/ -run OpenAPI

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/gin-gonic/gin"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/procedures"
	"github.com/motcua/motcua/sim"
	"github.com/motcua/motcua/workflows"
)

// parseOpenAPI loads and validates an OpenAPI 3.1 document.
func parseOpenAPI(data []byte) (*openapi3.T, error) {
	doc, err := openapi3.NewLoader().LoadFromData(data)
	if err != nil {
		return nil, err
	}
	if v := doc.OpenAPIMajorMinor(); v != "3.1" {
		return nil, fmt.Errorf("openapi is %q, want 3.1.x", doc.OpenAPI)
	}
	if err := doc.Validate(context.Background(), openapi3.EnableExamplesValidation()); err != nil {
		return nil, err
	}
	return doc, nil
}

var servedDoc = sync.OnceValues(func() (*openapi3.T, error) { return parseOpenAPI(openAPIDoc) })

// loadOpenAPI is the served document, loaded and validated.
func loadOpenAPI(t *testing.T) *openapi3.T {
	t.Helper()
	doc, err := servedDoc()
	if err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	return doc
}

// broken is the served document after edit, as plain JSON, loaded again.
func broken(t *testing.T, edit func(doc map[string]any)) (*openapi3.T, error) {
	t.Helper()
	var raw map[string]any
	if err := json.Unmarshal(openAPIDoc, &raw); err != nil {
		t.Fatal(err)
	}
	edit(raw)
	b, err := json.Marshal(raw)
	if err != nil {
		t.Fatal(err)
	}
	return parseOpenAPI(b)
}

// at walks JSON objects by keys.
func at(v any, keys ...string) map[string]any {
	for _, k := range keys {
		v = v.(map[string]any)[k]
	}
	return v.(map[string]any)
}

// ---- routes

var ginParam = regexp.MustCompile(`[:*]([A-Za-z0-9_]+)`)

// routerRoutes lists the router's routes as "METHOD /path/{param}".
func routerRoutes(t *testing.T, h http.Handler) map[string]bool {
	t.Helper()
	eng, ok := h.(*gin.Engine)
	if !ok {
		t.Fatalf("New returned %T, not *gin.Engine", h)
	}
	out := map[string]bool{}
	for _, r := range eng.Routes() {
		out[r.Method+" "+ginParam.ReplaceAllString(r.Path, "{$1}")] = true
	}
	return out
}

type operation struct {
	route string // GET /api/v1/cases/{code}
	item  *openapi3.PathItem
	op    *openapi3.Operation
}

func operations(doc *openapi3.T) []operation {
	var ops []operation
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			ops = append(ops, operation{route: method + " " + path, item: item, op: op})
		}
	}
	sort.Slice(ops, func(i, j int) bool { return ops[i].route < ops[j].route })
	return ops
}

func routeProblems(doc *openapi3.T, registered map[string]bool) []string {
	var out []string
	documented := map[string]bool{}
	for _, o := range operations(doc) {
		documented[o.route] = true
		if !registered[o.route] {
			out = append(out, "documented but not a route: "+o.route)
		}
	}
	for r := range registered {
		if !documented[r] {
			out = append(out, "route not in the document: "+r)
		}
	}
	sort.Strings(out)
	return out
}

// devOnlyProblems checks that the operations production does not mount
// are exactly those marked x-motcua-dev-only.
func devOnlyProblems(doc *openapi3.T, production map[string]bool) []string {
	var out []string
	for _, o := range operations(doc) {
		switch devOnly := o.op.Extensions["x-motcua-dev-only"] == true; {
		case devOnly && production[o.route]:
			out = append(out, o.route+": marked x-motcua-dev-only, but production mounts it")
		case !devOnly && !production[o.route]:
			out = append(out, o.route+": production does not mount it, but it is not marked x-motcua-dev-only")
		}
	}
	return out
}

// operationProblems checks what OpenAPI allows but we want: a summary, a
// description, a 2xx answer, and a 404 for operations taking a `code`.
func operationProblems(doc *openapi3.T) []string {
	var out []string
	for _, o := range operations(doc) {
		if o.op.Summary == "" || o.op.Description == "" {
			out = append(out, o.route+": no summary or description")
		}
		has2xx := false
		for status := range o.op.Responses.Map() {
			has2xx = has2xx || len(status) == 3 && status[0] == '2'
		}
		if !has2xx {
			out = append(out, o.route+": no 2xx response")
		}
		for _, p := range append(slices.Clone(o.item.Parameters), o.op.Parameters...) {
			if p.Value.In == openapi3.ParameterInPath && p.Value.Name == "code" && o.op.Responses.Status(http.StatusNotFound) == nil {
				out = append(out, o.route+": takes a code but documents no 404")
			}
		}
	}
	return out
}

func reportAll(t *testing.T, what string, problems []string) {
	t.Helper()
	for _, p := range problems {
		t.Errorf("%s: %s", what, p)
	}
}

// devDeps are the Deps of `motcua dev` as far as routing goes: every
// dev-only route is mounted.
func devDeps() Deps {
	return Deps{Dev: &DevTokens{Secret: []byte("test"), Audience: "motcua", TTL: time.Hour},
		DevMailbox: func() any { return []sim.Mail{} }}
}

func TestOpenAPIDocument(t *testing.T) {
	doc := loadOpenAPI(t)
	if doc.Info.Title != "motcua API" || doc.Info.Version != "1" {
		t.Errorf("info: title %q, version %q; want motcua API, 1", doc.Info.Title, doc.Info.Version)
	}
	if len(doc.Servers) != 1 || doc.Servers[0].URL != "/" {
		t.Errorf("servers %v: want one, / (paths are full paths from the root)", doc.Servers)
	}
	reportAll(t, "operations", operationProblems(doc))
}

func TestOpenAPIRoutes(t *testing.T) {
	doc := loadOpenAPI(t)
	registered := routerRoutes(t, New(devDeps()))
	if len(registered) == 0 {
		t.Fatal("the router registers no routes")
	}
	reportAll(t, "routes", routeProblems(doc, registered))
	production := routerRoutes(t, New(Deps{}))
	if production["POST /api/v1/dev/login"] || production["GET /dev/mailbox"] {
		t.Error("without Dev and DevMailbox the router still mounts the dev login or mailbox")
	}
	reportAll(t, "dev-only", devOnlyProblems(doc, production))
}

// TestOpenAPICheckersCanFail breaks copies of the document to show that
// the loader and each check of ours report what they should.
func TestOpenAPICheckersCanFail(t *testing.T) {
	doc := loadOpenAPI(t)
	registered := routerRoutes(t, New(devDeps()))
	production := routerRoutes(t, New(Deps{}))
	schema := func(raw map[string]any, name string) map[string]any { return at(raw, "components", "schemas", name) }
	for name, edit := range map[string]func(map[string]any){
		"OpenAPI 3.0": func(raw map[string]any) { raw["openapi"] = "3.0.3" },
		"a dangling $ref": func(raw map[string]any) {
			at(schema(raw, "Case"), "properties")["status"] = map[string]any{"$ref": "#/components/schemas/NoSuch"}
		},
		"a remote $ref": func(raw map[string]any) {
			at(schema(raw, "Case"), "properties")["status"] = map[string]any{"$ref": "https://example.com/s.json"}
		},
		"an unknown type": func(raw map[string]any) {
			at(schema(raw, "Case"), "properties")["status"] = map[string]any{"type": "strin"}
		},
		"a template without parameter": func(raw map[string]any) {
			paths := at(raw, "paths")
			paths["/api/v1/cases/{kode}"] = paths["/api/v1/cases/{code}"]
			delete(paths, "/api/v1/cases/{code}")
		},
		"an answer without description": func(raw map[string]any) {
			delete(at(raw, "paths", "/healthz", "get", "responses", "200"), "description")
		},
		"a wrong request example": func(raw map[string]any) {
			at(raw, "paths", "/api/v1/cases", "post", "requestBody", "content", "application/json")["example"] = map[string]any{"procedure": 5}
		},
	} {
		if _, err := broken(t, edit); err == nil {
			t.Errorf("the loader accepts %s", name)
		}
	}

	b, err := broken(t, func(raw map[string]any) {
		delete(at(raw, "paths", "/api/v1/cases/{code}"), "get")
		at(raw, "paths")["/api/v1/nowhere"] = map[string]any{"get": map[string]any{"responses": map[string]any{"200": map[string]any{"description": "x"}}}}
	})
	if err != nil {
		t.Fatal(err)
	}
	if p := routeProblems(b, registered); !slices.Equal(p, []string{"documented but not a route: GET /api/v1/nowhere", "route not in the document: GET /api/v1/cases/{code}"}) {
		t.Errorf("route check missed a removed and an invented path: %v", p)
	}
	if p := routeProblems(doc, production); !slices.Contains(p, "documented but not a route: POST /api/v1/dev/login") {
		t.Errorf("route check missed a route the router lacks: %v", p)
	}

	b, err = broken(t, func(raw map[string]any) {
		delete(at(raw, "paths", "/dev/mailbox", "get"), "x-motcua-dev-only")
		at(raw, "paths", "/healthz", "get")["x-motcua-dev-only"] = true
	})
	if err != nil {
		t.Fatal(err)
	}
	if p := devOnlyProblems(b, production); !slices.Equal(p, []string{"GET /dev/mailbox: production does not mount it, but it is not marked x-motcua-dev-only",
		"GET /healthz: marked x-motcua-dev-only, but production mounts it"}) {
		t.Errorf("dev-only check missed an unmarked dev route and a marked production one: %v", p)
	}

	b, err = broken(t, func(raw map[string]any) {
		delete(at(raw, "paths", "/api/v1/cases/{code}", "get", "responses"), "404")
		responses := at(raw, "paths", "/healthz", "get", "responses")
		responses["503"], responses["200"] = responses["200"], nil
		delete(responses, "200")
	})
	if err != nil {
		t.Fatal(err)
	}
	if p := operationProblems(b); !slices.Equal(p, []string{"GET /api/v1/cases/{code}: takes a code but documents no 404", "GET /healthz: no 2xx response"}) {
		t.Errorf("operation check missed a missing 404 and a missing 2xx: %v", p)
	}

	b, err = broken(t, func(raw map[string]any) {
		schema(raw, "Verification")["examples"].([]any)[0].(map[string]any)["size"] = "big"
	})
	if err != nil {
		t.Fatal(err)
	}
	if p := schemaExampleProblems(b); len(p) != 1 || !strings.HasPrefix(p[0], "Verification") {
		t.Errorf("schema example check: %v, want one problem of Verification", p)
	}
}

// ---- schemas: examples, Go types

// schemaExampleProblems validates the `examples` of every component schema,
// which the loader leaves alone.
func schemaExampleProblems(doc *openapi3.T) []string {
	var out []string
	for name, s := range doc.Components.Schemas {
		for i, ex := range s.Value.Examples {
			if err := s.Value.VisitJSON(ex, openapi3.EnableJSONSchema2020(), openapi3.EnableFormatValidation()); err != nil {
				out = append(out, fmt.Sprintf("%s: example %d does not satisfy it: %v", name, i, err))
			}
		}
	}
	return out
}

func TestOpenAPISchemaExamples(t *testing.T) {
	reportAll(t, "schema", schemaExampleProblems(loadOpenAPI(t)))
}

// jsonFields lists the JSON names of a struct's fields and whether each is
// omitempty, following embedded structs as encoding/json does.
func jsonFields(t reflect.Type) map[string]bool {
	out := map[string]bool{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" || (!f.IsExported() && !f.Anonymous) {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			for k, v := range jsonFields(f.Type) {
				out[k] = v
			}
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = slices.Contains(strings.Split(opts, ","), "omitempty")
	}
	return out
}

// schemaFields gathers a schema's properties and required names through
// allOf.
func schemaFields(s *openapi3.Schema) (props, required map[string]bool) {
	props, required = map[string]bool{}, map[string]bool{}
	for k := range s.Properties {
		props[k] = true
	}
	for _, r := range s.Required {
		required[r] = true
	}
	for _, sub := range s.AllOf {
		p, r := schemaFields(sub.Value)
		for k := range p {
			props[k] = true
		}
		for k := range r {
			required[k] = true
		}
	}
	return props, required
}

// TestOpenAPISchemasMatchGoTypes compares each schema's properties with the
// JSON fields of the Go type it describes. For answers, a field is required
// exactly when it is always sent (no omitempty).
func TestOpenAPISchemasMatchGoTypes(t *testing.T) {
	doc := loadOpenAPI(t)
	answers := map[string]any{
		"Case": motcua.Case{}, "Receipt": receipt{}, "CaseSummary": caseSummary{}, "CasePage": casePage{},
		"Event": motcua.Event{}, "Permission": actionView{}, "Pause": motcua.Pause{}, "Document": motcua.Document{},
		"Payment": motcua.Payment{}, "Opinion": motcua.Opinion{}, "Result": motcua.Result{}, "ProcedureRef": motcua.ProcedureRef{},
		"Applicant": motcua.Applicant{}, "Delivery": motcua.Delivery{}, "ActorRef": motcua.ActorRef{}, "Actor": motcua.Actor{},
		"ProcedureItem": procedureItem{}, "Procedure": procedureView{}, "CompetentAgency": competentAgency{}, "Text": motcua.Text{}, "CoAgency": motcua.CoAgency{},
		"DocumentSpec": motcua.DocumentSpec{}, "Fee": motcua.Fee{}, "Step": motcua.Step{},
		"ResultSpec": motcua.ResultSpec{}, "Info": motcua.Info{}, "Error": errorBody{}, "Error.error": motcua.Error{},
		"Check": motcua.Check{}, "Verification": verification{}, "Mail": sim.Mail{}, "Incident": motcua.Incident{},
		"IndicatorReport": motcua.IndicatorReport{}, "IndicatorScope": motcua.IndicatorScope{}, "IndicatorScore": motcua.IndicatorScore{},
		"Indicator": motcua.Indicator{}, "IndicatorGroup": motcua.IndicatorGroup{}, "Roadmap": procedures.Roadmap{},
		"RoadmapTarget": procedures.RoadmapTarget{}, "LevelSince": motcua.LevelSince{},
		"CaseView": caseView{}, "SecondInstanceOffer": secondInstanceOffer{},
		"PublishedFeedback": motcua.PublishedFeedback{},
	}
	requests := map[string]any{
		"ActionRequestBody": actionBody{}, "SubmitRequest": submitRequest{}, "DevLoginRequest": devLoginRequest{},
		"CoReviewData": workflows.CoReviewData{}, "PaymentData": workflows.PaymentData{}, "IssueData": workflows.IssueData{},
		"RescheduleData": workflows.RescheduleData{}, "AssignData": workflows.AssignData{}, "ConcludeData": workflows.ConcludeData{},
		"PaymentResultData": workflows.PaymentResultData{}, "TrackingData": workflows.TrackingData{},
		"SecondInstanceRequest": secondInstanceRequest{},
		"AnswerData":            workflows.AnswerData{}, "FeedbackRequest": feedbackBody{},
	}
	check := func(name string, v any, answer bool) {
		schemaName, prop, _ := strings.Cut(name, ".")
		ref := doc.Components.Schemas[schemaName]
		if ref != nil && prop != "" {
			ref = ref.Value.Properties[prop]
		}
		if ref == nil {
			t.Errorf("no schema %s", name)
			return
		}
		props, required := schemaFields(ref.Value)
		fields := jsonFields(reflect.TypeOf(v))
		for f, omitempty := range fields {
			switch {
			case !props[f]:
				t.Errorf("%s: Go field %q (%T) is not a property of the schema", name, f, v)
			case answer && !omitempty && !required[f]:
				t.Errorf("%s: %q is always sent but not required", name, f)
			case answer && omitempty && required[f]:
				t.Errorf("%s: %q is omitted when empty but required", name, f)
			}
		}
		for p := range props {
			if _, ok := fields[p]; !ok {
				t.Errorf("%s: property %q is not a JSON field of %T", name, p, v)
			}
		}
	}
	for name, v := range answers {
		check(name, v, true)
	}
	// Steps is a map keyed by step name: its properties are the names.
	props, _ := schemaFields(doc.Components.Schemas["Steps"].Value)
	if got := slices.Sorted(maps.Keys(props)); !slices.Equal(got, slices.Sorted(slices.Values(motcua.StepNames))) {
		t.Errorf("Steps: properties %v, step names %v", got, motcua.StepNames)
	}
	for name, v := range requests {
		check(name, v, false)
	}
}

// ---- answers against the document

// contract checks answers against the document with kin-openapi's router
// and response validator: the status is one the operation lists, the
// content type one that answer has, the body satisfies its schema, the
// required headers are there.
type contract struct{ router routers.Router }

func newContract(t *testing.T, doc *openapi3.T) contract {
	t.Helper()
	r, err := legacy.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	return contract{router: r}
}

func (c contract) check(req *http.Request, status int, header http.Header, body []byte) error {
	route, params, err := c.router.FindRoute(req)
	if err != nil {
		return fmt.Errorf("%s %s: %w", req.Method, req.URL.Path, err)
	}
	return openapi3filter.ValidateResponse(req.Context(), &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
		Status:                 status, Header: header, Body: io.NopCloser(bytes.NewReader(body)),
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	})
}

// ---- vocabulary

// enumAt is the sorted enum of a schema.
func enumAt(t *testing.T, s *openapi3.SchemaRef, name string) []string {
	t.Helper()
	if s == nil || len(s.Value.Enum) == 0 {
		t.Fatalf("schema %s has no enum", name)
	}
	var out []string
	for _, e := range s.Value.Enum {
		out = append(out, e.(string))
	}
	sort.Strings(out)
	return out
}

func sortedStrings[T ~string](vs ...T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	sort.Strings(out)
	return out
}

// TestOpenAPIVocabulary keeps the enums equal to the Go vocabulary, and
// every documented error example consistent with statusOf.
func TestOpenAPIVocabulary(t *testing.T) {
	doc := loadOpenAPI(t)
	schemas := doc.Components.Schemas
	enum := func(path string) []string {
		name, props, _ := strings.Cut(path, ".")
		s := schemas[name]
		for p := range strings.SplitSeq(props, ".") {
			switch {
			case s == nil || p == "":
			case p == "items":
				s = s.Value.Items
			default:
				s = s.Value.Properties[p]
			}
		}
		return enumAt(t, s, path)
	}
	same := func(path string, want []string) {
		t.Helper()
		if got := enum(path); !slices.Equal(got, want) {
			t.Errorf("%s enum is %v, want %v", path, got, want)
		}
	}
	// The server takes an action by name exactly when the document lists
	// it: without an Idempotency-Key a known action is 400, another 404.
	_, fresh := testCases()
	h := New(Deps{Store: &fakeStore{cases: map[string]*motcua.Case{fresh.Code: fresh}}, Auth: testDev, Logger: quiet})
	adminToken, _, _ := testDev.Issue(motcua.Actor{Kind: motcua.KindAdmin, Subject: "admin"}, time.Now())
	documented := enum("RequestableAction")
	for _, a := range append(enum("Action"), "fly") {
		req := httptest.NewRequest("POST", "/api/v1/cases/"+fresh.Code+"/actions/"+a, nil)
		req.Header.Set("Authorization", "Bearer "+adminToken)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		switch want := slices.Contains(documented, a); {
		case want && rec.Code != http.StatusBadRequest:
			t.Errorf("action %s is documented as requestable, but the server answers %d", a, rec.Code)
		case !want && rec.Code != http.StatusNotFound:
			t.Errorf("action %s is not documented as requestable, but the server answers %d", a, rec.Code)
		}
	}
	same("OfficerRole", sortedStrings(motcua.OfficerRoles...))
	same("Role", sortedStrings(append(slices.Clone(motcua.OfficerRoles), motcua.RoleApplicant, motcua.RoleSystem)...))
	same("ActorKind", sortedStrings(motcua.KindCitizen, motcua.KindOfficer, motcua.KindAdmin, motcua.KindSystem))
	same("Status", sortedStrings(motcua.StatusSubmitted, motcua.StatusAwaitingSupplement, motcua.StatusReceived,
		motcua.StatusInReview, motcua.StatusCoReview, motcua.StatusAwaitingApproval, motcua.StatusAwaitingPayment,
		motcua.StatusAwaitingIssue, motcua.StatusResultReady, motcua.StatusCompleted, motcua.StatusRejected,
		motcua.StatusWithdrawn, motcua.StatusCancelled, motcua.StatusAwaitingAssignment, motcua.StatusInvestigating,
		motcua.StatusAwaitingConclusion, motcua.StatusDialogue, motcua.StatusAwaitingAnswer))
	same("Action", sortedStrings(append(specActions(), motcua.ActionSubmit,
		motcua.EventTransferred, motcua.EventCoReviewStarted, motcua.EventDueSoon, motcua.EventOverdue,
		motcua.EventCoReviewOverdue, motcua.EventSupplementExpiry, motcua.EventDelivered,
		motcua.EventCheck, motcua.EventCheckFailed, motcua.EventReceiptIssued, motcua.EventResultSigned, motcua.EventPaymentOrdered,
		motcua.EventPaymentReconciled, motcua.EventRefunded, motcua.EventPosted, motcua.EventHandedOver, motcua.EventForwarded, motcua.EventResultIssued, motcua.EventSlipIssued,
		motcua.EventApologyIssued, motcua.EventSupplementLate, motcua.EventApologyTardy, motcua.EventReceptionLate)...))
	same("Payment.status", sortedStrings(motcua.PaymentPending, motcua.PaymentPaid, motcua.PaymentFailed, motcua.PaymentRefunded, motcua.PaymentCancelled))
	same("PaymentResultData.status", sortedStrings(motcua.PaymentPaid, motcua.PaymentFailed))
	same("Check.kind", sortedStrings(motcua.CheckBusinessName, motcua.CheckBusinessRegister,
		motcua.CheckPopulation, motcua.CheckCriminalRecord, motcua.CheckLandParcel))
	same("Check.at", sortedStrings(motcua.AtReception, motcua.AtReview, motcua.AtIssue))
	notify := sortedStrings(motcua.NotifySMS, motcua.NotifyEmail)
	same("Case.notify.items", notify)
	same("SubmitRequest.notify.items", notify)
	issuedKinds := sortedStrings(motcua.DocumentReceipt, motcua.DocumentResult, motcua.DocumentSupplementRequest, motcua.DocumentRefusal,
		motcua.DocumentControlSheet, motcua.DocumentRegister)
	same("Verification.kind", issuedKinds)
	if kinds := enum("Document.kind"); !slices.Contains(kinds, issuedKinds[0]) || !slices.Contains(kinds, issuedKinds[1]) {
		t.Errorf("Document kinds %v lack the issued kinds %v", kinds, issuedKinds)
	}
	same("ErrorCode", sortedStrings(motcua.EINVALID, motcua.ENOTFOUND, motcua.ECONFLICT, motcua.EFORBIDDEN,
		motcua.EUNAUTHORIZED, motcua.ETOOLARGE, motcua.EUNSUPPORTED, motcua.ERATELIMIT, motcua.EUNAVAILABLE,
		motcua.EINTERNAL, motcua.EBADREQUEST, motcua.EMETHOD, motcua.EHEADERTOOLARGE))

	// An error example under status N has a code that statusOf maps to N.
	for _, o := range operations(doc) {
		for status, r := range o.op.Responses.Map() {
			mt := r.Value.Content.Get("application/json")
			if mt == nil {
				continue
			}
			ex, _ := mt.Example.(map[string]any)
			e, _ := ex["error"].(map[string]any)
			if code, ok := e["code"].(string); ok && strconv.Itoa(statusOf(code)) != status {
				t.Errorf("%s: the %s answer's example has code %q, which the server sends with %d", o.route, status, code, statusOf(code))
			}
		}
	}
}

// specActions are the actions the registry describes.
func specActions() []motcua.Action {
	var out []motcua.Action
	for _, s := range workflows.Specs() {
		out = append(out, s.Action)
	}
	return out
}
