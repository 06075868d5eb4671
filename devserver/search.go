package devserver

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/operatorservice/v1"
)

// RegisterSearchAttributes adds to namespace the custom search attributes
// of attrs it lacks, as `temporal operator search-attribute create` does.
// One registered with another type is an error. Several processes may
// register at once: an attribute another added meanwhile is no error.
func RegisterSearchAttributes(ctx context.Context, op operatorservice.OperatorServiceClient, namespace string, attrs map[string]enumspb.IndexedValueType) error {
	missing, err := missingSearchAttributes(ctx, op, namespace, attrs)
	if err != nil || len(missing) == 0 {
		return err
	}
	_, addErr := op.AddSearchAttributes(ctx, &operatorservice.AddSearchAttributesRequest{Namespace: namespace, SearchAttributes: missing})
	if addErr == nil {
		return nil
	}
	if missing, err = missingSearchAttributes(ctx, op, namespace, attrs); err == nil && len(missing) == 0 {
		return nil
	}
	return fmt.Errorf("register search attributes %s on namespace %s: %w", strings.Join(slices.Sorted(maps.Keys(missing)), ", "), namespace, addErr)
}

// SearchAttributeCommands are the Temporal CLI commands that register attrs
// on namespace, for an operator who registers them by hand.
func SearchAttributeCommands(namespace string, attrs map[string]enumspb.IndexedValueType) string {
	var b strings.Builder
	for _, name := range slices.Sorted(maps.Keys(attrs)) {
		t := strings.TrimPrefix(attrs[name].String(), "INDEXED_VALUE_TYPE_")
		fmt.Fprintf(&b, "temporal operator search-attribute create --namespace %s --name %s --type %s\n", namespace, name, typeName(t))
	}
	return b.String()
}

// typeName is the CLI's spelling of an indexed value type (KEYWORD_LIST
// is KeywordList).
func typeName(t string) string {
	parts := strings.Split(strings.ToLower(t), "_")
	for i, p := range parts {
		parts[i] = strings.ToUpper(p[:1]) + p[1:]
	}
	return strings.Join(parts, "")
}

func missingSearchAttributes(ctx context.Context, op operatorservice.OperatorServiceClient, namespace string, attrs map[string]enumspb.IndexedValueType) (map[string]enumspb.IndexedValueType, error) {
	have, err := op.ListSearchAttributes(ctx, &operatorservice.ListSearchAttributesRequest{Namespace: namespace})
	if err != nil {
		return nil, fmt.Errorf("list search attributes of namespace %s: %w", namespace, err)
	}
	missing := map[string]enumspb.IndexedValueType{}
	var errs []error
	for name, t := range attrs {
		got, ok := have.GetCustomAttributes()[name]
		switch {
		case !ok:
			missing[name] = t
		case got != t:
			errs = append(errs, fmt.Errorf("search attribute %s of namespace %s is %s, not %s", name, namespace, got, t))
		}
	}
	return missing, errors.Join(errs...)
}
