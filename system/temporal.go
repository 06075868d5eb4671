package system

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"log/slog"
	"os"

	"go.temporal.io/sdk/client"
	tlog "go.temporal.io/sdk/log"

	"github.com/motcua/motcua/config"
)

// TemporalOptions are the SDK client options temporal.* describe: the
// frontend's address and the namespace, TLS with the cluster's CA or the
// system roots, a client certificate for mutual TLS, or a Temporal Cloud
// API key. A file that cannot be read fails with its key named.
func TemporalOptions(cfg *config.Config, log *slog.Logger) (client.Options, error) {
	t := cfg.Temporal
	o := client.Options{HostPort: t.Address, Namespace: t.Namespace}
	if log != nil {
		o.Logger = tlog.NewStructuredLogger(log.With("component", "temporal-sdk"))
	}
	if !t.TLSOn() {
		return o, nil
	}
	tc := &tls.Config{MinVersion: tls.VersionTLS12, ServerName: t.TLS.ServerName}
	if t.TLS.CAFile != "" {
		pem, err := os.ReadFile(t.TLS.CAFile)
		if err != nil {
			return o, fmt.Errorf("config temporal.tls.ca_file: %w", err)
		}
		tc.RootCAs = x509.NewCertPool()
		if !tc.RootCAs.AppendCertsFromPEM(pem) {
			return o, fmt.Errorf("config temporal.tls.ca_file: %s holds no PEM certificate", t.TLS.CAFile)
		}
	}
	if t.TLS.CertFile != "" {
		cert, err := tls.LoadX509KeyPair(t.TLS.CertFile, t.TLS.KeyFile)
		if err != nil {
			return o, fmt.Errorf("config temporal.tls.cert_file and temporal.tls.key_file: %w", err)
		}
		tc.Certificates = []tls.Certificate{cert}
	}
	o.ConnectionOptions.TLS = tc
	if t.APIKey != "" {
		o.Credentials = client.NewAPIKeyStaticCredentials(t.APIKey)
	}
	return o, nil
}
