package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"github.com/motcua/motcua/config"
	"github.com/motcua/motcua/sim"
	"github.com/motcua/motcua/system"
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
			if smtpAddr == "" {
				smtpAddr = cfg.Sim.SMTPAddr
			}
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
				PostalStepDelay: step, PublicURL: publicURL, Logger: system.NewLogger(cfg),
			})
			defer s.Close()

			ln, err := net.Listen("tcp", smtpAddr)
			if err != nil {
				return fmt.Errorf("SMTP sink: cannot listen on %s: %w; set another address with --smtp-addr / %s / sim.smtp_addr", smtpAddr, err, config.Env("sim.smtp_addr"))
			}
			smtpDone := make(chan error, 1)
			go func() { smtpDone <- s.ServeSMTP(ln) }()

			httpLn, err := net.Listen("tcp", addr)
			if err != nil {
				return fmt.Errorf("cannot listen on %s: %w; set another address with --addr / %s / sim.addr", addr, err, config.Env("sim.addr"))
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
	f.String("smtp-addr", "", "SMTP sink listen address (default sim.smtp_addr)")
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

// serveListener serves h on ln until ctx ends, then shuts down gracefully.
func serveListener(ctx context.Context, ln net.Listener, h http.Handler, grace time.Duration) error {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	return srv.Shutdown(sctx)
}
