package devserver

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"time"

	uiserver "github.com/temporalio/ui-server/v2/server"
	uiconfig "github.com/temporalio/ui-server/v2/server/config"
	uioptions "github.com/temporalio/ui-server/v2/server/server_options"
)

// The Temporal Web UI, served beside the embedded server as the Temporal
// CLI's dev server serves it: the UI server module with its assets built in,
// talking to the frontend over gRPC.

// ui is a running Web UI.
type ui struct {
	server *uiserver.Server
	url    string
}

// startUI serves the Web UI on addr (port 0 picks one) for the frontend at
// frontend, opening on namespace, and returns once it answers.
func startUI(ctx context.Context, addr, frontend, namespace string) (*ui, error) {
	host, port, err := splitAddr(addr)
	if err != nil {
		return nil, err
	}
	if port == 0 {
		ports, err := freePorts(host, 1)
		if err != nil {
			return nil, err
		}
		port = ports[0]
	}
	// The UI server exits the process when it cannot listen: make sure it
	// can first.
	ln, err := net.Listen("tcp", net.JoinHostPort(host, strconv.Itoa(port)))
	if err != nil {
		return nil, fmt.Errorf("temporal web ui: %w", err)
	}
	_ = ln.Close()
	srv := uiserver.NewServer(uioptions.WithConfigProvider(&uiconfig.Config{
		Host: host, Port: port, TemporalGRPCAddress: frontend, EnableUI: true, DefaultNamespace: namespace,
		// A developer's machine over plain HTTP: no secure cookies, no
		// request logs, no fetching of Temporal's news.
		CORS: uiconfig.CORS{CookieInsecure: true}, HideLogs: true, DisableNewsFetch: true,
	}))
	go func() { _ = srv.Start() }()
	u := &ui{server: srv, url: "http://" + net.JoinHostPort(host, strconv.Itoa(port))}
	if err := u.waitReady(ctx); err != nil {
		srv.Stop()
		return nil, err
	}
	return u, nil
}

func (u *ui) waitReady(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, u.url+"/healthz", nil)
		res, err := http.DefaultClient.Do(req)
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
			err = fmt.Errorf("status %d", res.StatusCode)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("temporal web ui did not answer at %s: %w", u.url, err)
		case <-time.After(50 * time.Millisecond):
		}
	}
}
