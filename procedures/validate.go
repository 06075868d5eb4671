package procedures

import (
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/workflows"
)

var procedureCode = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

var (
	deliveryModes = []string{motcua.DeliveryOnline, motcua.DeliveryCounter, motcua.DeliveryPost}
	resultTypes   = []string{"licence", "certificate", "decision", "confirmation", "answer"} // answer: to a feedback
)

type validator struct {
	file     string
	agencies *Agencies
	skipForm bool // the form or its example is already reported unreadable
	problems Problems
}

func (v *validator) add(field, format string, args ...any) {
	v.problems = append(v.problems, Problem{File: v.file, Field: field, Message: fmt.Sprintf(format, args...)})
}

func blank(s string) bool { return strings.TrimSpace(s) == "" }

// procedure checks p, read from file, for everything a shape and the portal
// rely on. Levels 1–2 are information only (no case runs), so what a case
// needs is required only from level 3 on; what is written must still be valid.
func (v *validator) procedure(p *motcua.Procedure, file string, forms *formCache) {
	switch {
	case !procedureCode.MatchString(p.Code):
		v.add("code", "code %q must be lowercase ASCII words joined by hyphens", p.Code)
	case p.Code != file:
		v.add("code", "code %s must equal the file name without .yaml (%s)", p.Code, file)
	}
	if p.Version < 1 {
		v.add("version", "version must be 1 or more")
	}
	if blank(p.Name.Vi) {
		v.add("name.vi", "the Vietnamese name is required")
	}
	if blank(p.Name.En) {
		v.add("name.en", "the English name is required")
	}
	if !validTier(p.Tier) {
		v.add("tier", "tier %q must be province, district or commune", p.Tier)
	}
	if p.Level < 1 || p.Level > 4 {
		v.add("level", "level %d must be 1 to 4", p.Level)
	}
	cases := p.Level >= 3
	v.online(p)
	v.levels(p)
	v.agencyLists(p)
	spec, known := workflows.ShapeFor(p.Shape)
	if !known {
		v.add("shape", "unknown shape %q (one of %s)", p.Shape, strings.Join(shapeNames(), ", "))
	}
	v.form(p, cases, forms)
	v.steps(p, cases, spec, known)
	if known {
		v.deadlines(p, cases, spec)
	}
	v.fee(p)
	v.days(p, cases)
	v.delivery(p, cases)
	v.documents(p)
	v.result(p, cases)
	v.info(p)
	v.checks(p)
	v.searchWords(p)
	v.clock(p) // issue 12 (lawclock)
	for _, f := range LocalityFields(p) {
		if !schemaHas(p.Form, f) {
			v.add("locality", "the form has no field %s", f)
		}
	}
}

func shapeNames() []string {
	var names []string
	for _, s := range workflows.Shapes() {
		names = append(names, s.Name)
	}
	return names
}

// checks validates the back-end calls: a known kind, at a step the shape
// has, reading a field the form declares.
func (v *validator) checks(p *motcua.Procedure) {
	for i, c := range p.Checks {
		field := fmt.Sprintf("checks.%d", i)
		spec, known := motcua.CheckOf(c.Kind)
		needs := spec.ReadsForm
		if !known {
			v.add(field+".kind", "unknown check %q", c.Kind)
		}
		switch c.At {
		case motcua.AtReception, motcua.AtReview, motcua.AtIssue:
		default:
			v.add(field+".at", "a check runs at reception, review or issue, not %q", c.At)
		}
		if p.Level < 4 {
			v.add(field, "back-end checks run at level 4 only")
		}
		switch {
		case needs && c.Field == "":
			v.add(field+".field", "%s reads a form field: name it", c.Kind)
		case !needs && c.Field != "":
			v.add(field+".field", "%s reads no form field", c.Kind)
		case c.Field != "" && !schemaHas(p.Form, c.Field):
			v.add(field+".field", "the form has no field %s", c.Field)
		}
	}
}

// schemaHas reports whether a JSON Schema declares the dotted property path.
func schemaHas(schema json.RawMessage, path string) bool {
	var node map[string]any
	if json.Unmarshal(schema, &node) != nil {
		return false
	}
	for _, k := range strings.Split(path, ".") {
		props, _ := node["properties"].(map[string]any)
		next, ok := props[k].(map[string]any)
		if !ok {
			return false
		}
		node = next
	}
	return true
}

