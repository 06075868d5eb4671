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
// resyncWindow of the newest one (a workflow task lives seconds; its
// local activities' records are among the last written before a crash),
// at most resyncLimit cases.
const (
	resyncWindow = 2 * time.Minute
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
		qctx, cancel := context.WithTimeout(ctx, 30*time.Second) // a task a crash left in flight times out first
		res, err := tc.QueryWorkflow(qctx, rc.Code, "", workflows.QueryCase)
		cancel()
		if err != nil {
			if ctx.Err() != nil {
				return checked, resynced, ctx.Err()
			}
			log.Warn("resync: the case's workflow does not answer", "case", rc.Code, "err", err)
			continue
		}
		checked++
		var live motcua.Case
		if err := res.Get(&live); err != nil {
			return checked, resynced, fmt.Errorf("resync %s: %w", rc.Code, err)
		}
		if rc.Version <= live.Version {
			continue
		}
		log.Warn("the read model shows a record its case lost in a crash; the case records again",
			"case", rc.Code, "read_model_version", rc.Version, "workflow_version", live.Version)
		if err := tc.SignalWorkflow(ctx, rc.Code, "", workflows.SignalResync, nil); err != nil {
			log.Warn("resync: the case cannot be signalled", "case", rc.Code, "err", err)
			continue
		}
		resynced++
	}
	return checked, resynced, nil
}
