package api

import (
	"regexp"
	"strings"

	"github.com/motcua/motcua"
)

// Identity numbers. A Vietnamese citizen is identified by the 12-digit
// personal identification number (số định danh cá nhân, printed on the
// Căn cước and Căn cước công dân cards); the 9-digit identity card (Chứng
// minh nhân dân) ceased to be valid on 1 January 2025 under the transitional
// provision of the Law on Identity no. 26/2023/QH15 (article number chưa xác
// minh). A foreigner is identified by passport number: a letter, then
// letters and digits, 6 to 9 in all (ICAO Doc 9303 allows up to 9; the
// leading letter tells it from an old 9-digit card number).
var (
	personalIDPattern = regexp.MustCompile(`^[0-9]{12}$`)
	passportPattern   = regexp.MustCompile(`^[A-Z][A-Z0-9]{5,8}$`)
)

// Messages of a refused identity number.
const (
	msgIDNumber  = "Ghi số định danh cá nhân gồm 12 chữ số (trên thẻ Căn cước hoặc Căn cước công dân; Chứng minh nhân dân 9 số hết giá trị từ 01/01/2025); người nước ngoài ghi số hộ chiếu."
	msgCitizenID = "Ghi số định danh cá nhân gồm 12 chữ số (Chứng minh nhân dân 9 số hết giá trị từ 01/01/2025)."
)

// validApplicantID: a personal identification number, or a passport number.
func validApplicantID(s string) bool {
	return personalIDPattern.MatchString(s) || passportPattern.MatchString(strings.ToUpper(s))
}

// deliveryChoices lists the ways a procedure returns its result, in words.
func deliveryChoices(methods []string) string {
	names := make([]string, len(methods))
	for i, m := range methods {
		names[i] = motcua.DeliveryName(m).Vi
	}
	return strings.Join(names, "; ")
}
