package web

import (
	"bufio"
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/motcua/motcua"
)

// applicantSchema lays out who files: the same generator renders it as the
// procedure's own form.
var applicantSchema = mustSchema(`{"type":"object","title":"Người nộp hồ sơ","x-title-en":"Applicant","required":["name","id_number"],"properties":{
 "name":{"type":"string","title":"Họ và tên người nộp","x-title-en":"Applicant's full name","maxLength":200},
 "id_number":{"type":"string","title":"Số định danh cá nhân (12 chữ số); người nước ngoài: số hộ chiếu","x-title-en":"Personal identification number (12 digits); foreigners: passport number","maxLength":12},
 "phone":{"type":"string","title":"Số điện thoại","x-title-en":"Phone number","maxLength":15},
 "email":{"type":"string","format":"email","title":"Thư điện tử (email)","x-title-en":"Email","maxLength":254},
 "address":{"type":"string","title":"Địa chỉ liên hệ","x-title-en":"Contact address","maxLength":500},
 "on_behalf":{"type":"boolean","title":"Tôi nộp thay cho người có số định danh trên (không phải của tôi)","x-title-en":"I am filing on behalf of the person with the ID number above (not mine)"}}}`)

func mustSchema(s string) *schema {
	sc, err := parseSchema(json.RawMessage(s))
	if err != nil {
		panic(err)
	}
	return sc
}

// docRef is a file chosen on the filing form, kept in blob storage until
// the case exists; the form carries it signed, so nobody can name another
// person's file.
type docRef struct {
	SHA256 string `json:"s"`
	Size   int64  `json:"z"`
	Type   string `json:"t"`
	Name   string `json:"n"`
}

