// Package client stands in for the worker controller's client, which the server's
// worker-deployment code calls to describe, change and delete the controller instance of a
// deployment version. Without the controller no instance ever exists.
package client

import (
	"context"

	deploymentpb "go.temporal.io/api/deployment/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/server/common/namespace"
	"go.uber.org/fx"

	"go.temporal.io/auto-scaled-workers/wci/workflow/iface"
)

const unsupported = "compute configs are not supported: motcua's embedded Temporal is built without the worker controller"

// Client is the part of the worker controller's client that the server calls.
type Client interface {
	DescribeWorkerControllerInstance(
		ctx context.Context,
		namespaceEntry *namespace.Namespace,
		version *deploymentpb.WorkerDeploymentVersion,
	) (*iface.QueryDescribeWorkerControllerInstanceResponse, []byte, error)

	UpdateWorkerControllerInstance(
		ctx context.Context,
		namespaceEntry *namespace.Namespace,
		version *deploymentpb.WorkerDeploymentVersion,
		conflictToken []byte,
		identity string,
		upsertScalingGroups map[string]iface.ScalingGroupSpecUpdate,
		removeScalingGroups []string,
	) (*iface.UpdateWorkerControllerInstanceResponse, error)

	ValidateWorkerControllerInstanceSpec(
		ctx context.Context,
		namespaceEntry *namespace.Namespace,
		version *deploymentpb.WorkerDeploymentVersion,
		identity string,
		upsertScalingGroups map[string]iface.ScalingGroupSpecUpdate,
		removeScalingGroups []string,
	) error

	DeleteWorkerControllerInstance(
		ctx context.Context,
		namespaceEntry *namespace.Namespace,
		version *deploymentpb.WorkerDeploymentVersion,
		identity string,
	) error
}

// Module provides the Client the server's worker-deployment module asks for.
var Module = fx.Options(fx.Provide(func() Client { return noController{} }))

// noController answers as the real client does for a version that has no controller
// instance (describing finds none, deleting has nothing to do), so describing and deleting
// versions work; creating one is refused as an invalid argument, which the server's
// activities do not retry.
type noController struct{}

func (noController) DescribeWorkerControllerInstance(context.Context, *namespace.Namespace, *deploymentpb.WorkerDeploymentVersion) (*iface.QueryDescribeWorkerControllerInstanceResponse, []byte, error) {
	return nil, nil, serviceerror.NewNotFound("no worker controller instance: " + unsupported)
}

func (noController) UpdateWorkerControllerInstance(context.Context, *namespace.Namespace, *deploymentpb.WorkerDeploymentVersion, []byte, string, map[string]iface.ScalingGroupSpecUpdate, []string) (*iface.UpdateWorkerControllerInstanceResponse, error) {
	return nil, serviceerror.NewInvalidArgument(unsupported)
}

func (noController) ValidateWorkerControllerInstanceSpec(context.Context, *namespace.Namespace, *deploymentpb.WorkerDeploymentVersion, string, map[string]iface.ScalingGroupSpecUpdate, []string) error {
	return serviceerror.NewInvalidArgument(unsupported)
}

func (noController) DeleteWorkerControllerInstance(context.Context, *namespace.Namespace, *deploymentpb.WorkerDeploymentVersion, string) error {
	return nil
}
