package store

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/calendar"
)

// indicatorCase is a case of March 2026 as its workflow last recorded it.
type indicatorCase struct {
	code, agency, channel string
	end                   string // on_time, late, rejected, withdrawn, open
	paid                  string // "", online or counter
	rating                int    // 0: none
}

// seedIndicators records the cases and their ratings.
func seedIndicators(t *testing.T, db *DB, cases []indicatorCase) {
	t.Helper()
	ctx := context.Background()
	submitted := time.Date(2026, 3, 2, 9, 0, 0, 0, calendar.Location)
	for _, ic := range cases {
		c := newCase(ic.code, ic.agency, "079201000001", submitted)
		c.Channel = ic.channel
		if strings.HasPrefix(ic.code, "PAKN") {
			c.Procedure.Code, c.Procedure.Shape = motcua.ProcedureFeedback, motcua.ShapeFeedback
		}
		received := submitted.Add(time.Hour)
		due := time.Date(2026, 3, 16, 17, 0, 0, 0, calendar.Location)
		c.ReceivedAt, c.DueAt = &received, &due
		c.Status, c.Version = motcua.StatusInReview, 2
		if ic.paid != "" {
			method := motcua.PaymentCounter
			if ic.paid == "online" {
				method = motcua.PaymentOnline
			}
			c.Payments = []motcua.Payment{{ID: "P-" + ic.code, Amount: 50000, Method: method, Status: motcua.PaymentPaid, At: received}}
		}
		closed := time.Date(2026, 3, 20, 10, 0, 0, 0, calendar.Location)
		switch ic.end {
		case "on_time", "late":
			issued := time.Date(2026, 3, 13, 10, 0, 0, 0, calendar.Location)
			if ic.end == "late" {
				issued = time.Date(2026, 3, 18, 10, 0, 0, 0, calendar.Location)
			}
			c.Result = &motcua.Result{Type: "licence", Name: "Giấy phép", IssuedAt: issued}
			c.Status, c.ClosedAt = motcua.StatusCompleted, &closed
		case "rejected":
			c.Status, c.ClosedAt = motcua.StatusRejected, &closed
		case "withdrawn":
			c.Status, c.ClosedAt = motcua.StatusWithdrawn, &closed
		case "overdue":
			c.Overdue = true
		}
		ev := motcua.Event{Seq: c.Version, At: closed, Action: motcua.ActionSubmit, Status: c.Status, Actor: motcua.ActorRef{Kind: motcua.KindSystem}}
		if err := db.RecordCase(ctx, c, []motcua.Event{ev}); err != nil {
			t.Fatalf("record %s: %v", ic.code, err)
		}
		if ic.rating > 0 {
			r := motcua.Rating{Overall: ic.rating, TimeKept: ic.rating, Attitude: ic.rating, Guidance: ic.rating, Fees: ic.rating}
			if _, _, err := db.SaveRating(ctx, ic.code, r, closed.Add(time.Hour)); err != nil {
				t.Fatalf("rate %s: %v", ic.code, err)
			}
		}
	}
}

