package main

import (
	"encoding/json"
	"fmt"
	"sort"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/config"
	"github.com/motcua/motcua/procedures"
	"github.com/motcua/motcua/store"
)

func migrateCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "migrate", Short: "Apply, roll back or list read-model migrations"}
	run := func(name, short string, f func(cmd *cobra.Command) error) *cobra.Command {
		return &cobra.Command{Use: name, Short: short, Args: cobra.NoArgs, RunE: func(cmd *cobra.Command, _ []string) error { return f(cmd) }}
	}
	cmd.AddCommand(
		run("up", "Apply every pending migration", func(cmd *cobra.Command) error {
			db, err := openFromFlags(cmd)
			if err != nil {
				return err
			}
			defer db.Close()
			if err := db.MigrateUp(cmd.Context()); err != nil {
				return err
			}
			return db.MigrateStatus(cmd.Context(), cmd.OutOrStdout())
		}),
		run("down", "Roll back the newest migration", func(cmd *cobra.Command) error {
			db, err := openFromFlags(cmd)
			if err != nil {
				return err
			}
			defer db.Close()
			if err := db.MigrateDown(cmd.Context()); err != nil {
				return err
			}
			return db.MigrateStatus(cmd.Context(), cmd.OutOrStdout())
		}),
		run("status", "List migrations and whether each is applied", func(cmd *cobra.Command) error {
			db, err := openFromFlags(cmd)
			if err != nil {
				return err
			}
			defer db.Close()
			return db.MigrateStatus(cmd.Context(), cmd.OutOrStdout())
		}),
	)
	return cmd
}

func openFromFlags(cmd *cobra.Command) (*store.DB, error) {
	cfg, err := loadConfig(cmd)
	if err != nil {
		return nil, err
	}
	return openStore(cmd.Context(), cfg)
}

func proceduresCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "procedures", Short: "Validate and list procedure definitions"}
	cmd.AddCommand(&cobra.Command{
		Use:   "validate [DIR]",
		Short: "Check every definition in DIR (default: the embedded catalogue) and report each problem",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var cat *procedures.Catalog
			var err error
			if len(args) == 1 {
				cat, err = procedures.LoadDir(args[0])
			} else {
				cat, err = procedures.Embedded()
			}
			if err != nil {
				fmt.Fprintln(cmd.ErrOrStderr(), err)
				return fmt.Errorf("procedure definitions are not valid")
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%d procedure definitions are valid\n", len(cat.All()))
			return nil
		},
	})
	cmd.AddCommand(&cobra.Command{
		Use:   "list",
		Short: "Print the catalogue: code, levels, agency, processing time, fee, name",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := loadConfig(cmd)
			if err != nil {
				return err
			}
			cat, err := loadCatalog(cfg)
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "CODE\tLEVEL\tONLINE\tAGENCY\tDAYS\tFEE (VND)\tNAME")
			for _, p := range cat.All() {
				fee := "-"
				if p.Fee != nil {
					fee = fmt.Sprint(p.Fee.Amount)
				}
				agency := p.Agencies[0]
				if len(p.Agencies) > 1 {
					agency = fmt.Sprintf("%s (+%d)", agency, len(p.Agencies)-1)
				}
				fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%d\t%s\t%s\n", p.Code, p.Level, dash(p.Online), agency, p.ProcessingDays, fee, p.Name.Vi)
			}
			return tw.Flush()
		},
	})
	return cmd
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func calendarCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "calendar", Short: "Working-day arithmetic on the civil-servant calendar"}
	due := &cobra.Command{
		Use:   "due --from YYYY-MM-DD --days N",
		Short: "Print the due date of a case received on --from with a processing time of --days working days",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := loadConfig(cmd)
			if err != nil {
				return err
			}
			cal, err := loadCalendar(cfg)
			if err != nil {
				return err
			}
			fromStr, _ := cmd.Flags().GetString("from")
			days, _ := cmd.Flags().GetInt("days")
			from, err := time.ParseInLocation(time.DateOnly, fromStr, calendar.Location)
			if err != nil {
				return fmt.Errorf("--from: %q is not a date YYYY-MM-DD", fromStr)
			}
			if days < 1 {
				return fmt.Errorf("--days: must be at least 1")
			}
			d, _ := cal.Due(from, days, nil)
			fmt.Fprintln(cmd.OutOrStdout(), d.Format(time.DateOnly))
			if !cal.Covers(d) {
				fmt.Fprintf(cmd.ErrOrStderr(), "warning: %d is not in the calendar (years %v); weekdays were assumed\n", d.Year(), cal.Years())
			}
			return nil
		},
	}
	due.Flags().String("from", "", "reception date, YYYY-MM-DD (the day itself does not count)")
	due.Flags().Int("days", 0, "legal processing time in working days")
	_ = due.MarkFlagRequired("from")
	_ = due.MarkFlagRequired("days")
	cmd.AddCommand(due)
	return cmd
}

func configCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "config",
		Short: "Print the effective configuration (secrets masked)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			file, _ := cmd.Flags().GetString("config")
			_, v, err := config.Load(file, cmd.Flags())
			if err != nil {
				return err
			}
			eff := config.Effective(v)
			keys := make([]string, 0, len(eff))
			for k := range eff {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			out := cmd.OutOrStdout()
			for _, k := range keys {
				b, _ := json.Marshal(eff[k])
				fmt.Fprintf(out, "%s = %s\n", k, b)
			}
			return nil
		},
	}
}
