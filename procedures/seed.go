package procedures

import (
	"bytes"
	_ "embed"
	"slices"
	"sync"

	"go.yaml.in/yaml/v3"
)

// SeedFacts are the numbers and the priority table of the seed: the 2013
// decision of Quảng Nam's People's Committee approving its plan for online
// public services 2013–2015 (sections II.2.a, II.2.b, II.3 and III). They are
// the baseline that statistics and roadmap reports compare against.
type SeedFacts struct {
	Source     string         `yaml:"source" json:"source"`
	Districts  int            `yaml:"districts" json:"districts"` // huyện, thành phố
	Communes   int            `yaml:"communes" json:"communes"`   // xã, phường, thị trấn
	Procedures SeedProcedures `yaml:"procedures" json:"procedures"`
	Roadmap    SeedRoadmap    `yaml:"roadmap" json:"roadmap"`
	Priority   SeedPriority   `yaml:"priority" json:"priority"`
}

// SeedProcedures counts the administrative procedures of the province in 2013.
type SeedProcedures struct {
	Total    int `yaml:"total" json:"total"`
	Province int `yaml:"province" json:"province"`
	District int `yaml:"district" json:"district"`
	Commune  int `yaml:"commune" json:"commune"`
}

// SeedRoadmap is the plan's target: procedures at levels 3–4 by 2015 and
// 2020, and the services and budget planned per year.
type SeedRoadmap struct {
	Level34By2015  int           `yaml:"level34_by_2015" json:"level34_by_2015"`
	Level34By2020  int           `yaml:"level34_by_2020" json:"level34_by_2020"`
	Rollout        []SeedRollout `yaml:"rollout" json:"rollout"`
	BudgetTotalVND int64         `yaml:"budget_total_vnd" json:"budget_total_vnd"`
}

// SeedRollout is one year of the plan (section II.3: "about" so many
// services; section III: the construction budget).
type SeedRollout struct {
	Year      int   `yaml:"year" json:"year"`
	Services  int   `yaml:"services" json:"services"`
	BudgetVND int64 `yaml:"budget_vnd" json:"budget_vnd"`
}

// SeedPriority is the priority table of section II.2.b, and the priorities
// section I.2 names that the table does not list.
type SeedPriority struct {
	Counts map[int]int `yaml:"counts" json:"counts"` // rows per year
	Rows   []SeedRow   `yaml:"rows" json:"rows"`
	Others []SeedOther `yaml:"others" json:"others"`
}

// SeedOther is a priority of section I.2 outside the table ("cấp giấy đăng
// ký ô tô, xe máy") and the definitions that implement it.
type SeedOther struct {
	Section string   `yaml:"section" json:"section"`
	Name    string   `yaml:"name" json:"name"`
	Codes   []string `yaml:"codes" json:"codes"`
}

// SeedRow is one row of the priority table and the definitions that
// implement it. Name, Levels and Agency are as the seed writes them; Lead is
// the registry code of the lead agency, empty when the row is offered by every
// district (DistrictWide).
type SeedRow struct {
	Year         int      `yaml:"year" json:"year"`
	No           int      `yaml:"no" json:"no"`
	Name         string   `yaml:"name" json:"name"`
	Levels       []int    `yaml:"levels" json:"levels"`
	Agency       string   `yaml:"agency" json:"agency"`
	Lead         string   `yaml:"lead,omitempty" json:"lead,omitempty"`
	DistrictWide bool     `yaml:"district_wide,omitempty" json:"district_wide,omitempty"`
	Codes        []string `yaml:"codes" json:"codes"`
	// Note says why the definitions are not the procedure the seed names,
	// when they are not (the law changed since 2013).
	Note string `yaml:"note,omitempty" json:"note,omitempty"`
}

// Level is the highest level the row names.
func (r SeedRow) Level() int { return slices.Max(r.Levels) }

// RowsFor returns the rows a definition implements, in table order.
func (s SeedFacts) RowsFor(code string) []SeedRow {
	var out []SeedRow
	for _, r := range s.Priority.Rows {
		if slices.Contains(r.Codes, code) {
			out = append(out, r)
		}
	}
	return out
}

//go:embed seed.yaml
var seedYAML []byte

var seedFacts = sync.OnceValue(func() SeedFacts {
	var s SeedFacts
	dec := yaml.NewDecoder(bytes.NewReader(seedYAML))
	dec.KnownFields(true)
	if err := dec.Decode(&s); err != nil {
		panic("procedures: embedded seed.yaml is broken: " + err.Error())
	}
	return s
})

// Seed returns the seed's facts. It panics only if the embedded file is
// broken, which TestSeed prevents. The result is a copy: callers may change it.
func Seed() SeedFacts {
	s := seedFacts()
	s.Roadmap.Rollout = slices.Clone(s.Roadmap.Rollout)
	counts := make(map[int]int, len(s.Priority.Counts))
	for y, n := range s.Priority.Counts {
		counts[y] = n
	}
	s.Priority.Counts = counts
	rows := make([]SeedRow, len(s.Priority.Rows))
	for i, r := range s.Priority.Rows {
		r.Levels = slices.Clone(r.Levels)
		r.Codes = slices.Clone(r.Codes)
		rows[i] = r
	}
	s.Priority.Rows = rows
	others := make([]SeedOther, len(s.Priority.Others))
	for i, o := range s.Priority.Others {
		o.Codes = slices.Clone(o.Codes)
		others[i] = o
	}
	s.Priority.Others = others
	return s
}
