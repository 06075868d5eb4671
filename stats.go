package motcua

import (
	"context"
	"time"
)

// Statistics periods.
const (
	PeriodDay     = "day"
	PeriodMonth   = "month"
	PeriodQuarter = "quarter"
	PeriodYear    = "year"
	PeriodAll     = "all" // the whole range asked, one row per group
)

// Statistics dimensions a query may group by.
const (
	ByAgency    = "agency"
	ByProcedure = "procedure"
	ByChannel   = "channel"
)

// StatsQuery asks for the statistics of the days From..To (inclusive, dates
// in Asia/Ho_Chi_Minh), by Period and the dimensions in By, narrowed to
// one agency, procedure or channel when those are set.
type StatsQuery struct {
	From, To  time.Time
	Period    string
	By        []string
	Agency    string
	Procedure string
	Channel   string
}

// StatsRow is one group's numbers. Counts of cases received (and what
// became of them: still open on time or overdue, returned for supplement,
// supplement requests, payments) count by the day the case was submitted;
// counts of how cases ended (resolved on time or late, rejected,
// withdrawn, cancelled), working days taken and ratings count by the day
// the case ended. Shares and averages are nil where nothing was counted.
type StatsRow struct {
	Period    string `json:"period"`
	Agency    string `json:"agency,omitempty"`
	Procedure string `json:"procedure,omitempty"`
	Channel   string `json:"channel,omitempty"`

	Received       int64 `json:"received"`
	ReceivedOnline int64 `json:"received_online"`
	ResolvedOnTime int64 `json:"resolved_on_time"`
	ResolvedLate   int64 `json:"resolved_late"`
	OpenOnTime     int64 `json:"open_on_time"`
	OpenOverdue    int64 `json:"open_overdue"`
	Returned       int64 `json:"returned"`
	Rejected       int64 `json:"rejected"`
	Withdrawn      int64 `json:"withdrawn"`
	Cancelled      int64 `json:"cancelled"`
	Supplements    int64 `json:"supplement_requests"`
	Paid           int64 `json:"paid"`
	PaidOnline     int64 `json:"paid_online"`
	Rated          int64 `json:"rated"`
	// Ratings[i] counts overall ratings of i+1.
	Ratings [5]int64 `json:"ratings"`

	AvgDays            *float64 `json:"avg_working_days"`
	P90Days            *int     `json:"p90_working_days"`
	OnTimeShare        *float64 `json:"on_time_share"`
	OnlineShare        *float64 `json:"online_submission_share"`
	OnlinePaymentShare *float64 `json:"online_payment_share"`
	Satisfaction       *float64 `json:"satisfaction_avg"`
	TimeKeptAvg        *float64 `json:"time_kept_avg"`
	AttitudeAvg        *float64 `json:"attitude_avg"`
	GuidanceAvg        *float64 `json:"guidance_avg"`
	FeesAvg            *float64 `json:"fees_avg"`
}

// AddCounts adds o's counts times sign (1 or -1) to r; the shares and
// averages are not recomputed.
func (r *StatsRow) AddCounts(o *StatsRow, sign int64) {
	r.Received += sign * o.Received
	r.ReceivedOnline += sign * o.ReceivedOnline
	r.ResolvedOnTime += sign * o.ResolvedOnTime
	r.ResolvedLate += sign * o.ResolvedLate
	r.OpenOnTime += sign * o.OpenOnTime
	r.OpenOverdue += sign * o.OpenOverdue
	r.Returned += sign * o.Returned
	r.Rejected += sign * o.Rejected
	r.Withdrawn += sign * o.Withdrawn
	r.Cancelled += sign * o.Cancelled
	r.Supplements += sign * o.Supplements
	r.Paid += sign * o.Paid
	r.PaidOnline += sign * o.PaidOnline
	r.Rated += sign * o.Rated
	for i := range r.Ratings {
		r.Ratings[i] += sign * o.Ratings[i]
	}
}

// Statistics answers statistics queries from the read model.
type Statistics interface {
	Stats(ctx context.Context, q StatsQuery) ([]StatsRow, error)
}