func (s *Server) signRef(d docRef) string {
	b, _ := json.Marshal(d)
	m := hmac.New(sha256.New, s.refK)
	m.Write(b)
	return base64.RawURLEncoding.EncodeToString(b) + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

func (s *Server) readRef(v string) (docRef, bool) {
	body, sig, ok := strings.Cut(v, ".")
	if !ok {
		return docRef{}, false
	}
	b, err1 := base64.RawURLEncoding.DecodeString(body)
	want, err2 := base64.RawURLEncoding.DecodeString(sig)
	if err1 != nil || err2 != nil {
		return docRef{}, false
	}
	m := hmac.New(sha256.New, s.refK)
	m.Write(b)
	if !hmac.Equal(m.Sum(nil), want) {
		return docRef{}, false
	}
	var d docRef
	return d, json.Unmarshal(b, &d) == nil
}

type docField struct {
	Code, Name, Copies, Note string
	Required                 bool
	ID                       string
	Ref                      string // signed reference of the file already chosen
	File                     *docRef
	Error                    string
}

type fileData struct {
	P         *motcua.Procedure
	Name      string
	Action    string
	Counter   bool
	Applicant *Field
	Form      *Field
	Agencies  []Option
	AgencyErr string
	AgencyOne string
	Delivery  []Option
	DelivErr  string
	Address   string
	AddrErr   string
	Docs      []docField
	Key       string
	Hidden    []hiddenInput // review: every value, carried to the final post
	Review    []reviewRow
	Accept    string
	MaxUpload string
	apiErrs   map[string]string
}

type hiddenInput struct{ Name, Value string }

type reviewRow struct {
	Label, Value string
	Depth        int
	Group        bool
}

type receiptData struct {
	Case    *caseView
	Name    string
	Secret  string
	Receipt *motcua.Document
	Counter bool
	Docs    int
}

// fileForm is the filing form of a procedure, generated from its JSON
// Schema: online by a citizen (/thu-tuc/{code}/nop) or at the counter by a
// receiving officer for a walk-in applicant (/can-bo/nop-ho-so/{code}).
// Steps: form → review → receipt, each a full page; lists grow and shrink
// with submit buttons, so nothing needs JavaScript.
func (s *Server) fileForm(p *page) {
	if !p.requireSignIn() {
		return
	}
	counter := strings.HasPrefix(p.r.URL.Path, "/can-bo/")
	// Online from level 3; at the counter from level 2 (the desk files
	// what citizens cannot file online yet).
	minLevel := 3
	if counter {
		minLevel = 2
	}
	pr, ok := s.cfg.Catalog.Get(p.r.PathValue("code"))
	// A second-instance complaint is filed from its first case's page.
	if !ok || pr.Level < minLevel || len(pr.Form) == 0 || pr.FirstInstance != "" {
		p.notFound()
		return
	}
	if pr.Shape == motcua.ShapeFeedback {
		p.redirect("/phan-anh/gui") // the API builds a feedback's form (feedback.go)
		return
	}
	switch {
	case counter && !(p.Officer() && p.Actor.HasRole(motcua.RoleReceiver)):
		p.status = http.StatusForbidden
		p.fail(p.T("file.only_receiver"))
		return
	case counter && !slices.Contains(s.competent(pr), p.Actor.Agency):
		p.status = http.StatusForbidden
		p.fail(p.T("file.not_your_agency"))
		return
	case !counter && !p.Citizen():
		p.status = http.StatusForbidden
		p.fail(p.T("file.only_citizen"))
		return
	}
	formSchema, err := parseSchema(pr.Form)
	if err != nil {
		p.fail(err.Error())
		return
	}
	d := &fileData{P: pr, Name: s.procName(pr, p.Lang), Action: p.r.URL.Path, Counter: counter,
		Accept: strings.Join(s.cfg.AllowedTypes, ","), MaxUpload: size(s.cfg.MaxUpload)}
	p.Title = p.T("file.title", "Name", d.Name)
	p.Data = d
	v := Values{}
	errs := map[string]string{}
	step := "form"
	if p.r.Method == http.MethodGet {
		d.Key = newKey()
		if !counter {
			v["applicant.id_number"] = []string{p.Actor.Subject}
			v["applicant.name"] = []string{p.Actor.Name}
		}
		if competent := s.competent(pr); len(competent) == 1 {
			v["agency"] = []string{competent[0]}
		}
	} else {
		v = Values(p.r.PostForm)
		d.Key = v.get("key")
		if len(d.Key) < 16 || len(d.Key) > 64 {
			d.Key = newKey()
		}
		step = v.get("_step")
		if op := v.get("_op"); op != "" {
			listOp(op, v)
			step = "form"
		}
	}
	if counter {
		v["agency"] = []string{p.Actor.Agency}
	}
	// Files: kept from an earlier step, or chosen now.
	for _, spec := range pr.Documents {
		df := docField{Code: spec.Code, Name: spec.Name, Copies: spec.Copies, Note: spec.Note, Required: spec.Required && !counter,
			ID: "doc-" + spec.Code}
		if ref, ok := s.readRef(v.get("docref." + spec.Code)); ok {
			df.File, df.Ref = &ref, v.get("docref."+spec.Code)
		}
		if p.r.MultipartForm != nil {
			if fhs := p.r.MultipartForm.File["doc."+spec.Code]; len(fhs) > 0 && fhs[0].Size > 0 {
				ref, msg := s.keepFile(p, fhs[0])
				if msg != "" {
					df.Error = msg
				} else {
					df.File, df.Ref = &ref, s.signRef(ref)
				}
			}
		}
		d.Docs = append(d.Docs, df)
	}

	sub := s.submission(pr, formSchema, v)
	if p.r.Method == http.MethodPost && (step == "review" || step == "submit") {
		errs = s.precheck(p, pr, sub, d)
		if len(errs) == 0 && step == "submit" {
			if s.submit(p, pr, sub, d) {
				return
			}
			errs = d.apiErrs
		}
		if len(errs) == 0 && step == "review" {
			d.Hidden = hiddenValues(v, d)
			d.Review = s.reviewRows(p, pr, formSchema, sub)
			p.Title = p.T("review.title")
			p.render("review")
			return
		}
	}
	tx := p.texts()
	d.Applicant = applicantSchema.build("applicant", v, nil, p.Lang, false, tx)
	for _, c := range d.Applicant.Children {
		c.Required = c.Name == "applicant.name" || c.Name == "applicant.id_number"
	}
	if counter {
		// The desk always files for the applicant in front of it.
		d.Applicant.Children = slices.DeleteFunc(d.Applicant.Children, func(c *Field) bool { return c.Name == "applicant.on_behalf" })
	}
	d.Form = formSchema.build("form", v, nil, p.Lang, true, tx)
	d.Form.Label = p.T("file.form_legend")
	agency := v.get("agency")
	competent := s.competent(pr)
	for _, a := range competent {
		d.Agencies = append(d.Agencies, Option{Value: a, Label: s.agencyName(a, p.Lang), Selected: a == agency, ID: "agency-" + a})
	}
	if len(competent) == 1 || counter {
		d.AgencyOne = agency
	}
	method := v.get("delivery.method")
	for _, m := range pr.Delivery {
		d.Delivery = append(d.Delivery, Option{Value: m, Label: p.T("delivery." + m), Selected: m == method, ID: "delivery-" + m})
	}
	d.Address = v.get("delivery.address")
	if len(errs) > 0 {
		p.status = http.StatusUnprocessableEntity
		p.ErrorTop = "form-top"
		var out []ErrorLink
		// Errors in the order the page shows them: applicant, agency,
		// form, delivery, documents.
		out = append(out, attach(d.Applicant, pick(errs, "applicant"), "form-top")...)
		if m, ok := errs["agency"]; ok {
			d.AgencyErr = m
			href := "#form-top"
			if len(d.Agencies) > 0 {
				href = "#" + d.Agencies[0].ID
			}
			out = append(out, ErrorLink{Href: href, Message: m})
		}
		out = append(out, attach(d.Form, pick(errs, "form"), "f-form")...)
		if m, ok := errs["delivery.method"]; ok {
			d.DelivErr = m
			out = append(out, ErrorLink{Href: "#delivery-" + firstOr(pr.Delivery), Message: m})
		}
		if m, ok := errs["delivery.address"]; ok {
			d.AddrErr = m
			out = append(out, ErrorLink{Href: "#delivery-address", Message: m})
		}
		for i := range d.Docs {
			if m, ok := errs["doc."+d.Docs[i].Code]; ok && d.Docs[i].Error == "" {
				d.Docs[i].Error = m
			}
			if d.Docs[i].Error != "" {
				out = append(out, ErrorLink{Href: "#" + d.Docs[i].ID, Message: d.Docs[i].Error})
			}
		}
		for k, m := range errs {
			if !known(k) {
				out = append(out, ErrorLink{Href: "#form-top", Message: m})
			}
		}
		p.Errors = out
	}
	p.render("file")
}

func firstOr(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

func known(k string) bool {
	return k == "agency" || k == "delivery.method" || k == "delivery.address" || k == "form" ||
		strings.HasPrefix(k, "applicant.") || strings.HasPrefix(k, "form.") || strings.HasPrefix(k, "doc.")
}

// pick returns the errors under prefix (prefix itself included).
func pick(errs map[string]string, prefix string) map[string]string {
	out := map[string]string{}
	for k, v := range errs {
		if k == prefix || strings.HasPrefix(k, prefix+".") {
			out[k] = v
		}
	}
	return out
}

func (p *page) texts() *formTexts {
	return &formTexts{Add: p.T("form.add"), Remove: p.T("form.remove"), Item: p.T("form.item"), Choose: p.T("form.choose"),
		Yes: p.T("form.yes"), No: p.T("form.no"), Optional: p.T("form.optional")}
}

// keepFile stores a chosen file until the case exists. Its type is sniffed
// from its content, as the API does.
func (s *Server) keepFile(p *page, fh *multipart.FileHeader) (docRef, string) {
	if fh.Size > s.cfg.MaxUpload {
		return docRef{}, p.T("file.too_big", "Max", size(s.cfg.MaxUpload))
	}
	f, err := fh.Open()
	if err != nil {
		return docRef{}, p.T("file.unreadable")
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 512)
	head, _ := br.Peek(512)
	ctype, _, _ := mime.ParseMediaType(http.DetectContentType(head))
	if len(head) == 0 {
		return docRef{}, p.T("file.empty")
	}
	if !slices.Contains(s.cfg.AllowedTypes, ctype) {
		return docRef{}, p.T("file.bad_type", "Types", p.T("file.types"))
	}
	if s.cfg.Blobs == nil {
		return docRef{}, p.T("file.unreadable")
	}
	sum, n, err := s.cfg.Blobs.Put(p.r.Context(), br, s.cfg.MaxUpload)
	if err != nil {
		return docRef{}, p.T("file.too_big", "Max", size(s.cfg.MaxUpload))
	}
	name := fh.Filename
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	return docRef{SHA256: sum, Size: n, Type: ctype, Name: name}, ""
}

type submission struct {
	Procedure string           `json:"procedure"`
	Agency    string           `json:"agency"`
	Applicant motcua.Applicant `json:"applicant"`
	Form      any              `json:"form"`
	Delivery  motcua.Delivery  `json:"delivery"`
	OnBehalf  bool             `json:"on_behalf,omitempty"`
}

func (s *Server) submission(pr *motcua.Procedure, form *schema, v Values) *submission {
	f := form.decode("form", v)
	if f == nil {
		f = map[string]any{}
	}
	return &submission{Procedure: pr.Code, Agency: v.get("agency"),
		Applicant: motcua.Applicant{Name: strings.TrimSpace(v.get("applicant.name")), IDNumber: strings.TrimSpace(v.get("applicant.id_number")),
			Phone: strings.TrimSpace(v.get("applicant.phone")), Email: strings.TrimSpace(v.get("applicant.email")), Address: strings.TrimSpace(v.get("applicant.address"))},
		Form:     f,
		Delivery: motcua.Delivery{Method: v.get("delivery.method"), Address: strings.TrimSpace(v.get("delivery.address"))},
		OnBehalf: v.get("applicant.on_behalf") == "true"}
}

// precheck finds, before the review page, what the API would refuse in the
// form (the catalogue's own validator, the one the API runs) and what only
// the page knows (files). The API still decides on submission.
func (s *Server) precheck(p *page, pr *motcua.Procedure, sub *submission, d *fileData) map[string]string {
	errs := map[string]string{}
	form, _ := json.Marshal(sub.Form)
	for k, m := range s.cfg.Catalog.ValidateForm(pr, form) {
		errs[strings.TrimSuffix("form."+k, ".")] = p.localizeFieldMsg(m)
	}
	if sub.Applicant.Name == "" {
		errs["applicant.name"] = p.T("file.name_required")
	}
	if sub.Applicant.IDNumber == "" {
		errs["applicant.id_number"] = p.T("file.id_required")
	}
	if routed, _ := s.cfg.Catalog.Agencies().Route(pr, sub.Agency, s.filingDay()); routed == nil {
		errs["agency"] = p.T("file.agency_required")
	}
	if !slices.Contains(pr.Delivery, sub.Delivery.Method) {
		errs["delivery.method"] = p.T("file.delivery_required")
	} else if sub.Delivery.Method == motcua.DeliveryPost && sub.Delivery.Address == "" {
		errs["delivery.address"] = p.T("file.address_required")
	}
	for _, df := range d.Docs {
		if df.Error != "" {
			errs["doc."+df.Code] = df.Error
		} else if df.Required && df.File == nil {
			errs["doc."+df.Code] = p.T("file.doc_required")
		}
	}
	return errs
}

// localizeFieldMsg gives a Vietnamese validation message in English when
// the page is English.
func (p *page) localizeFieldMsg(m string) string {
	if p.Lang == "en" {
		return translateError(m)
	}
	return m
}

func hiddenValues(v Values, d *fileData) []hiddenInput {
	var out []hiddenInput
	keys := make([]string, 0, len(v))
	for k := range v {
		if k == "csrf" || k == "_step" || k == "_op" || k == "key" || strings.HasPrefix(k, "docref.") {
			continue
		}
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		for _, x := range v[k] {
			out = append(out, hiddenInput{k, x})
		}
	}
	for _, df := range d.Docs {
		if df.Ref != "" {
			out = append(out, hiddenInput{"docref." + df.Code, df.Ref})
		}
	}
	return out
}

// reviewRows lay out what will be filed, readably.
func (s *Server) reviewRows(p *page, pr *motcua.Procedure, form *schema, sub *submission) []reviewRow {
	rows := []reviewRow{
		{Label: p.T("file.applicant"), Group: true},
		{Label: p.T("field.name"), Value: sub.Applicant.Name, Depth: 1},
		{Label: p.T("field.id_number"), Value: sub.Applicant.IDNumber, Depth: 1},
	}
	for _, x := range [][2]string{{"field.phone", sub.Applicant.Phone}, {"field.email", sub.Applicant.Email}, {"field.address", sub.Applicant.Address}} {
		if x[1] != "" {
			rows = append(rows, reviewRow{Label: p.T(x[0]), Value: x[1], Depth: 1})
		}
	}
	rows = append(rows, reviewRow{Label: p.T("file.agency"), Value: s.agencyName(sub.Agency, p.Lang)},
		reviewRow{Label: p.T("file.delivery"), Value: p.T("delivery." + sub.Delivery.Method)})
	if sub.Delivery.Address != "" {
		rows = append(rows, reviewRow{Label: p.T("file.delivery_address"), Value: sub.Delivery.Address, Depth: 1})
	}
	rows = append(rows, reviewRow{Label: p.T("file.form_legend"), Group: true})
	b, _ := json.Marshal(sub.Form)
	var x any
	_ = json.Unmarshal(b, &x)
	for _, r := range readable(form, x, p.Lang, 1, p.T("form.yes"), p.T("form.no")) {
		rows = append(rows, reviewRow(r))
	}
	_ = pr
	return rows
}

type readableRow struct {
	Label, Value string
	Depth        int
	Group        bool
}

// readable lays a JSON value out as labelled rows by its schema: what a
// person reads instead of raw JSON (review page, officers' case page).
func readable(s *schema, x any, lang string, depth int, yes, no string) []readableRow {
	var out []readableRow
	switch {
	case s.is("object"):
		m, _ := x.(map[string]any)
		for _, pr := range s.Properties {
			c, ok := m[pr.Name]
			if !ok {
				continue
			}
			label := pr.Schema.title(lang)
			if label == "" {
				label = pr.Name
			}
			if pr.Schema.is("object") || (pr.Schema.is("array") && !(pr.Schema.Items != nil && len(pr.Schema.Items.Enum) > 0)) {
				out = append(out, readableRow{Label: label, Depth: depth, Group: true})
				out = append(out, readable(pr.Schema, c, lang, depth+1, yes, no)...)
				continue
			}
			out = append(out, readableRow{Label: label, Value: scalarText(pr.Schema, c, lang, yes, no), Depth: depth})
		}
	case s.is("array"):
		items, _ := x.([]any)
		for i, it := range items {
			if s.Items != nil && s.Items.is("object") {
				out = append(out, readableRow{Label: "#" + strconv.Itoa(i+1), Depth: depth, Group: true})
				out = append(out, readable(s.Items, it, lang, depth+1, yes, no)...)
			} else {
				item := s.Items
				if item == nil {
					item = &schema{}
				}
				out = append(out, readableRow{Label: "#" + strconv.Itoa(i+1), Value: scalarText(item, it, lang, yes, no), Depth: depth})
			}
		}
	default:
		out = append(out, readableRow{Value: scalarText(s, x, lang, yes, no), Depth: depth})
	}
	return out
}

func scalarText(s *schema, x any, lang, yes, no string) string {
	switch v := x.(type) {
	case bool:
		if v {
			return yes
		}
		return no
	case []any:
		parts := make([]string, len(v))
		for i, e := range v {
			parts[i] = scalarText(s.Items, e, lang, yes, no)
		}
		return strings.Join(parts, "; ")
	}
	if s != nil {
		for i, e := range s.Enum {
			if display(e) == display(x) {
				return s.enumTitle(lang, i)
			}
		}
	}
	return display(x)
}

// submit files the case through the API, then attaches the files. On a
// refusal it leaves the field errors in d.apiErrs and returns false.
func (s *Server) submit(p *page, pr *motcua.Procedure, sub *submission, d *fileData) bool {
	body, ct := jsonBody(sub)
	a := p.api(apiCall{method: "POST", path: "/api/v1/cases", body: body, ctype: ct, key: d.Key})
	if !a.ok() {
		e := a.err()
		if e.Code != motcua.EINVALID {
			p.apiFail(e, a.status)
			return true
		}
		d.apiErrs = e.Fields
		if len(d.apiErrs) == 0 {
			d.apiErrs = map[string]string{"": e.Message}
		}
		return false
	}
	var r struct {
		caseView
		Secret string `json:"secret"`
	}
	_ = a.decode(&r)
	for _, df := range d.Docs {
		if df.File == nil {
			continue
		}
		if err := s.attachStored(p, r.Code, "", *df.File, df.Code, d.Key+"-"+df.Code); err != nil {
			s.log.Warn("attach filed document", "case", r.Code, "err", err)
			p.Notice = p.T("receipt.attach_failed")
		}
	}
	// The view after the attachments.
	if v := p.api(apiCall{method: "GET", path: "/api/v1/cases/" + url.PathEscape(r.Code)}); v.ok() {
		_ = v.decode(&r.caseView)
	}
	rd := &receiptData{Case: &r.caseView, Name: s.procName(pr, p.Lang), Secret: r.Secret, Counter: d.Counter}
	for i := range r.Documents {
		switch r.Documents[i].Kind {
		case "receipt":
			rd.Receipt = &r.Documents[i]
		case "application":
			rd.Docs++
		}
	}
	p.Title = p.T("receipt.title")
	p.Data = rd
	p.status = http.StatusCreated
	p.render("receipt")
	return true
}

// attachStored sends a kept file to the case (POST documents), named after
// the document it is.
func (s *Server) attachStored(p *page, code, secret string, ref docRef, docCode, key string) error {
	if s.cfg.Blobs == nil {
		return errors.New("no blob storage")
	}
	f, err := s.cfg.Blobs.Open(p.r.Context(), ref.SHA256)
	if err != nil {
		return err
	}
	defer f.Close()
	name := ref.Name
	if docCode != "" {
		name = docCode + "_" + name
	}
	return s.upload(p, code, secret, name, f, key)
}

func (s *Server) upload(p *page, code, secret, name string, r io.Reader, key string) error {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", mime.FormatMediaType("form-data", map[string]string{"name": "file", "filename": name}))
	h.Set("Content-Type", "application/octet-stream")
	part, _ := mw.CreatePart(h)
	if _, err := io.Copy(part, r); err != nil {
		return err
	}
	_ = mw.Close()
	a := p.api(apiCall{method: "POST", path: "/api/v1/cases/" + url.PathEscape(code) + "/documents", body: bytes.NewReader(buf.Bytes()),
		ctype: mw.FormDataContentType(), key: key, secret: secret})
	if !a.ok() {
		return fmt.Errorf("%d %s", a.status, a.err().Message)
	}
	return nil
}
