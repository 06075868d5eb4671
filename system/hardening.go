package system

import (
	"cmp"
	"context"
	"net/http"
	"os"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/activities"
	"github.com/motcua/motcua/api"
	"github.com/motcua/motcua/worker"
	"github.com/motcua/motcua/workflows"
)

// reconcile runs the incident reconciler (api.Reconciler) beside the API
// until the system stops: every API process runs one; an incident is
// recorded once per workflow run whoever finds it.
func (s *System) reconcile() {
	ctx, cancel := context.WithCancel(context.Background())
	r := &api.Reconciler{Temporal: s.Temporal, Namespace: s.Config.Temporal.Namespace, TaskQueue: s.Config.Temporal.TaskQueue,
		Store: s.DB, Logger: s.Log, Now: time.Now}
	done := make(chan struct{})
	go func() {
		defer close(done)
		r.Run(ctx, s.Config.Incidents.ReconcileEvery)
	}()
	s.onStop(func() error { cancel(); <-done; return nil })
}

// resyncRecords runs worker.ResyncRecords once in the background: the
// records a crash may have left ahead of their cases are put right. After
// a clean stop there are none.
func (s *System) resyncRecords(lastStopClean bool) {
	if lastStopClean {
		s.resynced.Store(true)
		s.Log.Info("the last stop was clean: no record can be ahead of its case")
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		checked, resynced, err := worker.ResyncRecords(ctx, s.Temporal, s.DB, s.Log)
		switch {
		case ctx.Err() != nil:
			return // stopped before the pass ended: the next start runs it again
		case err != nil:
			s.Log.Error("resync records", "err", err)
			return
		case resynced > 0:
			s.Log.Warn("cases recorded again after a crash", "checked", checked, "recorded_again", resynced)
		default:
			s.Log.Info("the read model agrees with the cases last written", "checked", checked)
		}
		s.resynced.Store(true)
	}()
	s.onStop(func() error { cancel(); <-done; return nil })
}

// cleanStopFile, in the data directory of a system that embeds its
// Temporal server, says its last stop was clean: the worker had drained
// its workflow tasks (the server, in the same process, was still up to
// take their completions) and no record was left ahead of its case, so the
// next start skips the pass. At 100,000 open cases, after filing at full
// speed, the pass kept a core busy for two minutes after every restart.
// Only the embedded system can know: elsewhere a worker's clean stop says
// nothing of the server or of the other workers.
const cleanStopFile = "stopped-cleanly"

// lastStopClean reports whether mark says the last stop was clean, and
// removes it: a crash from here on must leave no mark.
func lastStopClean(mark string) bool {
	return mark != "" && os.Remove(mark) == nil
}

// markCleanStop writes mark once the worker has stopped, if no record can
// be ahead of its case.
func (s *System) markCleanStop(mark string) error {
	if !s.resynced.Load() {
		return nil
	}
	return os.WriteFile(mark, []byte("motcua stopped cleanly; the next start skips the check of the last records\n"), 0o644)
}

// codeSender sends one-time codes from the API process (api/secrets.go)
// as the workers send notifications: SMS through the gateway, e-mail
// through the relay.
func codeSender(s *System, o Overrides) func(context.Context, workflows.Notification) error {
	b := s.Config.Backends
	backends := &activities.Backends{URLs: map[string]string{}, HTTP: o.BackendHTTP}
	for _, backend := range motcua.Backends {
		backends.URLs[backend.Name] = s.backendURL(backend.Name)
	}
	if backends.HTTP == nil {
		backends.HTTP = &http.Client{Timeout: b.Timeout}
	}
	n := &activities.Notifier{Backends: backends, SMTPAddr: cmp.Or(b.SMTPAddr, s.SimSMTP), From: b.MailFrom, PublicURL: s.Config.PublicURL()}
	return n.Notify
}
