package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/calendar"
)

// record is one RecordCase call as a case's workflow would make it.
type record struct {
	c      motcua.Case
	events []motcua.Event
}

// trajectory plays one random case through the standard shape and returns
// its records in order: returns and supplement requests, payments, an end
// by result (on time or late), rejection, withdrawal or cancellation, or
// still open (overdue or not).
func trajectory(rng *rand.Rand, n int, start time.Time) []record {
	agencies := []string{"SKHDT", "STP", "UBND-HA"}
	procs := []string{"dang-ky-kinh-doanh", "ly-lich-tu-phap", "cap-phep-xay-dung"}
	agency := agencies[rng.IntN(len(agencies))]
	c := newCase(fmt.Sprintf("%s-%s-%04d", agency, start.Format("060102"), n), agency, "0792010"+fmt.Sprintf("%05d", n), start)
	c.Procedure.Code = procs[rng.IntN(len(procs))]
	if rng.IntN(2) == 0 {
		c.Channel = motcua.ChannelCounter
	}
	c.Actions = nil
	var out []record
	at := start
	stepAt := func(t time.Time, a motcua.Action, s motcua.Status) {
		at = t
		c.Version++
		c.Status = s
		ev := motcua.Event{Seq: c.Version, At: at, Action: a, Status: s, Actor: motcua.ActorRef{Kind: motcua.KindSystem}, Agency: c.Agency}
		snap := *c
		snap.Pauses = slices.Clone(c.Pauses)
		snap.Payments = slices.Clone(c.Payments)
		out = append(out, record{c: snap, events: []motcua.Event{ev}})
	}
	step := func(a motcua.Action, s motcua.Status) {
		stepAt(at.Add(time.Duration(1+rng.IntN(72))*time.Hour), a, s)
	}
	step(motcua.ActionSubmit, motcua.StatusSubmitted)
	for rng.IntN(4) == 0 {
		step(motcua.ActionReturn, motcua.StatusAwaitingSupplement)
		step(motcua.ActionSupplement, motcua.StatusSubmitted)
	}
	switch rng.IntN(8) {
	case 0:
		closed := at.Add(time.Hour)
		c.ClosedAt = &closed
		step(motcua.ActionWithdraw, motcua.StatusWithdrawn)
		return out
	case 1:
		closed := at.Add(time.Hour)
		c.ClosedAt = &closed
		step(motcua.ActionReject, motcua.StatusRejected)
		return out
	}
	rec := at.Add(time.Hour)
	due := calendar.Default().After(rec, 1+rng.IntN(10))
	c.ReceivedAt, c.DueAt = &rec, &due
	step(motcua.ActionReceive, motcua.StatusInReview)
	if rng.IntN(4) == 0 {
		// Handed over to a successor (issue 13): received by the first,
		// resolved by the second.
		c.Agency = "STC"
		step(motcua.EventHandedOver, c.Status)
	}
	for rng.IntN(3) == 0 {
		from := at.Add(time.Hour)
		c.Pauses = append(c.Pauses, motcua.Pause{From: from})
		step(motcua.ActionRequestInfo, motcua.StatusAwaitingSupplement)
		if rng.IntN(5) == 0 {
			closed := at.Add(time.Hour)
			c.ClosedAt = &closed
			step(motcua.EventSupplementExpiry, motcua.StatusCancelled)
			return out
		}
		to := at.Add(time.Duration(1+rng.IntN(48)) * time.Hour)
		c.Pauses[len(c.Pauses)-1].To = &to
		stepAt(to, motcua.ActionSupplement, motcua.StatusInReview)
	}
	if rng.IntN(3) == 0 {
		c.Overdue = true
		step(motcua.EventOverdue, c.Status)
	}
	if rng.IntN(5) == 0 {
		return out // still open
	}
	if rng.IntN(2) == 0 {
		method := motcua.PaymentCounter
		if rng.IntN(2) == 0 {
			method = motcua.PaymentOnline
		}
		c.Payments = append(c.Payments, motcua.Payment{ID: "P-" + c.Code, Amount: 50000, Method: method, Status: motcua.PaymentPaid, At: at})
		step(motcua.ActionConfirmPayment, motcua.StatusAwaitingIssue)
	}
	issued := at.Add(time.Duration(1+rng.IntN(200)) * time.Hour)
	c.Result = &motcua.Result{Type: "licence", Name: "Giấy phép", IssuedAt: issued}
	step(motcua.ActionIssue, motcua.StatusResultReady)
	closed := at.Add(time.Hour)
	c.ClosedAt = &closed
	step(motcua.ActionDeliver, motcua.StatusCompleted)
	return out
}

