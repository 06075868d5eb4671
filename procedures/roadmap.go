package procedures

import (
	"fmt"
	"time"

	"github.com/motcua/motcua"
)

// The roadmap: how many procedures the catalogue offered at each level on a
// date, from each definition's dated levels, against the seed's targets
// (section II.2.a: 100 procedures at levels 3–4 by 2015 and 1,000 by 2020;
// II.3: about 10, 40 and 50 services in 2013, 2014 and 2015; I.2: every
// procedure at level 2 or more by 2015).

// LevelOn is the level p was offered at on day (YYYY-MM-DD) and its online
// class (Decree 42/2022: level 4 is full, level 3 partial unless today's
// definition says full), or ok false when p was not offered yet or its
// definition has no dated levels. Feedback (phản ánh, kiến nghị) is no
// administrative procedure: the roadmap and Decision 766's procedure
// indicators leave it out.
func LevelOn(p *motcua.Procedure, day string) (level int, online string, ok bool) {
	if p.Shape == motcua.ShapeFeedback {
		return 0, "", false
	}
	for i := len(p.Levels) - 1; i >= 0; i-- {
		l := p.Levels[i]
		if l.Since > day {
			continue
		}
		switch {
		case i == len(p.Levels)-1 && l.Level >= 3:
			online = p.Online
		case l.Level == 4:
			online = motcua.OnlineFull
		case l.Level == 3:
			online = motcua.OnlinePartial
		}
		return l.Level, online, true
	}
	return 0, "", false
}

// RoadmapCount counts the procedures offered on a date.
type RoadmapCount struct {
	On      string `json:"on"`
	Offered int    `json:"offered"`
	// Levels[i] counts the procedures at level i+1.
	Levels  [4]int `json:"levels"`
	Level34 int    `json:"level_3_4"`
	Full    int    `json:"online_full"`
	Partial int    `json:"online_partial"`
	// Undated counts definitions without dated levels: left out.
	Undated int `json:"undated"`
}

// CountLevels counts ps on day.
func CountLevels(ps []*motcua.Procedure, day string) RoadmapCount {
	c := RoadmapCount{On: day}
	for _, p := range ps {
		if len(p.Levels) == 0 {
			c.Undated++
			continue
		}
		level, online, ok := LevelOn(p, day)
		if !ok {
			continue
		}
		c.Offered++
		c.Levels[level-1]++
		if level >= 3 {
			c.Level34++
		}
		switch online {
		case motcua.OnlineFull:
			c.Full++
		case motcua.OnlinePartial:
			c.Partial++
		}
	}
	return c
}

// Roadmap kinds of target.
const (
	TargetLevel34   = "level_3_4"   // so many procedures at level 3 or 4
	TargetAllLevel2 = "all_level_2" // every procedure offered at level 2 or more
)

// RoadmapTarget is one of the seed's targets and where the catalogue stood
// on its date, or on the day asked when that comes first.
type RoadmapTarget struct {
	By     string `json:"by"`
	Kind   string `json:"kind"`
	Target int    `json:"target"`
	// Actual is counted on Evaluated: By, or the day asked if earlier.
	Actual    int    `json:"actual"`
	Evaluated string `json:"evaluated_on"`
	Met       bool   `json:"met"`
	Basis     string `json:"basis"`
}

// Roadmap is the catalogue's levels on a day and the seed's targets.
type Roadmap struct {
	RoadmapCount
	Targets []RoadmapTarget `json:"targets"`
}

// RoadmapOn counts ps on day and evaluates the seed's targets. The targets
// count the whole province's procedures (2,639 in 2013), of which the
// catalogue holds a part: they show the direction, not a verdict on the
// province.
func RoadmapOn(ps []*motcua.Procedure, day time.Time) Roadmap {
	on := day.In(vietnam).Format(time.DateOnly)
	r := Roadmap{RoadmapCount: CountLevels(ps, on)}
	seed := Seed()
	at := func(by string) RoadmapCount {
		if by > on {
			return r.RoadmapCount
		}
		return CountLevels(ps, by)
	}
	cumulative := 0
	for _, y := range seed.Roadmap.Rollout {
		cumulative += y.Services
		by := fmt.Sprintf("%d-12-31", y.Year)
		c := at(by)
		r.Targets = append(r.Targets, RoadmapTarget{By: by, Kind: TargetLevel34, Target: cumulative, Actual: c.Level34,
			Evaluated: c.On, Met: c.Level34 >= cumulative,
			Basis: fmt.Sprintf("Kế hoạch 2013–2015, mục II.3: khoảng %d dịch vụ năm %d (cộng dồn %d)", y.Services, y.Year, cumulative)})
	}
	for _, t := range []struct {
		year, n int
		basis   string
	}{
		{2015, seed.Roadmap.Level34By2015, "Kế hoạch 2013–2015, mục II.2.a: 100 thủ tục mức độ 3, 4 đến năm 2015"},
		{2020, seed.Roadmap.Level34By2020, "Kế hoạch 2013–2015, mục II.2.a: 1.000 thủ tục mức độ 3, 4 đến năm 2020"},
	} {
		by := fmt.Sprintf("%d-12-31", t.year)
		c := at(by)
		r.Targets = append(r.Targets, RoadmapTarget{By: by, Kind: TargetLevel34, Target: t.n, Actual: c.Level34,
			Evaluated: c.On, Met: c.Level34 >= t.n, Basis: t.basis})
	}
	c := at("2015-12-31")
	atLeast2 := c.Offered - c.Levels[0]
	r.Targets = append(r.Targets, RoadmapTarget{By: "2015-12-31", Kind: TargetAllLevel2, Target: c.Offered, Actual: atLeast2,
		Evaluated: c.On, Met: atLeast2 == c.Offered,
		Basis: "Kế hoạch 2013–2015, mục I.2: đến năm 2015, 100% dịch vụ hành chính công trực tuyến mức độ 2 trở lên (sở, ngành, huyện)"})
	return r
}
