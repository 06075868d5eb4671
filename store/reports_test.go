package store

import (
	"context"
	"testing"
	"time"

	"github.com/motcua/motcua"
)

func TestReportsStored(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		at := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
		r := motcua.Report{Period: motcua.PeriodMonth, Key: "2026-10", From: "2026-10-01", To: "2026-10-31", Received: 7, Resolved: 5, Late: 1,
			Overdue: 2, Digest: "abc", GeneratedAt: at}
		agency := r
		agency.Agency = "SKHDT"
		for range 2 {
			if err := db.SaveReport(ctx, r, []byte("%PDF province"), []byte("code,name\n")); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.SaveReport(ctx, agency, []byte("%PDF agency"), []byte("csv agency")); err != nil {
			t.Fatal(err)
		}
		list, err := db.Reports(ctx, motcua.ReportFilter{Period: motcua.PeriodMonth})
		if err != nil || len(list) != 2 || list[0].Agency != "" || list[0].Generations != 2 || list[1].Generations != 1 || list[0].Received != 7 {
			t.Fatalf("reports: %+v %v", list, err)
		}
		if list, _ := db.Reports(ctx, motcua.ReportFilter{Agency: "-"}); len(list) != 1 || list[0].Agency != "" {
			t.Fatalf("the province's: %+v", list)
		}
		if _, pdf, err := db.ReportFile(ctx, motcua.PeriodMonth, "2026-10", "SKHDT", "pdf"); err != nil || string(pdf) != "%PDF agency" {
			t.Fatalf("agency PDF %q %v", pdf, err)
		}
		if _, _, err := db.ReportFile(ctx, motcua.PeriodMonth, "2026-09", "", "csv"); motcua.ErrorCode(err) != motcua.ENOTFOUND {
			t.Fatalf("a month not made: %v", err)
		}
		if _, _, err := db.ReportFile(ctx, motcua.PeriodMonth, "2026-10", "", "xlsx"); motcua.ErrorCode(err) != motcua.EINVALID {
			t.Fatalf("xlsx: %v", err)
		}
	})
}
