package sim

import (
	"net/http"
	"regexp"
	"slices"
	"testing"
)

type nameCheckAnswer struct {
	Available bool     `json:"available"`
	Similar   []string `json:"similar"`
}

type registration struct {
	RegistrationNumber string `json:"registration_number"`
	RegisteredAt       string `json:"registered_at"`
}

func TestBusinessNameCheck(t *testing.T) {
	_, url := startSim(t, Options{})
	check := url + "/registry/business/name-check"

	t.Run("Available", func(t *testing.T) {
		var a nameCheckAnswer
		if got := call(t, "POST", check, map[string]string{"name": "Công ty TNHH Gốm sứ Thanh Hà"}, &a); got != http.StatusOK {
			t.Fatalf("status %d", got)
		}
		if !a.Available || a.Similar == nil || len(a.Similar) != 0 {
			t.Fatalf("got %+v, want available with no similar names", a)
		}
	})
	t.Run("TakenIgnoringTypeCaseAndDiacritics", func(t *testing.T) {
		// Seeded as "Công ty TNHH Du lịch Hội An Xanh".
		var a nameCheckAnswer
		call(t, "POST", check, map[string]string{"name": "CÔNG TY CỔ PHẦN du lich hoi an XANH"}, &a)
		if a.Available || !slices.Contains(a.Similar, "Công ty TNHH Du lịch Hội An Xanh") {
			t.Fatalf("got %+v, want taken with the seeded name similar", a)
		}
	})
	t.Run("Similar", func(t *testing.T) {
		var a nameCheckAnswer
		call(t, "POST", check, map[string]string{"name": "Công ty TNHH Hội An Xanh"}, &a)
		if !a.Available || !slices.Contains(a.Similar, "Công ty TNHH Du lịch Hội An Xanh") {
			t.Fatalf("got %+v, want available with the seeded name similar", a)
		}
	})
	t.Run("ErrForbiddenName", func(t *testing.T) {
		for _, name := range []string{
			"Công ty TNHH Xây dựng Nhà nước", "công ty cp QUỐC HỘI", "Doanh nghiệp tư nhân chinh phu mới", "Công ty Quân-đội",
		} {
			wantError(t, "POST", check, map[string]string{"name": name}, http.StatusUnprocessableEntity, "forbidden_name")
		}
	})
	t.Run("ReservedWordMustBeWhole", func(t *testing.T) {
		// "Nhà nuôi" folds to "nha nuoi", not "nha nuoc".
		var a nameCheckAnswer
		if got := call(t, "POST", check, map[string]string{"name": "Công ty TNHH Nhà nuôi yến"}, &a); got != http.StatusOK {
			t.Fatalf("status %d, want 200", got)
		}
	})
	t.Run("ErrEmptyName", func(t *testing.T) {
		wantError(t, "POST", check, map[string]string{"name": "Công ty TNHH"}, http.StatusUnprocessableEntity, "invalid_name")
	})
}

