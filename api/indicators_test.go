package api

import (
	"reflect"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/procedures"
)

// TestOpenAPIIndicatorSchemas compares the indicator and roadmap schemas
// with the JSON fields of their Go types, as TestOpenAPISchemasMatchGoTypes
// does for the others: a field is required exactly when always sent.
func TestOpenAPIIndicatorSchemas(t *testing.T) {
	doc := loadOpenAPI(t)
	for name, v := range map[string]any{
		"IndicatorReport": motcua.IndicatorReport{}, "IndicatorScope": motcua.IndicatorScope{}, "IndicatorScore": motcua.IndicatorScore{},
		"Indicator": motcua.Indicator{}, "IndicatorGroup": motcua.IndicatorGroup{}, "Roadmap": procedures.Roadmap{},
		"RoadmapTarget": procedures.RoadmapTarget{}, "LevelSince": motcua.LevelSince{},
	} {
		ref := doc.Components.Schemas[name]
		if ref == nil {
			t.Errorf("no schema %s", name)
			continue
		}
		props, required := schemaFields(ref.Value)
		fields := jsonFields(reflect.TypeOf(v))
		for f, omitempty := range fields {
			switch {
			case !props[f]:
				t.Errorf("%s: Go field %q is not a property of the schema", name, f)
			case !omitempty && !required[f]:
				t.Errorf("%s: %q is always sent but not required", name, f)
			case omitempty && required[f]:
				t.Errorf("%s: %q is omitted when empty but required", name, f)
			}
		}
		for p := range props {
			if _, ok := fields[p]; !ok {
				t.Errorf("%s: property %q is not a JSON field of %T", name, p, v)
			}
		}
	}
}

func TestParseIndicatorPeriod(t *testing.T) {
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, calendar.Location)
	for _, tt := range []struct {
		name, from, to string
		bad            bool
	}{
		{"", "2026-01-01", "2026-11-27", false},
		{"2025", "2025-01-01", "2025-12-31", false},
		{"2026-Q1", "2026-01-01", "2026-03-31", false},
		{"2025-Q4", "2025-10-01", "2025-12-31", false},
		{"2024-02", "2024-02-01", "2024-02-29", false},
		{"2026-11", "2026-11-01", "2026-11-27", false},
		{"2026-12", "", "", true}, // not begun
		{"2026-Q5", "", "", true},
		{"2026-13", "", "", true},
		{"26", "", "", true},
	} {
		p, err := ParseIndicatorPeriod(tt.name, now)
		if tt.bad {
			if err == nil {
				t.Errorf("%q: no error", tt.name)
			}
			continue
		}
		if err != nil || p.From.Format(time.DateOnly) != tt.from || p.To.Format(time.DateOnly) != tt.to {
			t.Errorf("%q: %s..%s, %v; want %s..%s", tt.name, p.From.Format(time.DateOnly), p.To.Format(time.DateOnly), err, tt.from, tt.to)
		}
	}
}
