package motcua

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// The fee schedule. Many fee circulars set the amount by the filing channel
// (a lower or zero fee online), by the applicant (organisation, household
// business, individual) or the area, exempt some applicants, and add
// separate charges. A definition states that as data: the standard amount
// and its basis, then rates that replace it when they match the case, and
// charges collected with it. A case quotes its fee once, when it is filed
// (the filing channel and form decide), and keeps the quote's lines: the
// amount of each, its basis and why that rate applies.

// When a fee is due.
const (
	// FeeDueFiling: paid when the file is lodged, before the review
	// (appraisal fees, phí thẩm định, are the price of the appraisal).
	FeeDueFiling = "filing"
	// FeeDueResult: paid once the file is approved, before the result is
	// issued (lệ phí cấp giấy). The default.
	FeeDueResult = "result"
)

// FeeRate is one row of a schedule: the amount when the case matches
// Channel (ChannelOnline, ChannelCounter; "" any) and every Form condition
// (a dotted path of the application form and the value it holds).
type FeeRate struct {
	Channel string            `yaml:"channel,omitempty" json:"channel,omitempty"`
	Form    map[string]string `yaml:"form,omitempty" json:"form,omitempty"`
	Amount  int64             `yaml:"amount" json:"amount"`
	// Label says in a few words why this rate applies ("nộp hồ sơ trực
	// tuyến", "hộ kinh doanh, khu vực khác", "miễn: trẻ em dưới 16 tuổi").
	Label string `yaml:"label" json:"label"`
	// Basis is the article, clause or row of the text that sets it.
	Basis string `yaml:"basis" json:"basis"`
}

// Charge is a separate charge collected with the fee, with its own basis
// and schedule.
type Charge struct {
	Name       string    `yaml:"name" json:"name"`
	Amount     int64     `yaml:"amount" json:"amount"`
	LegalBasis string    `yaml:"legal_basis" json:"legal_basis"`
	Rates      []FeeRate `yaml:"rates,omitempty" json:"rates,omitempty"`
}

// FeeLine is one line of a case's fee: what, how much, on what basis and
// why this amount.
type FeeLine struct {
	Name   string `json:"name"`
	Amount int64  `json:"amount"`
	Basis  string `json:"basis"`
	Reason string `json:"reason,omitempty"`
}

// FeeTotal adds up lines.
func FeeTotal(lines []FeeLine) int64 {
	var t int64
	for _, l := range lines {
		t += l.Amount
	}
	return t
}

// Payable reports whether some case could be charged anything: an amount,
// a rate or a separate charge above zero.
func (f *Fee) Payable() bool {
	if f == nil {
		return false
	}
	if f.Amount > 0 {
		return true
	}
	for _, r := range f.Rates {
		if r.Amount > 0 {
			return true
		}
	}
	for _, c := range f.Charges {
		if c.Amount > 0 || slices.ContainsFunc(c.Rates, func(r FeeRate) bool { return r.Amount > 0 }) {
			return true
		}
	}
	return false
}

// DueAt is when the fee is paid: FeeDueFiling or FeeDueResult.
func (f *Fee) DueAt() string {
	if f == nil || f.Due == "" {
		return FeeDueResult
	}
	return f.Due
}

// Quote is the fee of a case filed through channel with form: the fee's
// line, then one line per charge. A charge whose amount comes to zero is
// left out; the fee's own line stays even when it is zero (an exemption
// shows on the receipt with its basis). No fee, no lines.
func (f *Fee) Quote(channel string, form json.RawMessage) []FeeLine {
	if f == nil {
		return nil
	}
	var values map[string]any
	if len(form) > 0 {
		_ = json.Unmarshal(form, &values)
	}
	lines := []FeeLine{quoteLine(f.Name, f.Amount, f.LegalBasis, f.Rates, channel, values)}
	for _, c := range f.Charges {
		if l := quoteLine(c.Name, c.Amount, c.LegalBasis, c.Rates, channel, values); l.Amount > 0 {
			lines = append(lines, l)
		}
	}
	if len(lines) == 1 && lines[0].Amount == 0 && len(f.Rates) == 0 {
		return nil // a definition that states no amount: nothing to pay
	}
	return lines
}

func quoteLine(name string, amount int64, basis string, rates []FeeRate, channel string, form map[string]any) FeeLine {
	for _, r := range rates {
		if r.matches(channel, form) {
			b := basis
			if r.Basis != "" {
				b = r.Basis
			}
			return FeeLine{Name: name, Amount: r.Amount, Basis: b, Reason: r.Label}
		}
	}
	return FeeLine{Name: name, Amount: amount, Basis: basis}
}

func (r FeeRate) matches(channel string, form map[string]any) bool {
	if r.Channel != "" && r.Channel != channel {
		return false
	}
	for path, want := range r.Form {
		got, ok := FormValue(form, path)
		if !ok || !strings.EqualFold(got, want) {
			return false
		}
	}
	return true
}

// FormValue reads a dotted path of a decoded form as text: strings as
// they are, numbers and booleans as JSON writes them.
func FormValue(form map[string]any, path string) (string, bool) {
	var v any = form
	for _, key := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return "", false
		}
		if v, ok = m[key]; !ok {
			return "", false
		}
	}
	switch x := v.(type) {
	case string:
		return x, true
	case bool, float64:
		return fmt.Sprint(x), true
	}
	return "", false
}
