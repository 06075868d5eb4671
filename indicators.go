package motcua

import "time"

// The indicators of Decision 766/QĐ-TTg of 23 June 2022 (Bộ chỉ số chỉ
// đạo, điều hành và đánh giá chất lượng phục vụ người dân, doanh nghiệp
// trong thực hiện thủ tục hành chính, dịch vụ công theo thời gian thực
// trên môi trường điện tử): five groups worth 18, 20, 22, 22 and 18 of 100
// points. What our read model holds is computed; the rest is listed with
// why not. Sources read: the Decision's summary and press accounts of its
// Appendix (the full Appendix text was not available to us); each
// indicator's points and scale are marked Verified only where a source
// gave them, the others are an even split of their group's points:
// "cần xác minh" against the Appendix.

// Indicator groups.
const (
	GroupPublicity    = "1" // Công khai, minh bạch (18)
	GroupProgress     = "2" // Tiến độ, kết quả giải quyết (20)
	GroupDigitisation = "3" // Số hóa hồ sơ (22)
	GroupOnline       = "4" // Cung cấp dịch vụ trực tuyến (22)
	GroupSatisfaction = "5" // Mức độ hài lòng (18)
)

// IndicatorGroup is a group and its points.
type IndicatorGroup struct {
	Code   string  `json:"code"`
	Name   Text    `json:"name"`
	Points float64 `json:"max_points"`
}

// IndicatorGroups are the Decision's five groups.
var IndicatorGroups = []IndicatorGroup{
	{GroupPublicity, Text{Vi: "Công khai, minh bạch", En: "Publicity and transparency"}, 18},
	{GroupProgress, Text{Vi: "Tiến độ, kết quả giải quyết", En: "Progress and results"}, 20},
	{GroupDigitisation, Text{Vi: "Số hóa hồ sơ", En: "Digitisation of files"}, 22},
	{GroupOnline, Text{Vi: "Cung cấp dịch vụ trực tuyến", En: "Online services"}, 22},
	{GroupSatisfaction, Text{Vi: "Mức độ hài lòng", En: "Satisfaction"}, 18},
}

// Indicator is one indicator of the Decision.
type Indicator struct {
	Code    string  `json:"code"`
	Group   string  `json:"group"`
	Name    Text    `json:"name"`
	Formula Text    `json:"formula"`
	Points  float64 `json:"max_points"`
	// Verified: a source gave these points; otherwise they are the group's
	// points split evenly (cần xác minh).
	Verified bool `json:"points_verified"`
	Computed bool `json:"computed"`
	// Why is why an indicator is not computed: the data we do not hold.
	Why *Text `json:"why_not,omitempty"`
	// Target is the rate that earns full points (0: points = rate × max).
	Target func(on time.Time) float64 `json:"-"`
}

// Resolution 76/NQ-CP (2021), Art. 1 II.1: satisfaction of at least 90%
// by 2025 and 95% by 2030; Decision 766 gives 5.3's full points for
// reaching the stage's target (cần xác minh: the Appendix's exact scale).
func satisfactionTarget(on time.Time) float64 {
	if on.Year() <= 2025 {
		return 0.90
	}
	return 0.95
}