// recount counts the statistics afresh from the read model's cases, their
// timelines, payments and ratings, without the facts or the sums.
func recount(t *testing.T, db *DB, codes []string) map[statsKey]*motcua.StatsRow {
	t.Helper()
	ctx := context.Background()
	cal := calendar.Default()
	out := map[statsKey]*motcua.StatsRow{}
	atAgency := func(day, agency string, c *motcua.Case) *motcua.StatsRow {
		k := statsKey{day, agency, c.Procedure.Code, c.Channel}
		if out[k] == nil {
			out[k] = &motcua.StatsRow{Period: day, Agency: agency, Procedure: c.Procedure.Code, Channel: c.Channel}
		}
		return out[k]
	}
	at := func(day string, c *motcua.Case) *motcua.StatsRow { return atAgency(day, c.Agency, c) }
	days := map[statsKey]int64{}
	for _, code := range codes {
		c, err := db.Case(ctx, code)
		if err != nil {
			t.Fatal(err)
		}
		// Received by the agency of the submission's timeline entry; open
		// at the agency holding it now.
		submittedDay := c.SubmittedAt.In(calendar.Location).Format(time.DateOnly)
		in := atAgency(submittedDay, c.Timeline[0].Agency, c)
		in.Received++
		if c.Channel == motcua.ChannelOnline {
			in.ReceivedOnline++
		}
		returned := false
		for _, e := range c.Timeline {
			switch e.Action {
			case motcua.ActionRequestInfo:
				in.Supplements++
			case motcua.ActionReturn:
				returned = true
			}
		}
		if returned {
			in.Returned++
		}
		for _, p := range c.Payments {
			if p.Status == motcua.PaymentPaid {
				in.Paid++
				if p.Method == motcua.PaymentOnline {
					in.PaidOnline++
				}
			}
		}
		var end time.Time
		var endRow *motcua.StatsRow
		switch {
		case c.Status == motcua.StatusWithdrawn, c.Status == motcua.StatusRejected, c.Status == motcua.StatusCancelled:
			end = *c.ClosedAt
			endRow = at(end.In(calendar.Location).Format(time.DateOnly), c)
			*map[motcua.Status]*int64{motcua.StatusWithdrawn: &endRow.Withdrawn, motcua.StatusRejected: &endRow.Rejected,
				motcua.StatusCancelled: &endRow.Cancelled}[c.Status]++
		case c.Result != nil:
			end = c.Result.IssuedAt
			endRow = at(end.In(calendar.Location).Format(time.DateOnly), c)
			if end.After(*c.DueAt) {
				endRow.ResolvedLate++
			} else {
				endRow.ResolvedOnTime++
			}
			taken := 0
			for d := calendar.StartOfDay(*c.ReceivedAt).AddDate(0, 0, 1); !d.After(end); d = d.AddDate(0, 0, 1) {
				paused := false
				for _, p := range c.Pauses {
					if d.After(calendar.StartOfDay(p.From)) && !d.After(*p.To) && !d.After(end) {
						paused = true
					}
				}
				if cal.IsWorkingDay(d) && !paused {
					taken++
				}
			}
			days[statsKey{endRow.Period, c.Agency, c.Procedure.Code, c.Channel}] += int64(taken)
		case c.Overdue:
			at(submittedDay, c).OpenOverdue++
		default:
			at(submittedDay, c).OpenOnTime++
		}
		if r, err := db.Rating(ctx, code); err == nil {
			endRow.Rated++
			endRow.Ratings[r.Overall-1]++
		}
	}
	for k, r := range out {
		resolved := r.ResolvedOnTime + r.ResolvedLate
		if resolved > 0 {
			avg := float64(days[k]) / float64(resolved)
			r.AvgDays = &avg
		}
	}
	return out
}

