package calendar

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"time"

	"go.yaml.in/yaml/v3"
)

// file mirrors vn.yaml; its header comment documents the format.
type file struct {
	Years map[int]yearSection `yaml:"years"`
}

type yearSection struct {
	Status         string    `yaml:"status"`
	Source         string    `yaml:"source"`
	Holidays       []holiday `yaml:"holidays"`
	Compensatory   []noted   `yaml:"compensatory"`
	MakeupWorkdays []noted   `yaml:"makeup_workdays"`
}

type holiday struct {
	Date string `yaml:"date"`
	Name string `yaml:"name"`
}

type noted struct {
	Date string `yaml:"date"`
	Note string `yaml:"note"`
}

func parse(r io.Reader) (*Calendar, error) {
	dec := yaml.NewDecoder(r)
	dec.KnownFields(true)
	var f file
	if err := dec.Decode(&f); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("empty file")
		}
		return nil, err
	}
	if len(f.Years) == 0 {
		return nil, errors.New("no years")
	}
	c := &Calendar{
		years: slices.Sorted(maps.Keys(f.Years)),
		off:   map[day]bool{},
		work:  map[day]bool{},
	}
	for _, y := range c.years {
		if err := c.addYear(y, f.Years[y]); err != nil {
			return nil, fmt.Errorf("year %d: %w", y, err)
		}
	}
	return c, nil
}

func (c *Calendar) addYear(year int, s yearSection) error {
	if s.Status != "official" && s.Status != "projected" {
		return fmt.Errorf("status %q: want official or projected", s.Status)
	}
	if s.Source == "" {
		return errors.New("source is empty")
	}
	type item struct {
		key, date, label string
		list             string
	}
	var items []item
	for i, h := range s.Holidays {
		items = append(items, item{fmt.Sprintf("holidays[%d]", i), h.Date, h.Name, "holidays"})
	}
	for i, n := range s.Compensatory {
		items = append(items, item{fmt.Sprintf("compensatory[%d]", i), n.Date, n.Note, "compensatory"})
	}
	for i, n := range s.MakeupWorkdays {
		items = append(items, item{fmt.Sprintf("makeup_workdays[%d]", i), n.Date, n.Note, "makeup_workdays"})
	}

	seen := map[day]string{} // date -> key of the entry that listed it first
	for _, it := range items {
		t, err := time.Parse(time.DateOnly, it.date)
		if err != nil {
			return fmt.Errorf("%s %q: malformed date, want YYYY-MM-DD", it.key, it.date)
		}
		if t.Year() != year {
			return fmt.Errorf("%s %s: date is not in %d", it.key, it.date, year)
		}
		if it.label == "" {
			return fmt.Errorf("%s %s: missing name or note", it.key, it.date)
		}
		wd := t.Weekday()
		weekend := wd == time.Saturday || wd == time.Sunday
		// A weekend compensatory day or a weekday makeup day would be a no-op:
		// surely a typo in the date.
		switch {
		case it.list == "makeup_workdays" && !weekend:
			return fmt.Errorf("%s %s: a makeup workday must be a Saturday or Sunday, not a %s", it.key, it.date, wd)
		case it.list == "compensatory" && weekend:
			return fmt.Errorf("%s %s: a compensatory day off must be a weekday, not a %s", it.key, it.date, wd)
		}
		d := dayFromDate(t.Date())
		if first, dup := seen[d]; dup {
			return fmt.Errorf("%s %s: date listed twice (also %s)", it.key, it.date, first)
		}
		seen[d] = it.key
		if it.list == "makeup_workdays" {
			c.work[d] = true
		} else {
			c.off[d] = true
		}
	}
	return nil
}
