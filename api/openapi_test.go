package api

// Tests that keep openapi.json true to the router and to the wire format:
//
//   - the document is JSON and OpenAPI 3.1;
//   - its (method, path) pairs are exactly the router's;
//   - every $ref resolves;
//   - every operation has a 2xx answer, and a 404 when it takes a case or
//     procedure `code`;
//   - every component schema compiles (JSON Schema 2020-12) and its examples
//     satisfy it;
//   - the properties of the schemas are the JSON fields of the Go types;
//   - live answers of the server (with fake Temporal, store and blobs) have
//     a status the document lists and a body its schema accepts;
//   - the enums are the Go vocabulary, and error examples agree with
//     statusOf;
//   - the routes that exist only in dev mode are exactly those marked
//     x-motcua-dev-only.
//
// TestOpenAPICheckersCanFail breaks copies of the document to show that
// each structural check reports what it should.
//
// Run: go test ./api/ -run OpenAPI

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"mime/multipart"
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

	"github.com/gin-gonic/gin"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/documents"
	"github.com/motcua/motcua/procedures"
	"github.com/motcua/motcua/sim"
	"github.com/motcua/motcua/workflows"
)

// ---- loading and walking the document

func loadOpenAPI(t *testing.T) map[string]any {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(openAPIDoc, &doc); err != nil {
		t.Fatalf("openapi.json does not parse as JSON: %v", err)
	}
	return doc
}

func cloneDoc(t *testing.T, doc map[string]any) map[string]any {
	t.Helper()
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

var httpMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

type operation struct {
	method, path string // GET, /api/v1/cases/{code}
	item, op     map[string]any
}

func operations(doc map[string]any) []operation {
	var ops []operation
	paths, _ := doc["paths"].(map[string]any)
	for p, v := range paths {
		item, _ := v.(map[string]any)
		for _, m := range httpMethods {
			if op, ok := item[m].(map[string]any); ok {
				ops = append(ops, operation{method: strings.ToUpper(m), path: p, item: item, op: op})
			}
		}
	}
	sort.Slice(ops, func(i, j int) bool { return ops[i].path+ops[i].method < ops[j].path+ops[j].method })
	return ops
}

// pointer resolves a JSON pointer ("/components/schemas/Case") in doc.
func pointer(doc any, ptr string) (any, bool) {
	if ptr == "" {
		return doc, true
	}
	if !strings.HasPrefix(ptr, "/") {
		return nil, false
	}
	cur := doc
	for _, tok := range strings.Split(ptr[1:], "/") {
		tok = strings.NewReplacer("~1", "/", "~0", "~").Replace(tok)
		switch v := cur.(type) {
		case map[string]any:
			next, ok := v[tok]
			if !ok {
				return nil, false
			}
			cur = next
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(v) {
				return nil, false
			}
			cur = v[i]
		default:
			return nil, false
		}
	}
	return cur, true
}

// deref follows a local $ref, if v is one.
func deref(doc map[string]any, v any) (map[string]any, bool) {
	m, ok := v.(map[string]any)
	for i := 0; ok && i < 10; i++ {
		r, isRef := m["$ref"].(string)
		if !isRef {
			return m, true
		}
		target, found := pointer(doc, strings.TrimPrefix(r, "#"))
		if !found || !strings.HasPrefix(r, "#") {
			return nil, false
		}
		m, ok = target.(map[string]any)
	}
	return m, ok
}

// ---- the structural checks; each returns one line per problem

func versionProblems(doc map[string]any) []string {
	v, ok := doc["openapi"].(string)
	if !ok {
		return []string{"no \"openapi\" version string"}
	}
	if !regexp.MustCompile(`^3\.1\.\d+$`).MatchString(v) {
		return []string{fmt.Sprintf("openapi is %q, want 3.1.x", v)}
	}
	return nil
}

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

func documentedRoutes(doc map[string]any) map[string]bool {
	out := map[string]bool{}
	for _, op := range operations(doc) {
		out[op.method+" "+op.path] = true
	}
	return out
}

func routeProblems(documented, registered map[string]bool) []string {
	var out []string
	for r := range registered {
		if !documented[r] {
			out = append(out, "route not in the document: "+r)
		}
	}
	for r := range documented {
		if !registered[r] {
			out = append(out, "documented but not a route: "+r)
		}
	}
	sort.Strings(out)
	return out
}

func refProblems(doc map[string]any) []string {
	var out []string
	var walk func(v any, at string)
	walk = func(v any, at string) {
		switch v := v.(type) {
		case map[string]any:
			if r, ok := v["$ref"]; ok {
				s, isString := r.(string)
				switch {
				case !isString:
					out = append(out, fmt.Sprintf("%s: $ref is not a string", at))
				case !strings.HasPrefix(s, "#/components/"):
					out = append(out, fmt.Sprintf("%s: $ref %q is not a local component", at, s))
				default:
					if _, found := pointer(doc, strings.TrimPrefix(s, "#")); !found {
						out = append(out, fmt.Sprintf("%s: $ref %q does not resolve", at, s))
					}
				}
			}
			for k, e := range v {
				walk(e, at+"/"+strings.NewReplacer("~", "~0", "/", "~1").Replace(k))
			}
		case []any:
			for i, e := range v {
				walk(e, fmt.Sprintf("%s/%d", at, i))
			}
		}
	}
	walk(doc, "#")
	sort.Strings(out)
	return out
}

var templateVar = regexp.MustCompile(`\{([^}]+)\}`)

// responseProblems checks every operation has a 2xx answer and, when it
// takes a path parameter `code`, a 404; and that its path parameters are
// exactly its template's.
func responseProblems(doc map[string]any) []string {
	var out []string
	for _, o := range operations(doc) {
		name := o.method + " " + o.path
		responses, _ := o.op["responses"].(map[string]any)
		has2xx := false
		for status := range responses {
			if len(status) == 3 && status[0] == '2' {
				has2xx = true
			}
		}
		if !has2xx {
			out = append(out, name+": no 2xx response")
		}
		pathParams := map[string]bool{}
		for _, list := range []any{o.item["parameters"], o.op["parameters"]} {
			params, _ := list.([]any)
			for _, p := range params {
				pm, ok := deref(doc, p)
				if !ok {
					out = append(out, name+": a parameter does not resolve")
					continue
				}
				if pm["in"] == "path" {
					n, _ := pm["name"].(string)
					pathParams[n] = true
					if pm["required"] != true {
						out = append(out, name+": path parameter "+n+" is not required")
					}
				}
			}
		}
		if pathParams["code"] {
			if _, ok := responses["404"]; !ok {
				out = append(out, name+": takes a code but documents no 404")
			}
		}
		inTemplate := map[string]bool{}
		for _, m := range templateVar.FindAllStringSubmatch(o.path, -1) {
			inTemplate[m[1]] = true
			if !pathParams[m[1]] {
				out = append(out, name+": template variable {"+m[1]+"} has no path parameter")
			}
		}
		for p := range pathParams {
			if !inTemplate[p] {
				out = append(out, name+": path parameter "+p+" is not in the template")
			}
		}
		for status, r := range responses {
			rm, ok := deref(doc, r)
			if !ok {
				out = append(out, name+" "+status+": response does not resolve")
			} else if _, ok := rm["description"].(string); !ok {
				out = append(out, name+" "+status+": response has no description")
			}
		}
		for _, k := range []string{"summary", "description"} {
			if s, _ := o.op[k].(string); s == "" {
				out = append(out, name+": no "+k)
			}
		}
	}
	sort.Strings(out)
	return out
}

func reportAll(t *testing.T, what string, problems []string) {
	t.Helper()
	for _, p := range problems {
		t.Errorf("%s: %s", what, p)
	}
}

// ---- the tests

func TestOpenAPIDocument(t *testing.T) {
	doc := loadOpenAPI(t)
	reportAll(t, "version", versionProblems(doc))
	info, _ := doc["info"].(map[string]any)
	if info["title"] != "motcua API" || info["version"] != "1" {
		t.Errorf("info: title %v, version %v; want motcua API, 1", info["title"], info["version"])
	}
	servers, _ := doc["servers"].([]any)
	if len(servers) != 1 {
		t.Fatalf("want one server, got %d", len(servers))
	}
	if u := servers[0].(map[string]any)["url"]; u != "/" {
		t.Errorf("server url %v, want / (paths are full paths from the root)", u)
	}
}

// devDeps are the Deps of `motcua dev` as far as routing goes: every
// dev-only route is mounted.
func devDeps() Deps {
	return Deps{Dev: &DevTokens{Secret: []byte("test"), Audience: "motcua", TTL: time.Hour},
		DevMailbox: func() any { return []sim.Mail{} }}
}

func TestOpenAPIRoutes(t *testing.T) {
	doc := loadOpenAPI(t)
	registered := routerRoutes(t, New(devDeps()))
	if len(registered) == 0 {
		t.Fatal("the router registers no routes")
	}
	reportAll(t, "routes", routeProblems(documentedRoutes(doc), registered))

	// The dev login and the dev mailbox exist only in dev mode, and the
	// document says so.
	for _, p := range []string{"/paths/~1api~1v1~1dev~1login/post", "/paths/~1dev~1mailbox/get"} {
		op, _ := pointer(doc, p)
		if m, _ := op.(map[string]any); m == nil || m["x-motcua-dev-only"] != true {
			t.Errorf("%s is not marked x-motcua-dev-only", p)
		}
	}
	production := routerRoutes(t, New(Deps{}))
	if production["POST /api/v1/dev/login"] {
		t.Error("without Dev the router still mounts /api/v1/dev/login")
	}
	if production["GET /dev/mailbox"] {
		t.Error("without DevMailbox the router still mounts /dev/mailbox")
	}
	reportAll(t, "dev-only", devOnlyProblems(doc, production))
}

// devOnlyProblems checks that the operations production does not mount
// are exactly those marked x-motcua-dev-only.
func devOnlyProblems(doc map[string]any, production map[string]bool) []string {
	var out []string
	for _, o := range operations(doc) {
		route := o.method + " " + o.path
		switch devOnly := o.op["x-motcua-dev-only"] == true; {
		case devOnly && production[route]:
			out = append(out, route+": marked x-motcua-dev-only, but production mounts it")
		case !devOnly && !production[route]:
			out = append(out, route+": production does not mount it, but it is not marked x-motcua-dev-only")
		}
	}
	sort.Strings(out)
	return out
}

func TestOpenAPIRefs(t *testing.T) {
	reportAll(t, "refs", refProblems(loadOpenAPI(t)))
}

func TestOpenAPIResponses(t *testing.T) {
	reportAll(t, "operations", responseProblems(loadOpenAPI(t)))
}

// TestOpenAPICheckersCanFail shows each check reports a broken document.
func TestOpenAPICheckersCanFail(t *testing.T) {
	doc := loadOpenAPI(t)
	registered := routerRoutes(t, New(devDeps()))
	if p := routeProblems(documentedRoutes(doc), registered); len(p) > 0 {
		t.Fatalf("the document must be right before it is broken: %v", p)
	}

	broken := cloneDoc(t, doc)
	broken["openapi"] = "3.0.3"
	if len(versionProblems(broken)) == 0 {
		t.Error("version check accepts 3.0.3")
	}
	delete(broken, "openapi")
	if len(versionProblems(broken)) == 0 {
		t.Error("version check accepts a missing version")
	}

	broken = cloneDoc(t, doc)
	paths := broken["paths"].(map[string]any)
	delete(paths["/api/v1/cases/{code}"].(map[string]any), "get")
	paths["/api/v1/nowhere"] = map[string]any{"get": map[string]any{"responses": map[string]any{}}}
	p := routeProblems(documentedRoutes(broken), registered)
	if !slices.Contains(p, "route not in the document: GET /api/v1/cases/{code}") ||
		!slices.Contains(p, "documented but not a route: GET /api/v1/nowhere") {
		t.Errorf("route check missed a removed and an invented path: %v", p)
	}
	production := routerRoutes(t, New(Deps{}))
	if p := routeProblems(documentedRoutes(doc), production); !slices.Contains(p, "documented but not a route: POST /api/v1/dev/login") ||
		!slices.Contains(p, "documented but not a route: GET /dev/mailbox") {
		t.Errorf("route check missed a route the router lacks: %v", p)
	}

	broken = cloneDoc(t, doc)
	paths = broken["paths"].(map[string]any)
	delete(paths["/dev/mailbox"].(map[string]any)["get"].(map[string]any), "x-motcua-dev-only")
	paths["/healthz"].(map[string]any)["get"].(map[string]any)["x-motcua-dev-only"] = true
	if p := devOnlyProblems(broken, production); len(p) != 2 ||
		!slices.Contains(p, "GET /dev/mailbox: production does not mount it, but it is not marked x-motcua-dev-only") ||
		!slices.Contains(p, "GET /healthz: marked x-motcua-dev-only, but production mounts it") {
		t.Errorf("dev-only check missed an unmarked dev route and a marked production one: %v", p)
	}

	broken = cloneDoc(t, doc)
	schemas := broken["components"].(map[string]any)["schemas"].(map[string]any)
	schemas["Case"].(map[string]any)["properties"].(map[string]any)["status"] = map[string]any{"$ref": "#/components/schemas/NoSuchStatus"}
	if p := refProblems(broken); len(p) != 1 || !strings.Contains(p[0], "NoSuchStatus") {
		t.Errorf("ref check: %v, want one problem naming NoSuchStatus", p)
	}
	schemas["Case"].(map[string]any)["properties"].(map[string]any)["status"] = map[string]any{"$ref": "https://example.com/status.json"}
	if p := refProblems(broken); len(p) != 1 {
		t.Errorf("ref check: %v, want one problem for a remote $ref", p)
	}

	broken = cloneDoc(t, doc)
	paths = broken["paths"].(map[string]any)
	getCase := paths["/api/v1/cases/{code}"].(map[string]any)["get"].(map[string]any)
	delete(getCase["responses"].(map[string]any), "404")
	health := paths["/healthz"].(map[string]any)["get"].(map[string]any)
	delete(health["responses"].(map[string]any), "200")
	p = responseProblems(broken)
	if !slices.Contains(p, "GET /api/v1/cases/{code}: takes a code but documents no 404") ||
		!slices.Contains(p, "GET /healthz: no 2xx response") {
		t.Errorf("response check missed a missing 404 and a missing 2xx: %v", p)
	}
}

// ---- schemas: compile, examples, Go types

const docURL = "urn:motcua:openapi"

// compiler compiles JSON Schemas found anywhere in the document, by JSON
// pointer; $refs between components resolve inside it.
func compiler(t *testing.T) *jsonschema.Compiler {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(openAPIDoc))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	if err := c.AddResource(docURL, inst); err != nil {
		t.Fatal(err)
	}
	return c
}

