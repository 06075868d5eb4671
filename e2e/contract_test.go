package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
)

// contractClient is http.DefaultClient checking every answer of the API
// against api/openapi.json: the status is one the operation lists, the
// content type one that answer has, the body satisfies its schema and the
// required headers are there. An answer the document does not allow comes
// back as an error. Addresses outside the document under /api/ must answer
// an Error; other addresses (the portal's pages) are not checked.
var contractClient = &http.Client{Transport: contractTransport{next: http.DefaultTransport}}

type contractTransport struct{ next http.RoundTripper }

// apiContract is the document and kin-openapi's router over it.
var apiContract = sync.OnceValues(func() (*openapi3.T, routers.Router) {
	data, err := os.ReadFile("../api/openapi.json")
	if err != nil {
		panic(err)
	}
	doc, err := openapi3.NewLoader().LoadFromData(data)
	if err != nil {
		panic(err)
	}
	// The one server is "/", the API's own root: match paths on any host.
	doc.Servers = nil
	router, err := legacy.NewRouter(doc)
	if err != nil {
		panic(err)
	}
	return doc, router
})

func (t contractTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	res, err := t.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil {
		return nil, err
	}
	res.Body = io.NopCloser(bytes.NewReader(body))
	if err := checkContract(req, res.StatusCode, res.Header, body); err != nil {
		return nil, fmt.Errorf("answer breaks api/openapi.json: %w\n%s", err, body)
	}
	return res, nil
}

func checkContract(req *http.Request, status int, header http.Header, body []byte) error {
	doc, router := apiContract()
	route, params, err := router.FindRoute(req)
	var noRoute *routers.RouteError
	if errors.As(err, &noRoute) {
		if !strings.HasPrefix(req.URL.Path, "/api/") {
			return nil
		}
		if status != http.StatusNotFound && status != http.StatusMethodNotAllowed {
			return fmt.Errorf("%s %s (no such operation): %d, want 404 or 405", req.Method, req.URL.Path, status)
		}
		var v any
		if err := json.Unmarshal(body, &v); err != nil {
			return fmt.Errorf("%s %s (no such operation): %d, not JSON: %v", req.Method, req.URL.Path, status, err)
		}
		if err := doc.Components.Schemas["Error"].Value.VisitJSON(v, openapi3.EnableJSONSchema2020()); err != nil {
			return fmt.Errorf("%s %s (no such operation): %d, not an Error: %v", req.Method, req.URL.Path, status, err)
		}
		return nil
	} else if err != nil {
		return err
	}
	return openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
		Status:                 status, Header: header, Body: io.NopCloser(bytes.NewReader(body)),
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	})
}

// The contract check refuses what the document does not allow.
func TestContractCheckCanFail(t *testing.T) {
	get := func(path string) *http.Request { return httptest.NewRequest("GET", "http://127.0.0.1"+path, nil) }
	jsonHeader := http.Header{"Content-Type": {"application/json"}}
	for name, c := range map[string]struct {
		req    *http.Request
		status int
		body   string
		ok     bool
	}{
		"health":                       {get("/healthz"), 200, `{"status":"ok"}`, true},
		"an undocumented status":       {get("/healthz"), 418, `{"status":"ok"}`, false},
		"a body against its schema":    {get("/api/v1/cases/CAT-250314-0001"), 200, `{"code":5}`, false},
		"an unknown address":           {get("/api/v1/nowhere"), 404, `{"error":{"code":"not_found","message":"Không có địa chỉ này."}}`, true},
		"an unknown address, not 404":  {get("/api/v1/nowhere"), 200, `{"error":{"code":"not_found","message":"x"}}`, false},
		"an unknown address, no Error": {get("/api/v1/nowhere"), 404, `404 page not found`, false},
		"a portal page":                {get("/ho-so"), 200, `<html></html>`, true},
	} {
		err := checkContract(c.req, c.status, jsonHeader, []byte(c.body))
		if (err == nil) != c.ok {
			t.Errorf("%s: %v, want ok %v", name, err, c.ok)
		}
	}
}
