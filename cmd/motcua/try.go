package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing/fstest"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/procedures"
	"github.com/motcua/motcua/trial"
)

func tryCmd() *cobra.Command {
	var from, scenario string
	cmd := &cobra.Command{
		Use:   "try FILE",
		Short: "Run a definition before it is published: each scenario's steps, actors, due dates and what the applicant is told",
		Long: `try validates FILE like any definition, then runs its case on its shape's workflow code and the
province's calendar in Temporal's test environment (time skips ahead), with the agency back-ends
answering yes: the happy path, a supplement round, a late case (apology and new date), a refusal.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			day, err := time.ParseInLocation(time.DateOnly, from, calendar.Location)
			if err != nil {
				return fmt.Errorf("--from %q: a date as YYYY-MM-DD", from)
			}
			data, err := os.ReadFile(args[0])
			if err != nil {
				return err
			}
			name := filepath.Base(args[0])
			cat, err := procedures.Load(fstest.MapFS{name: {Data: data}}, procedures.DefaultAgencies())
			if err != nil {
				fmt.Fprintln(cmd.ErrOrStderr(), err)
				return fmt.Errorf("%s is not a valid definition", args[0])
			}
			p, _ := cat.Get(strings.TrimSuffix(name, filepath.Ext(name)))
			scenarios := trial.Scenarios
			if scenario != "" {
				scenarios = []string{scenario}
			}
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "%s — %s (level %d, %d working days)\n", p.Code, p.Name.Vi, p.Level, p.ProcessingDays)
			for _, sc := range scenarios {
				res, err := trial.Run(p, sc, day)
				if err != nil {
					return err
				}
				fmt.Fprintf(out, "\n== %s: %s\n", sc, res.Final.Status)
				tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "WHEN\tACTION\tBY\tSTATUS\tDUE\tNOTE")
				for _, s := range res.Steps {
					due := ""
					if s.DueAt != nil {
						due = s.DueAt.In(calendar.Location).Format("02/01/2006 15:04")
					}
					by := string(s.Actor.Role)
					if s.Actor.Agency != "" {
						by += "@" + s.Actor.Agency
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", s.At.In(calendar.Location).Format("Mon 02/01/2006 15:04"),
						s.Action, by, s.Status, due, s.Note)
				}
				if err := tw.Flush(); err != nil {
					return err
				}
				for _, m := range res.Told {
					fmt.Fprintln(out, "  told:", m)
				}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&from, "from", time.Now().In(calendar.Location).Format(time.DateOnly), "the day the case is filed (YYYY-MM-DD)")
	cmd.Flags().StringVar(&scenario, "scenario", "", "only this scenario: "+strings.Join(trial.Scenarios, ", "))
	return cmd
}