// The sums equal a recount after a random mix of records, each applied
// one to three times and in shuffled order (retried and late activities,
// replays), and ratings given and changed.
func TestStatsEqualRecount(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		rng := rand.New(rand.NewPCG(14, uint64(len(db.dialect))))
		var (
			records [][]record
			codes   []string
		)
		start := time.Date(2026, 1, 5, 1, 0, 0, 0, time.UTC)
		for i := range 120 {
			tr := trajectory(rng, i, start.Add(time.Duration(rng.IntN(60*24))*time.Hour))
			records = append(records, tr)
			codes = append(codes, tr[0].c.Code)
		}
		// The first record of each case first (the row must exist), then
		// every record in random order, some twice or three times, from
		// four writers at once.
		var queue []record
		for _, tr := range records {
			if err := db.RecordCase(ctx, &tr[0].c, tr[0].events); err != nil {
				t.Fatal(err)
			}
			for _, r := range tr {
				for range 1 + rng.IntN(3) {
					queue = append(queue, r)
				}
			}
		}
		rng.Shuffle(len(queue), func(i, j int) { queue[i], queue[j] = queue[j], queue[i] })
		var wg sync.WaitGroup
		errs := make(chan error, 4)
		for w := range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := w; i < len(queue); i += 4 {
					if err := db.RecordCase(ctx, &queue[i].c, queue[i].events); err != nil {
						errs <- err
						return
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		// Ratings of closed cases, some changed.
		for _, tr := range records {
			last := tr[len(tr)-1].c
			if !last.Status.Final() || rng.IntN(2) == 0 {
				continue
			}
			for range 1 + rng.IntN(2) {
				r := motcua.Rating{Overall: 1 + rng.IntN(5), TimeKept: 1 + rng.IntN(5), Attitude: 1 + rng.IntN(5), Guidance: 1 + rng.IntN(5), Fees: 1 + rng.IntN(5)}
				if _, _, err := db.SaveRating(ctx, last.Code, r, time.Now()); err != nil {
					t.Fatal(err)
				}
			}
		}
		want := recount(t, db, codes)
		got, err := db.Stats(ctx, motcua.StatsQuery{From: start.AddDate(0, -1, 0), To: start.AddDate(0, 6, 0), Period: motcua.PeriodDay,
			By: []string{motcua.ByAgency, motcua.ByProcedure, motcua.ByChannel}})
		if err != nil {
			t.Fatal(err)
		}
		gotBy := map[statsKey]motcua.StatsRow{}
		for _, r := range got {
			gotBy[statsKey{r.Period, r.Agency, r.Procedure, r.Channel}] = r
		}
		counted := func(r motcua.StatsRow) string {
			avg := "-"
			if r.AvgDays != nil {
				avg = fmt.Sprintf("%.3f", *r.AvgDays)
			}
			return fmt.Sprintf("in %d online %d ok %d late %d open %d/%d ret %d rej %d wd %d can %d sup %d paid %d/%d rated %d %v avg %s",
				r.Received, r.ReceivedOnline, r.ResolvedOnTime, r.ResolvedLate, r.OpenOnTime, r.OpenOverdue, r.Returned, r.Rejected,
				r.Withdrawn, r.Cancelled, r.Supplements, r.Paid, r.PaidOnline, r.Rated, r.Ratings, avg)
		}
		for k, w := range want {
			if g, want := counted(gotBy[k]), counted(*w); g != want {
				t.Errorf("%v:\n got  %s\n want %s", k, g, want)
			}
			delete(gotBy, k)
		}
		for k, g := range gotBy {
			if counted(g) != counted(motcua.StatsRow{}) {
				t.Errorf("%v counted but nothing there: %s", k, counted(g))
			}
		}
		all, err := db.Stats(ctx, motcua.StatsQuery{From: start.AddDate(0, -1, 0), To: start.AddDate(0, 6, 0), Period: motcua.PeriodYear})
		if err != nil || len(all) != 1 || all[0].Received != int64(len(codes)) {
			t.Fatalf("the year: %+v %v", all, err)
		}
		// Whole months come from the monthly sums, the rest from the
		// daily: both agree with the days added up.
		// Whole quarters come from the quarterly sums.
		for _, span := range [][2]time.Time{{start.AddDate(0, 0, 9), start.AddDate(0, 3, 4)}, {start.AddDate(0, 0, -4), start.AddDate(0, 2, -5)},
			{time.Date(2026, 2, 1, 0, 0, 0, 0, calendar.Location), time.Date(2026, 3, 31, 0, 0, 0, 0, calendar.Location)},
			{time.Date(2026, 1, 1, 0, 0, 0, 0, calendar.Location), time.Date(2026, 6, 30, 0, 0, 0, 0, calendar.Location)},
			{time.Date(2026, 2, 10, 0, 0, 0, 0, calendar.Location), time.Date(2026, 7, 15, 0, 0, 0, 0, calendar.Location)},
			{time.Date(2025, 12, 31, 0, 0, 0, 0, calendar.Location), time.Date(2026, 4, 1, 0, 0, 0, 0, calendar.Location)}} {
			sum := motcua.StatsRow{Period: "all", Agency: "STP"}
			for k, w := range want {
				if k.Agency == "STP" && k.Day >= statsDay(span[0]) && k.Day <= statsDay(span[1]) {
					sum.Received += w.Received
					sum.ResolvedOnTime += w.ResolvedOnTime
					sum.ResolvedLate += w.ResolvedLate
					sum.Rated += w.Rated
					sum.Supplements += w.Supplements
					sum.Withdrawn += w.Withdrawn
				}
			}
			got, err := db.Stats(ctx, motcua.StatsQuery{From: span[0], To: span[1], Period: motcua.PeriodAll, Agency: "STP", By: []string{motcua.ByAgency}})
			if err != nil || len(got) != 1 {
				t.Fatalf("%v: %+v %v", span, got, err)
			}
			g := got[0]
			if g.Received != sum.Received || g.ResolvedOnTime != sum.ResolvedOnTime || g.ResolvedLate != sum.ResolvedLate ||
				g.Rated != sum.Rated || g.Supplements != sum.Supplements || g.Withdrawn != sum.Withdrawn {
				t.Errorf("%v: got %+v, days add up to %+v", span, g, sum)
			}
		}
	})
}