// Indicators are the Decision's indicators, in order.
var Indicators = []Indicator{
	{Code: "1.1", Group: GroupPublicity, Points: 4, Verified: true,
		Name:    Text{Vi: "Công bố, công khai thủ tục hành chính đúng hạn", En: "Procedures published on time"},
		Formula: Text{Vi: "Số TTHC được công bố, công khai đúng hạn / tổng số TTHC phải công bố", En: "Procedures published on time / procedures to publish"},
		Why: &Text{Vi: "Không lưu ngày ban hành quyết định công bố TTHC và ngày nhập vào Cơ sở dữ liệu quốc gia về TTHC.",
			En: "We do not hold the dates of the publication decisions nor of their entry into the national procedures database."}},
	{Code: "1.2", Group: GroupPublicity, Points: 7,
		Name:    Text{Vi: "Công khai tiến độ, kết quả giải quyết hồ sơ trên Cổng Dịch vụ công quốc gia", En: "Case progress published on the national public service portal"},
		Formula: Text{Vi: "Số hồ sơ được đồng bộ trạng thái lên Cổng DVC quốc gia / tổng số hồ sơ", En: "Cases whose status is synchronised to the national portal / cases"},
		Why: &Text{Vi: "Hệ thống chưa đồng bộ hồ sơ với Cổng Dịch vụ công quốc gia (mỗi hồ sơ chỉ tra cứu được trên cổng của tỉnh).",
			En: "Cases are not synchronised with the national portal (each can be looked up on the province's portal only)."}},
	{Code: "1.3", Group: GroupPublicity, Points: 7,
		Name:    Text{Vi: "Mức độ đầy đủ, chính xác của TTHC công khai trên Cổng Dịch vụ công quốc gia", En: "Completeness of the procedures published on the national portal"},
		Formula: Text{Vi: "Do Cổng DVC quốc gia đánh giá", En: "Assessed by the national portal"},
		Why: &Text{Vi: "Đánh giá trên dữ liệu của Cổng Dịch vụ công quốc gia, không có trong hệ thống.",
			En: "Assessed on the national portal's data, which we do not hold."}},

	{Code: "2.1", Group: GroupProgress, Points: 20, Verified: true, Computed: true,
		Name: Text{Vi: "Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn", En: "Cases resolved on time"},
		Formula: Text{Vi: "Số hồ sơ có kết quả trước hoặc đúng hạn / tổng số hồ sơ có kết quả trong kỳ",
			En: "Results issued by the due date / results issued in the period"}},

	{Code: "3.1", Group: GroupDigitisation, Points: 22.0 / 3,
		Name:    Text{Vi: "Tỷ lệ cấp kết quả giải quyết TTHC điện tử", En: "Results issued electronically"},
		Formula: Text{Vi: "Số hồ sơ có kết quả điện tử / tổng số hồ sơ có kết quả", En: "Results issued as electronic documents / results"},
		Why: &Text{Vi: "Số liệu thống kê chưa ghi hồ sơ nào có kết quả điện tử có giá trị pháp lý (bản ký số lưu vào kho dữ liệu của cá nhân, tổ chức); cần bổ sung vào dữ liệu thống kê theo hồ sơ.",
			En: "The statistics do not yet record which results were issued as legally valid electronic documents; a per-case fact is needed."}},
	{Code: "3.2", Group: GroupDigitisation, Points: 22.0 / 3,
		Name:    Text{Vi: "Tỷ lệ số hóa hồ sơ, kết quả giải quyết TTHC", En: "Files and results digitised"},
		Formula: Text{Vi: "Số hồ sơ được số hóa thành phần hồ sơ, kết quả / tổng số hồ sơ", En: "Cases whose documents and result were digitised / cases"},
		Why: &Text{Vi: "Chưa ghi nhận việc số hóa giấy tờ nộp trực tiếp tại Bộ phận Một cửa (quét, ký số bản sao điện tử).",
			En: "Scanning of paper documents filed at the counter is not recorded."}},
	{Code: "3.3", Group: GroupDigitisation, Points: 22.0 / 3,
		Name:    Text{Vi: "Tỷ lệ khai thác, sử dụng lại thông tin, dữ liệu số hóa", En: "Re-use of digitised data"},
		Formula: Text{Vi: "Số hồ sơ sử dụng lại dữ liệu đã số hóa / tổng số hồ sơ", En: "Cases that re-used digitised data / cases"},
		Why: &Text{Vi: "Chưa có kho dữ liệu số hóa để hồ sơ sau sử dụng lại giấy tờ của hồ sơ trước.",
			En: "There is no store of digitised documents for a later case to re-use."}},

	{Code: "4.1", Group: GroupOnline, Points: 5.5, Computed: true,
		Name: Text{Vi: "Tỷ lệ TTHC cung cấp dịch vụ công trực tuyến (toàn trình, một phần)", En: "Procedures offered online (full or partial)"},
		Formula: Text{Vi: "Số TTHC cung cấp trực tuyến toàn trình hoặc một phần / tổng số TTHC của cơ quan (theo lộ trình, ngày cuối kỳ)",
			En: "Procedures offered fully or partly online / the agency's procedures (roadmap, last day of the period)"}},
	{Code: "4.2", Group: GroupOnline, Points: 5.5, Computed: true,
		Name: Text{Vi: "Tỷ lệ dịch vụ công trực tuyến có phát sinh hồ sơ", En: "Online services with cases"},
		Formula: Text{Vi: "Số dịch vụ công trực tuyến có ít nhất một hồ sơ nộp trực tuyến trong kỳ / tổng số dịch vụ công trực tuyến",
			En: "Online services with at least one online submission in the period / online services"}},
	{Code: "4.3", Group: GroupOnline, Points: 5.5, Computed: true,
		Name: Text{Vi: "Tỷ lệ hồ sơ trực tuyến", En: "Cases submitted online"},
		Formula: Text{Vi: "Số hồ sơ nộp trực tuyến / tổng số hồ sơ nộp trong kỳ",
			En: "Cases submitted online / cases submitted in the period"}},
	{Code: "4.4", Group: GroupOnline, Points: 5.5, Computed: true,
		Name: Text{Vi: "Tỷ lệ thanh toán trực tuyến", En: "Fees paid online"},
		Formula: Text{Vi: "Số hồ sơ thanh toán phí, lệ phí trực tuyến / tổng số hồ sơ đã nộp phí, lệ phí",
			En: "Cases whose fee was paid online / cases whose fee was paid"}},

	{Code: "5.1", Group: GroupSatisfaction, Points: 6, Computed: true,
		Name: Text{Vi: "Tỷ lệ phản ánh, kiến nghị xử lý đúng hạn", En: "Feedback handled on time"},
		Formula: Text{Vi: "Số phản ánh, kiến nghị trả lời đúng hoặc trước hạn / số phản ánh, kiến nghị đã trả lời hoặc đã quá hạn trả lời trong kỳ (thủ tục phan-anh-kien-nghi)",
			En: "Feedback answered by its deadline / feedback answered or past its deadline in the period (procedure phan-anh-kien-nghi)"}},
	{Code: "5.2", Group: GroupSatisfaction, Points: 6,
		Name:    Text{Vi: "Tỷ lệ hài lòng trong xử lý phản ánh, kiến nghị", En: "Satisfaction with feedback handling"},
		Formula: Text{Vi: "(Tổng số phản ánh, kiến nghị − số bị phản hồi không hài lòng hoặc xử lý quá hạn) / tổng số phản ánh, kiến nghị", En: "(feedback − feedback answered with dissatisfaction or late) / feedback"},
		Why: &Text{Vi: "Người gửi chưa đánh giá được câu trả lời cho phản ánh, kiến nghị (phản ánh không có phiếu đánh giá), nên không biết số phản hồi không hài lòng.",
			En: "A feedback's sender cannot rate the answer yet (feedback has no rating), so dissatisfied answers are not known."}},
	{Code: "5.3", Group: GroupSatisfaction, Points: 6, Verified: true, Computed: true, Target: satisfactionTarget,
		Name: Text{Vi: "Tỷ lệ hài lòng trong tiếp nhận, giải quyết TTHC", En: "Satisfaction with case processing"},
		Formula: Text{Vi: "(Số hồ sơ kết thúc trong kỳ − số hồ sơ bị đánh giá không hài lòng, mức 1–2) / số hồ sơ kết thúc trong kỳ; đủ điểm khi đạt mục tiêu Nghị quyết 76/NQ-CP (90% đến 2025, 95% đến 2030)",
			En: "(cases ended in the period − cases rated dissatisfied, 1–2) / cases ended; full points at Resolution 76/NQ-CP's target (90% to 2025, 95% to 2030)"}},
}

