package procedures

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/motcua/motcua"
	"go.yaml.in/yaml/v3"
)

// vietnam is the zone agency dates are read in: a unit abolished "on 30/6"
// still acts until midnight in Viet Nam, not in UTC. Viet Nam has no DST.
var vietnam = time.FixedZone("ICT", 7*60*60)

// Agency is a unit of government that leads or co-processes cases (cơ quan).
// Its code prefixes case codes, so it is never reused or changed: a unit that
// is renamed, merged or abolished gets a ValidTo and, when another unit takes
// over its competence, a Successor. Cases filed with it keep its code.
type Agency struct {
	Code      string     `json:"code"`
	Name      string     `json:"name"`
	NameEn    string     `json:"name_en"`
	Tier      string     `json:"tier"`
	Parent    string     `json:"parent,omitempty"`
	Successor string     `json:"successor,omitempty"`
	ValidFrom time.Time  `json:"valid_from"`
	ValidTo   *time.Time `json:"valid_to,omitempty"` // the last day it existed, inclusive
	// FormerDistrict is the district whose territory a commune took over
	// when the district level ended (1 July 2025): a district that ended
	// without a successor hands its competence to the communes naming it.
	FormerDistrict string   `json:"former_district,omitempty"`
	FormedFrom     []string `json:"formed_from,omitempty"` // the former units merged into it, as the resolution names them
}

// Active reports whether the agency exists at t.
func (a *Agency) Active(t time.Time) bool {
	return !t.Before(a.ValidFrom) && !a.endedBy(t)
}

func (a *Agency) endedBy(t time.Time) bool {
	return a.ValidTo != nil && !t.Before(a.ValidTo.AddDate(0, 0, 1))
}

// Agencies is the registry of agencies, read once and then only read.
type Agencies struct {
	byCode map[string]*Agency
	all    []*Agency
	// competence overrides the successors for the procedures it names
	// (competence.yaml); nil in a registry loaded alone.
	competence *CompetenceTable
}

// Get returns the agency with code, active or not.
func (a *Agencies) Get(code string) (*Agency, bool) {
	ag, ok := a.byCode[code]
	return ag, ok
}

// All returns every agency, sorted by code.
func (a *Agencies) All() []*Agency { return slices.Clone(a.all) }

// Current follows successors from code to the agency that holds its
// competence at t. It returns nil when code is unknown, did not exist yet at
// t, or ended without a successor (a district after 1 July 2025: its
// competence went to several communes; Holders lists them).
func (a *Agencies) Current(code string, t time.Time) *Agency {
	ag := a.byCode[code]
	// LoadAgencies rejects successor cycles; the bound is a second guard.
	for range len(a.all) + 1 {
		switch {
		case ag == nil:
			return nil
		case ag.Active(t):
			return ag
		case ag.endedBy(t) && ag.Successor != "":
			ag = a.byCode[ag.Successor]
		default:
			return nil
		}
	}
	return nil
}

// Holders returns the agencies that hold code's competence at t: code
// itself while it exists, then its successor, or, for a unit that ended
// without a successor, the units that took over its territory
// (FormerDistrict). Empty when code is unknown or did not exist yet.
func (a *Agencies) Holders(code string, t time.Time) []*Agency {
	return a.holders(code, t, len(a.all)+1)
}

func (a *Agencies) holders(code string, t time.Time, depth int) []*Agency {
	ag := a.byCode[code]
	for ; depth > 0 && ag != nil; depth-- {
		switch {
		case ag.Active(t):
			return []*Agency{ag}
		case !ag.endedBy(t):
			return nil // not yet in existence
		case ag.Successor != "":
			ag = a.byCode[ag.Successor]
		default:
			var out []*Agency
			for _, c := range a.all {
				if c.FormerDistrict == ag.Code {
					for _, h := range a.holders(c.Code, t, depth-1) {
						if !slices.Contains(out, h) {
							out = append(out, h)
						}
					}
				}
			}
			return out
		}
	}
	return nil
}

// agenciesFile is the name problems in the registry are reported under.
const agenciesFile = "agencies.yaml"

var agencyCode = regexp.MustCompile(`^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*$`)

type agencyEntry struct {
	Code      string `yaml:"code"`
	Name      string `yaml:"name"`
	NameEn    string `yaml:"name_en"`
	Tier      string `yaml:"tier"`
	Parent    string `yaml:"parent"`
	Successor string `yaml:"successor"`
	ValidFrom string `yaml:"valid_from"`
	ValidTo   string `yaml:"valid_to"`

	FormerDistrict string   `yaml:"former_district"`
	FormedFrom     []string `yaml:"formed_from"`
}