func TestBusinessRegister(t *testing.T) {
	_, url := startSim(t, Options{})
	register := url + "/registry/business/register"
	req := func(key, name string) map[string]string {
		return map[string]string{"idempotency_key": key, "name": name, "type": "tnhh1", "representative_id": "049090001234"}
	}

	var first registration
	if got := call(t, "POST", register, req("k1", "Công ty TNHH Mỹ nghệ Kim Bồng"), &first); got != http.StatusOK {
		t.Fatalf("status %d", got)
	}
	if !regexp.MustCompile(`^40[0-9]{8}$`).MatchString(first.RegistrationNumber) || first.RegisteredAt == "" {
		t.Fatalf("got %+v, want a 10-digit number starting 40", first)
	}

	t.Run("SameKeySameAnswer", func(t *testing.T) {
		var again registration
		if got := call(t, "POST", register, req("k1", "Công ty TNHH Mỹ nghệ Kim Bồng"), &again); got != http.StatusOK || again != first {
			t.Fatalf("got %d %+v, want %+v", got, again, first)
		}
	})
	t.Run("NameNowTaken", func(t *testing.T) {
		var a nameCheckAnswer
		call(t, "POST", url+"/registry/business/name-check", map[string]string{"name": "Mỹ Nghệ Kim Bồng"}, &a)
		if a.Available {
			t.Fatal("name still available after registering it")
		}
	})
	t.Run("ErrNameTaken", func(t *testing.T) {
		wantError(t, "POST", register, req("k2", "Doanh nghiệp tư nhân MY NGHE KIM BONG"), http.StatusConflict, "name_taken")
	})
	t.Run("ErrForbiddenName", func(t *testing.T) {
		wantError(t, "POST", register, req("k3", "Công ty TNHH Chính phủ điện tử"), http.StatusUnprocessableEntity, "forbidden_name")
	})
	t.Run("ErrMissingKey", func(t *testing.T) {
		wantError(t, "POST", register, req("", "Công ty TNHH Đèn lồng Hội An"), http.StatusUnprocessableEntity, "missing_idempotency_key")
	})
	t.Run("RejectionIsNotKept", func(t *testing.T) {
		// A key whose first try broke a rule may still succeed with a valid name.
		wantError(t, "POST", register, req("k4", "Công ty Quốc hội"), http.StatusUnprocessableEntity, "forbidden_name")
		var r registration
		if got := call(t, "POST", register, req("k4", "Công ty TNHH Đèn lồng Hội An"), &r); got != http.StatusOK || r.RegistrationNumber == first.RegistrationNumber {
			t.Fatalf("got %d %+v", got, r)
		}
	})
}

type citizen struct {
	Valid            bool   `json:"valid"`
	FullName         string `json:"full_name"`
	BirthDate        string `json:"birth_date"`
	PermanentAddress string `json:"permanent_address"`
}

