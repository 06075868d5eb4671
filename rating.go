package motcua

import (
	"context"
	"time"
)

// Rating is how the applicant rated a closed case: overall satisfaction
// and the criteria of the national public service portal's assessment
// (đánh giá mức độ hài lòng: đúng hẹn, thái độ cán bộ, hướng dẫn rõ ràng,
// thu phí đúng quy định), each 1 (very dissatisfied) to 5 (very
// satisfied). It belongs to the case, never to a person: published
// statistics count ratings, they do not list them, and comments are read
// only by the agency.
type Rating struct {
	Overall  int    `json:"overall"`
	TimeKept int    `json:"time_kept"`
	Attitude int    `json:"attitude"`
	Guidance int    `json:"guidance"`
	Fees     int    `json:"fees"`
	Comment  string `json:"comment,omitempty"`
	// RatedAt is the first rating; EditableUntil is RatedAt +
	// RatingEditable.
	RatedAt       time.Time `json:"rated_at"`
	UpdatedAt     time.Time `json:"updated_at"`
	EditableUntil time.Time `json:"editable_until"`
}

// RatingEditable is how long after the first rating the applicant may
// change it.
const RatingEditable = 7 * 24 * time.Hour

// Ratings keeps the ratings of cases.
type Ratings interface {
	// Rating is code's rating; ENOTFOUND when it has none.
	Rating(ctx context.Context, code string) (*Rating, error)
	// SaveRating rates code, or changes its rating while it may still be
	// changed at now (else ECONFLICT). created says it was the first.
	SaveRating(ctx context.Context, code string, r Rating, now time.Time) (saved *Rating, created bool, err error)
}
