package procedures

import (
	"slices"
	"strings"

	"github.com/motcua/motcua"
)

// clock checks a definition's overrides of its shape's legal clock (issue
// 12, workflows/lawclock.go): known waits and modes, each override with the
// text that justifies it, cancellation only with its text.
func (v *validator) clock(p *motcua.Procedure) {
	l := p.Clock
	if l == nil {
		return
	}
	for wait, rule := range l.Waits {
		field := "clock.waits." + wait
		if !slices.Contains(motcua.Waits, wait) {
			v.add(field, "unknown wait %q (one of %s)", wait, strings.Join(motcua.Waits, ", "))
			continue
		}
		if !slices.Contains(motcua.ClockModes, rule.Mode) {
			v.add(field+".mode", "mode %q must be one of %s", rule.Mode, strings.Join(motcua.ClockModes, ", "))
		}
		if blank(rule.Basis) {
			v.add(field+".basis", "an override of the shape's clock needs the legal text that says so")
		}
	}
	if l.SupplementRequests < 0 || l.SupplementWithin < 0 || l.Reschedules < 0 {
		v.add("clock", "counts and days cannot be negative")
	}
	if l.CancelBasis != "" && p.SupplementDays < 1 {
		v.add("clock.cancel_basis", "cancellation needs supplement_days, the period the text gives")
	}
	if l.Dialogue != "" && l.Dialogue != motcua.DialogueWhenDiffers && l.Dialogue != motcua.DialogueAlways {
		v.add("clock.dialogue", "dialogue %q must be %s or %s", l.Dialogue, motcua.DialogueWhenDiffers, motcua.DialogueAlways)
	}
}
