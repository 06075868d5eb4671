package procedures

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/motcua/motcua"
	"go.yaml.in/yaml/v3"
)

// Competence says who may lead cases of a procedure, or of every procedure
// of a field, filed between From and To (inclusive, Viet Nam days): listed
// agencies, or every agency of a tier under a parent ("every commune of Đà
// Nẵng": the applicant picks the one where they live). It overrides the
// definition's agencies and the registry's successors for that period; it
// is how a transfer split by procedure is recorded (criminal records to the
// police while the rest of the Department of Justice stays).
type Competence struct {
	Procedure string     `json:"procedure,omitempty"`
	Field     string     `json:"field,omitempty"`
	From      time.Time  `json:"from"`
	To        *time.Time `json:"to,omitempty"`
	Agencies  []string   `json:"agencies,omitempty"`
	Tier      string     `json:"tier,omitempty"`
	Parent    string     `json:"parent,omitempty"`
	// Basis is the legal text that gives the competence.
	Basis string `json:"basis"`
	// Unconfirmed says what could not be confirmed from the official text;
	// empty when the rule was read in the text itself.
	Unconfirmed string `json:"unconfirmed,omitempty"`
}

// covers reports whether a case filed at t falls in the entry's period.
func (c *Competence) covers(t time.Time) bool {
	return !t.Before(c.From) && (c.To == nil || t.Before(c.To.AddDate(0, 0, 1)))
}

// CompetenceTable is the loaded competence.yaml.
type CompetenceTable struct {
	byProcedure map[string][]*Competence
	byField     map[string][]*Competence
	all         []*Competence
}

// All returns every entry in file order.
func (t *CompetenceTable) All() []*Competence { return slices.Clone(t.all) }

// rule returns the entry that governs p at day: one naming the procedure
// first, then one naming its field; nil when neither does.
func (t *CompetenceTable) rule(p *motcua.Procedure, day time.Time) *Competence {
	if t == nil {
		return nil
	}
	for _, list := range [][]*Competence{t.byProcedure[p.Code], t.byField[p.Field]} {
		for _, c := range list {
			if c.covers(day) {
				return c
			}
		}
	}
	return nil
}

const competenceFile = "competence.yaml"

type competenceEntry struct {
	Procedure   string   `yaml:"procedure"`
	Field       string   `yaml:"field"`
	From        string   `yaml:"from"`
	To          string   `yaml:"to"`
	Agencies    []string `yaml:"agencies,flow"`
	Tier        string   `yaml:"tier"`
	Parent      string   `yaml:"parent"`
	Basis       string   `yaml:"basis"`
	Unconfirmed string   `yaml:"unconfirmed"`
}

