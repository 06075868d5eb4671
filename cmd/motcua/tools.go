package main

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/config"
	"github.com/motcua/motcua/procedures"
	"github.com/motcua/motcua/store"
	"github.com/motcua/motcua/system"
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
	return system.OpenStore(cmd.Context(), cfg)
}

func proceduresCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "procedures", Short: "Validate, try and list procedure definitions"}
	cmd.AddCommand(tryCmd())
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
	list := &cobra.Command{
		Use:   "list",
		Short: "Print the catalogue: code, levels, agency, processing time, fee, name (--seed: the 2013 plan's priority list and what implements each row)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := loadConfig(cmd)
			if err != nil {
				return err
			}
			cat, err := system.LoadCatalog(cfg)
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			if seed, _ := cmd.Flags().GetBool("seed"); seed {
				fmt.Fprintln(tw, "YEAR\tNO\tSEED LEVELS\tSEED AGENCY\tSEED NAME\tDEFINITIONS (level, agency)")
				for _, r := range procedures.Seed().Priority.Rows {
					var impl []string
					for _, code := range r.Codes {
						if p, ok := cat.Get(code); ok {
							impl = append(impl, fmt.Sprintf("%s (%d, %s)", code, p.Level, agencies(p.Agencies)))
						}
					}
					fmt.Fprintf(tw, "%d\t%d\t%v\t%s\t%s\t%s\n", r.Year, r.No, r.Levels, r.Agency, oneLine(r.Name), strings.Join(impl, "; "))
				}
				return tw.Flush()
			}
			fmt.Fprintln(tw, "CODE\tLEVEL\tONLINE\tAGENCY\tDAYS\tFEE (VND)\tNAME")
			for _, p := range cat.All() {
				fee := "-"
				if p.Fee != nil {
					fee = fmt.Sprint(p.Fee.Amount)
				}
				fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%d\t%s\t%s\n", p.Code, p.Level, dash(p.Online), agencies(p.Agencies), p.ProcessingDays, fee, p.Name.Vi)
			}
			return tw.Flush()
		},
	}
	list.Flags().Bool("seed", false, "list the seed's priority procedures (2013–2015) and the definitions that implement them")
	cmd.AddCommand(list)
	return cmd
}

// agencies shows the lead agency, and how many more may lead.
func agencies(codes []string) string {
	if len(codes) > 1 {
		return fmt.Sprintf("%s (+%d)", codes[0], len(codes)-1)
	}
	return codes[0]
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

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
			cal, err := system.LoadCalendar(cfg)
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
				var b strings.Builder
				enc := json.NewEncoder(&b)
				enc.SetEscapeHTML(false)
				_ = enc.Encode(eff[k])
				fmt.Fprintf(out, "%s = %s\n", k, strings.TrimSpace(b.String()))
			}
			return nil
		},
	}
}
