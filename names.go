package motcua

// Names of statuses as people read them, in Vietnamese and English: the
// words messages use instead of codes (the web pages' catalogues,
// web/locales status.*, say the same; a test keeps them equal).
var statusNames = map[Status]Text{
	StatusSubmitted:          {Vi: "Chờ tiếp nhận", En: "Awaiting reception"},
	StatusAwaitingSupplement: {Vi: "Chờ bổ sung", En: "Awaiting supplement"},
	StatusReceived:           {Vi: "Đã tiếp nhận", En: "Received"},
	StatusInReview:           {Vi: "Đang thẩm định", En: "In review"},
	StatusCoReview:           {Vi: "Lấy ý kiến phối hợp", En: "Co-review"},
	StatusAwaitingApproval:   {Vi: "Chờ phê duyệt", En: "Awaiting approval"},
	StatusAwaitingPayment:    {Vi: "Chờ nộp phí", En: "Awaiting payment"},
	StatusAwaitingIssue:      {Vi: "Chờ ban hành", En: "Awaiting issue"},
	StatusResultReady:        {Vi: "Có kết quả", En: "Result ready"},
	StatusCompleted:          {Vi: "Đã trả kết quả", En: "Completed"},
	StatusRejected:           {Vi: "Từ chối", En: "Rejected"},
	StatusWithdrawn:          {Vi: "Đã rút", En: "Withdrawn"},
	StatusCancelled:          {Vi: "Đã hủy", En: "Cancelled"},
	StatusAwaitingAssignment: {Vi: "Chờ giao xác minh", En: "Awaiting assignment"},
	StatusInvestigating:      {Vi: "Đang xác minh", En: "Investigating"},
	StatusAwaitingConclusion: {Vi: "Chờ kết luận", En: "Awaiting conclusion"},
}

// Name is the status as people read it; an unknown status is its code.
func (s Status) Name() Text {
	if t, ok := statusNames[s]; ok {
		return t
	}
	return Text{Vi: string(s), En: string(s)}
}

// Statuses lists every status that has a name.
func Statuses() []Status {
	out := make([]Status, 0, len(statusNames))
	for s := range statusNames {
		out = append(out, s)
	}
	return out
}

// DeliveryName is a way of receiving the result as people read it.
func DeliveryName(method string) Text {
	switch method {
	case DeliveryOnline:
		return Text{Vi: "trực tuyến trên Cổng Dịch vụ công", En: "online on the public service portal"}
	case DeliveryCounter:
		return Text{Vi: "tại Bộ phận Một cửa", En: "at the one-stop desk"}
	case DeliveryPost:
		return Text{Vi: "qua dịch vụ bưu chính công ích", En: "by public postal service"}
	}
	return Text{Vi: method, En: method}
}
