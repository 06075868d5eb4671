package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/motcua/motcua/bench"
)

// handoverCmd asks a running motcua to hand over the open cases of a unit
// (POST /api/v1/handovers), first as a dry run, and follows its progress.
func handoverCmd() *cobra.Command {
	var url, token, to, day, basis string
	var procs, fields []string
	var run bool
	cmd := &cobra.Command{
		Use:   "handover FROM",
		Short: "Hand over the open cases of an agency that ceased or lost a competence to its successors",
		Long: `handover asks the running motcua at --url (an administrator's --token, or MOTCUA_TOKEN) what
would move if the open cases of agency FROM were handed over to the agencies competent on --day
(competence.yaml, then the registry's successors): each procedure with its open cases and where
they go. With --run it starts the hand-over (a durable workflow: each case moves once, by an
Update to its workflow, keeping its code, due date, receipt and documents) and follows its progress
until done. --procedure and --field narrow it to a split transfer.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			out := cmd.OutOrStdout()
			body := map[string]any{"from": args[0], "procedures": procs, "fields": fields, "to": to, "day": day,
				"basis": basis, "dry_run": !run}
			var plan struct {
				ID         string `json:"id"`
				Day        string `json:"day"`
				Moves      int    `json:"moves"`
				Procedures []struct {
					Procedure, Name, To string
					Open                int
					Stays               bool
					ByAddress           bool `json:"by_address"`
					Choices             []struct{ Code string }
				} `json:"procedures"`
			}
			if err := apiCall(url, token, "POST", "/api/v1/handovers", body, &plan); err != nil {
				return err
			}
			fmt.Fprintf(out, "hand-over %s of %s as of %s: %d open cases move\n", plan.ID, args[0], plan.Day, plan.Moves)
			for _, l := range plan.Procedures {
				where := "→ " + l.To
				switch {
				case l.Stays:
					where = "stays (still competent)"
				case len(l.Choices) > 0:
					var cs []string
					for _, c := range l.Choices {
						cs = append(cs, c.Code)
					}
					where = "needs --to, one of " + strings.Join(cs, ", ")
					if l.ByAddress {
						where = "→ by each file's address, one of " + strings.Join(cs, ", ")
					}
				}
				fmt.Fprintf(out, "  %-45s %5d open  %s\n", l.Procedure, l.Open, where)
			}
			if !run {
				fmt.Fprintln(out, "dry run: nothing moved; add --run to move them")
				return nil
			}
			for {
				var h struct {
					Status                 string
					Moved, Skipped, Failed int
					Failures               []struct{ Case, Reason string }
				}
				if err := apiCall(url, token, "GET", "/api/v1/handovers/"+plan.ID, nil, &h); err != nil {
					return err
				}
				fmt.Fprintf(out, "%s: %d moved, %d skipped, %d failed\n", h.Status, h.Moved, h.Skipped, h.Failed)
				if h.Status == "done" {
					for _, f := range h.Failures {
						fmt.Fprintf(out, "  failed %s: %s\n", f.Case, f.Reason)
					}
					return nil
				}
				select {
				case <-cmd.Context().Done():
					return nil // the hand-over goes on without us
				case <-time.After(2 * time.Second):
				}
			}
		},
	}
	f := cmd.Flags()
	f.StringVar(&url, "url", "http://127.0.0.1:8080", "where motcua's API is")
	f.StringVar(&token, "token", "", "an administrator's bearer token (default $MOTCUA_TOKEN)")
	f.StringSliceVar(&procs, "procedure", nil, "procedure codes that move (a split transfer; default: every one whose competence left FROM)")
	f.StringSliceVar(&fields, "field", nil, "fields whose procedures move")
	f.StringVar(&to, "to", "", "the receiving agency, where the competence went to several")
	f.StringVar(&day, "day", "", "the day competence is read on, YYYY-MM-DD (default today)")
	f.StringVar(&basis, "basis", "", "the legal text or decision that transfers the competence")
	f.BoolVar(&run, "run", false, "move the cases (default: a dry run)")
	return cmd
}

// apiCall sends one JSON request to motcua's API.
func apiCall(base, token, method, path string, body, out any) error {
	if token == "" {
		token = os.Getenv("MOTCUA_TOKEN")
	}
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, strings.TrimRight(base, "/")+path, r)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if res.StatusCode/100 != 2 {
		var e struct {
			Error struct {
				Message string            `json:"message"`
				Fields  map[string]string `json:"fields"`
			} `json:"error"`
		}
		if json.Unmarshal(raw, &e) == nil && e.Error.Message != "" {
			return fmt.Errorf("%s: %s %v", res.Status, e.Error.Message, e.Error.Fields)
		}
		return fmt.Errorf("%s: %s", res.Status, raw)
	}
	return json.Unmarshal(raw, out)
}

// benchHandoverCmd measures a hand-over of many open cases on the
// embedded system.
func benchHandoverCmd() *cobra.Command {
	o := bench.HandoverOptions{}
	cmd := &cobra.Command{
		Use:   "handover",
		Short: "File many open cases at a unit, hand them over to its successor, report time and failures",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o.Out = cmd.OutOrStdout()
			return bench.RunHandover(cmd.Context(), o)
		},
	}
	f := cmd.Flags()
	f.IntVar(&o.Cases, "cases", 10000, "open cases to hand over")
	f.IntVar(&o.Clients, "clients", 20, "concurrent clients filing them")
	f.IntVar(&o.Concurrency, "concurrency", 16, "cases the hand-over moves at once")
	f.IntVar(&o.PageSize, "page", 500, "cases the hand-over lists at once")
	f.StringVar(&o.DataDir, "data-dir", "", "where the embedded system keeps its files (default: a temporary directory, removed after)")
	return cmd
}
