package motcua

import "slices"

// ActorKind says who is acting: a citizen (or business representative), an
// officer of an agency, an administrator, or the system itself (timers,
// callbacks from agency back-ends).
type ActorKind string

const (
	KindCitizen ActorKind = "citizen"
	KindOfficer ActorKind = "officer"
	KindAdmin   ActorKind = "admin"
	KindSystem  ActorKind = "system"
)

// Role is what an actor may do on a case.
type Role string

const (
	RoleApplicant Role = "applicant" // the citizen who owns the case, or anyone holding its secret
	RoleReceiver  Role = "receiver"  // one-stop desk officer (cán bộ tiếp nhận)
	RoleReviewer  Role = "reviewer"  // specialist who reviews the file (chuyên viên thẩm định)
	RoleApprover  Role = "approver"  // leader who signs (lãnh đạo phê duyệt)
	RoleCashier   Role = "cashier"   // collects fees (thu phí, lệ phí)
	RoleHead      Role = "head"      // head of the agency: overdue escalations, assignments
	RoleSystem    Role = "system"
)

// OfficerRoles are the roles an officer may hold.
var OfficerRoles = []Role{RoleReceiver, RoleReviewer, RoleApprover, RoleCashier, RoleHead}

// Actor is the authenticated party behind a request.
type Actor struct {
	Kind    ActorKind `json:"kind"`
	Subject string    `json:"subject"` // citizen ID number, officer user name
	Name    string    `json:"name,omitempty"`
	Agency  string    `json:"agency,omitempty"`
	Roles   []Role    `json:"roles,omitempty"`
	// WithSecret is set when the actor proved knowledge of the case's look-up
	// secret (the receipt) instead of signing in as its owner.
	WithSecret bool `json:"with_secret,omitempty"`
	// OneTimeCode is set when a secret holder also gave the one-time code
	// sent to the applicant's phone or e-mail, which withdrawing and
	// paying need (api/secrets.go).
	OneTimeCode bool `json:"one_time_code,omitempty"`
}

// SystemActor acts for timers and back-end callbacks.
var SystemActor = Actor{Kind: KindSystem, Subject: "system", Name: "Hệ thống"}

// HasRole reports whether an officer holds role r.
func (a Actor) HasRole(r Role) bool { return slices.Contains(a.Roles, r) }

// ActorRef is how an actor appears in a case timeline.
type ActorRef struct {
	Kind    ActorKind `json:"kind"`
	Subject string    `json:"subject,omitempty"`
	Name    string    `json:"name,omitempty"`
	Agency  string    `json:"agency,omitempty"`
	Role    Role      `json:"role,omitempty"`
}

// Ref returns the timeline reference of a acting in role r.
func (a Actor) Ref(r Role) ActorRef {
	return ActorRef{Kind: a.Kind, Subject: a.Subject, Name: a.Name, Agency: a.Agency, Role: r}
}
