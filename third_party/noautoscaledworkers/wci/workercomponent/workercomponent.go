// Package workercomponent stands in for the worker controller's per-namespace worker
// component: the server adds Module to its worker service, and this one adds nothing.
package workercomponent

import "go.uber.org/fx"

// Module registers no per-namespace worker: no worker controller workflows run.
var Module = fx.Options()
