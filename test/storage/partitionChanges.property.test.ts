import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { CONTROL_IDS, STATUSES, type Finding } from '../../shared/catalog/types.js';
import {
  clusterPositions,
  computeRunChanges,
  mergePartitionChanges,
} from '../../shared/runCalculations/runChanges.js';

type Comparable = Parameters<typeof computeRunChanges>[1]['findings'] extends Iterable<infer T> ? T : never;

function runOf(clusters: string[], statuses: Array<Finding['status']>): Comparable[] {
  return clusters.flatMap((cluster, c) =>
    CONTROL_IDS.map((controlId, i) => ({
      clusterId: `/subscriptions/s/resourceGroups/g/providers/Microsoft.Kubernetes/connectedClusters/${cluster}`,
      clusterName: cluster,
      clusterKind: 'arc' as const,
      subscriptionId: 's',
      controlId,
      controlTitle: controlId,
      severity: 'high' as const,
      status: statuses[(c * CONTROL_IDS.length + i) % statuses.length] ?? 'PASS',
      reason: `${cluster} ${controlId}`,
    })),
  );
}

const clusterNames = fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'D', 'e', 'f', 'g', 'h'), {
  maxLength: 8,
});
const statuses = fc.array(fc.constantFrom(...STATUSES), { minLength: 1, maxLength: 40 });

describe('changes computed one findings partition at a time', () => {
  it('equal the changes computed over the whole run, in the same order', () => {
    fc.assert(
      fc.property(
        fc.option(fc.tuple(clusterNames, statuses), { nil: undefined }),
        clusterNames,
        statuses,
        (previousRun, currentClusters, currentStatuses) => {
          const previous = previousRun ? runOf(previousRun[0], previousRun[1]) : undefined;
          const current = runOf(currentClusters, currentStatuses);
          const whole = computeRunChanges(previous ? { runId: 'p', findings: previous } : null, {
            runId: 'c',
            findings: current,
          });
          const parts = CONTROL_IDS.map((controlId) =>
            computeRunChanges(
              previous ? { runId: 'p', findings: previous.filter((f) => f.controlId === controlId) } : null,
              { runId: 'c', findings: current.filter((f) => f.controlId === controlId) },
            ),
          );
          expect(mergePartitionChanges(parts, clusterPositions(current))).toEqual(whole);
        },
      ),
      { numRuns: 300 },
    );
  });
});