func escapePointer(tokens ...string) string {
	var b strings.Builder
	for _, tok := range tokens {
		b.WriteString("/" + strings.NewReplacer("~", "~0", "/", "~1").Replace(tok))
	}
	return b.String()
}

type schemaCache struct {
	t  *testing.T
	c  *jsonschema.Compiler
	mu sync.Mutex
	by map[string]*jsonschema.Schema
}

func newSchemaCache(t *testing.T) *schemaCache {
	return &schemaCache{t: t, c: compiler(t), by: map[string]*jsonschema.Schema{}}
}

func (sc *schemaCache) get(ptr string) *jsonschema.Schema {
	sc.t.Helper()
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if s, ok := sc.by[ptr]; ok {
		return s
	}
	s, err := sc.c.Compile(docURL + "#" + ptr)
	if err != nil {
		sc.t.Fatalf("schema %s does not compile: %v", ptr, err)
	}
	sc.by[ptr] = s
	return s
}

func validateJSON(s *jsonschema.Schema, data []byte) error {
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("not JSON: %v", err)
	}
	return s.Validate(inst)
}

func TestOpenAPISchemasCompile(t *testing.T) {
	doc := loadOpenAPI(t)
	sc := newSchemaCache(t)
	schemas, _ := pointer(doc, "/components/schemas")
	for name, v := range schemas.(map[string]any) {
		s := sc.get(escapePointer("components", "schemas", name))
		examples, _ := v.(map[string]any)["examples"].([]any)
		for i, ex := range examples {
			b, _ := json.Marshal(ex)
			if err := validateJSON(s, b); err != nil {
				t.Errorf("schema %s: example %d does not satisfy it: %v", name, i, err)
			}
		}
	}
	// Every schema and example of a parameter, request or response.
	for _, o := range operations(doc) {
		base := escapePointer("paths", o.path, strings.ToLower(o.method))
		checkContent := func(at string, content any) {
			cm, _ := content.(map[string]any)
			for mt, v := range cm {
				m := v.(map[string]any)
				if _, ok := m["schema"]; !ok {
					t.Errorf("%s %s: %s has no schema", o.method, o.path, mt)
					continue
				}
				ptr := at + escapePointer("content", mt, "schema")
				s := sc.get(ptr)
				var examples []any
				if ex, ok := m["example"]; ok {
					examples = append(examples, ex)
				}
				if exs, ok := m["examples"].(map[string]any); ok {
					for _, e := range exs {
						examples = append(examples, e.(map[string]any)["value"])
					}
				}
				for _, ex := range examples {
					b, _ := json.Marshal(ex)
					if err := validateJSON(s, b); err != nil {
						t.Errorf("%s %s (%s): an example does not satisfy its schema: %v", o.method, o.path, ptr, err)
					}
				}
			}
		}
		if rb, ok := o.op["requestBody"].(map[string]any); ok {
			checkContent(base+"/requestBody", rb["content"])
		}
		responses, _ := o.op["responses"].(map[string]any)
		for status, r := range responses {
			at := base + escapePointer("responses", status)
			if ref, ok := r.(map[string]any)["$ref"].(string); ok {
				at = strings.TrimPrefix(ref, "#")
			}
			rm, _ := deref(doc, r)
			checkContent(at, rm["content"])
		}
	}
	params, _ := pointer(doc, "/components/parameters")
	for name, v := range params.(map[string]any) {
		s := sc.get(escapePointer("components", "parameters", name, "schema"))
		if ex, ok := v.(map[string]any)["example"]; ok {
			b, _ := json.Marshal(ex)
			if err := validateJSON(s, b); err != nil {
				t.Errorf("parameter %s: example does not satisfy its schema: %v", name, err)
			}
		}
	}
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
// allOf and $ref.
func schemaFields(doc map[string]any, v any) (props, required map[string]bool) {
	props, required = map[string]bool{}, map[string]bool{}
	m, ok := deref(doc, v)
	if !ok {
		return
	}
	if ps, ok := m["properties"].(map[string]any); ok {
		for k := range ps {
			props[k] = true
		}
	}
	if rs, ok := m["required"].([]any); ok {
		for _, r := range rs {
			required[r.(string)] = true
		}
	}
	if all, ok := m["allOf"].([]any); ok {
		for _, sub := range all {
			p, r := schemaFields(doc, sub)
			for k := range p {
				props[k] = true
			}
			for k := range r {
				required[k] = true
			}
		}
	}
	return
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
		"ProcedureItem": procedureItem{}, "Procedure": motcua.Procedure{}, "Text": motcua.Text{}, "CoAgency": motcua.CoAgency{},
		"DocumentSpec": motcua.DocumentSpec{}, "Fee": motcua.Fee{}, "Step": motcua.Step{},
		"ResultSpec": motcua.ResultSpec{}, "Info": motcua.Info{}, "Error": errorBody{}, "Error/properties/error": motcua.Error{},
		"Check": motcua.Check{}, "Verification": verification{}, "Mail": sim.Mail{},
	}
	requests := map[string]any{
		"ActionRequestBody": actionBody{}, "SubmitRequest": submitRequest{}, "DevLoginRequest": devLoginRequest{},
		"CoReviewData": workflows.CoReviewData{}, "PaymentData": workflows.PaymentData{}, "IssueData": workflows.IssueData{},
		"RescheduleData": workflows.RescheduleData{}, "AssignData": workflows.AssignData{}, "ConcludeData": workflows.ConcludeData{},
		"PaymentResultData": workflows.PaymentResultData{}, "TrackingData": workflows.TrackingData{},
	}
	check := func(name string, v any, answer bool) {
		s, ok := pointer(doc, "/components/schemas/"+name)
		if !ok {
			t.Errorf("no schema %s", name)
			return
		}
		props, required := schemaFields(doc, s)
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
	if s, ok := pointer(doc, "/components/schemas/Steps"); ok {
		props, _ := schemaFields(doc, s)
		if got := slices.Sorted(maps.Keys(props)); !slices.Equal(got, slices.Sorted(slices.Values(motcua.StepNames))) {
			t.Errorf("Steps: properties %v, step names %v", got, motcua.StepNames)
		}
	}
	for name, v := range requests {
		check(name, v, false)
	}
}

// ---- live answers

type fakeStore struct {
	cases   map[string]*motcua.Case
	created bool
}

func (f *fakeStore) Case(_ context.Context, code string) (*motcua.Case, error) {
	c, ok := f.cases[code]
	if !ok {
		return nil, motcua.Errorf(motcua.ENOTFOUND, "Không tìm thấy hồ sơ %s.", code)
	}
	cp := *c
	return &cp, nil
}

func (f *fakeStore) page() *motcua.Page {
	p := &motcua.Page{Next: "MjAyNS0wMy0xNFQwMjowMDowMFp8Q0FULTI1MDMxNC0wMDAx"}
	for _, code := range []string{"CAT-250314-0001", "CAT-250314-0002"} {
		c := *f.cases[code]
		c.Timeline, c.Form = nil, nil
		p.Cases = append(p.Cases, c)
	}
	return p
}

func (f *fakeStore) Inbox(_ context.Context, q motcua.InboxQuery) (*motcua.Page, error) {
	if q.Cursor == "bad" {
		return nil, &motcua.Error{Code: motcua.EINVALID, Message: "Tham số cursor không hợp lệ.", Fields: map[string]string{"cursor": "không hợp lệ"}}
	}
	return f.page(), nil
}

func (f *fakeStore) CasesByOwner(context.Context, string, int, string) (*motcua.Page, error) {
	return f.page(), nil
}

func (f *fakeStore) AllocateCode(context.Context, string, string, string) (string, bool, error) {
	return "CAT-250314-0002", f.created, nil
}

func (f *fakeStore) ReleaseCode(context.Context, string) error { return nil }

func (f *fakeStore) Ping(context.Context) error { return nil }

func (f *fakeStore) CaseByTracking(_ context.Context, tracking string) (*motcua.Case, error) {
	for _, c := range f.cases {
		if tracking != "" && c.Delivery.Tracking == tracking {
			cp := *c
			return &cp, nil
		}
	}
	return nil, motcua.Errorf(motcua.ENOTFOUND, "Không có hồ sơ gửi theo số hiệu %s.", tracking)
}

func (f *fakeStore) Document(_ context.Context, id string) (*motcua.Document, string, error) {
	for _, c := range f.cases {
		for _, d := range c.Documents {
			if d.ID == id {
				return &d, c.Code, nil
			}
		}
	}
	return nil, "", motcua.Errorf(motcua.ENOTFOUND, "Không tìm thấy văn bản %s.", id)
}

type fakeBlobs struct {
	mu    sync.Mutex
	files map[string][]byte
}

func (b *fakeBlobs) Put(_ context.Context, r io.Reader, limit int64) (string, int64, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return "", 0, err
	}
	if int64(len(data)) > limit {
		return "", 0, motcua.Errorf(motcua.ETOOLARGE, "Tệp vượt quá dung lượng cho phép.")
	}
	sum := fmt.Sprintf("%064x", len(data))
	b.mu.Lock()
	b.files[sum] = data
	b.mu.Unlock()
	return sum, int64(len(data)), nil
}

