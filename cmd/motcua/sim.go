package main

import (
	"fmt"
	"net"
	"time"

	"github.com/spf13/cobra"

	"github.com/motcua/motcua/sim"
)

func simCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "sim",
		Short: "Run the simulated agency back-ends: registries, payment gateway, post, SMS and an SMTP sink",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := loadConfig(cmd)
			if err != nil {
				return err
			}
			f := cmd.Flags()
			addr, _ := f.GetString("addr")
			if addr == "" {
				addr = cfg.Sim.Addr
			}
			smtpAddr, _ := f.GetString("smtp-addr")
			payCB, _ := f.GetString("payment-callback")
			postCB, _ := f.GetString("post-callback")
			step, _ := f.GetDuration("post-step")
			publicURL, _ := f.GetString("public-url")
			secret, _ := f.GetString("secret")
			if secret == "" {
				secret = cfg.Auth.Secret
			}
			if secret == "" {
				secret = "dev-sim-secret"
			}

			s := sim.New(sim.Options{
				PaymentSecret: []byte(secret), PaymentCallbackURL: payCB, PostalCallbackURL: postCB,
				PostalStepDelay: step, PublicURL: publicURL, Logger: newLogger(cfg),
			})
			defer s.Close()

			ln, err := net.Listen("tcp", smtpAddr)
			if err != nil {
				return fmt.Errorf("SMTP sink: listen on %s: %w", smtpAddr, err)
			}
			smtpDone := make(chan error, 1)
			go func() { smtpDone <- s.ServeSMTP(ln) }()

			httpLn, err := net.Listen("tcp", addr)
			if err != nil {
				return fmt.Errorf("listen on %s: %w", addr, err)
			}
			httpDone := make(chan error, 1)
			go func() { httpDone <- serveListener(cmd.Context(), httpLn, s.Handler(), 5*time.Second) }()
			printSimURLs(cmd, "http://"+httpLn.Addr().String(), ln.Addr().String(), payCB, postCB)
			err = <-httpDone
			if cerr := s.Close(); err == nil {
				err = cerr
			}
			if serr := <-smtpDone; err == nil {
				err = serr
			}
			return err
		},
	}
	f := cmd.Flags()
	f.String("addr", "", "HTTP listen address (default sim.addr)")
	f.String("smtp-addr", "127.0.0.1:2525", "SMTP sink listen address")
	f.String("payment-callback", "", "URL payment results are POSTed to, e.g. http://127.0.0.1:8080/api/v1/payments/callback")
	f.String("post-callback", "", "URL tracking events are POSTed to, e.g. http://127.0.0.1:8080/api/v1/post/callback")
	f.String("secret", "", "HMAC key signing callbacks (default auth.secret, else dev-sim-secret)")
	f.Duration("post-step", 0, "time between automatic tracking events (0: advance shipments by hand)")
	f.String("public-url", "", "base URL payers reach the sim at, for pay_url (default: the host the caller used)")
	return cmd
}

func printSimURLs(cmd *cobra.Command, base, smtpAddr, payCB, postCB string) {
	none := func(u string) string {
		if u == "" {
			return "(none)"
		}
		return u
	}
	out := cmd.OutOrStdout()
	fmt.Fprintf(out, "motcua sim: agency back-ends on %s\n", base)
	for _, l := range [][2]string{
		{"business registry", "/registry/business/..."},
		{"population", "/population/verify"},
		{"land records", "/land/parcels/{sheet-parcel}"},
		{"judicial records", "/judicial/criminal-record-check"},
		{"payment gateway", "/payments/orders"},
		{"postal service", "/post/shipments"},
		{"SMS gateway", "/sms/send  (sent: /sms/outbox)"},
		{"mailbox", "/dev/mailbox"},
		{"faults", "/sim/faults"},
	} {
		fmt.Fprintf(out, "  %-18s %s%s\n", l[0], base, l[1])
	}
	fmt.Fprintf(out, "  %-18s smtp://%s\n", "SMTP sink", smtpAddr)
	fmt.Fprintf(out, "  payment callbacks → %s\n  postal callbacks  → %s\n", none(payCB), none(postCB))
}
