package worker

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/store"
	"github.com/motcua/motcua/workflows"
)

// Crash windows ResyncRecords looks at: the records written within
// resyncWindow of the newest one, at most resyncLimit cases. A record a
// crash can leave ahead of its case was written inside a workflow task in
// flight at the crash, so at most a task timeout (Temporal's default,
// 10 s, which the SDK's heartbeat of a task running local activities
// keeps to) before it, and the newest record is no later than the crash;
// the rest is a margin for the clocks of several writers. (It was two
// minutes: about 4,400 cases to ask after filing at full speed, two
// minutes of a core at start-up.)
const (
	resyncWindow = 30 * time.Second
	resyncLimit  = 5000
)

// ResyncRecords finds the cases whose read model shows a record their
// workflow never made durable and asks each to record itself again
// (workflows.SignalResync). From workflow version 6 a case's records are
// written by local activities inside the workflow task, before the task
// is durable: when the server dies with the task in flight (motcua dev is
// one process: a crash kills both), an Update it carried is lost, the
// workflow replays to the version before it, and the read model would go
// on showing the lost action, its open actions included, until the case
// records again — which it may never do while it waits for an action the
// read model no longer offers. Such records are among the last written
// before the crash; each of those cases' workflows is asked its version
// (a query, answered from durable history) and told to record again when
// the read model is ahead of it. Run once when a worker starts.
func ResyncRecords(ctx context.Context, tc client.Client, db *store.DB, log *slog.Logger) (checked, resynced int, err error) {
	recent, err := db.LastWritten(ctx, resyncWindow, resyncLimit)
	if err != nil {
		return 0, 0, err
	}
	for _, rc := range recent {
		again, err := ResyncCase(ctx, tc, rc.Code, rc.Version, log)
		if ctx.Err() != nil {
			return checked, resynced, ctx.Err()
		}
		if err != nil {
			log.Warn("resync", "case", rc.Code, "err", err)
			continue
		}
		checked++
		if again {
			resynced++
		}
	}
	return checked, resynced, nil
}

// ResyncCase asks a case's workflow for its version and, when the read
// model shows a later one (stored), has the case record itself again. It
// reports whether it did. The API calls it when a case refuses an action
// the read model offered, or an Update failed without an answer.
func ResyncCase(ctx context.Context, tc client.Client, code string, stored int, log *slog.Logger) (bool, error) {
	qctx, cancel := context.WithTimeout(ctx, 30*time.Second) // a task a crash left in flight times out first
	res, err := tc.QueryWorkflow(qctx, code, "", workflows.QueryCase)
	cancel()
	if err != nil {
		return false, fmt.Errorf("the case's workflow does not answer: %w", err)
	}
	var live motcua.Case
	if err := res.Get(&live); err != nil {
		return false, fmt.Errorf("the case's answer: %w", err)
	}
	if stored <= live.Version {
		return false, nil
	}
	log.Warn("the read model shows a record its case lost in a crash; the case records again",
		"case", code, "read_model_version", stored, "workflow_version", live.Version)
	if err := tc.SignalWorkflow(ctx, code, "", workflows.SignalResync, nil); err != nil {
		return false, fmt.Errorf("the case cannot be signalled: %w", err)
	}
	return true, nil
}