// LoadAgencies reads a registry: a YAML list of agencies. It reports every
// problem found (as Problems), and returns no registry if there is any.
func LoadAgencies(r io.Reader) (*Agencies, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	var entries []agencyEntry
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&entries); err != nil && !errors.Is(err, io.EOF) {
		return nil, decodeProblems(agenciesFile, err)
	}

	var ps Problems
	add := func(field, format string, args ...any) {
		ps = append(ps, Problem{File: agenciesFile, Field: field, Message: fmt.Sprintf(format, args...)})
	}
	reg := &Agencies{byCode: map[string]*Agency{}}
	for i, e := range entries {
		key := e.Code
		if key == "" {
			key = fmt.Sprint(i)
		}
		if !agencyCode.MatchString(e.Code) {
			add(key+".code", "code %q must be uppercase ASCII letters and digits in hyphen-separated groups", e.Code)
		} else if _, dup := reg.byCode[e.Code]; dup {
			add(key+".code", "code %s is defined twice", e.Code)
			continue
		}
		if strings.TrimSpace(e.Name) == "" {
			add(key+".name", "name is required")
		}
		if strings.TrimSpace(e.NameEn) == "" {
			add(key+".name_en", "name_en is required")
		}
		if !validTier(e.Tier) {
			add(key+".tier", "tier %q must be province, district or commune", e.Tier)
		}
		ag := &Agency{Code: e.Code, Name: e.Name, NameEn: e.NameEn, Tier: e.Tier, Parent: e.Parent, Successor: e.Successor,
			FormerDistrict: e.FormerDistrict, FormedFrom: e.FormedFrom}
		if ag.ValidFrom, err = time.ParseInLocation(time.DateOnly, e.ValidFrom, vietnam); err != nil {
			add(key+".valid_from", "valid_from %q must be a date YYYY-MM-DD", e.ValidFrom)
		}
		if e.ValidTo != "" {
			to, err := time.ParseInLocation(time.DateOnly, e.ValidTo, vietnam)
			switch {
			case err != nil:
				add(key+".valid_to", "valid_to %q must be a date YYYY-MM-DD", e.ValidTo)
			case to.Before(ag.ValidFrom):
				add(key+".valid_to", "valid_to %s is before valid_from %s", e.ValidTo, e.ValidFrom)
			default:
				ag.ValidTo = &to
			}
		} else if e.Successor != "" {
			add(key+".successor", "a successor needs a valid_to: it takes over when the agency ends")
		}
		reg.byCode[ag.Code] = ag
		reg.all = append(reg.all, ag)
	}
	if len(reg.all) == 0 {
		add("", "the registry lists no agencies")
	}
	for _, ag := range reg.all {
		if ag.Parent != "" {
			if _, ok := reg.byCode[ag.Parent]; !ok {
				add(ag.Code+".parent", "unknown parent %s", ag.Parent)
			}
		}
		if ag.FormerDistrict != "" {
			d, ok := reg.byCode[ag.FormerDistrict]
			switch {
			case !ok:
				add(ag.Code+".former_district", "unknown agency %s", ag.FormerDistrict)
			case d.Tier != motcua.TierDistrict:
				add(ag.Code+".former_district", "%s is not a district", d.Code)
			case d.ValidTo == nil || !d.ValidTo.AddDate(0, 0, 1).Equal(ag.ValidFrom):
				add(ag.Code+".former_district", "%s must end the day before %s begins", d.Code, ag.Code)
			case d.Successor != "":
				add(ag.Code+".former_district", "%s has a successor; its competence does not go to communes", d.Code)
			}
		}
		if ag.Successor != "" {
			if _, ok := reg.byCode[ag.Successor]; !ok {
				add(ag.Code+".successor", "unknown successor %s", ag.Successor)
			} else if successorCycle(reg, ag) {
				add(ag.Code+".successor", "successors lead back to %s", ag.Code)
			}
		}
	}
	if len(ps) > 0 {
		return nil, ps
	}
	slices.SortFunc(reg.all, func(a, b *Agency) int { return strings.Compare(a.Code, b.Code) })
	return reg, nil
}

func successorCycle(reg *Agencies, start *Agency) bool {
	seen := map[string]bool{start.Code: true}
	for ag := reg.byCode[start.Successor]; ag != nil; ag = reg.byCode[ag.Successor] {
		if seen[ag.Code] {
			return true
		}
		seen[ag.Code] = true
	}
	return false
}

func validTier(t string) bool {
	return t == motcua.TierProvince || t == motcua.TierDistrict || t == motcua.TierCommune
}

//go:embed agencies.yaml
var agenciesYAML []byte

//go:embed competence.yaml
var competenceYAML []byte

var defaultAgencies = sync.OnceValue(func() *Agencies {
	reg, err := LoadAgencies(bytes.NewReader(agenciesYAML))
	if err != nil {
		panic("procedures: embedded agencies.yaml is broken:\n" + err.Error())
	}
	if reg.competence, err = LoadCompetence(bytes.NewReader(competenceYAML), reg); err != nil {
		panic("procedures: embedded competence.yaml is broken:\n" + err.Error())
	}
	return reg
})

// DefaultAgencies returns the embedded registry. It panics only if the
// embedded file is broken, which TestDefaultAgencies prevents.
func DefaultAgencies() *Agencies { return defaultAgencies() }
