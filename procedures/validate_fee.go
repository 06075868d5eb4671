package procedures

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/motcua/motcua"
)

// feeSchedule checks a fee's schedule (motcua.Fee): when it is due, each
// rate's channel, the form fields it reads (they must exist, and an enum
// field must offer the value), its label and basis, and each separate
// charge's name and basis.
func (v *validator) feeSchedule(p *motcua.Procedure) {
	f := p.Fee
	switch f.Due {
	case "", motcua.FeeDueFiling, motcua.FeeDueResult:
	default:
		v.add("fee.due", "when the fee is due must be %q or %q", motcua.FeeDueFiling, motcua.FeeDueResult)
	}
	var form map[string]any
	_ = json.Unmarshal(p.Form, &form)
	v.feeRates("fee.rates", f.Rates, form)
	for i, c := range f.Charges {
		at := fmt.Sprintf("fee.charges.%d", i)
		if blank(c.Name) {
			v.add(at+".name", "say what the charge is")
		}
		if blank(c.LegalBasis) {
			v.add(at+".legal_basis", "a charge needs the legal text that sets it")
		}
		if c.Amount < 0 {
			v.add(at+".amount", "a charge cannot be negative")
		}
		v.feeRates(at+".rates", c.Rates, form)
	}
}

func (v *validator) feeRates(at string, rates []motcua.FeeRate, form map[string]any) {
	for i, r := range rates {
		here := fmt.Sprintf("%s.%d", at, i)
		if r.Amount < 0 {
			v.add(here+".amount", "a rate cannot be negative")
		}
		if blank(r.Label) {
			v.add(here+".label", "say why this rate applies (the channel, applicant or exemption)")
		}
		if blank(r.Basis) {
			v.add(here+".basis", "a rate needs the article or clause that sets it")
		}
		switch r.Channel {
		case "", motcua.ChannelOnline, motcua.ChannelCounter:
		default:
			v.add(here+".channel", "a rate's channel must be %q or %q", motcua.ChannelOnline, motcua.ChannelCounter)
		}
		if r.Channel == "" && len(r.Form) == 0 {
			v.add(here, "a rate needs a channel or a form condition (else it is the fee's amount)")
		}
		paths := make([]string, 0, len(r.Form))
		for path := range r.Form {
			paths = append(paths, path)
		}
		slices.Sort(paths)
		for _, path := range paths {
			prop, ok := formProperty(form, path)
			if !ok {
				v.add(here+".form."+path, "the form has no field %s", path)
				continue
			}
			if enum, ok := prop["enum"].([]any); ok && !slices.ContainsFunc(enum, func(e any) bool {
				return strings.EqualFold(fmt.Sprint(e), r.Form[path])
			}) {
				v.add(here+".form."+path, "the field %s does not offer %q", path, r.Form[path])
			}
		}
	}
}

// formProperty finds a dotted path in a JSON Schema's properties.
func formProperty(schema map[string]any, path string) (map[string]any, bool) {
	node := schema
	for _, key := range strings.Split(path, ".") {
		props, ok := node["properties"].(map[string]any)
		if !ok {
			return nil, false
		}
		if node, ok = props[key].(map[string]any); !ok {
			return nil, false
		}
	}
	return node, true
}
