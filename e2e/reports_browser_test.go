package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
)

// The head of an agency opens the agency's statistics, follows its late
// numbers to the cases behind them and from there to a case's page; axe
// checks each state and screenshots are kept for review.
func TestWebAgencyStatisticsDrillDown(t *testing.T) {
	browser, axe := startBrowser(t)
	e := newEnv(t)
	now := time.Now().In(ict)
	month := time.Date(now.Year(), now.Month()-1, 1, 0, 0, 0, 0, ict)
	codes := pastCases(t, e.db, "SKHDT", business, month, 2) // on time, late, overdue, on time, late, overdue
	other := pastCases(t, e.db, "STP", "cap-phieu-ly-lich-tu-phap", month, 1)
	key := month.Format("2006-01")
	if err := e.db.SaveReport(context.Background(), motcua.Report{Period: motcua.PeriodMonth, Key: key, Agency: "SKHDT", From: key + "-01",
		To: month.AddDate(0, 1, -1).Format(time.DateOnly), Received: 6, Digest: "x", GeneratedAt: time.Now()}, []byte("%PDF-1.4"), []byte("code\n")); err != nil {
		t.Fatal(err)
	}

	head := newTab(t, browser, e.url, "vi", axe, "head")
	head.signIn("officer", "giamdoc", "Phạm Văn Hùng", "SKHDT", "head")
	head.open("/can-bo/thong-ke?ky=" + month.Format("2006-01"))
	if got := head.text("#drill-resolved"); !strings.HasPrefix(got, "2") {
		t.Fatalf("resolved late: %q in %s", got, head.text("main"))
	}
	if got := head.text("#drill-overdue"); !strings.HasPrefix(got, "2") {
		t.Fatalf("overdue: %q", got)
	}
	if !head.has(`a[href="/api/v1/reports/month/` + key + `/pdf?agency=SKHDT"]`) {
		t.Fatalf("no link to the agency's report: %s", head.text("#s-reports ~ ul"))
	}
	head.check("agency-stats")

	head.click("#drill-resolved")
	table := head.text("#s-late ~ div table")
	if !strings.Contains(table, codes[1]) || !strings.Contains(table, codes[4]) || strings.Contains(table, codes[0]) || strings.Contains(table, other[1]) {
		t.Fatalf("resolved late of %s: %s", month.Format("01/2006"), head.text("main"))
	}
	head.check("agency-stats-late")

	head.open("/can-bo/thong-ke?ky=" + month.Format("2006-01") + "&xem=overdue")
	if table := head.text("main"); !strings.Contains(table, codes[2]) || !strings.Contains(table, codes[5]) || strings.Contains(table, codes[1]) {
		t.Fatalf("overdue of the month: %s", table)
	}
	head.click(`a[href="/ho-so/` + codes[2] + `"]`)
	if !strings.Contains(head.url(), "/ho-so/"+codes[2]) {
		t.Fatalf("the case link went to %s", head.url())
	}

	// Another agency's officer sees only their own agency.
	stp := newTab(t, browser, e.url, "en", axe, "stp")
	stp.signIn("officer", "tuphap", "Lê Thị Mai", "STP", "head")
	stp.open("/can-bo/thong-ke?ky=" + month.Format("2006-01") + "&xem=overdue&co-quan=SKHDT")
	if got := stp.text("main"); strings.Contains(got, codes[2]) || !strings.Contains(got, other[2]) {
		t.Fatalf("another agency's drill-down: %s", got)
	}
	stp.check("agency-stats-en")
}
