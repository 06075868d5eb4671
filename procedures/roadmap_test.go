package procedures_test

import (
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/procedures"
)

// TestRoadmapCatalogue counts the embedded catalogue's levels on a few
// dates. The numbers are counted by hand from the definitions' levels:
// lists (the seed's table puts 15 definitions online in 2013, 27 more and
// the 2013 level-3 ones at level 4 in 2014, 12 more in 2015; three others
// are at level 2 from 2015, two of them at level 3 from July 2025).
func TestRoadmapCatalogue(t *testing.T) {
	cat, err := procedures.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		day                             string
		offered                         int
		levels                          [4]int
		level34, full, partial, undated int
	}{
		{"2013-06-01", 0, [4]int{}, 0, 0, 0, 0},
		{"2013-12-31", 15, [4]int{0, 0, 8, 7}, 15, 7, 8, 0},
		{"2014-06-30", 15, [4]int{0, 0, 8, 7}, 15, 7, 8, 0},
		{"2014-12-31", 42, [4]int{0, 0, 0, 42}, 42, 42, 0, 0},
		{"2015-12-31", 57, [4]int{0, 3, 0, 54}, 54, 54, 0, 0},
		{"2025-06-30", 57, [4]int{0, 3, 0, 54}, 54, 54, 0, 0},
		{"2025-07-01", 57, [4]int{0, 1, 2, 54}, 56, 54, 2, 0},
	}
	for _, tt := range tests {
		c := procedures.CountLevels(cat.All(), tt.day)
		want := procedures.RoadmapCount{On: tt.day, Offered: tt.offered, Levels: tt.levels, Level34: tt.level34,
			Full: tt.full, Partial: tt.partial, Undated: tt.undated}
		if c != want {
			t.Errorf("%s: got %+v, want %+v", tt.day, c, want)
		}
	}
	for _, p := range cat.All() {
		if len(p.Levels) == 0 {
			t.Errorf("%s has no levels: (the roadmap's dated levels, right after level:)", p.Code)
		}
	}
	// Today's count is every administrative procedure at its level: line;
	// feedback is none.
	today := procedures.CountLevels(cat.All(), "2999-01-01")
	var levels [4]int
	procs := 0
	for _, p := range cat.All() {
		if p.Shape != motcua.ShapeFeedback {
			levels[p.Level-1]++
			procs++
		}
	}
	if today.Levels != levels || today.Offered != procs || procs != len(cat.All())-1 {
		t.Errorf("far in the future the levels are %v of %d, want the level: lines' %v of %d", today.Levels, today.Offered, levels, procs)
	}
}

// TestRoadmapTargets checks the seed's targets against the catalogue on a
// day after them all and on a day before the 2014 target.
func TestRoadmapTargets(t *testing.T) {
	cat, err := procedures.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	day := func(s string) time.Time {
		d, _ := time.Parse(time.DateOnly, s)
		return d.Add(12 * time.Hour)
	}
	type key struct{ by, kind string }
	want := map[key]procedures.RoadmapTarget{
		{"2013-12-31", procedures.TargetLevel34}:   {Target: 10, Actual: 15, Evaluated: "2013-12-31", Met: true},
		{"2014-12-31", procedures.TargetLevel34}:   {Target: 50, Actual: 42, Evaluated: "2014-12-31", Met: false},
		{"2015-12-31", procedures.TargetLevel34}:   {Target: 100, Actual: 54, Evaluated: "2015-12-31", Met: false},
		{"2020-12-31", procedures.TargetLevel34}:   {Target: 1000, Actual: 54, Evaluated: "2020-12-31", Met: false},
		{"2015-12-31", procedures.TargetAllLevel2}: {Target: 57, Actual: 57, Evaluated: "2015-12-31", Met: true},
	}
	r := procedures.RoadmapOn(cat.All(), day("2026-01-15"))
	if len(r.Targets) != 6 { // 2015 appears twice: the rollout's sum and section II.2.a
		t.Fatalf("%d targets, want 6: %+v", len(r.Targets), r.Targets)
	}
	for _, got := range r.Targets {
		w, ok := want[key{got.By, got.Kind}]
		if !ok {
			t.Errorf("unexpected target %+v", got)
			continue
		}
		if got.Target != w.Target || got.Actual != w.Actual || got.Evaluated != w.Evaluated || got.Met != w.Met || got.Basis == "" {
			t.Errorf("target %s %s = %+v, want %+v and a basis", got.By, got.Kind, got, w)
		}
	}
	// Before the 2014 target's date it is evaluated on the day asked.
	early := procedures.RoadmapOn(cat.All(), day("2014-06-30"))
	for _, got := range early.Targets {
		if got.By > "2014-06-30" && (got.Evaluated != "2014-06-30" || got.Actual != 15) && got.Kind == procedures.TargetLevel34 {
			t.Errorf("target %s evaluated on %s with %d, want on 2014-06-30 with 15", got.By, got.Evaluated, got.Actual)
		}
	}
}

// TestLevelOnOnline: today's entry takes the definition's online class;
// earlier ones are full at level 4 and partial at level 3.
func TestLevelOnOnline(t *testing.T) {
	p := &motcua.Procedure{Level: 3, Online: motcua.OnlineFull, Levels: []motcua.LevelSince{
		{Since: "2013-12-31", Level: 3}, {Since: "2014-12-31", Level: 2}, {Since: "2020-01-01", Level: 3}}}
	for _, tt := range []struct {
		day    string
		level  int
		online string
		ok     bool
	}{
		{"2013-12-30", 0, "", false},
		{"2013-12-31", 3, motcua.OnlinePartial, true},
		{"2015-01-01", 2, "", true},
		{"2020-01-01", 3, motcua.OnlineFull, true},
	} {
		level, online, ok := procedures.LevelOn(p, tt.day)
		if level != tt.level || online != tt.online || ok != tt.ok {
			t.Errorf("%s: %d %q %v, want %d %q %v", tt.day, level, online, ok, tt.level, tt.online, tt.ok)
		}
	}
}
