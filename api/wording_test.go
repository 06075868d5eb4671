package api

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/motcua/motcua"
)

// Messages people read carry no codes and no English (issue 12,
// "Language"): no snake_case codes ("awaiting_issue"), no agency codes
// ("UBND-TAMKY"), no channel or delivery codes, no English sentences.
var (
	snakeCode  = regexp.MustCompile(`\b[a-z]+_[a-z_]+\b`)
	agencyCode = regexp.MustCompile(`\b[A-Z]{2,}(-[A-Z]{2,})+\b`) // a case code (CAT-250314-0002) is the case's name
	quotedCode = regexp.MustCompile(`"[a-z_]+"`)
	english    = regexp.MustCompile(`(?i)\b(error|occurred|internal|invalid|online|counter|post|must|one of|not found|forbidden|conflict)\b`)
)

// allowedTerms are technical names a message may use for what the client
// must send.
var allowedTerms = strings.NewReplacer("Idempotency-Key", "", "X-Case-Secret", "", `trường "file"`, "")

// codesOrEnglish lists what in s is a code or English.
func codesOrEnglish(s string) []string {
	s = allowedTerms.Replace(s)
	var out []string
	for _, re := range []*regexp.Regexp{snakeCode, agencyCode, quotedCode, english} {
		out = append(out, re.FindAllString(s, -1)...)
	}
	return out
}

func TestCodesOrEnglish(t *testing.T) {
	for _, bad := range []string{
		"Cần chọn cơ quan giải quyết: UBND-TAMKY, UBND-HOIAN.",
		"Cách nhận kết quả phải là một trong: online, counter, post.",
		`Không thể thực hiện "receive" khi hồ sơ ở trạng thái "submitted".`,
		"Hệ thống đang gặp sự cố, vui lòng thử lại sau. (An internal error occurred.)",
		"Trạng thái awaiting_issue.",
	} {
		if len(codesOrEnglish(bad)) == 0 {
			t.Errorf("%q passes", bad)
		}
	}
	for _, good := range []string{
		msgIDNumber, msgCitizenID, "Chọn cách nhận kết quả: " + deliveryChoices([]string{"online", "counter", "post"}) + ".",
		"Cần tiêu đề Idempotency-Key (tối đa 200 ký tự), để gửi lại không tạo thao tác trùng.",
	} {
		if got := codesOrEnglish(good); len(got) > 0 {
			t.Errorf("%q flagged: %v", good, got)
		}
	}
}

// assertPlainVietnamese checks an error answer's message and field
// messages.
func assertPlainVietnamese(t *testing.T, name string, body []byte) {
	t.Helper()
	var e errorBody
	if json.Unmarshal(body, &e) != nil {
		return
	}
	texts := []string{e.Error.Message}
	for _, m := range e.Error.Fields {
		texts = append(texts, m)
	}
	for _, s := range texts {
		if got := codesOrEnglish(s); len(got) > 0 {
			t.Errorf("%s: the message %q carries codes or English: %v", name, s, got)
		}
	}
}

// System-only actions (back-end callbacks) are never among the actions
// offered to people, and no action is offered twice.
func TestPresentOffersNoSystemActions(t *testing.T) {
	perm := func(a motcua.Action, r motcua.Role) motcua.Permission { return motcua.Permission{Action: a, Role: r} }
	cs := &motcua.Case{Actions: []motcua.Permission{
		perm(motcua.ActionConfirmPayment, motcua.RoleCashier), perm(motcua.ActionPaymentResult, motcua.RoleSystem),
		perm(motcua.ActionPaymentResult, motcua.RoleSystem), perm(motcua.ActionPostalTracking, motcua.RoleSystem),
		perm(motcua.ActionWithdraw, motcua.RoleApplicant), perm(motcua.ActionWithdraw, motcua.RoleApplicant),
	}}
	var got []string
	for _, a := range present(cs).Actions {
		got = append(got, string(a.Action))
	}
	if want := []string{"confirm_payment", "withdraw"}; !slices.Equal(got, want) {
		t.Fatalf("offered %v, want %v", got, want)
	}
}
