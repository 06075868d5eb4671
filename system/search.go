package system

import (
	"context"
	"fmt"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/motcua/motcua/devserver"
	"github.com/motcua/motcua/workflows"
)

// checkSearchAttributes makes sure the namespace has the search attributes
// cases upsert (workflows.SearchAttributes): a case whose attribute is
// missing fails its workflow task. It registers those missing, as a
// self-hosted cluster allows; where the cluster refuses (Temporal Cloud, a
// locked-down operator API) the start fails with the commands to run.
func checkSearchAttributes(ctx context.Context, c client.Client, namespace string) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	attrs := workflows.SearchAttributes()
	if err := devserver.RegisterSearchAttributes(ctx, c.OperatorService(), namespace, attrs); err != nil {
		return fmt.Errorf("%w\nRegister them once per namespace (docs/operations.md), e.g.:\n%s", err,
			devserver.SearchAttributeCommands(namespace, attrs))
	}
	return nil
}