func (b *fakeBlobs) Open(_ context.Context, sum string) (io.ReadCloser, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	data, ok := b.files[sum]
	if !ok {
		return nil, motcua.Errorf(motcua.ENOTFOUND, "Không tìm thấy tệp.")
	}
	return io.NopCloser(bytes.NewReader(data)), nil
}

// fakeTemporal answers Updates with a case, as the workflow would, or
// with a set error.
type fakeTemporal struct {
	client.Client
	store *fakeStore
	err   error
}

type fakeHandle struct {
	view motcua.Case
	err  error
}

func (h fakeHandle) WorkflowID() string { return h.view.Code }
func (h fakeHandle) RunID() string      { return "run" }
func (h fakeHandle) UpdateID() string   { return "update" }
func (h fakeHandle) Get(_ context.Context, v any) error {
	if h.err != nil {
		return h.err
	}
	b, err := json.Marshal(h.view)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

func (f *fakeTemporal) NewWithStartWorkflowOperation(client.StartWorkflowOptions, any, ...any) client.WithStartWorkflowOperation {
	return nil
}

func (f *fakeTemporal) UpdateWithStartWorkflow(context.Context, client.UpdateWithStartWorkflowOptions) (client.WorkflowUpdateHandle, error) {
	return fakeHandle{view: *f.store.cases["CAT-250314-0002"], err: f.err}, nil
}

func (f *fakeTemporal) UpdateWorkflow(_ context.Context, o client.UpdateWorkflowOptions) (client.WorkflowUpdateHandle, error) {
	view := *f.store.cases[o.WorkflowID]
	view.Documents = slices.Clone(view.Documents)
	if req, ok := o.Args[0].(motcua.ActionRequest); ok && req.Action == motcua.ActionAttach {
		var d motcua.Document
		if err := json.Unmarshal(req.Data, &d); err != nil {
			return nil, err
		}
		d.Uploaded, d.By, d.Kind = time.Now(), req.Actor.Ref(motcua.RoleApplicant), "application"
		view.Documents = append(view.Documents, d)
	}
	return fakeHandle{view: view, err: f.err}, nil
}

func ptr[T any](v T) *T { return &v }

// The agency's signing key in tests, and the content of the result it
// issued on the full test case.
var (
	testSigner = documents.NewSigner(ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize)))
	issuedPDF  = []byte("%PDF-1.4\n% ket qua CAT-250314-0001\n")
)

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// issuedDocument is a document the agency issued and signed, as the
// IssueDocument activity returns it.
func issuedDocument(id, kind, name string, content []byte, at time.Time) motcua.Document {
	sum := sha256.Sum256(content)
	return motcua.Document{ID: id, Name: name, Type: "application/pdf", Size: int64(len(content)), SHA256: hex.EncodeToString(sum[:]),
		Kind: kind, Uploaded: at, By: motcua.SystemActor.Ref(motcua.RoleSystem),
		Signature: base64.StdEncoding.EncodeToString(testSigner.Sign(id, sum[:])), KeyID: testSigner.KeyID()}
}

