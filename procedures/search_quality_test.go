package procedures_test

import (
	"bufio"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/motcua/motcua/procedures"
)

type qualityQuery struct {
	line       int
	text, want string
}

func readQueries(t testing.TB, file string) []qualityQuery {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var qs []qualityQuery
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) < 2 || cols[0] == "" || cols[1] == "" {
			t.Fatalf("%s:%d: want query<TAB>code", file, n)
		}
		qs = append(qs, qualityQuery{n, cols[0], cols[1]})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return qs
}

// TestSearchQuality runs the committed query set (testdata/queries.tsv): at
// least 95 % of the queries must find their procedure in the first three
// results. It reports the share and the mean reciprocal rank (MRR, over the
// first 10 results).
func TestSearchQuality(t *testing.T) {
	cat, err := procedures.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	qs := readQueries(t, "testdata/queries.tsv")
	if len(qs) < 100 {
		t.Fatalf("the query set has %d queries, want at least 100", len(qs))
	}
	top1, top3 := 0, 0
	mrr := 0.0
	for _, q := range qs {
		if _, ok := cat.Get(q.want); !ok {
			t.Errorf("queries.tsv:%d: no procedure %s", q.line, q.want)
			continue
		}
		got := codes(cat.Search(procedures.Query{Text: q.text, Limit: 10}))
		rank := slices.Index(got, q.want) + 1
		switch {
		case rank == 0:
			t.Logf("queries.tsv:%d: %q does not find %s in the first 10: %v", q.line, q.text, q.want, first(got, 3))
		case rank > 3:
			t.Logf("queries.tsv:%d: %q finds %s at %d, after %v", q.line, q.text, q.want, rank, got[:3])
		}
		if rank > 0 {
			mrr += 1 / float64(rank)
		}
		if rank == 1 {
			top1++
		}
		if rank >= 1 && rank <= 3 {
			top3++
		}
	}
	n := float64(len(qs))
	t.Logf("search quality: %d queries, first %.1f %%, first 3 %.1f %%, MRR %.3f", len(qs), 100*float64(top1)/n, 100*float64(top3)/n, mrr/n)
	if float64(top3)/n < 0.95 {
		t.Errorf("%.1f %% of the queries find their procedure in the first 3 results, want ≥ 95 %%", 100*float64(top3)/n)
	}
}

// TestSearchSeedNames: the seed's name of every priority row finds one of the
// definitions that implement the row first.
func TestSearchSeedNames(t *testing.T) {
	cat, err := procedures.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range procedures.Seed().Priority.Rows {
		got := codes(cat.Search(procedures.Query{Text: r.Name, Limit: 5}))
		if len(got) == 0 || !slices.Contains(r.Codes, got[0]) {
			t.Errorf("seed %d-%d %q finds %v first, want one of %v", r.Year, r.No, r.Name, first(got, 3), r.Codes)
		}
	}
	for _, o := range procedures.Seed().Priority.Others {
		got := codes(cat.Search(procedures.Query{Text: o.Name, Limit: 5}))
		if len(got) < len(o.Codes) || !slices.Contains(o.Codes, got[0]) || !slices.Contains(o.Codes, got[1]) {
			t.Errorf("seed %s %q finds %v first, want %v", o.Section, o.Name, first(got, 3), o.Codes)
		}
	}
}

func first(s []string, n int) []string { return s[:min(n, len(s))] }