// LoadCompetence reads a competence table (a YAML list) and checks it
// against agencies: every agency it names must exist for the whole period,
// and two entries for the same procedure or field must not overlap. It
// reports every problem found, under competence.yaml and the entry's key
// ("cap-phieu-ly-lich-tu-phap@2025-03-01.agencies.0").
func LoadCompetence(r io.Reader, agencies *Agencies) (*CompetenceTable, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	var entries []competenceEntry
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&entries); err != nil && !errors.Is(err, io.EOF) {
		return nil, decodeProblems(competenceFile, err)
	}
	var ps Problems
	t := &CompetenceTable{byProcedure: map[string][]*Competence{}, byField: map[string][]*Competence{}}
	for i, e := range entries {
		key := fmt.Sprintf("%d", i)
		if e.Procedure != "" || e.Field != "" {
			key = e.Procedure + e.Field + "@" + e.From
		}
		add := func(field, format string, args ...any) {
			ps = append(ps, Problem{File: competenceFile, Field: key + "." + field, Message: fmt.Sprintf(format, args...)})
		}
		c := &Competence{Procedure: e.Procedure, Field: e.Field, Agencies: e.Agencies, Tier: e.Tier, Parent: e.Parent,
			Basis: strings.TrimSpace(e.Basis), Unconfirmed: strings.TrimSpace(e.Unconfirmed)}
		if (e.Procedure == "") == (e.Field == "") {
			add("procedure", "give either procedure (a code) or field (a field name), not both")
		} else if e.Procedure != "" && !procedureCode.MatchString(e.Procedure) {
			add("procedure", "procedure %q is not a procedure code", e.Procedure)
		}
		okDates := true
		if c.From, err = time.ParseInLocation(time.DateOnly, e.From, vietnam); err != nil {
			add("from", "from %q must be a date YYYY-MM-DD", e.From)
			okDates = false
		}
		if e.To != "" {
			to, err := time.ParseInLocation(time.DateOnly, e.To, vietnam)
			switch {
			case err != nil:
				add("to", "to %q must be a date YYYY-MM-DD", e.To)
				okDates = false
			case okDates && to.Before(c.From):
				add("to", "to %s is before from %s", e.To, e.From)
				okDates = false
			default:
				c.To = &to
			}
		}
		if c.Basis == "" {
			add("basis", "basis is required: the legal text that gives this competence")
		}
		switch {
		case len(e.Agencies) > 0 && (e.Tier != "" || e.Parent != ""):
			add("agencies", "give either agencies or tier and parent, not both")
		case len(e.Agencies) > 0:
			for j, code := range e.Agencies {
				field := fmt.Sprintf("agencies.%d", j)
				ag, ok := agencies.Get(code)
				switch {
				case !ok:
					add(field, "unknown agency %q", code)
				case slices.Index(e.Agencies, code) < j:
					add(field, "agency %s is listed twice", code)
				case okDates && !ag.Active(c.From):
					add(field, "%s does not exist on %s", code, e.From)
				case okDates && ag.ValidTo != nil && (c.To == nil || c.To.After(*ag.ValidTo)):
					add(field, "%s ends on %s, before this entry does: end the entry then and add one for its successor", code, ag.ValidTo.Format(time.DateOnly))
				}
			}
		case e.Tier != "":
			if !validTier(e.Tier) {
				add("tier", "tier %q must be province, district or commune", e.Tier)
			}
			if p, ok := agencies.Get(e.Parent); !ok {
				add("parent", "a tier needs the parent whose units are competent; unknown parent %q", e.Parent)
			} else if okDates && !p.Active(c.From) {
				add("parent", "%s does not exist on %s", e.Parent, e.From)
			}
		default:
			add("agencies", "give the competent agencies, or a tier and parent")
		}
		k := c.Procedure + "\x00" + c.Field
		if okDates {
			for _, o := range t.all {
				if o.Procedure+"\x00"+o.Field == k && overlap(o, c) {
					add("from", "overlaps the entry from %s for the same %s", o.From.Format(time.DateOnly), cmp.Or(c.Procedure, "field"))
				}
			}
		}
		t.all = append(t.all, c)
		if c.Procedure != "" {
			t.byProcedure[c.Procedure] = append(t.byProcedure[c.Procedure], c)
		} else {
			t.byField[c.Field] = append(t.byField[c.Field], c)
		}
	}
	if len(ps) > 0 {
		return nil, ps
	}
	return t, nil
}

func overlap(a, b *Competence) bool {
	aEnds := a.To == nil || !a.To.Before(b.From)
	bEnds := b.To == nil || !b.To.Before(a.From)
	return aEnds && bEnds
}

// Competence returns the registry's competence table (nil when it has none).
func (a *Agencies) Competence() *CompetenceTable { return a.competence }