// IndicatorInput is what the computed indicators read: a period's
// statistics for the province or one agency, and the catalogue's
// procedures on the period's last day.
type IndicatorInput struct {
	Stats StatsRow
	// Feedback is the part of Stats that is feedback (procedure
	// ProcedureFeedback): 5.1 reads it, and the indicators of
	// administrative procedures leave it out.
	Feedback StatsRow
	// Offered counts the procedures offered, Online those fully or partly
	// online, OnlineUsed those online with an online submission in the
	// period.
	Offered, Online, OnlineUsed int
	On                          time.Time // the period's last day
}

// IndicatorScore is one indicator computed, or why not.
type IndicatorScore struct {
	Indicator
	Numerator   int64    `json:"numerator"`
	Denominator int64    `json:"denominator"`
	Rate        *float64 `json:"rate"`
	Score       *float64 `json:"points"`
}

// ScoreIndicators computes every indicator it can from in. A rate with
// nothing to count (no case, no procedure) is nil and scores nothing.
func ScoreIndicators(in IndicatorInput) []IndicatorScore {
	s, fb := in.Stats, in.Feedback
	s.AddCounts(&fb, -1)
	ended := s.ResolvedOnTime + s.ResolvedLate + s.Rejected + s.Withdrawn + s.Cancelled
	fractions := map[string][2]int64{
		"2.1": {s.ResolvedOnTime, s.ResolvedOnTime + s.ResolvedLate},
		"4.1": {int64(in.Online), int64(in.Offered)},
		"4.2": {int64(in.OnlineUsed), int64(in.Online)},
		"4.3": {s.ReceivedOnline, s.Received},
		"4.4": {s.PaidOnline, s.Paid},
		"5.1": {fb.ResolvedOnTime, fb.ResolvedOnTime + fb.ResolvedLate + fb.OpenOverdue},
		"5.3": {ended - s.Ratings[0] - s.Ratings[1], ended},
	}
	out := make([]IndicatorScore, len(Indicators))
	for i, ind := range Indicators {
		out[i] = IndicatorScore{Indicator: ind}
		f, ok := fractions[ind.Code]
		if !ind.Computed || !ok || f[1] == 0 {
			continue
		}
		rate := float64(f[0]) / float64(f[1])
		reach := rate
		if ind.Target != nil {
			reach = min(rate/ind.Target(in.On), 1)
		}
		points := reach * ind.Points
		out[i].Numerator, out[i].Denominator, out[i].Rate, out[i].Score = f[0], f[1], &rate, &points
	}
	return out
}

// IndicatorScope is the indicators of the province (Agency "") or of one
// agency, and their points: those computed, out of the points they are
// worth.
type IndicatorScope struct {
	Agency     string           `json:"agency,omitempty"`
	Points     float64          `json:"points"`
	MaxPoints  float64          `json:"computed_max_points"`
	Indicators []IndicatorScore `json:"indicators"`
}

// IndicatorReport is the indicators of a period (GET /stats/indicators).
type IndicatorReport struct {
	Period   string           `json:"period"`
	From     string           `json:"from"`
	To       string           `json:"to"`
	Groups   []IndicatorGroup `json:"groups"`
	Province *IndicatorScope  `json:"province,omitempty"`
	Agencies []IndicatorScope `json:"agencies"`
	Notes    []string         `json:"notes"`
}
