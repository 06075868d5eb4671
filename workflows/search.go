package workflows

import (
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

// Search attributes: what an operator filters cases by in Temporal's
// visibility (the Web UI, `temporal workflow list --query`), kept current at
// every transition from versionSearchAttributes on. They must be registered
// on the namespace before a case of that version runs: the embedded server
// registers them, production processes check them at start-up.
var (
	// SearchAgency is the lead agency's code.
	SearchAgency = temporal.NewSearchAttributeKeyKeyword("CaseAgency")
	// SearchProcedure is the procedure's code.
	SearchProcedure = temporal.NewSearchAttributeKeyKeyword("CaseProcedure")
	// SearchStatus is the case's motcua.Status.
	SearchStatus = temporal.NewSearchAttributeKeyKeyword("CaseStatus")
	// SearchDueAt is the legal due time; unset until reception starts the
	// clock.
	SearchDueAt = temporal.NewSearchAttributeKeyTime("CaseDueAt")
	// SearchOverdue is true once the due time passed with the case open.
	SearchOverdue = temporal.NewSearchAttributeKeyBool("CaseOverdue")
	// SearchChannel is how the case was filed (online, counter).
	SearchChannel = temporal.NewSearchAttributeKeyKeyword("CaseChannel")
)

// SearchAttributes are the attributes a namespace must have, by name and
// type, for cases to run.
func SearchAttributes() map[string]enumspb.IndexedValueType {
	out := map[string]enumspb.IndexedValueType{}
	for _, k := range []temporal.SearchAttributeKey{SearchAgency, SearchProcedure, SearchStatus, SearchDueAt, SearchOverdue, SearchChannel} {
		out[k.GetName()] = k.GetValueType()
	}
	return out
}

// searchState is what the case last told visibility.
type searchState struct {
	sent                      bool
	agency, procedure, status string
	channel                   string
	due                       time.Time
	overdue                   bool
}

// upsertSearch tells visibility what changed since the last call (every
// attribute on the first), adding one history event only when something did.
func (c *caseRun) upsertSearch(ctx workflow.Context) error {
	if c.version < versionSearchAttributes {
		return nil
	}
	was := c.search
	now := searchState{sent: true, agency: c.state.Agency, procedure: c.state.Procedure.Code, status: string(c.state.Status),
		channel: c.state.Channel, overdue: c.state.Overdue}
	if c.state.DueAt != nil {
		now.due = *c.state.DueAt
	}
	var ups []temporal.SearchAttributeUpdate
	keyword := func(k temporal.SearchAttributeKeyKeyword, old, v string) {
		if v != old || !was.sent {
			if v == "" {
				ups = append(ups, k.ValueUnset())
			} else {
				ups = append(ups, k.ValueSet(v))
			}
		}
	}
	keyword(SearchAgency, was.agency, now.agency)
	keyword(SearchProcedure, was.procedure, now.procedure)
	keyword(SearchStatus, was.status, now.status)
	keyword(SearchChannel, was.channel, now.channel)
	if !now.due.Equal(was.due) || !was.sent {
		if now.due.IsZero() {
			ups = append(ups, SearchDueAt.ValueUnset())
		} else {
			ups = append(ups, SearchDueAt.ValueSet(now.due))
		}
	}
	if now.overdue != was.overdue || !was.sent {
		ups = append(ups, SearchOverdue.ValueSet(now.overdue))
	}
	if len(ups) == 0 {
		return nil
	}
	if err := workflow.UpsertTypedSearchAttributes(ctx, ups...); err != nil {
		return err
	}
	c.search = now
	return nil
}
