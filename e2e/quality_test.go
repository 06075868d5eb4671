package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
)

func rating(overall int) map[string]any {
	return map[string]any{"overall": overall, "time_kept": 4, "attitude": 5, "guidance": 3, "fees": 5, "comment": "Cán bộ nhiệt tình"}
}

// A case is rated once it has ended, by its applicant (signed in or with
// the receipt's secret), changed within 7 days, and counted in the
// statistics without anything that names the person.
func TestRatingAfterTheCaseEnds(t *testing.T) {
	e := newEnv(t)
	owner := e.citizen("079201001234")
	r := e.submit(owner, business, motcua.DeliveryCounter)
	path := "/api/v1/cases/" + r.Code + "/rating"
	if got := e.call("PUT", path, owner, rating(5)); got.status != 409 {
		t.Fatalf("rated while open: %d %s", got.status, got.body)
	}
	e.actOK(owner, r.Code, motcua.ActionWithdraw, map[string]any{"reason": "Không còn nhu cầu"})

	if got := e.call("PUT", path, e.citizen("001099000001"), rating(1)).status; got != 404 {
		t.Fatalf("rated by another citizen: %d", got)
	}
	if got := e.call("PUT", path, e.officer("tiepnhan", r.Agency, "receiver"), rating(1)).status; got != 403 {
		t.Fatalf("rated by an officer: %d", got)
	}
	bad := e.call("PUT", path, owner, map[string]any{"overall": 6, "time_kept": 0, "attitude": 5, "guidance": 3, "fees": 5})
	var refusal struct {
		Error motcua.Error `json:"error"`
	}
	bad.json(&refusal)
	if bad.status != 422 || refusal.Error.Fields["overall"] == "" || refusal.Error.Fields["time_kept"] == "" || refusal.Error.Fields["fees"] != "" {
		t.Fatalf("out-of-range rating: %d %s", bad.status, bad.body)
	}

	var got motcua.Rating
	e.must(e.call("PUT", path, "", rating(2), "X-Case-Secret", r.Secret), 201).json(&got)
	if got.Overall != 2 || got.EditableUntil.Sub(got.RatedAt) != 7*24*time.Hour {
		t.Fatalf("first rating: %+v", got)
	}
	e.must(e.call("PUT", path, owner, rating(4)), 200).json(&got)
	e.must(e.call("GET", path, owner, nil), 200).json(&got)
	if got.Overall != 4 || got.Comment != "Cán bộ nhiệt tình" {
		t.Fatalf("changed rating: %+v", got)
	}

	// The statistics count it, by the day the case ended; the open data
	// holds no comment, name or number of the applicant.
	day := time.Now().In(time.FixedZone("ICT", 7*3600)).Format(time.DateOnly)
	var stats struct {
		Rows []motcua.StatsRow `json:"rows"`
	}
	q := "/api/v1/stats?from=" + day + "&to=" + day + "&agency=" + r.Agency
	s := e.must(e.call("GET", q, "", nil), 200)
	s.json(&stats)
	if len(stats.Rows) != 1 || stats.Rows[0].Rated != 1 || stats.Rows[0].Ratings[3] != 1 || stats.Rows[0].Withdrawn != 1 {
		t.Fatalf("statistics of the day: %s", s.body)
	}
	csv := e.must(e.call("GET", q+"&format=csv", "", nil), 200)
	for _, personal := range []string{"nhiệt tình", "Bích Ngọc", "049188001234", "079201001234", r.Code} {
		if strings.Contains(string(s.body)+string(csv.body), personal) {
			t.Errorf("open data shows %q", personal)
		}
	}

	// A week after the first rating it stands as it is.
	if err := e.db.Exec(context.Background(), "UPDATE case_ratings SET rated_at = rated_at - interval '8 days' WHERE case_code = ?", r.Code); err != nil {
		t.Fatal(err)
	}
	late := e.call("PUT", path, owner, rating(1), "Accept-Language", "en")
	late.json(&refusal)
	if late.status != 409 || !strings.Contains(refusal.Error.Message, "7 days") {
		t.Fatalf("changed after 7 days: %d %s", late.status, late.body)
	}
}