// TestIndicatorFormulas computes Decision 766's indicators from the
// statistics of a seeded set of cases, for one agency and for the
// province, against numbers counted by hand.
func TestIndicatorFormulas(t *testing.T) {
	db := MustOpenDB(t, Postgres)
	seedIndicators(t, db, []indicatorCase{
		{"SKHDT-1", "SKHDT", "online", "on_time", "online", 5},
		{"SKHDT-2", "SKHDT", "online", "on_time", "counter", 2},
		{"SKHDT-3", "SKHDT", "counter", "late", "counter", 4},
		{"SKHDT-4", "SKHDT", "counter", "rejected", "", 1},
		{"SKHDT-5", "SKHDT", "online", "open", "", 0},
		{"STP-1", "STP", "online", "on_time", "online", 5},
		{"STP-2", "STP", "counter", "withdrawn", "", 0},
		{"STP-3", "STP", "online", "late", "", 0},
		// Feedback: answered on time, answered late, past its deadline,
		// not yet due (5.1); none counts in the procedure indicators.
		{"PAKN-1", "SKHDT", "online", "on_time", "", 0},
		{"PAKN-2", "SKHDT", "online", "late", "", 0},
		{"PAKN-3", "STP", "online", "overdue", "", 0},
		{"PAKN-4", "STP", "online", "open", "", 0},
	})
	march := motcua.StatsQuery{From: time.Date(2026, 3, 1, 0, 0, 0, 0, calendar.Location),
		To: time.Date(2026, 3, 31, 0, 0, 0, 0, calendar.Location), Period: motcua.PeriodAll}
	type fraction struct {
		num, den int64
		points   float64 // -1: not scored
	}
	tests := []struct {
		name   string
		agency string
		// The catalogue's part (4.1, 4.2) is given: offered, online, online used.
		offer [3]int
		want  map[string]fraction
	}{
		{"agency", "SKHDT", [3]int{10, 4, 1}, map[string]fraction{
			"2.1": {2, 3, 20 * 2.0 / 3},   // on time 1, 2; late 3
			"4.1": {4, 10, 5.5 * 0.4},     // given
			"4.2": {1, 4, 5.5 * 0.25},     // given
			"4.3": {3, 5, 5.5 * 0.6},      // online 1, 2, 5 of 5
			"4.4": {1, 3, 5.5 / 3},        // paid 1 (online), 2, 3
			"5.1": {1, 2, 6 * 0.5},        // PAKN-1 on time, PAKN-2 late
			"5.3": {2, 4, 6 * 0.5 / 0.95}, // ended 1–4; rated 2 and 1 are dissatisfied; 2026's target 95%
		}},
		{"province", "", [3]int{57, 56, 0}, map[string]fraction{
			"2.1": {3, 5, 20 * 0.6},
			"4.1": {56, 57, 5.5 * 56 / 57},
			"4.2": {0, 56, 0},
			"4.3": {5, 8, 5.5 * 5 / 8},
			"4.4": {2, 4, 5.5 * 0.5},
			"5.1": {1, 3, 6.0 / 3},              // on time 1; late 1; past its deadline 1; PAKN-4 not yet due
			"5.3": {5, 7, 6 * (5.0 / 7) / 0.95}, // ended: 5 results, a rejection, a withdrawal
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := march
			q.Agency = tt.agency
			rows, err := db.Stats(context.Background(), q)
			if err != nil || len(rows) != 1 {
				t.Fatalf("stats: %v, %d rows", err, len(rows))
			}
			q.Procedure = motcua.ProcedureFeedback
			fb, err := db.Stats(context.Background(), q)
			if err != nil || len(fb) != 1 {
				t.Fatalf("feedback stats: %v, %d rows", err, len(fb))
			}
			scores := motcua.ScoreIndicators(motcua.IndicatorInput{Stats: rows[0], Feedback: fb[0], Offered: tt.offer[0],
				Online: tt.offer[1], OnlineUsed: tt.offer[2], On: march.To})
			if len(scores) != len(motcua.Indicators) {
				t.Fatalf("%d scores for %d indicators", len(scores), len(motcua.Indicators))
			}
			for _, s := range scores {
				w, computed := tt.want[s.Code]
				if !computed {
					if s.Rate != nil || s.Score != nil || s.Computed {
						t.Errorf("%s is not computed from our data, got rate %v", s.Code, s.Rate)
					}
					if s.Why == nil || s.Why.Vi == "" || s.Why.En == "" {
						t.Errorf("%s says not why it is not computed", s.Code)
					}
					continue
				}
				if s.Numerator != w.num || s.Denominator != w.den || s.Rate == nil || s.Score == nil {
					t.Errorf("%s = %d/%d, want %d/%d", s.Code, s.Numerator, s.Denominator, w.num, w.den)
					continue
				}
				if math.Abs(*s.Score-w.points) > 1e-9 || math.Abs(*s.Rate-float64(w.num)/float64(w.den)) > 1e-9 {
					t.Errorf("%s scores %.4f (rate %.4f), want %.4f", s.Code, *s.Score, *s.Rate, w.points)
				}
			}
		})
	}
}

// TestIndicatorPoints: the groups' points add up to 100 and each group's
// indicators to the group's points; a rate with nothing to count scores
// nothing; satisfaction above the target scores no more than full points.
func TestIndicatorPoints(t *testing.T) {
	var total float64
	for _, g := range motcua.IndicatorGroups {
		total += g.Points
		var sum float64
		for _, ind := range motcua.Indicators {
			if ind.Group == g.Code {
				sum += ind.Points
			}
		}
		if math.Abs(sum-g.Points) > 1e-9 {
			t.Errorf("group %s: indicators add up to %.2f, the group is worth %.0f", g.Code, sum, g.Points)
		}
	}
	if total != 100 {
		t.Errorf("groups add up to %.0f, want 100", total)
	}
	empty := motcua.ScoreIndicators(motcua.IndicatorInput{On: time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)})
	for _, s := range empty {
		if s.Rate != nil || s.Score != nil {
			t.Errorf("%s scored %v with nothing to count", s.Code, *s.Score)
		}
	}
	full := motcua.StatsRow{ResolvedOnTime: 19, Rejected: 1, Rated: 1, Ratings: [5]int64{1, 0, 0, 0, 0}}
	for _, s := range motcua.ScoreIndicators(motcua.IndicatorInput{Stats: full, On: time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)}) {
		if s.Code == "5.3" && (s.Score == nil || *s.Score != 6) { // 95% ≥ 2025's target of 90%
			t.Errorf("5.3 at 19/20 in 2025 scores %v, want the full 6", s.Score)
		}
	}
}