// online checks the Decree 42/2022 class against the Decree 43/2011 level:
// level 4 is full online, level 3 full or partial, levels 1–2 not online.
func (v *validator) online(p *motcua.Procedure) {
	switch {
	case p.Level == 4 && p.Online != motcua.OnlineFull:
		v.add("online", "level 4 must be online: full, not %q", p.Online)
	case p.Level == 3 && p.Online != motcua.OnlineFull && p.Online != motcua.OnlinePartial:
		v.add("online", "level 3 must be online: full or partial, not %q", p.Online)
	case p.Level >= 1 && p.Level <= 2 && p.Online != "":
		v.add("online", "levels 1–2 take no online applications: leave online empty")
	}
}

// levels checks the roadmap: dates in order, levels 1–4, and the last
// entry at today's level.
func (v *validator) levels(p *motcua.Procedure) {
	var prev time.Time
	for i, l := range p.Levels {
		field := fmt.Sprintf("levels.%d", i)
		since, err := time.Parse(time.DateOnly, l.Since)
		switch {
		case err != nil:
			v.add(field+".since", "since %q must be a date YYYY-MM-DD", l.Since)
		case i > 0 && !since.After(prev):
			v.add(field+".since", "since %s must come after the entry before it (%s)", l.Since, prev.Format(time.DateOnly))
		}
		prev = since
		if l.Level < 1 || l.Level > 4 {
			v.add(field+".level", "level %d must be 1 to 4", l.Level)
		}
	}
	if n := len(p.Levels); n > 0 && p.Levels[n-1].Level != p.Level {
		v.add(fmt.Sprintf("levels.%d.level", n-1), "the last entry (level %d) must be today's level: %d", p.Levels[n-1].Level, p.Level)
	}
}

func (v *validator) agencyLists(p *motcua.Procedure) {
	if len(p.Agencies) == 0 {
		v.add("agencies", "at least one lead agency is required")
	}
	for i, code := range p.Agencies {
		field := fmt.Sprintf("agencies.%d", i)
		if _, ok := v.agencies.Get(code); !ok {
			v.add(field, "unknown agency %q", code)
		} else if slices.Index(p.Agencies, code) < i {
			v.add(field, "agency %s is listed twice", code)
		}
	}
	for i, co := range p.CoAgencies {
		field := fmt.Sprintf("co_agencies.%d", i)
		if _, ok := v.agencies.Get(co.Agency); !ok {
			v.add(field+".agency", "unknown agency %q", co.Agency)
		} else if p.OffersAgency(co.Agency) {
			v.add(field+".agency", "%s leads the case; it cannot also co-process it", co.Agency)
		} else if slices.IndexFunc(p.CoAgencies, func(c motcua.CoAgency) bool { return c.Agency == co.Agency }) < i {
			v.add(field+".agency", "agency %s is listed twice", co.Agency)
		}
		if co.Days < 1 {
			v.add(field+".days", "a co-processing agency needs at least 1 working day")
		} else if p.ProcessingDays > 0 && co.Days > p.ProcessingDays {
			v.add(field+".days", "%d days exceed the whole processing time (%d)", co.Days, p.ProcessingDays)
		}
		if co.Role != "" && !slices.Contains(motcua.OfficerRoles, co.Role) {
			v.add(field+".role", "%q is not an officer role", co.Role)
		}
	}
}

func (v *validator) form(p *motcua.Procedure, cases bool, forms *formCache) {
	if v.skipForm {
		return
	}
	if len(p.Form) == 0 {
		if cases {
			v.add("form", "levels 3–4 take applications online: a form (JSON Schema) is required")
		}
		if len(p.ExampleForm) > 0 {
			v.add("example_form", "an example needs a form to be valid against")
		}
		return
	}
	var root struct {
		Type any `json:"type"`
	}
	if err := json.Unmarshal(p.Form, &root); err != nil || root.Type != "object" {
		v.add("form", "the form must be a schema of type object")
		return
	}
	sch, err := forms.schema(p.Form)
	if err != nil {
		v.add("form", "the schema does not compile: %v", err)
		return
	}
	if len(p.ExampleForm) == 0 {
		if cases {
			v.add("example_form", "an example form is required: it proves the form can be filled in")
		}
		return
	}
	errs := sch.Errors(p.ExampleForm)
	paths := make([]string, 0, len(errs))
	for path := range errs {
		paths = append(paths, path)
	}
	slices.Sort(paths)
	for _, path := range paths {
		field := "example_form"
		if path != "" {
			field += "." + path
		}
		v.add(field, "does not satisfy the form: %s", errs[path])
	}
}

