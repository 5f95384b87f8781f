import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { CONTROL_IDS, STATUSES } from '../../shared/catalog/types.js';
import { comparisonKey } from '../../shared/runCalculations/runChanges.js';
import { ValuePool } from '../../shared/runCalculations/valuePool.js';
import { PartitionVerdicts, type PreviousVerdict } from '../../shared/storage/previousPartition.js';
import { keyedClusterIds } from '../support/keyedClusterIds.js';

/** Mostly the partition's own control; now and then another, or none at all (a damaged partition). */
const controlIds = fc.oneof(
  { weight: 4, arbitrary: fc.constant('DS-01') },
  { weight: 1, arbitrary: fc.constantFrom(...CONTROL_IDS, 'undefined', 'ds-01', '') },
);
const verdicts = fc.array(
  fc.record({
    clusterId: keyedClusterIds,
    clusterName: fc.string({ maxLength: 5 }),
    status: fc.constantFrom(...STATUSES),
    controlId: controlIds,
  }),
  { maxLength: 40 },
);

describe('a previous findings partition', () => {
  it('answers every lookup as a map keyed by cluster (any case) and control would', () => {
    fc.assert(
      fc.property(verdicts, fc.array(fc.string({ maxLength: 12 }), { maxLength: 8 }), (list, strays) => {
        const partition = new PartitionVerdicts('DS-01', new ValuePool());
        const expected = new Map<string, PreviousVerdict>();
        for (const { controlId, ...rest } of list) {
          const verdict: PreviousVerdict = { ...rest, firstSeenFailing: undefined };
          partition.set(verdict, controlId);
          expected.set(
            comparisonKey({ clusterId: rest.clusterId, controlId: controlId as 'DS-01' }),
            verdict,
          );
        }
        expect(partition.size).toBe(expected.size);
        const keys = [
          ...expected.keys(),
          ...list.flatMap(({ clusterId }) =>
            ['DS-01', 'DS-02', 'undefined'].map((controlId) => `${clusterId.toUpperCase()}|${controlId}`),
          ),
          ...strays,
        ];
        for (const key of keys) expect(partition.get(key), key).toBe(expected.get(key));
        expect(new Set(partition.values())).toEqual(new Set(expected.values()));
        expect([...partition.values()]).toHaveLength(expected.size);
      }),
    );
  });
});