func TestPopulationVerify(t *testing.T) {
	_, url := startSim(t, Options{})
	verify := url + "/population/verify"
	const id = "049090001234"

	var rec citizen
	if got := call(t, "POST", verify, map[string]string{"id_number": id, "name": "someone else"}, &rec); got != http.StatusOK {
		t.Fatalf("status %d", got)
	}
	if rec.Valid {
		t.Error("a wrong name verified")
	}
	if rec.FullName == "" || rec.PermanentAddress == "" || rec.BirthDate[:4] != "1990" {
		t.Fatalf("got %+v, want a record born in 1990 (digits 4-6 of the id)", rec)
	}

	t.Run("Deterministic", func(t *testing.T) {
		// Demo data relies on these staying the same across runs.
		want := citizen{FullName: "Hồ Công Sơn", BirthDate: "1990-10-22",
			PermanentAddress: "Số 73 đường Phan Chu Trinh, Phường Tân Thạnh, thành phố Tam Kỳ, tỉnh Quảng Nam"}
		if rec != want {
			t.Fatalf("got %+v, want %+v", rec, want)
		}
	})
	t.Run("NameMatchesIgnoringCaseAndDiacritics", func(t *testing.T) {
		var c citizen
		call(t, "POST", verify, map[string]string{"id_number": id, "name": "ho cong  SON", "birth_date": "22/10/1990"}, &c)
		if !c.Valid {
			t.Fatalf("got %+v, want valid", c)
		}
	})
	t.Run("WrongBirthDate", func(t *testing.T) {
		var c citizen
		call(t, "POST", verify, map[string]string{"id_number": id, "name": rec.FullName, "birth_date": "1990-10-23"}, &c)
		if c.Valid {
			t.Fatal("a wrong birth date verified")
		}
	})
	t.Run("CenturyAndSexFromID", func(t *testing.T) {
		var c citizen
		call(t, "POST", verify, map[string]string{"id_number": "049305000777", "name": "x"}, &c)
		if c.BirthDate[:4] != "2005" {
			t.Fatalf("birth date %s, want 2005 (digit 4 = 3: born in the 2000s)", c.BirthDate)
		}
	})
	t.Run("ErrInvalidID", func(t *testing.T) {
		for _, bad := range []string{"04909000123", "0490900012345", "04909000123A", ""} {
			wantError(t, "POST", verify, map[string]string{"id_number": bad, "name": "x"}, http.StatusUnprocessableEntity, "invalid_id")
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		wantError(t, "POST", verify, map[string]string{"id_number": "000090001234", "name": "x"}, http.StatusNotFound, "not_found")
	})
	t.Run("ErrInvalidBirthDate", func(t *testing.T) {
		wantError(t, "POST", verify, map[string]string{"id_number": id, "name": "x", "birth_date": "yesterday"}, http.StatusUnprocessableEntity, "invalid_birth_date")
	})
}

func TestLandParcel(t *testing.T) {
	_, url := startSim(t, Options{})
	var p, again struct {
		Parcel    string  `json:"parcel"`
		MapSheet  string  `json:"map_sheet"`
		AreaM2    float64 `json:"area_m2"`
		LandUse   string  `json:"land_use"`
		OwnerName string  `json:"owner_name"`
		Address   string  `json:"address"`
	}
	if got := call(t, "GET", url+"/land/parcels/12-345", nil, &p); got != http.StatusOK {
		t.Fatalf("status %d", got)
	}
	if p.Parcel != "12-345" || p.MapSheet != "12" || p.AreaM2 <= 0 || p.LandUse == "" || p.OwnerName == "" || p.Address == "" {
		t.Fatalf("got %+v", p)
	}
	call(t, "GET", url+"/land/parcels/012-0345", nil, &again)
	if again != p {
		t.Fatalf("012-0345 gave %+v, want the same parcel as 12-345 %+v", again, p)
	}
	for _, bad := range []string{"12", "12-", "a-345", "12-345-6", "0-345", "12345-1"} {
		wantError(t, "GET", url+"/land/parcels/"+bad, nil, http.StatusNotFound, "not_found")
	}
}

func TestCriminalRecordCheck(t *testing.T) {
	_, url := startSim(t, Options{})
	check := url + "/judicial/criminal-record-check"
	type record struct {
		Court, Judgment, Date, Offence string
	}
	type answer struct {
		HasRecord bool     `json:"has_record"`
		Records   []record `json:"records"`
		CheckedAt string   `json:"checked_at"`
	}

	t.Run("Clean", func(t *testing.T) {
		var a answer
		if got := call(t, "POST", check, map[string]string{"idempotency_key": "j1", "id_number": "049090001234", "name": "Hồ Công Sơn"}, &a); got != http.StatusOK {
			t.Fatalf("status %d", got)
		}
		if a.HasRecord || a.Records == nil || len(a.Records) != 0 || a.CheckedAt == "" {
			t.Fatalf("got %+v, want no record and an empty list", a)
		}
	})
	t.Run("WithRecord", func(t *testing.T) {
		var a answer
		call(t, "POST", check, map[string]string{"idempotency_key": "j2", "id_number": "049090001213", "name": "x"}, &a)
		if !a.HasRecord || len(a.Records) != 1 || a.Records[0].Court == "" || a.Records[0].Offence == "" {
			t.Fatalf("got %+v, want one record", a)
		}
	})
	t.Run("SameKeySameAnswer", func(t *testing.T) {
		var a, b answer
		call(t, "POST", check, map[string]string{"idempotency_key": "j3", "id_number": "049090001234", "name": "x"}, &a)
		call(t, "POST", check, map[string]string{"idempotency_key": "j3", "id_number": "049090001234", "name": "x"}, &b)
		if a.CheckedAt != b.CheckedAt {
			t.Fatalf("checked_at %s then %s, want the first answer repeated", a.CheckedAt, b.CheckedAt)
		}
	})
	t.Run("ErrInvalidID", func(t *testing.T) {
		wantError(t, "POST", check, map[string]string{"idempotency_key": "j4", "id_number": "123", "name": "x"}, http.StatusUnprocessableEntity, "invalid_id")
	})
}
