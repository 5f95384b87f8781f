import fc from 'fast-check';

/**
 * Cluster IDs for structures keyed by `clusterId (lower case)|controlId`: IDs that differ only in
 * case, IDs holding the separator and a control ID of their own, an empty ID, and arbitrary text.
 */
export const keyedClusterIds = fc.oneof(
  fc.constantFrom(
    '/subscriptions/S1/resourceGroups/rg/providers/Microsoft.Kubernetes/connectedClusters/a',
    '/subscriptions/s1/resourcegroups/RG/providers/microsoft.kubernetes/connectedclusters/A',
    '/subscriptions/s1/resourceGroups/rg|DS-01/providers/Microsoft.Kubernetes/connectedClusters/b',
    '/subscriptions/s1/resourceGroups/rg|DS-02/providers/Microsoft.Kubernetes/connectedClusters/b',
    'c|',
    'c|DS-01',
    '',
  ),
  fc.string({ maxLength: 12 }),
);
