package system

import (
	"cmp"
	"context"
	"net/http"
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
// records a crash may have left ahead of their cases are put right.
func (s *System) resyncRecords() {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		checked, resynced, err := worker.ResyncRecords(ctx, s.Temporal, s.DB, s.Log)
		switch {
		case err != nil && ctx.Err() == nil:
			s.Log.Error("resync records", "err", err)
		case resynced > 0:
			s.Log.Warn("cases recorded again after a crash", "checked", checked, "recorded_again", resynced)
		default:
			s.Log.Info("the read model agrees with the cases last written", "checked", checked)
		}
	}()
	s.onStop(func() error { cancel(); <-done; return nil })
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
