import fc from 'fast-check';

import { STATUSES, type ClusterKind, type ControlId, type Finding } from '../../shared/catalog/types.js';
import type { ActiveRecord, GovernanceRecord, GovernanceScope } from '../../shared/governance/records.js';
import { findTies } from '../../shared/governance/validateRecords.js';

export const SUBSCRIPTIONS = ['11111111-1111-1111-1111-111111111111', '22222222-2222-2222-2222-222222222222'];
export const RESOURCE_GROUPS = ['rg-a', 'rg-b'];

export interface TestCluster {
  id: string;
  kind: ClusterKind;
  subscriptionId: string;
  resourceGroup: string;
}

const PROVIDER: Record<ClusterKind, string> = {
  arc: 'Microsoft.Kubernetes/connectedClusters',
  'aks-arc': 'Microsoft.Kubernetes/connectedClusters',
  aks: 'Microsoft.ContainerService/managedClusters',
};

/** Eight clusters: every subscription × resource group × two kinds. */
export const CLUSTERS: TestCluster[] = SUBSCRIPTIONS.flatMap((subscriptionId, s) =>
  RESOURCE_GROUPS.flatMap((resourceGroup) =>
    (['arc', 'aks'] as const).map((kind, k) => ({
      id: `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/${PROVIDER[kind]}/c${s}${resourceGroup}${k}`,
      kind,
      subscriptionId,
      resourceGroup,
    })),
  ),
);

export function findingFor(cluster: TestCluster, controlId: ControlId, status: Finding['status']): Finding {
  return {
    clusterId: cluster.id,
    clusterName: cluster.id.split('/').pop() ?? '',
    clusterKind: cluster.kind,
    subscriptionId: cluster.subscriptionId,
    resourceGroup: cluster.resourceGroup,
    controlId,
    controlTitle: controlId,
    controlVersion: 1,
    severity: 'high',
    status,
    reason: 'generated',
    evidence: { checks: [], sourceIds: [], stale: false, inferred: false },
    benchmarks: [],
  };
}

const CONTROLS_USED: ControlId[] = ['DS-04', 'DS-05', 'DS-06'];

export const findingArb = fc
  .record({
    cluster: fc.constantFrom(...CLUSTERS),
    controlId: fc.constantFrom(...CONTROLS_USED),
    status: fc.constantFrom(...STATUSES),
  })
  .map(({ cluster, controlId, status }) => findingFor(cluster, controlId, status));

/** Findings with unique (cluster, control) pairs, as a run has. */
export const findingsArb = fc
  .array(findingArb, { maxLength: 40 })
  .map((findings) => [...new Map(findings.map((f) => [`${f.clusterId}|${f.controlId}`, f])).values()]);

/** Scopes at each rank, sometimes with an extra (narrowing) dimension; IDs in random case. */
export const scopeArb: fc.Arbitrary<GovernanceScope> = fc.oneof(
  fc.record({
    clusters: fc.uniqueArray(
      fc
        .constantFrom(...CLUSTERS)
        .chain((c) => fc.boolean().map((upper) => (upper ? c.id.toUpperCase() : c.id))),
      { minLength: 1, maxLength: 2 },
    ),
  }),
  fc.record({
    resourceGroups: fc.uniqueArray(
      fc
        .tuple(fc.constantFrom(...SUBSCRIPTIONS), fc.constantFrom(...RESOURCE_GROUPS))
        .map(([s, g]) => `/subscriptions/${s}/resourceGroups/${g}`),
      { minLength: 1, maxLength: 2 },
    ),
  }),
  fc.record(
    {
      subscriptions: fc.uniqueArray(fc.constantFrom(...SUBSCRIPTIONS), { minLength: 1, maxLength: 2 }),
      kinds: fc.uniqueArray(fc.constantFrom<ClusterKind>('arc', 'aks-arc', 'aks'), { minLength: 1 }),
    },
    { requiredKeys: ['subscriptions'] },
  ),
  fc.record({
    kinds: fc.uniqueArray(fc.constantFrom<ClusterKind>('arc', 'aks-arc', 'aks'), { minLength: 1 }),
  }),
);

export const AS_OF = new Date('2026-12-01T00:00:00Z');

const recordArb: fc.Arbitrary<GovernanceRecord> = fc
  .record({
    id: fc.integer({ min: 0, max: 999 }).map((n) => `R-${n}`),
    controlId: fc.constantFrom(...CONTROLS_USED),
    scope: scopeArb,
    expiresInDays: fc.integer({ min: -30, max: 300 }),
    exception: fc.boolean(),
    result: fc.constantFrom<'PASS' | 'FAIL'>('PASS', 'FAIL'),
  })
  .map(({ id, controlId, scope, expiresInDays, exception, result }): GovernanceRecord => {
    const expires = new Date(AS_OF.getTime() + expiresInDays * 86_400_000).toISOString();
    return exception
      ? { kind: 'exception', id, controlId, scope, owner: 'o', justification: 'j', expires }
      : {
          kind: 'attestation',
          id,
          controlId,
          scope,
          result,
          attestedBy: 'a',
          statement: 's',
          evidence: [{ title: 't', url: 'https://example.com/e' }],
          attestedAt: '2026-11-01T00:00:00.000Z',
          expires,
        };
  });

/** Record sets as validation lets them through: unique IDs, no two equally narrow overlapping ones. */
export const recordsArb: fc.Arbitrary<ActiveRecord[]> = fc
  .array(
    fc.record({
      record: recordArb,
      approval: fc.constantFrom<ActiveRecord['approval']>(
        'approved',
        'approved',
        'approved',
        'pending',
        'revoked',
      ),
    }),
    { maxLength: 12 },
  )
  .map((entries) => {
    const kept: ActiveRecord[] = [];
    for (const entry of entries) {
      if (kept.some((k) => k.record.id === entry.record.id)) continue;
      const approved = kept.filter((k) => k.approval === 'approved').map((k) => k.record);
      if (entry.approval === 'approved' && findTies([...approved, entry.record], AS_OF).length > 0) continue;
      kept.push(entry);
    }
    return kept;
  });

export function clusterAt(index: number): TestCluster {
  const cluster = CLUSTERS[index];
  if (!cluster) throw new RangeError(`no test cluster ${index}`);
  return cluster;
}
