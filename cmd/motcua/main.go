// Command motcua runs the one-stop case engine: `motcua dev` runs everything
// in one process on an embedded default; `motcua api` and `motcua worker`
// are the production processes; the rest are tools for operators and
// procedure authors.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := rootCmd().ExecuteContext(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "motcua:", err)
		os.Exit(1)
	}
}

func rootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:           "motcua",
		Short:         "Một cửa: online public services as durable workflows",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentFlags().String("config", "", "configuration file (default ./motcua.yaml if present)")
	root.PersistentFlags().String("data-dir", "", settingHelp("data directory", "data_dir"))
	root.PersistentFlags().String("http-addr", "", settingHelp("HTTP listen address of the API and the web pages", "http.addr"))
	root.PersistentFlags().String("temporal-addr", "", settingHelp("Temporal frontend address (in dev: where the embedded server listens)", "temporal.address"))
	root.AddCommand(devCmd(), apiCmd(), workerCmd(), migrateCmd(), withImport(proceduresCmd()), calendarCmd(), configCmd(), simCmd(), benchCmd(), handoverCmd(), reportCmd())
	return root
}
