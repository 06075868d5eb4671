package procedures

import (
	"encoding/json"
	"strings"

	"golang.org/x/text/unicode/norm"

	"github.com/motcua/motcua"
)

// Locality: which of several competent communes serves an address. Since
// the district level ended (1 July 2025), a procedure of the commune tier
// is handled by the ward or commune where the business sits, the land lies
// or the applicant lives (the definition's locality field). Addresses
// written before the merger name the former ward or commune and district;
// the registry's formed_from and former_district say which new commune
// took each over (Nghị quyết của Ủy ban Thường vụ Quốc hội về sắp xếp đơn
// vị hành chính cấp xã của thành phố Đà Nẵng năm 2025).

// LocalityAddress is the address of a submission that decides its
// commune: the form's locality fields (comma-separated paths, their values
// joined as one address: street, commune, district), or the applicant's
// address.
func LocalityAddress(p *motcua.Procedure, form json.RawMessage, applicant motcua.Applicant) string {
	if p.Locality == "" {
		return applicant.Address
	}
	var root any
	if json.Unmarshal(form, &root) != nil {
		return ""
	}
	var parts []string
	for _, path := range LocalityFields(p) {
		node := root
		for _, k := range strings.Split(path, ".") {
			m, _ := node.(map[string]any)
			node = m[k]
		}
		if s, _ := node.(string); strings.TrimSpace(s) != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, ", ")
}

// LocalityFields are the form fields p.Locality names.
func LocalityFields(p *motcua.Procedure) []string {
	var out []string
	for _, f := range strings.Split(p.Locality, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// Serving returns the one agency among candidates whose ward or commune
// the address names, by its present name or by a former unit it was
// formed from; where a former unit's name occurs in several districts,
// the district the address names decides. It returns nil when the address
// names none of them, or several it cannot tell apart.
func (a *Agencies) Serving(address string, candidates []*Agency) *Agency {
	parts := addressParts(address)
	if len(parts) == 0 {
		return nil
	}
	var matches []*Agency
	for _, c := range candidates {
		names := append([]string{unitName(c.Name)}, c.FormedFrom...)
		for _, n := range names {
			if parts[normalizeUnit(n)] {
				matches = append(matches, c)
				break
			}
		}
	}
	if len(matches) <= 1 {
		if len(matches) == 1 {
			return matches[0]
		}
		return nil
	}
	var inDistrict []*Agency
	for _, m := range matches {
		if d, ok := a.byCode[m.FormerDistrict]; ok && parts[normalizeUnit(unitName(d.Name))] {
			inDistrict = append(inDistrict, m)
		}
	}
	if len(inDistrict) == 1 {
		return inDistrict[0]
	}
	return nil
}

// unitName is an administrative unit's name without "Ủy ban nhân dân":
// "phường Bàn Thạch", "huyện Thăng Bình".
func unitName(agencyName string) string {
	return strings.TrimPrefix(strings.TrimSpace(agencyName), "Ủy ban nhân dân ")
}

// addressParts are the comma-separated parts of an address, normalised as
// unit names ("P. Tân Thạnh" and "phường Tân Thạnh" alike).
func addressParts(address string) map[string]bool {
	parts := map[string]bool{}
	for _, p := range strings.Split(address, ",") {
		if n := normalizeUnit(p); n != "" {
			parts[n] = true
		}
	}
	return parts
}

// unitAbbreviations are the short forms of unit kinds people write.
var unitAbbreviations = []struct{ short, long string }{
	{"tt.", "thị trấn "}, {"tp.", "thành phố "}, {"p.", "phường "}, {"x.", "xã "}, {"q.", "quận "}, {"h.", "huyện "},
}

// normalizeUnit lowercases a unit name in NFC (the same letters typed
// precomposed or combined compare equal), spells out abbreviated kinds and
// collapses spaces. Diacritics stay: Tam Thăng is not Tam Thạnh.
func normalizeUnit(s string) string {
	s = strings.ToLower(norm.NFC.String(strings.TrimSpace(s)))
	for _, ab := range unitAbbreviations {
		if strings.HasPrefix(s, ab.short) {
			s = ab.long + s[len(ab.short):]
			break
		}
	}
	return strings.Join(strings.Fields(s), " ")
}
