package motcua

import "context"

// SealedIdentities keeps a denouncer's identity apart from the case (Law on
// Denunciations 2018 Art. 8(3), 9(1)(b), 31(4), 47(2)): the API seals it
// before the case starts, so no workflow input, history, read-model row,
// view, timeline, statistic or export holds it; only the officers handling
// the denunciation read it back. The store implements it; the identity is
// encrypted by the API before it is stored.
type SealedIdentities interface {
	SealIdentity(ctx context.Context, code string, sealed []byte) error
	// SealedIdentity returns the sealed identity of code, ENOTFOUND if none.
	SealedIdentity(ctx context.Context, code string) ([]byte, error)
}

// SecondInstances finds the second-instance complaint filed against a
// first-instance case (Law on Complaints 2011 Art. 33). The store
// implements it.
type SecondInstances interface {
	// SecondInstanceOf returns the code of the second-instance complaint
	// filed against code, "" if none.
	SecondInstanceOf(ctx context.Context, code string) (string, error)
}

// DenouncerPlaceholder is what a denunciation shows where the denouncer's
// name would be.
const DenouncerPlaceholder = "Người tố cáo (thông tin được giữ bí mật)"

// AnonymousPlaceholder is what an anonymous denunciation shows where the
// denouncer's name would be (Law on Denunciations 2018 Art. 25).
const AnonymousPlaceholder = "Không rõ người tố cáo (đơn không ghi danh)"
