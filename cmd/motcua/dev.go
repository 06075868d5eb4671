package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/motcua/motcua/config"
	"github.com/motcua/motcua/system"
)

func devCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "dev",
		Short: "Run everything in one process: embedded Temporal, read model, API, worker, simulated agency back-ends",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := loadConfig(cmd)
			if err != nil {
				return err
			}
			return runDev(cmd.Context(), cmd.OutOrStdout(), cfg)
		},
	}
	cmd.Flags().String("sim-addr", "", settingHelp("HTTP listen address of the simulated agency back-ends", "sim.addr"))
	cmd.Flags().String("sim-smtp-addr", "", settingHelp("SMTP listen address of the simulator's mail sink", "sim.smtp_addr"))
	cmd.Flags().String("temporal-ui-addr", "", settingHelp("HTTP listen address of the Temporal Web UI (empty: none)", "temporal.ui_addr"))
	cmd.Flags().String("filing-day", "", settingHelp("route submissions as if filed on this day (YYYY-MM-DD), to rehearse a reform", "procedures.filing_day"))
	return cmd
}

func runDev(ctx context.Context, out io.Writer, cfg *config.Config) error {
	started := time.Now()
	sys, err := system.Start(ctx, system.Dev, cfg, system.Overrides{})
	if err != nil {
		return err
	}
	printBanner(out, sys, time.Since(started))
	err = sys.Wait(ctx)
	sys.Log.Info("shutting down")
	return errors.Join(err, sys.Stop())
}

func printBanner(out io.Writer, sys *system.System, took time.Duration) {
	c, base := sys.Config, sys.URL
	fmt.Fprintf(out, `motcua dev is running (started in %s)
  portal         %s/   (find a procedure, look a case up)
  API            %s/api/v1   (OpenAPI: %s/api/v1/openapi.json)
  health         %s/healthz  %s/readyz
  Temporal       %s  namespace %q  (temporal workflow list --address %s)
  Temporal UI    %s  (search cases: CaseAgency = 'DN-STC' AND CaseOverdue = true)
  agency sim     %s  (registries, payment gateway, post, SMS; e-mail at %s/dev/mailbox, SMTP %s)
  read model     %s
  data           %s

Get a token (dev mode only):
  curl -s -X POST %s/api/v1/dev/login -d '{"role":"citizen","subject":"079201001234"}'
  curl -s -X POST %s/api/v1/dev/login -d '{"role":"officer","subject":"canbo1","agency":"DN-STC","roles":["receiver","reviewer","approver","cashier","head"]}'
Press Ctrl+C to stop.
`, took.Round(time.Millisecond), base, base, base, base, base, c.Temporal.Address, c.Temporal.Namespace, c.Temporal.Address,
		cmp.Or(sys.TemporalUI, "off (temporal.ui_addr)"), sys.SimURL, base, sys.SimSMTP, sys.DB.Dialect(), c.DataDir, base, base)
}
