package system

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/config"
)

// testPKI is a CA, a server certificate for temporal.internal and a client
// certificate, written as PEM files.
type testPKI struct {
	caFile, certFile, keyFile string
	server                    tls.Certificate
	pool                      *x509.CertPool
}

func newTestPKI(t *testing.T) testPKI {
	t.Helper()
	dir := t.TempDir()
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "motcua test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(caDER)
	issue := func(serial int64, usage x509.ExtKeyUsage, dns []string) ([]byte, *ecdsa.PrivateKey) {
		key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		tmpl := &x509.Certificate{SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: "motcua-worker"},
			NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), DNSNames: dns,
			ExtKeyUsage: []x509.ExtKeyUsage{usage}, KeyUsage: x509.KeyUsageDigitalSignature}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
		if err != nil {
			t.Fatal(err)
		}
		return der, key
	}
	write := func(name, typ string, der []byte) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	p := testPKI{caFile: write("ca.pem", "CERTIFICATE", caDER), pool: x509.NewCertPool()}
	p.pool.AddCert(ca)
	clientDER, clientKey := issue(2, x509.ExtKeyUsageClientAuth, nil)
	p.certFile = write("client.pem", "CERTIFICATE", clientDER)
	keyDER, _ := x509.MarshalPKCS8PrivateKey(clientKey)
	p.keyFile = write("client-key.pem", "PRIVATE KEY", keyDER)
	serverDER, serverKey := issue(3, x509.ExtKeyUsageServerAuth, []string{"temporal.internal"})
	p.server = tls.Certificate{Certificate: [][]byte{serverDER}, PrivateKey: serverKey}
	return p
}

// temporal.tls.* and temporal.api_key, set as a deployment sets them (MOTCUA_*
// variables), reach the SDK client's options: the client trusts the
// cluster's CA, presents its certificate to a frontend that requires one
// (mutual TLS), and checks the server name configured.
func TestTemporalTLSReachesClientOptions(t *testing.T) {
	pki := newTestPKI(t)
	t.Setenv("MOTCUA_TEMPORAL_ADDRESS", "temporal.internal:7233")
	t.Setenv("MOTCUA_TEMPORAL_NAMESPACE", "motcua-prod.a1b2c")
	t.Setenv("MOTCUA_TEMPORAL_TLS_CA_FILE", pki.caFile)
	t.Setenv("MOTCUA_TEMPORAL_TLS_CERT_FILE", pki.certFile)
	t.Setenv("MOTCUA_TEMPORAL_TLS_KEY_FILE", pki.keyFile)
	t.Setenv("MOTCUA_TEMPORAL_TLS_SERVER_NAME", "temporal.internal")
	cfg, _, err := config.Load("", nil)
	if err != nil {
		t.Fatal(err)
	}
	o, err := TemporalOptions(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	tc := o.ConnectionOptions.TLS
	if o.HostPort != "temporal.internal:7233" || o.Namespace != "motcua-prod.a1b2c" || tc == nil || tc.ServerName != "temporal.internal" ||
		len(tc.Certificates) != 1 || tc.RootCAs == nil || o.Credentials != nil {
		t.Fatalf("options %+v, TLS %+v", o, tc)
	}

	// A frontend that requires a client certificate signed by the CA.
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{pki.server},
		ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: pki.pool})
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			_ = c.(*tls.Conn).Handshake()
			c.Close()
		}
	}()
	handshake := func(tc *tls.Config) error {
		c, err := tls.DialWithDialer(&net.Dialer{Timeout: 5 * time.Second}, "tcp", ln.Addr().String(), tc)
		if err != nil {
			return err
		}
		defer c.Close()
		// The server's verdict on our certificate arrives with the first read.
		_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
		_, err = c.Read(make([]byte, 1))
		if err != nil && !strings.Contains(err.Error(), "EOF") {
			return err
		}
		return nil
	}
	if err := handshake(tc); err != nil {
		t.Fatalf("mutual TLS with the configured options: %v", err)
	}
	noCert := tc.Clone()
	noCert.Certificates = nil
	if err := handshake(noCert); err == nil {
		t.Fatal("the test frontend accepts a client without a certificate: the check above proves nothing")
	}
	otherName := tc.Clone()
	otherName.ServerName = "elsewhere.internal"
	if err := handshake(otherName); err == nil {
		t.Fatal("a certificate for another name was accepted")
	}
}

// Temporal Cloud with an API key: TLS on the system's roots, the key as
// credentials. Without any TLS setting the connection stays plain (a
// cluster on a private network, the dev server).
func TestTemporalAPIKeyAndPlain(t *testing.T) {
	cfg, _, err := config.Load("", nil)
	if err != nil {
		t.Fatal(err)
	}
	o, err := TemporalOptions(cfg, nil)
	if err != nil || o.ConnectionOptions.TLS != nil || o.Credentials != nil {
		t.Fatalf("plain: %+v %v", o, err)
	}
	cfg.Temporal.Address, cfg.Temporal.Namespace = "motcua-prod.a1b2c.tmprl.cloud:7233", "motcua-prod.a1b2c"
	cfg.Temporal.APIKey = "key-of-the-service-account"
	o, err = TemporalOptions(cfg, nil)
	if err != nil || o.ConnectionOptions.TLS == nil || o.ConnectionOptions.TLS.RootCAs != nil || o.Credentials == nil {
		t.Fatalf("API key: %+v %v", o, err)
	}
	cfg.Temporal.APIKey = ""
	cfg.Temporal.TLS.CertFile, cfg.Temporal.TLS.KeyFile = "/nonexistent/client.pem", "/nonexistent/client-key.pem"
	if _, err := TemporalOptions(cfg, nil); err == nil || !strings.Contains(err.Error(), "temporal.tls.cert_file") {
		t.Fatalf("missing certificate: %v", err)
	}
	cfg.Temporal.TLS.KeyFile = ""
	if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), "temporal.tls.key_file") {
		t.Fatalf("certificate without key: %v", err)
	}
}
