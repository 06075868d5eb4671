package system

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/config"
	"github.com/motcua/motcua/procedures"
)

// neededBackends names, for each back-end the catalogue's definitions use,
// what uses it: their checks, online payment at level 4, delivery by post,
// and the SMS gateway for every applicant who chose text messages.
func neededBackends(cat *procedures.Catalog) map[string][]string {
	need := map[string][]string{motcua.BackendSMS: {"notifications by SMS"}}
	add := func(backend, why string) {
		if len(need[backend]) < 3 && !slices.Contains(need[backend], why) {
			need[backend] = append(need[backend], why)
		}
	}
	for _, p := range cat.All() {
		for _, chk := range p.Checks {
			if spec, ok := motcua.CheckOf(chk.Kind); ok && p.Level == 4 {
				add(spec.Backend, fmt.Sprintf("%s (check %s)", p.Code, chk.Kind))
			}
		}
		if p.Level == 4 && p.Fee.Payable() {
			add(motcua.BackendPayment, p.Code+" (online payment)")
		}
		if p.Level >= 3 && slices.Contains(p.Delivery, motcua.DeliveryPost) {
			add(motcua.BackendPost, p.Code+" (result by post)")
		}
	}
	return need
}

// checkBackends fails a worker's start when a back-end a definition needs
// has no URL and is not switched off on purpose, and says which is which:
// a worker must not start and fail each case one by one.
func checkBackends(cfg *config.Config, cat *procedures.Catalog, log *slog.Logger) error {
	need := neededBackends(cat)
	for _, b := range motcua.Backends {
		url, off := cfg.Backends.URLs[b.Name], slices.Contains(cfg.Backends.Off, b.Name)
		switch {
		case url != "":
			log.Info("back-end", "name", b.Name, "url", url)
		case off:
			log.Warn("back-end switched off (backends.off)", "name", b.Name, "needed_by", strings.Join(need[b.Name], "; "))
		case len(need[b.Name]) > 0:
			return fmt.Errorf("config %s: required by %s; set it (%s), or switch the back-end off on purpose with backends.off",
				config.BackendURLKey(b.Name), strings.Join(need[b.Name], "; "), config.Env(config.BackendURLKey(b.Name)))
		}
	}
	return nil
}

// backendReach answers, for /readyz, whether each configured back-end
// answers at all (any HTTP answer does); switched off or not configured
// back-ends say so.
func backendReach(cfg *config.Config, urlOf func(name string) string) func(ctx context.Context) map[string]string {
	client := &http.Client{Timeout: 2 * time.Second}
	return func(ctx context.Context) map[string]string {
		out := map[string]string{}
		for _, b := range motcua.Backends {
			url := urlOf(b.Name)
			switch {
			case slices.Contains(cfg.Backends.Off, b.Name):
				out[b.Name] = "off"
			case url == "":
				out[b.Name] = "not configured"
			default:
				out[b.Name] = "ok"
				req, err := http.NewRequestWithContext(ctx, http.MethodHead, url, nil)
				if err == nil {
					var res *http.Response
					if res, err = client.Do(req); err == nil {
						res.Body.Close()
					}
				}
				if err != nil {
					out[b.Name] = "unreachable"
				}
			}
		}
		return out
	}
}
