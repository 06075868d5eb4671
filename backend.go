package motcua

// Backend is an agency system the worker calls. Each one's base URL is the
// configuration key backends.<Name>_url; `motcua dev` points every one at the
// simulator. Adding a back-end: describe it here (and its checks below), give
// it a client in activities/, and a simulated twin in sim/.
type Backend struct {
	Name  string
	Title string // how the timeline names it when it fails or refuses
}

// Back-end names.
const (
	BackendRegistry   = "registry"   // national business registry
	BackendPopulation = "population" // national population database
	BackendLand       = "land"       // land registry
	BackendJudicial   = "judicial"   // judicial records
	BackendPayment    = "payment"    // payment gateway
	BackendPost       = "post"       // public postal service
	BackendSMS        = "sms"        // SMS gateway
)

// Backends lists every agency system, in the order configuration shows them.
var Backends = []Backend{
	{BackendRegistry, "Hệ thống đăng ký doanh nghiệp"},
	{BackendPopulation, "Cơ sở dữ liệu quốc gia về dân cư"},
	{BackendLand, "Cơ sở dữ liệu đất đai"},
	{BackendJudicial, "Cơ sở dữ liệu lý lịch tư pháp"},
	{BackendPayment, "Cổng thanh toán"},
	{BackendPost, "Bưu chính công ích"},
	{BackendSMS, "Tổng đài SMS"},
}

// BackendOf returns the back-end named name.
func BackendOf(name string) (Backend, bool) {
	for _, b := range Backends {
		if b.Name == name {
			return b, true
		}
	}
	return Backend{}, false
}

// Check kinds: the back-end calls a definition may name in checks:.
const (
	CheckBusinessName     = "business_name"     // national business registry: is the name free?
	CheckBusinessRegister = "business_register" // registers the enterprise; its number is the result's
	CheckPopulation       = "population"        // national population database: the applicant's ID
	CheckCriminalRecord   = "criminal_record"   // judicial records
	CheckLandParcel       = "land_parcel"       // land registry: the parcel in the form
)

// CheckSpec describes a check kind: the back-end that answers it, its name
// on the timeline and whether it reads a field of the form.
type CheckSpec struct {
	Kind      string
	Backend   string
	Title     string
	ReadsForm bool
}

// Checks lists every check kind.
var Checks = []CheckSpec{
	{CheckBusinessName, BackendRegistry, "Cơ sở dữ liệu quốc gia về đăng ký doanh nghiệp (kiểm tra tên)", true},
	{CheckBusinessRegister, BackendRegistry, "Cơ sở dữ liệu quốc gia về đăng ký doanh nghiệp", true},
	{CheckPopulation, BackendPopulation, "Cơ sở dữ liệu quốc gia về dân cư", false},
	{CheckCriminalRecord, BackendJudicial, "Cơ sở dữ liệu lý lịch tư pháp", false},
	{CheckLandParcel, BackendLand, "Cơ sở dữ liệu đất đai", true},
}

// CheckOf returns the check kind named kind.
func CheckOf(kind string) (CheckSpec, bool) {
	for _, c := range Checks {
		if c.Kind == kind {
			return c, true
		}
	}
	return CheckSpec{}, false
}

// Steps at which checks run.
const (
	AtReception = "reception"
	AtReview    = "review"
	AtIssue     = "issue"
)