// testCases returns a case with every field set and one as just submitted.
func testCases() (full, fresh *motcua.Case) {
	at := time.Date(2025, 3, 14, 2, 0, 0, 0, time.UTC)
	citizen := motcua.ActorRef{Kind: motcua.KindCitizen, Subject: "046301002468", Name: "Hồ Thị Thanh Tâm", Role: motcua.RoleApplicant}
	officer := motcua.ActorRef{Kind: motcua.KindOfficer, Subject: "thamdinh.cat", Name: "Lê Văn Cường", Agency: "CAT", Role: motcua.RoleReviewer}
	ref := motcua.ProcedureRef{Code: "dang-ky-tam-tru", Version: 1, Hash: strings.Repeat("ab", 32), Name: "Đăng ký tạm trú", Shape: "standard", Level: 4}
	full = &motcua.Case{
		Code: "CAT-250314-0001", Procedure: ref, Agency: "CAT", Agencies: []string{"CAT", "UBND-HOIAN"},
		Status: motcua.StatusInReview, Step: "review", Channel: motcua.ChannelOnline, Owner: "046301002468",
		Applicant: motcua.Applicant{Name: "Hồ Thị Thanh Tâm", IDNumber: "046301002468", Phone: "0978123456", Email: "tam@example.com", Address: "Hội An"},
		Delivery:  motcua.Delivery{Method: motcua.DeliveryPost, Address: "Kiệt 24 Trần Cao Vân, Hội An", Tracking: "EB123456785VN"},
		Notify:    []string{motcua.NotifyEmail, motcua.NotifySMS},
		Form:      json.RawMessage(`{"stay_from":"2025-03-01"}`), Fee: 15000, SubmittedAt: at,
		ReceivedAt: ptr(at.Add(time.Hour)), DueAt: ptr(at.Add(72 * time.Hour)), Paused: true, Overdue: true,
		RescheduledTo: ptr(at.Add(96 * time.Hour)), ClosedAt: ptr(at.Add(120 * time.Hour)),
		Pauses: []motcua.Pause{{From: at, To: ptr(at.Add(time.Hour))}, {From: at.Add(2 * time.Hour)}},
		Opinions: []motcua.Opinion{{Agency: "UBND-HOIAN", DueAt: ptr(at), Answered: ptr(at), Agree: ptr(false), Note: "Chưa đủ điều kiện.", Overdue: true},
			{Agency: "SXD"}},
		Documents: []motcua.Document{{ID: "5f0c2d6e8a1b4c3d2e1f0a9b", Name: "to-khai.pdf", Type: "application/pdf", Size: 2048,
			SHA256: fmt.Sprintf("%064x", 4), Kind: "application", Uploaded: at, By: citizen},
			issuedDocument("CAT-250314-0001-result", motcua.DocumentResult, "ket-qua-CAT-250314-0001.pdf", issuedPDF, at)},
		Payments: []motcua.Payment{
			{ID: "CAT-250314-0001-fee-1", Amount: 15000, Method: "online", Reference: "GW2503140001", Status: motcua.PaymentFailed,
				PayURL: "https://pay.example.vn/payments/pay/GW2503140001", At: at},
			{ID: "CAT-250314-0001-fee-2", Amount: 15000, Method: "online", Reference: "GW2503140002", Status: motcua.PaymentPending,
				PayURL: "https://pay.example.vn/payments/pay/GW2503140002", At: at},
			{ID: "CAT-250314-0001-fee", Amount: 15000, Method: "counter", Reference: "BL-000123", Status: motcua.PaymentPaid, At: at}},
		Result: &motcua.Result{Type: "certificate", Name: "Xác nhận đăng ký tạm trú", Number: "123/XN", Outcome: "upheld",
			IssuedAt: at, IssuedBy: officer, Note: "Đã ký."},
		Timeline: []motcua.Event{
			{Seq: 1, At: at, Action: motcua.ActionSubmit, Status: motcua.StatusSubmitted, Actor: citizen},
			{Seq: 2, At: at, Action: motcua.ActionCoReview, Status: motcua.StatusCoReview, Actor: officer, Note: "Ý kiến.", Reason: "Lý do.",
				Data: json.RawMessage(`{"agree":false}`)},
			{Seq: 3, At: at, Action: motcua.EventOverdue, Status: motcua.StatusInReview, Actor: motcua.ActorRef{Kind: motcua.KindSystem}},
			{Seq: 4, At: at, Action: motcua.EventCheck, Status: motcua.StatusInReview, Actor: motcua.SystemActor.Ref(motcua.RoleSystem),
				Note: "Thông tin công dân khớp.", Data: json.RawMessage(`{"kind":"population","ok":true,"result":null}`)},
			{Seq: 5, At: at, Action: motcua.ActionPaymentResult, Status: motcua.StatusInReview, Actor: motcua.SystemActor.Ref(motcua.RoleSystem),
				Data: json.RawMessage(`{"order_id":"CAT-250314-0001-fee-1","gateway_ref":"GW2503140001","status":"failed","amount":15000}`)},
			{Seq: 6, At: at, Action: motcua.EventPosted, Status: motcua.StatusInReview, Actor: motcua.SystemActor.Ref(motcua.RoleSystem),
				Note: "Đã gửi kết quả qua bưu chính công ích, số hiệu EB123456785VN."},
		},
		Actions: []motcua.Permission{{Action: motcua.ActionReview, Role: motcua.RoleReviewer, Agency: "CAT", Subject: "thamdinh.cat"},
			{Action: motcua.ActionWithdraw, Role: motcua.RoleApplicant}, {Action: motcua.ActionPaymentResult, Role: motcua.RoleSystem},
			{Action: motcua.ActionPay, Role: motcua.RoleApplicant}},
		Version: 6,
	}
	fresh = &motcua.Case{
		Code: "CAT-250314-0002", Procedure: ref, Agency: "CAT", Agencies: []string{"CAT"}, Status: motcua.StatusSubmitted,
		Step: "reception", Channel: motcua.ChannelOnline, Owner: "046301002468",
		Applicant: motcua.Applicant{Name: "Hồ Thị Thanh Tâm", IDNumber: "046301002468"}, Delivery: motcua.Delivery{Method: motcua.DeliveryOnline},
		Form: json.RawMessage(`{}`), SubmittedAt: at, Pauses: []motcua.Pause{}, Documents: []motcua.Document{}, Payments: []motcua.Payment{},
		Actions:  []motcua.Permission{},
		Timeline: []motcua.Event{{Seq: 1, At: at, Action: motcua.ActionSubmit, Status: motcua.StatusSubmitted, Actor: citizen}},
		Version:  1,
	}
	return full, fresh
}