func (v *validator) steps(p *motcua.Procedure, cases bool, shape workflows.Shape, known bool) {
	for _, name := range slices.Sorted(maps.Keys(p.Steps)) {
		step, field := p.Steps[name], "steps."+name
		switch {
		case !slices.Contains(motcua.StepNames, name):
			v.add(field, "unknown step %q (steps are %s)", name, strings.Join(motcua.StepNames, ", "))
			continue
		case known && !shape.Accepts(name):
			v.add(field, "the %s shape has no %s step", shape.Name, name)
			continue
		case step == nil:
			v.add(field, "the %s step needs a role", name)
			continue
		}
		if !slices.Contains(motcua.OfficerRoles, step.Role) {
			v.add(field+".role", "%q is not an officer role", step.Role)
		}
		if step.Agency != "" {
			if _, ok := v.agencies.Get(step.Agency); !ok {
				v.add(field+".agency", "unknown agency %q", step.Agency)
			}
		}
	}
	if !cases {
		return
	}
	for _, name := range shape.Steps {
		if p.Steps[name] == nil {
			v.add("steps."+name, "the %s shape needs a %s step", shape.Name, name)
		}
	}
	switch payment := p.Steps[motcua.StepPayment]; {
	case p.Fee.Payable() && payment == nil:
		v.add("steps.payment", "a fee is set but no payment step")
	case !p.Fee.Payable() && payment != nil:
		v.add("steps.payment", "a payment step but no fee to pay")
	}
}

func (v *validator) deadlines(p *motcua.Procedure, cases bool, spec workflows.Shape) {
	keys := make([]string, 0, len(p.Deadlines))
	for key := range p.Deadlines {
		keys = append(keys, key)
	}
	slices.Sort(keys)
	for _, key := range keys {
		days := p.Deadlines[key]
		if !slices.Contains(spec.Deadlines, key) {
			v.add("deadlines."+key, "the %s shape has no %s deadline", p.Shape, key)
		} else if days < 1 {
			v.add("deadlines."+key, "a deadline needs at least 1 working day")
		}
	}
	if !cases {
		return
	}
	for _, key := range spec.Deadlines {
		if _, ok := p.Deadlines[key]; !ok {
			v.add("deadlines."+key, "the %s shape needs a %s deadline", p.Shape, key)
		}
	}
}

func (v *validator) fee(p *motcua.Procedure) {
	if p.Fee == nil {
		return
	}
	if p.Fee.Amount < 0 {
		v.add("fee.amount", "the fee cannot be negative")
	}
	if blank(p.Fee.Name) {
		v.add("fee.name", "say what the fee is (phí, lệ phí ...)")
	}
	if blank(p.Fee.LegalBasis) {
		v.add("fee.legal_basis", "a fee needs the legal text that sets it")
	}
	v.feeSchedule(p)
}

func (v *validator) days(p *motcua.Procedure, cases bool) {
	if p.ProcessingDays < 1 && (cases || p.ProcessingDays < 0) {
		v.add("processing_days", "the processing time must be at least 1 working day")
	}
	// Feedback never waits on its sender for a supplement.
	waits := cases && p.Shape != motcua.ShapeFeedback
	if p.SupplementDays < 1 && (waits || p.SupplementDays < 0) {
		v.add("supplement_days", "the time to supplement a file must be at least 1 working day")
	}
}

func (v *validator) delivery(p *motcua.Procedure, cases bool) {
	if cases && len(p.Delivery) == 0 {
		v.add("delivery", "say how the result is delivered: online, counter and/or post")
	}
	for i, d := range p.Delivery {
		field := fmt.Sprintf("delivery.%d", i)
		if !slices.Contains(deliveryModes, d) {
			v.add(field, "%q is not online, counter or post", d)
		} else if slices.Index(p.Delivery, d) < i {
			v.add(field, "%s is listed twice", d)
		}
	}
}

func (v *validator) documents(p *motcua.Procedure) {
	if len(p.Documents) == 0 {
		v.add("documents", "list the documents of the file (thành phần hồ sơ)")
	}
	seen := map[string]bool{}
	for i, d := range p.Documents {
		field := fmt.Sprintf("documents.%d", i)
		switch {
		case blank(d.Code):
			v.add(field+".code", "a document needs a code")
		case seen[d.Code]:
			v.add(field+".code", "document code %s is used twice", d.Code)
		}
		seen[d.Code] = true
		if blank(d.Name) {
			v.add(field+".name", "a document needs a name")
		}
	}
}

