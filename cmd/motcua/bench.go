package main

import (
	"time"

	"github.com/spf13/cobra"

	"github.com/motcua/motcua/bench"
)

func benchCmd() *cobra.Command {
	o := bench.Options{}
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Measure whole cases, action latency and look-ups against bare Temporal on the embedded system",
		Long: `bench starts the embedded system in a temporary directory and runs, in alternating
rounds, whole cases of a procedure through the HTTP API and a bare Temporal workflow that
takes the same number of validated Updates (each followed by a no-op activity) on the same
server. It prints cases per second and their ratio, latency percentiles per action, look-up
through the API against a Temporal query, and the process's memory and CPU.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o.Out = cmd.OutOrStdout()
			return bench.Run(cmd.Context(), o)
		},
	}
	cmd.AddCommand(benchHandoverCmd())
	f := cmd.Flags()
	f.StringVar(&o.Procedure, "procedure", "dang-ky-tam-tru", "procedure every case runs")
	f.IntVar(&o.Clients, "clients", 20, "concurrent clients")
	f.DurationVar(&o.Round, "round", 20*time.Second, "length of one round of each kind")
	f.IntVar(&o.Rounds, "rounds", 3, "rounds of each kind, alternating")
	f.IntVar(&o.LookupClients, "lookup-clients", 20, "clients reading one open case (0: skip)")
	f.StringVar(&o.DataDir, "data-dir", "", "where the embedded system keeps its files (default: a temporary directory, removed after)")
	f.IntVar(&o.Open, "open", 0, "then file this many cases, leave them waiting on the applicant, and report memory and a cache miss")
	f.BoolVar(&o.OpenFiled, "open-filed", false, "leave the --open cases as filed, waiting on the desk's answer timer (one request a case)")
	f.IntVar(&o.CacheSize, "cache", 0, "the worker's cache of workflow states (0: temporal.workflow_cache_size)")
	f.DurationVar(&o.Idle, "idle", 0, "then leave the system idle this long and report its CPU and RSS (with --data-dir, a second run measures a restart on the cases of the first)")
	f.StringVar(&o.ProfileDir, "profile", "", "write CPU (cpu.pprof: the first motcua round, cpu-2.pprof: the second…), heap, block and mutex profiles to this folder")
	return cmd
}
