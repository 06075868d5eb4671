package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

// reportCmd asks a running motcua to make a past period's reports again
// (POST /api/v1/reports/{period}/{key}/regenerate) and prints them.
func reportCmd() *cobra.Command {
	var url, token string
	cmd := &cobra.Command{
		Use:   "report PERIOD KEY",
		Short: "Regenerate the periodic reports of a past month, quarter or year",
		Long: `report asks the running motcua at --url (an administrator's or an agency head's --token, or
MOTCUA_TOKEN) to make the reports of a closed period again: PERIOD is month, quarter or year, KEY
2026-10, 2026-Q3 or 2026. It runs the workflow the report Schedules run (without mailing) and
prints each report with the SHA-256 of its CSV: a closed period gives the same numbers every time.
Download them at /api/v1/reports/PERIOD/KEY/pdf (or csv; ?agency=CODE for an agency's).`,
		Example: "  motcua report month 2026-10 --url https://dichvucong.example.vn",
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			var res struct {
				Reports []struct {
					Agency                            string
					Received, Resolved, Late, Overdue int64
					Digest                            string `json:"csv_sha256"`
					Generations                       int
				} `json:"reports"`
			}
			if err := apiCall(url, token, "POST", "/api/v1/reports/"+args[0]+"/"+args[1]+"/regenerate", nil, &res); err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "%s %s: %d reports\n", args[0], args[1], len(res.Reports))
			for _, r := range res.Reports {
				scope := r.Agency
				if scope == "" {
					scope = "(province)"
				}
				fmt.Fprintf(out, "  %-20s received %6d  resolved %6d  late %5d  overdue %5d  csv %s  (made %d times)\n",
					scope, r.Received, r.Resolved, r.Late, r.Overdue, r.Digest[:16], r.Generations)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&url, "url", "http://127.0.0.1:8080", "where motcua's API is")
	cmd.Flags().StringVar(&token, "token", "", "an administrator's or agency head's bearer token (default $MOTCUA_TOKEN)")
	return cmd
}
