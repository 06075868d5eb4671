package procedures

import (
	_ "embed"
	"fmt"
	"slices"
	"sync"

	"go.yaml.in/yaml/v3"

	"github.com/motcua/motcua"
)

// LifeEvent groups procedures by what happens in a person's or a
// business's life (sinh con, kết hôn, mở doanh nghiệp, xây nhà), as the
// national portal does.
type LifeEvent struct {
	Code       string      `yaml:"code" json:"code"`
	Name       motcua.Text `yaml:"name" json:"name"`
	Procedures []string    `yaml:"procedures" json:"-"`
	// Queries find entries imported from the national database, whose
	// codes this file cannot know: each one's first result.
	Queries []string `yaml:"queries" json:"-"`
}

//go:embed life_events.yaml
var lifeEventsYAML []byte

var lifeEvents = sync.OnceValues(func() ([]LifeEvent, error) {
	var evs []LifeEvent
	if err := yaml.Unmarshal(lifeEventsYAML, &evs); err != nil {
		return nil, fmt.Errorf("life_events.yaml: %w", err)
	}
	return evs, nil
})

// LifeEvents lists the life events.
func LifeEvents() []LifeEvent {
	evs, err := lifeEvents()
	if err != nil {
		panic(err) // embedded: TestLifeEvents reads it
	}
	return slices.Clone(evs)
}

// EventProcedures are the procedures of the catalogue an event leads to,
// in the event's order; nil for an unknown event.
func (c *Catalog) EventProcedures(event string) []*motcua.Procedure {
	evs := LifeEvents()
	i := slices.IndexFunc(evs, func(e LifeEvent) bool { return e.Code == event })
	if i < 0 {
		return nil
	}
	var out []*motcua.Procedure
	add := func(p *motcua.Procedure) {
		if p != nil && !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	for _, code := range evs[i].Procedures {
		p, _ := c.Get(code)
		add(p)
	}
	for _, q := range evs[i].Queries {
		if hits := c.Search(Query{Text: q, Limit: 1}); len(hits) > 0 {
			add(hits[0])
		}
	}
	return out
}

// Facet is a value to browse by and how many procedures have it.
type Facet struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// Fields are the fields (lĩnh vực) of the catalogue with their counts, by
// name.
func (c *Catalog) Fields() []Facet {
	counts := map[string]int{}
	for _, p := range c.All() {
		if p.Field != "" {
			counts[p.Field]++
		}
	}
	out := make([]Facet, 0, len(counts))
	for f, n := range counts {
		out = append(out, Facet{f, n})
	}
	slices.SortFunc(out, func(a, b Facet) int { return compareFolded(a.Value, b.Value) })
	return out
}

func compareFolded(a, b string) int {
	fa, fb := Fold(a), Fold(b)
	switch {
	case fa < fb:
		return -1
	case fa > fb:
		return 1
	}
	return 0
}