type liveCall struct {
	name   string
	method string
	route  string // as documented
	path   string // as requested ("" = route)
	header map[string]string
	body   string
	setup  func()
	want   int
	// check, when set, looks further into a body that satisfies its schema.
	check func(body []byte) error
}

func TestOpenAPILiveAnswers(t *testing.T) {
	doc := loadOpenAPI(t)
	sc := newSchemaCache(t)
	catalog, err := procedures.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	full, fresh := testCases()
	store := &fakeStore{cases: map[string]*motcua.Case{full.Code: full, fresh.Code: fresh}, created: true}
	temporalFake := &fakeTemporal{store: store}
	blobs := &fakeBlobs{files: map[string][]byte{full.Documents[0].SHA256: []byte("%PDF-1.4 test"), sha256Hex(issuedPDF): issuedPDF}}
	dev := testDev
	secrets := motcua.CaseSecrets{Key: []byte("k")}
	callbackSecret := []byte("callback-secret")
	mails := []sim.Mail{{From: "motcua <no-reply@motcua.local>", To: []string{"tam@example.com"}, Subject: "Hồ sơ đã được tiếp nhận",
		Body: "Hồ sơ CAT-250314-0001 đã được tiếp nhận.", At: time.Date(2025, 3, 14, 3, 0, 0, 0, time.UTC)}}
	h := New(Deps{
		Temporal: temporalFake, TaskQueue: "cases", Store: store, Catalog: catalog, Blobs: blobs, Auth: dev, Dev: dev,
		Secrets: secrets, MaxUpload: 1 << 10, AllowedTypes: []string{"application/pdf", "image/png", "image/jpeg"},
		ActionTimeout: 5 * time.Second, LookupPerMinute: 600, Logger: quiet,
		CallbackSecret: callbackSecret, Verifier: testSigner, DevMailbox: func() any { return mails },
		Ready: func(context.Context) map[string]error {
			return map[string]error{"temporal": nil, "database": errors.New("down")}
		},
	})
	token := func(a motcua.Actor) string {
		tok, _, err := dev.Issue(a, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		return "Bearer " + tok
	}
	citizen := map[string]string{"Authorization": token(motcua.Actor{Kind: motcua.KindCitizen, Subject: "046301002468"})}
	receiver := map[string]string{"Authorization": token(motcua.Actor{Kind: motcua.KindOfficer, Subject: "tiepnhan.cat", Agency: "CAT", Roles: []motcua.Role{motcua.RoleReceiver}})}
	admin := map[string]string{"Authorization": token(motcua.Actor{Kind: motcua.KindAdmin, Subject: "admin"})}
	with := func(h map[string]string, kv ...string) map[string]string {
		out := map[string]string{}
		for k, v := range h {
			out[k] = v
		}
		for i := 0; i+1 < len(kv); i += 2 {
			out[kv[i]] = kv[i+1]
		}
		return out
	}
	exampleSubmit, _ := pointer(doc, "/paths/~1api~1v1~1cases/post/requestBody/content/application~1json/example")
	submitBody, _ := json.Marshal(exampleSubmit)
	multipartBody := func(field, name string, content []byte) (string, string) {
		var b bytes.Buffer
		w := multipart.NewWriter(&b)
		fw, _ := w.CreateFormFile(field, name)
		_, _ = fw.Write(content)
		_ = w.Close()
		return b.String(), w.FormDataContentType()
	}
	pdf, pdfType := multipartBody("file", "giay-to.pdf", []byte("%PDF-1.4\n%test file\n"))
	text, textType := multipartBody("file", "note.txt", []byte("plain words, not a document"))
	empty, emptyType := multipartBody("file", "empty.pdf", nil)
	big, bigType := multipartBody("file", "big.pdf", append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("x"), 4<<10)...))
	copyOK, copyOKType := multipartBody("file", "ket-qua.pdf", issuedPDF)
	copyAltered, copyAlteredType := multipartBody("file", "ket-qua.pdf", append(slices.Clone(issuedPDF), ' '))
	noFile, noFileType := multipartBody("document", "ket-qua.pdf", issuedPDF)
	const (
		caseRoute    = "/api/v1/cases/{code}"
		actRoute     = "/api/v1/cases/{code}/actions/{action}"
		uploadRoute  = "/api/v1/cases/{code}/documents"
		docRoute     = "/api/v1/cases/{code}/documents/{id}"
		verifyRoute  = "/api/v1/verify/{id}"
		paymentRoute = "/api/v1/payments/callback"
		postRoute    = "/api/v1/post/callback"
	)
	issued := full.Documents[1]
	// signed gives the header of a callback body signed as the gateway and
	// the post office sign (sim.Sign), with key, by default the server's.
	signed := func(body string, key ...byte) map[string]string {
		if key == nil {
			key = callbackSecret
		}
		return map[string]string{sim.SignatureHeader: sim.Sign(key, []byte(body))}
	}
	authentic := func(want bool) func([]byte) error {
		return func(b []byte) error {
			var v verification
			if err := json.Unmarshal(b, &v); err != nil {
				return err
			}
			if v.Authentic != want || v.DocumentID != issued.ID || v.CaseCode != full.Code || v.KeyID != testSigner.KeyID() {
				return fmt.Errorf("authentic %v, document %s of %s, key %s; want %v, %s of %s, %s",
					v.Authentic, v.DocumentID, v.CaseCode, v.KeyID, want, issued.ID, full.Code, testSigner.KeyID())
			}
			return nil
		}
	}
	acknowledged := func(code, note string) func([]byte) error {
		return func(b []byte) error {
			var a struct {
				OK   bool   `json:"ok"`
				Case string `json:"case"`
				Note string `json:"note"`
			}
			if err := json.Unmarshal(b, &a); err != nil {
				return err
			}
			if !a.OK || a.Case != code || a.Note != note {
				return fmt.Errorf("got %+v, want ok for case %s, note %q", a, code, note)
			}
			return nil
		}
	}
	const (
		paidBody    = `{"order_id":"CAT-250314-0001-fee-2","gateway_ref":"GW2503140002","status":"paid","amount":15000,"paid_at":"2025-03-20T03:15:00Z"}`
		trackedBody = `{"tracking_number":"EB123456785VN","status":"in_transit","at":"2025-03-21T01:00:00Z","note":"Bưu gửi đang được vận chuyển."}`
	)
	secretHeader := map[string]string{"X-Case-Secret": strings.ToLower(secrets.Of(fresh.Code))}
	calls := []liveCall{
		{name: "health", method: "GET", route: "/healthz", want: 200},
		{name: "not ready", method: "GET", route: "/readyz", want: 503},
		{name: "document", method: "GET", route: "/api/v1/openapi.json", want: 200},
		{name: "bad bearer", method: "GET", route: "/api/v1/openapi.json", header: map[string]string{"Authorization": "Bearer nope"}, want: 401},
		{name: "not bearer", method: "GET", route: "/api/v1/procedures", header: map[string]string{"Authorization": "Basic eDp5"}, want: 401},
		{name: "procedures", method: "GET", route: "/api/v1/procedures", path: "/api/v1/procedures?q=tam+tru&limit=5", want: 200},
		{name: "all procedures", method: "GET", route: "/api/v1/procedures", want: 200},
		{name: "bad level", method: "GET", route: "/api/v1/procedures", path: "/api/v1/procedures?level=5", want: 422},
		{name: "bad limit", method: "GET", route: "/api/v1/procedures", path: "/api/v1/procedures?limit=201", want: 422},
		{name: "no procedure", method: "GET", route: "/api/v1/procedures/{code}", path: "/api/v1/procedures/khong-co", want: 404},
		{name: "submit anonymously", method: "POST", route: "/api/v1/cases", body: string(submitBody), want: 401},
		{name: "submit without key", method: "POST", route: "/api/v1/cases", header: citizen, body: string(submitBody), want: 400},
		{name: "submit bad JSON", method: "POST", route: "/api/v1/cases", header: with(citizen, "Idempotency-Key", "k1"), body: "{", want: 400},
		{name: "submit unknown field", method: "POST", route: "/api/v1/cases", header: with(citizen, "Idempotency-Key", "k1"), body: `{"procedur":"x"}`, want: 422},
		{name: "submit invalid", method: "POST", route: "/api/v1/cases", header: with(citizen, "Idempotency-Key", "k1"), body: `{"procedure":"dang-ky-tam-tru","applicant":{"name":"A","id_number":"12"},"form":{},"delivery":{"method":"post"}}`, want: 422},
		{name: "submit too large", method: "POST", route: "/api/v1/cases", header: with(citizen, "Idempotency-Key", "k1"), body: `{"procedure":"` + strings.Repeat("x", 1<<20) + `"}`, want: 413},
		{name: "submit as admin", method: "POST", route: "/api/v1/cases", header: with(admin, "Idempotency-Key", "k1"), body: string(submitBody), want: 403},
		{name: "submit", method: "POST", route: "/api/v1/cases", header: with(citizen, "Idempotency-Key", "k1"), body: string(submitBody), want: 201},
		{name: "submit at the counter", method: "POST", route: "/api/v1/cases", header: with(receiver, "Idempotency-Key", "k2"), body: string(submitBody), want: 201},
		{name: "submit again", method: "POST", route: "/api/v1/cases", header: with(citizen, "Idempotency-Key", "k1"), body: string(submitBody), setup: func() { store.created = false }, want: 200},
		{name: "submit, Temporal down", method: "POST", route: "/api/v1/cases", header: with(citizen, "Idempotency-Key", "k3"), body: string(submitBody),
			setup: func() { store.created, temporalFake.err = true, serviceerror.NewUnavailable("down") }, want: 503},
		{name: "my cases", method: "GET", route: "/api/v1/cases", path: "/api/v1/cases?mine=1&limit=2", header: citizen, setup: func() { temporalFake.err = nil }, want: 200},
		{name: "my cases without mine", method: "GET", route: "/api/v1/cases", header: citizen, want: 422},
		{name: "my cases as officer", method: "GET", route: "/api/v1/cases", path: "/api/v1/cases?mine=true", header: receiver, want: 403},
		{name: "my cases anonymously", method: "GET", route: "/api/v1/cases", path: "/api/v1/cases?mine=1", want: 401},
		{name: "case as admin", method: "GET", route: caseRoute, path: "/api/v1/cases/" + full.Code, header: admin, want: 200},
		{name: "case as owner", method: "GET", route: caseRoute, path: "/api/v1/cases/" + fresh.Code, header: citizen, want: 200},
		{name: "case with secret", method: "GET", route: caseRoute, path: "/api/v1/cases/" + fresh.Code, header: secretHeader, want: 200},
		{name: "case with a wrong secret", method: "GET", route: caseRoute, path: "/api/v1/cases/" + fresh.Code, header: map[string]string{"X-Case-Secret": "0000000000"}, want: 404},
		{name: "case anonymously", method: "GET", route: caseRoute, path: "/api/v1/cases/" + fresh.Code, want: 404},
		{name: "no case", method: "GET", route: caseRoute, path: "/api/v1/cases/CAT-250314-9999", header: admin, want: 404},
		{name: "act", method: "POST", route: actRoute, path: "/api/v1/cases/" + fresh.Code + "/actions/receive", header: with(receiver, "Idempotency-Key", "a1"), body: `{"note":"Đủ."}`, want: 200},
		{name: "act without body", method: "POST", route: actRoute, path: "/api/v1/cases/" + fresh.Code + "/actions/withdraw", header: with(secretHeader, "Idempotency-Key", "a2"), want: 200},
		{name: "act without key", method: "POST", route: actRoute, path: "/api/v1/cases/" + fresh.Code + "/actions/receive", header: receiver, want: 400},
		{name: "unknown action", method: "POST", route: actRoute, path: "/api/v1/cases/" + fresh.Code + "/actions/fly", header: with(receiver, "Idempotency-Key", "a1"), want: 404},
		{name: "act, unknown field", method: "POST", route: actRoute, path: "/api/v1/cases/" + fresh.Code + "/actions/receive", header: with(receiver, "Idempotency-Key", "a1"), body: `{"notes":"x"}`, want: 422},
		{name: "act, forbidden", method: "POST", route: actRoute, path: "/api/v1/cases/" + fresh.Code + "/actions/approve", header: with(receiver, "Idempotency-Key", "a3"),
			setup: func() {
				temporalFake.err = temporal.NewApplicationError("Bạn không có quyền.", motcua.EFORBIDDEN)
			}, want: 403},
		{name: "act, conflict", method: "POST", route: actRoute, path: "/api/v1/cases/" + fresh.Code + "/actions/approve", header: with(receiver, "Idempotency-Key", "a3"),
			setup: func() { temporalFake.err = temporal.NewApplicationError("Không thể.", motcua.ECONFLICT) }, want: 409},
		{name: "act, invalid data", method: "POST", route: actRoute, path: "/api/v1/cases/" + fresh.Code + "/actions/reschedule", header: with(receiver, "Idempotency-Key", "a3"),
			setup: func() {
				temporalFake.err = temporal.NewApplicationError("Dữ liệu gửi kèm thao tác không hợp lệ.", motcua.EINVALID, map[string]string{"data.new_date": "Ngày hẹn mới phải sau hôm nay."})
			}, want: 422},
		{name: "act, Temporal down", method: "POST", route: actRoute, path: "/api/v1/cases/" + fresh.Code + "/actions/receive", header: with(receiver, "Idempotency-Key", "a3"),
			setup: func() { temporalFake.err = serviceerror.NewUnavailable("down") }, want: 503},
		{name: "act, internal", method: "POST", route: actRoute, path: "/api/v1/cases/" + fresh.Code + "/actions/receive", header: with(receiver, "Idempotency-Key", "a3"),
			setup: func() { temporalFake.err = errors.New("boom") }, want: 500},
		{name: "upload", method: "POST", route: uploadRoute, path: "/api/v1/cases/" + fresh.Code + "/documents", header: with(citizen, "Content-Type", pdfType), body: pdf,
			setup: func() { temporalFake.err = nil }, want: 201},
		{name: "upload text", method: "POST", route: uploadRoute, path: "/api/v1/cases/" + fresh.Code + "/documents", header: with(citizen, "Content-Type", textType), body: text, want: 415},
		{name: "upload empty", method: "POST", route: uploadRoute, path: "/api/v1/cases/" + fresh.Code + "/documents", header: with(citizen, "Content-Type", emptyType), body: empty, want: 422},
		{name: "upload too large", method: "POST", route: uploadRoute, path: "/api/v1/cases/" + fresh.Code + "/documents", header: with(citizen, "Content-Type", bigType), body: big, want: 413},
		{name: "upload not multipart", method: "POST", route: uploadRoute, path: "/api/v1/cases/" + fresh.Code + "/documents", header: with(citizen, "Content-Type", "application/pdf"), body: "%PDF-1.4", want: 415},
		{name: "download", method: "GET", route: docRoute, path: "/api/v1/cases/" + full.Code + "/documents/" + full.Documents[0].ID, header: admin, want: 200},
		{name: "no document", method: "GET", route: docRoute, path: "/api/v1/cases/" + full.Code + "/documents/nope", header: admin, want: 404},
		{name: "inbox", method: "GET", route: "/api/v1/inbox", path: "/api/v1/inbox?status=in_review&overdue=true", header: receiver, want: 200},
		{name: "inbox, bad overdue", method: "GET", route: "/api/v1/inbox", path: "/api/v1/inbox?overdue=maybe", header: receiver, want: 422},
		{name: "inbox, bad cursor", method: "GET", route: "/api/v1/inbox", path: "/api/v1/inbox?cursor=bad", header: receiver, want: 422},
		{name: "inbox as citizen", method: "GET", route: "/api/v1/inbox", header: citizen, want: 403},
		{name: "inbox anonymously", method: "GET", route: "/api/v1/inbox", want: 401},
		{name: "dev login citizen", method: "POST", route: "/api/v1/dev/login", body: `{"role":"citizen","subject":"046301002468","name":"Hồ Thị Thanh Tâm"}`, want: 200},
		{name: "dev login officer", method: "POST", route: "/api/v1/dev/login", body: `{"role":"officer","subject":"tiepnhan.cat","agency":"CAT","roles":["receiver","head"]}`, want: 200},
		{name: "dev login admin", method: "POST", route: "/api/v1/dev/login", body: `{"role":"admin"}`, want: 200},
		{name: "dev login, bad officer", method: "POST", route: "/api/v1/dev/login", body: `{"role":"officer","agency":"NOWHERE","roles":["king"]}`, want: 422},
		{name: "dev login, bad JSON", method: "POST", route: "/api/v1/dev/login", body: `role=admin`, want: 400},

		{name: "verify", method: "GET", route: verifyRoute, path: "/api/v1/verify/" + issued.ID, want: 200, check: authentic(true)},
		{name: "verify signed in", method: "GET", route: verifyRoute, path: "/api/v1/verify/" + issued.ID, header: citizen, want: 200, check: authentic(true)},
		{name: "verify, bad bearer", method: "GET", route: verifyRoute, path: "/api/v1/verify/" + issued.ID, header: map[string]string{"Authorization": "Bearer nope"}, want: 401},
		{name: "verify unknown", method: "GET", route: verifyRoute, path: "/api/v1/verify/CAT-250314-9999-result", want: 404},
		{name: "verify attached", method: "GET", route: verifyRoute, path: "/api/v1/verify/" + full.Documents[0].ID, want: 404},
		{name: "verify copy", method: "POST", route: verifyRoute, path: "/api/v1/verify/" + issued.ID, header: map[string]string{"Content-Type": copyOKType}, body: copyOK, want: 200, check: authentic(true)},
		{name: "verify altered copy", method: "POST", route: verifyRoute, path: "/api/v1/verify/" + issued.ID, header: map[string]string{"Content-Type": copyAlteredType}, body: copyAltered, want: 200, check: authentic(false)},
		{name: "verify copy, no file", method: "POST", route: verifyRoute, path: "/api/v1/verify/" + issued.ID, header: map[string]string{"Content-Type": noFileType}, body: noFile, want: 400},
		{name: "verify copy, not multipart", method: "POST", route: verifyRoute, path: "/api/v1/verify/" + issued.ID, body: `{"file":"x"}`, want: 400},
		{name: "verify copy, unknown", method: "POST", route: verifyRoute, path: "/api/v1/verify/nope", header: map[string]string{"Content-Type": copyOKType}, body: copyOK, want: 404},

		{name: "payment, no signature", method: "POST", route: paymentRoute, body: paidBody, want: 401},
		{name: "payment, bad signature", method: "POST", route: paymentRoute, header: signed(paidBody, []byte("another secret")...), body: paidBody, want: 401},
		{name: "payment, signature of another body", method: "POST", route: paymentRoute, header: signed(paidBody), body: strings.Replace(paidBody, "15000", "1", 1), want: 401},
		{name: "payment, not hex", method: "POST", route: paymentRoute, header: map[string]string{sim.SignatureHeader: "not hex"}, body: paidBody, want: 401},
		{name: "payment, unknown order", method: "POST", route: paymentRoute, header: signed(`{"order_id":"GW-0001","status":"paid"}`), body: `{"order_id":"GW-0001","status":"paid"}`, want: 404},
		{name: "payment, unknown case", method: "POST", route: paymentRoute, header: signed(`{"order_id":"CAT-250314-9999-fee-1","status":"paid"}`), body: `{"order_id":"CAT-250314-9999-fee-1","status":"paid"}`, want: 404},
		{name: "payment, no order", method: "POST", route: paymentRoute, header: signed(`{"status":"paid"}`), body: `{"status":"paid"}`, want: 422},
		{name: "payment, not JSON", method: "POST", route: paymentRoute, header: signed(`paid`), body: `paid`, want: 422},
		{name: "payment", method: "POST", route: paymentRoute, header: signed(paidBody), body: paidBody, want: 200, check: acknowledged(full.Code, "")},
		{name: "payment, repeated late", method: "POST", route: paymentRoute, header: signed(paidBody), body: paidBody,
			setup: func() { temporalFake.err = temporal.NewApplicationError("Không thể.", motcua.ECONFLICT) }, want: 200, check: acknowledged(full.Code, "already recorded")},
		{name: "payment, invalid status", method: "POST", route: paymentRoute, header: signed(paidBody), body: paidBody,
			setup: func() {
				temporalFake.err = temporal.NewApplicationError("Dữ liệu gửi kèm thao tác không hợp lệ.", motcua.EINVALID, map[string]string{"data": "Kết quả thanh toán phải có order_id và status paid hoặc failed."})
			}, want: 422},
		{name: "payment, Temporal down", method: "POST", route: paymentRoute, header: signed(paidBody), body: paidBody,
			setup: func() { temporalFake.err = serviceerror.NewUnavailable("down") }, want: 503},
		{name: "payment, Temporal slow", method: "POST", route: paymentRoute, header: signed(paidBody), body: paidBody,
			setup: func() { temporalFake.err = context.DeadlineExceeded }, want: 503},

		{name: "post, bad signature", method: "POST", route: postRoute, header: signed(trackedBody, []byte("another secret")...), body: trackedBody,
			setup: func() { temporalFake.err = nil }, want: 401},
		{name: "post, unknown tracking", method: "POST", route: postRoute, header: signed(`{"tracking_number":"EB000000000VN","status":"delivered"}`), body: `{"tracking_number":"EB000000000VN","status":"delivered"}`, want: 404},
		{name: "post, no tracking", method: "POST", route: postRoute, header: signed(`{"status":"delivered"}`), body: `{"status":"delivered"}`, want: 422},
		{name: "post", method: "POST", route: postRoute, header: signed(trackedBody), body: trackedBody, want: 200, check: acknowledged(full.Code, "")},
		{name: "post, repeated late", method: "POST", route: postRoute, header: signed(trackedBody), body: trackedBody,
			setup: func() { temporalFake.err = temporal.NewApplicationError("Không thể.", motcua.ECONFLICT) }, want: 200, check: acknowledged(full.Code, "already recorded")},
		{name: "post, internal", method: "POST", route: postRoute, header: signed(trackedBody), body: trackedBody,
			setup: func() { temporalFake.err = errors.New("boom") }, want: 500},

		{name: "dev mailbox", method: "GET", route: "/dev/mailbox", setup: func() { temporalFake.err = nil }, want: 200,
			check: func(b []byte) error {
				var box struct{ Messages []sim.Mail }
				if err := json.Unmarshal(b, &box); err != nil || len(box.Messages) != 1 || box.Messages[0].Subject != mails[0].Subject {
					return fmt.Errorf("want the one mail of the mailbox (%v)", err)
				}
				return nil
			}},
		{name: "dev mailbox ignores tokens", method: "GET", route: "/dev/mailbox", header: map[string]string{"Authorization": "Bearer nope"}, want: 200},
	}
	// Every documented example of an action body is accepted by the HTTP
	// layer (what the case then decides is the workflow's business).
	examples, _ := pointer(doc, "/paths/"+strings.ReplaceAll(actRoute, "/", "~1")+"/post/requestBody/content/application~1json/examples")
	for name, ex := range examples.(map[string]any) {
		b, _ := json.Marshal(ex.(map[string]any)["value"])
		calls = append(calls, liveCall{name: "act example " + name, method: "POST", route: actRoute,
			path: "/api/v1/cases/" + fresh.Code + "/actions/" + name, header: with(receiver, "Idempotency-Key", "ex-"+name), body: string(b), want: 200})
	}
	for _, c := range calls {
		if c.setup != nil {
			c.setup()
		}
		path := c.path
		if path == "" {
			path = c.route
		}
		var body io.Reader
		if c.body != "" {
			body = strings.NewReader(c.body)
		}
		req := httptest.NewRequest(c.method, path, body)
		if c.body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		for k, v := range c.header {
			req.Header.Set(k, v)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != c.want {
			t.Errorf("%s: %s %s answered %d, want %d: %s", c.name, c.method, path, rec.Code, c.want, rec.Body.String())
			continue
		}
		status := strconv.Itoa(rec.Code)
		r, ok := pointer(doc, escapePointer("paths", c.route, strings.ToLower(c.method), "responses", status))
		if !ok {
			t.Errorf("%s: %s %s answered %d, which the document does not list", c.name, c.method, c.route, rec.Code)
			continue
		}
		at := escapePointer("paths", c.route, strings.ToLower(c.method), "responses", status)
		if ref, ok := r.(map[string]any)["$ref"].(string); ok {
			at = strings.TrimPrefix(ref, "#")
		}
		mediaType := strings.TrimSpace(strings.Split(rec.Header().Get("Content-Type"), ";")[0])
		content, _ := pointer(doc, at+"/content")
		cm, _ := content.(map[string]any)
		if _, ok := cm[mediaType]; !ok {
			if _, any := cm["*/*"]; !any {
				t.Errorf("%s: answered %s, which the document does not list for %d", c.name, mediaType, rec.Code)
			}
			continue
		}
		if mediaType != "application/json" {
			continue
		}
		if err := validateJSON(sc.get(at+escapePointer("content", mediaType, "schema")), rec.Body.Bytes()); err != nil {
			t.Errorf("%s: the %d answer does not satisfy its schema: %v\n%s", c.name, rec.Code, err, rec.Body.String())
		} else if c.check != nil {
			if err := c.check(rec.Body.Bytes()); err != nil {
				t.Errorf("%s: %v\n%s", c.name, err, rec.Body.String())
			}
		}
		for name := range mapOf(pointer(doc, at+"/headers")) {
			if rec.Header().Get(name) == "" {
				t.Errorf("%s: documented header %s is missing", c.name, name)
			}
		}
	}

	// Every procedure definition satisfies the Procedure schema.
	for _, p := range catalog.All() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/api/v1/procedures/"+p.Code, nil))
		if rec.Code != 200 {
			t.Errorf("procedure %s: %d", p.Code, rec.Code)
			continue
		}
		if err := validateJSON(sc.get("/components/schemas/Procedure"), rec.Body.Bytes()); err != nil {
			t.Errorf("procedure %s does not satisfy the Procedure schema: %v", p.Code, err)
		}
	}

	// The router's own answers: an unknown path, a wrong method.
	errSchema := sc.get("/components/schemas/Error")
	for _, c := range []struct {
		method, path string
		want         int
		code         string
	}{
		{"GET", "/api/v1/nowhere", 404, motcua.ENOTFOUND},
		{"DELETE", "/healthz", 405, "method_not_allowed"},
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(c.method, c.path, nil))
		if rec.Code != c.want {
			t.Errorf("%s %s: %d, want %d", c.method, c.path, rec.Code, c.want)
		}
		if err := validateJSON(errSchema, rec.Body.Bytes()); err != nil {
			t.Errorf("%s %s: not an Error: %v", c.method, c.path, err)
		}
		var e errorBody
		if json.Unmarshal(rec.Body.Bytes(), &e) != nil || e.Error.Code != c.code {
			t.Errorf("%s %s: code %q, want %q", c.method, c.path, e.Error.Code, c.code)
		}
	}
}