// Competent returns the agencies that may lead a case of p filed at day:
// those of the competence entry governing p that day, or else the agencies
// of p's definition followed to whoever holds their competence that day
// (successors; communes for an abolished district). Sorted by code; empty
// when nobody is competent (the registry lacks the unit).
func (a *Agencies) Competent(p *motcua.Procedure, day time.Time) []*Agency {
	var out []*Agency
	addOnce := func(ag *Agency) {
		if !slices.Contains(out, ag) {
			out = append(out, ag)
		}
	}
	if r := a.competence.rule(p, day); r != nil {
		for _, code := range r.Agencies {
			if ag, ok := a.byCode[code]; ok && ag.Active(day) {
				addOnce(ag)
			}
		}
		if r.Tier != "" {
			for _, ag := range a.all {
				if ag.Tier == r.Tier && ag.Parent == r.Parent && ag.Active(day) {
					addOnce(ag)
				}
			}
		}
	} else {
		for _, code := range p.Agencies {
			for _, ag := range a.Holders(code, day) {
				addOnce(ag)
			}
		}
	}
	slices.SortFunc(out, func(x, y *Agency) int { return strings.Compare(x.Code, y.Code) })
	return out
}

// Competent returns the agencies that may lead a case of the procedure
// with code filed at day (see Agencies.Competent); nil for an unknown code.
func (c *Catalog) Competent(code string, day time.Time) []*Agency {
	p, ok := c.byCode[code]
	if !ok {
		return nil
	}
	return c.agencies.Competent(p, day)
}

// Route picks the agency that leads a case of p filed at day when the
// applicant asked for requested (a code, or ""). It returns the agency
// when requested is competent; or when one agency is competent and
// requested is empty or one the definition lists (a form written before
// a reform); or when requested holds, through successors, exactly one of
// the competent agencies. Otherwise it returns nil and the competent
// agencies to choose from.
func (a *Agencies) Route(p *motcua.Procedure, requested string, day time.Time) (*Agency, []*Agency) {
	comp := a.Competent(p, day)
	for _, ag := range comp {
		if ag.Code == requested {
			return ag, comp
		}
	}
	if len(comp) == 1 && (requested == "" || p.OffersAgency(requested)) {
		return comp[0], comp
	}
	if requested != "" {
		var match []*Agency
		for _, h := range a.Holders(requested, day) {
			if slices.Contains(comp, h) {
				match = append(match, h)
			}
		}
		if len(match) == 1 {
			return match[0], comp
		}
	}
	return nil, comp
}

// receptionAnywhereFrom is the day Decree 118/2025/NĐ-CP took effect
// (Điều 40 khoản 1): from it the province's public administration service
// centre and those of its communes receive files regardless of the
// administrative boundary within the province (Điều 3 khoản 7, Điều 14
// khoản 2) and forward each to the competent agency (Điều 20;
// docs/law/decree-118-2025.md §7). The province lists the procedures
// concerned by stages, all of them by 31/12/2025 (Điều 40 khoản 4): the
// catalogue does not hold that list, so every procedure counts from the
// first day.
var receptionAnywhereFrom = time.Date(2025, 7, 1, 0, 0, 0, 0, vietnam)

// ReceivesFor reports whether the one-stop desk of agency desk may, on
// day, receive a file that agency lead is competent for, though lead is
// another agency: desk is the province's public administration service
// centre (Trung tâm Phục vụ hành chính công) or a ward or commune of the
// province, both exist that day, and the day is under Decree 118/2025.
func (a *Agencies) ReceivesFor(desk, lead string, day time.Time) bool {
	d, ok1 := a.byCode[desk]
	l, ok2 := a.byCode[lead]
	if !ok1 || !ok2 || desk == lead || day.Before(receptionAnywhereFrom) || !d.Active(day) || !l.Active(day) {
		return false
	}
	centre := d.Tier == "province" && strings.HasPrefix(d.Name, "Trung tâm Phục vụ hành chính công")
	// A commune's desk is its People's Committee's, not its police's.
	commune := d.Tier == "commune" && strings.HasPrefix(d.Name, "Ủy ban nhân dân")
	if !centre && !commune {
		return false
	}
	// The registry holds one province at a time; a vertical agency (the
	// police) has no parent, and belongs to the province it is in.
	return l.Parent == "" || a.province(l) == a.province(d)
}

// province is the top of ag's chain of parents.
func (a *Agencies) province(ag *Agency) string {
	for range len(a.all) {
		p, ok := a.byCode[ag.Parent]
		if !ok {
			break
		}
		ag = p
	}
	return ag.Code
}
