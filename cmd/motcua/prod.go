package main

import (
	"errors"

	"github.com/spf13/cobra"

	"github.com/motcua/motcua/system"
)

func apiCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "api",
		Short: "Serve the HTTP API against a Temporal cluster and PostgreSQL",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return runProduction(cmd, system.API) },
	}
}

func workerCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "worker",
		Short: "Run case workflows and activities against a Temporal cluster and PostgreSQL",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return runProduction(cmd, system.Worker) },
	}
}

// runProduction runs an api or worker process until it is told to stop.
// The database must be migrated already (`motcua migrate up`).
func runProduction(cmd *cobra.Command, role system.Role) error {
	cfg, err := loadConfig(cmd)
	if err != nil {
		return err
	}
	sys, err := system.Start(cmd.Context(), role, cfg, system.Overrides{})
	if err != nil {
		return err
	}
	if role == system.API {
		sys.Log.Info("api listening", "addr", sys.Config.HTTP.Addr)
	} else {
		sys.Log.Info("worker polling", "task_queue", sys.Config.Temporal.TaskQueue, "temporal", sys.Config.Temporal.Address)
	}
	err = sys.Wait(cmd.Context())
	return errors.Join(err, sys.Stop())
}