// TestOpenAPIRateLimit checks the 429 answer of look-ups by secret.
func TestOpenAPIRateLimit(t *testing.T) {
	doc := loadOpenAPI(t)
	_, fresh := testCases()
	store := &fakeStore{cases: map[string]*motcua.Case{fresh.Code: fresh}}
	h := New(Deps{Store: store, LookupPerMinute: 1, Secrets: motcua.CaseSecrets{Key: []byte("k")}, Logger: quiet})
	var last *httptest.ResponseRecorder
	for range 3 {
		last = httptest.NewRecorder()
		req := httptest.NewRequest("GET", "/api/v1/cases/"+fresh.Code, nil)
		req.Header.Set("X-Case-Secret", "wrong")
		h.ServeHTTP(last, req)
	}
	if last.Code != http.StatusTooManyRequests {
		t.Fatalf("third look-up in a minute answered %d, want 429", last.Code)
	}
	if last.Header().Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
	if _, ok := pointer(doc, "/paths/~1api~1v1~1cases~1{code}/get/responses/429"); !ok {
		t.Error("GET /api/v1/cases/{code} does not document 429")
	}
	if err := validateJSON(newSchemaCache(t).get("/components/schemas/Error"), last.Body.Bytes()); err != nil {
		t.Errorf("429 body is not an Error: %v", err)
	}
}