func (v *validator) result(p *motcua.Procedure, cases bool) {
	if p.Result.Type != "" && !slices.Contains(resultTypes, p.Result.Type) {
		v.add("result.type", "%q is not one of %s", p.Result.Type, strings.Join(resultTypes, ", "))
	} else if cases && p.Result.Type == "" {
		v.add("result.type", "say what the case produces: %s", strings.Join(resultTypes, ", "))
	}
	if cases && blank(p.Result.Name) {
		v.add("result.name", "name the result the applicant receives")
	}
	v.resultTemplate(p, cases)
}

// resultTemplate checks the template a result is drawn up from: a known
// kind, a signer's title in capitals, a decision's grounds and articles,
// a term with the text that sets it, and placeholders that name data the
// case has (form.* a field of the definition's form).
func (v *validator) resultTemplate(p *motcua.Procedure, cases bool) {
	t := p.Result.Template
	if t == nil {
		if cases {
			v.add("result.template", "say how the result is drawn up: kind, fields, signer's title")
		}
		return
	}
	if !slices.Contains(resultTypes, t.Kind) {
		v.add("result.template.kind", "%q is not one of %s", t.Kind, strings.Join(resultTypes, ", "))
	}
	switch title := strings.TrimSpace(t.Signer.Title); {
	case title == "":
		v.add("result.template.signer.title", "name the capacity the approver signs in (GIÁM ĐỐC, CHỦ TỊCH, TRƯỞNG PHÒNG…)")
	case title != strings.ToUpper(title) || strings.ToUpper(t.Signer.OnBehalf) != t.Signer.OnBehalf:
		v.add("result.template.signer", "a signer's title is written in capitals (Nghị định 30/2020/NĐ-CP Phụ lục I)")
	}
	if t.Kind == motcua.ResultDecision {
		if len(t.Articles) < 2 {
			v.add("result.template.articles", "a decision has its articles: what is decided, and who carries it out")
		}
		if len(t.Basis) == 0 {
			v.add("result.template.basis", "a decision states its legal grounds (Căn cứ …)")
		}
	} else if len(t.Articles) > 0 {
		v.add("result.template.articles", "only a decision has articles")
	}
	for i, b := range t.Basis {
		if !strings.HasPrefix(b, "Căn cứ ") {
			v.add(fmt.Sprintf("result.template.basis.%d", i), "a ground starts with \"Căn cứ \"")
		}
	}
	if cases && len(t.Fields) == 0 && len(t.Articles) == 0 {
		v.add("result.template.fields", "say which data of the case the result prints")
	}
	texts := map[string]string{"result.template.title": t.Title}
	for i, f := range t.Fields {
		field := fmt.Sprintf("result.template.fields.%d", i)
		if blank(f.Label) || blank(f.Value) {
			v.add(field, "a field needs a label and a value")
		}
		texts[field+".value"] = f.Value
	}
	for i, a := range t.Articles {
		texts[fmt.Sprintf("result.template.articles.%d", i)] = a
	}
	if t.Validity != nil {
		if blank(t.Validity.Text) || blank(t.Validity.Basis) {
			v.add("result.template.validity", "a term needs its text and the article that sets it")
		}
		texts["result.template.validity.text"] = t.Validity.Text
	}
	for _, field := range slices.Sorted(maps.Keys(texts)) {
		for _, name := range motcua.Placeholders(texts[field]) {
			path, isForm := strings.CutPrefix(name, "form.")
			switch {
			case !motcua.KnownPlaceholder(name):
				v.add(field, "{%s} is not data a result can print", name)
			case isForm && !v.skipForm && !schemaHas(p.Form, path):
				v.add(field, "the form has no field %s", path)
			}
		}
	}
}

func (v *validator) info(p *motcua.Procedure) {
	if blank(p.Info.Summary) {
		v.add("info.summary", "a summary for citizens is required")
	}
	if len(p.Info.LegalBasis) == 0 {
		v.add("info.legal_basis", "list the legal texts the procedure rests on")
	}
	for i, l := range p.Info.LegalBasis {
		if blank(l) {
			v.add(fmt.Sprintf("info.legal_basis.%d", i), "an empty legal reference")
		}
	}
}
