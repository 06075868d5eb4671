package workflows

import (
	"fmt"
	"slices"
	"strings"

	"go.temporal.io/sdk/temporal"

	"github.com/motcua/motcua"
)

// Refusals people read name actions and statuses in words, never by their
// codes: in Vietnamese, with the English in the error's details
// (motcua.MessageEn) for the API to answer under Accept-Language: en.

// actionTitle is an action as people read it.
func actionTitle(a motcua.Action) motcua.Text {
	if s, ok := Spec(a); ok && s.Title.Vi != "" {
		return s.Title
	}
	return motcua.Text{Vi: string(a), En: string(a)}
}

// notNow refuses an action the case does not take in its current status.
func (c *caseRun) notNow(a motcua.Action) error {
	var vi, en []string
	if !c.finished {
		for _, p := range c.open {
			if s, ok := Spec(p.Action); ok && s.System() {
				continue // back-end callbacks are nobody's to take
			}
			t := actionTitle(p.Action)
			if !slices.Contains(vi, t.Vi) {
				vi, en = append(vi, t.Vi), append(en, t.En)
			}
		}
	}
	open, openEn := "không có thao tác nào", "nothing"
	if len(vi) > 0 {
		open, openEn = strings.Join(vi, "; "), strings.Join(en, "; ")
	}
	t, st := actionTitle(a), c.state.Status.Name()
	return temporal.NewApplicationError(
		fmt.Sprintf("Không thể thực hiện thao tác “%s” khi hồ sơ đang ở trạng thái “%s”. Thao tác có thể thực hiện lúc này: %s.", t.Vi, st.Vi, open),
		motcua.ECONFLICT, motcua.MessageEn{En: fmt.Sprintf("“%s” cannot be done while the case is “%s”. What can be done now: %s.", t.En, st.En, openEn)})
}

// notYours refuses an action the actor may not take.
func notYours(a motcua.Action) error {
	t := actionTitle(a)
	return temporal.NewApplicationError(fmt.Sprintf("Bạn không có quyền thực hiện thao tác “%s” trên hồ sơ này.", t.Vi), motcua.EFORBIDDEN,
		motcua.MessageEn{En: fmt.Sprintf("You may not do “%s” on this case.", t.En)})
}