var (
	quiet   = slog.New(slog.NewTextHandler(io.Discard, nil))
	testDev = &DevTokens{Secret: []byte("test-secret"), Audience: "motcua", TTL: time.Hour}
)

func mapOf(v any, ok bool) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func enumOf(t *testing.T, doc map[string]any, schema string) []string {
	t.Helper()
	return enumAt(t, doc, "/components/schemas/"+schema)
}

// enumAt is the sorted enum of the schema at a JSON pointer.
func enumAt(t *testing.T, doc map[string]any, ptr string) []string {
	t.Helper()
	v, ok := pointer(doc, ptr+"/enum")
	if !ok {
		t.Fatalf("schema %s has no enum", ptr)
	}
	var out []string
	for _, e := range v.([]any) {
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
	same := func(schema string, want []string) {
		if got := enumOf(t, doc, schema); !slices.Equal(got, want) {
			t.Errorf("%s enum is %v, want %v", schema, got, want)
		}
	}
	// The server takes an action by name exactly when the document lists
	// it: without an Idempotency-Key a known action is 400, another 404.
	_, fresh := testCases()
	h := New(Deps{Store: &fakeStore{cases: map[string]*motcua.Case{fresh.Code: fresh}}, Auth: testDev, Logger: quiet})
	adminToken, _, _ := testDev.Issue(motcua.Actor{Kind: motcua.KindAdmin, Subject: "admin"}, time.Now())
	documented := enumOf(t, doc, "RequestableAction")
	for _, a := range append(enumOf(t, doc, "Action"), "fly") {
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
		motcua.StatusAwaitingConclusion))
	same("Action", sortedStrings(append(specActions(), motcua.ActionSubmit,
		motcua.EventTransferred, motcua.EventCoReviewStarted, motcua.EventDueSoon, motcua.EventOverdue,
		motcua.EventCoReviewOverdue, motcua.EventSupplementExpiry, motcua.EventDelivered,
		motcua.EventCheck, motcua.EventCheckFailed, motcua.EventReceiptIssued, motcua.EventPaymentOrdered,
		motcua.EventPaymentReconciled, motcua.EventRefunded, motcua.EventPosted)...))
	sameAt := func(ptr string, want []string) {
		if got := enumAt(t, doc, ptr); !slices.Equal(got, want) {
			t.Errorf("%s enum is %v, want %v", ptr, got, want)
		}
	}
	sameAt("/components/schemas/Payment/properties/status", sortedStrings(motcua.PaymentPending, motcua.PaymentPaid, motcua.PaymentFailed, motcua.PaymentRefunded))
	sameAt("/components/schemas/PaymentResultData/properties/status", sortedStrings(motcua.PaymentPaid, motcua.PaymentFailed))
	sameAt("/components/schemas/Check/properties/kind", sortedStrings(motcua.CheckBusinessName, motcua.CheckBusinessRegister,
		motcua.CheckPopulation, motcua.CheckCriminalRecord, motcua.CheckLandParcel))
	sameAt("/components/schemas/Check/properties/at", sortedStrings(motcua.AtReception, motcua.AtReview, motcua.AtIssue))
	notify := sortedStrings(motcua.NotifySMS, motcua.NotifyEmail)
	sameAt("/components/schemas/Case/properties/notify/items", notify)
	sameAt("/components/schemas/SubmitRequest/properties/notify/items", notify)
	issuedKinds := sortedStrings(motcua.DocumentReceipt, motcua.DocumentResult)
	sameAt("/components/schemas/Verification/properties/kind", issuedKinds)
	if kinds := enumAt(t, doc, "/components/schemas/Document/properties/kind"); !slices.Contains(kinds, issuedKinds[0]) || !slices.Contains(kinds, issuedKinds[1]) {
		t.Errorf("Document kinds %v lack the issued kinds %v", kinds, issuedKinds)
	}
	same("ErrorCode", sortedStrings(motcua.EINVALID, motcua.ENOTFOUND, motcua.ECONFLICT, motcua.EFORBIDDEN,
		motcua.EUNAUTHORIZED, motcua.ETOOLARGE, motcua.EUNSUPPORTED, motcua.ERATELIMIT, motcua.EUNAVAILABLE,
		motcua.EINTERNAL, "bad_request", "method_not_allowed"))

	// An error example under status N has a code that statusOf maps to N.
	for _, o := range operations(doc) {
		responses, _ := o.op["responses"].(map[string]any)
		for status, r := range responses {
			rm, _ := deref(doc, r)
			ex, ok := pointer(rm, "/content/application~1json/example/error/code")
			if !ok {
				continue
			}
			if got := strconv.Itoa(statusOf(ex.(string))); got != status {
				t.Errorf("%s %s: the %s answer's example has code %q, which the server sends with %s", o.method, o.path, status, ex, got)
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
