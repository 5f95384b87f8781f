import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { CONTROL_IDS } from '../../shared/catalog/types.js';
import { findingKey } from '../../shared/reports/firstSeenFailing.js';
import { ValuePool } from '../../shared/runCalculations/valuePool.js';
import { FailingStreaks } from '../../shared/storage/failingStreaks.js';
import { keyedClusterIds } from '../support/keyedClusterIds.js';

const entries = fc.array(
  fc.record({
    clusterId: keyedClusterIds,
    controlId: fc.constantFrom(...CONTROL_IDS),
    since: fc.constantFrom(
      '2026-11-01T06:00:00.000Z',
      '2026-11-02T06:00:00.000Z',
      '2026-11-03T06:00:00.000Z',
    ),
  }),
  { maxLength: 60 },
);

describe('failing streaks', () => {
  it('answers every key as a map keyed by cluster (any case) and control would, and lists the same entries', () => {
    fc.assert(
      fc.property(entries, fc.array(fc.string({ maxLength: 20 }), { maxLength: 10 }), (list, strays) => {
        const streaks = new FailingStreaks(new ValuePool());
        const expected = new Map<string, string>();
        for (const [index, { clusterId, controlId, since }] of list.entries()) {
          // Halfway through, the shared pool is let go of: what follows is pooled apart, same answers.
          if (index === Math.floor(list.length / 2)) streaks.release();
          streaks.set({ clusterId, controlId }, since);
          expected.set(findingKey({ clusterId, controlId }), since);
        }
        expect(streaks.size).toBe(expected.size);
        expect(new Map(streaks)).toEqual(expected);
        expect([...streaks.keys()].sort()).toEqual([...expected.keys()].sort());
        for (const { clusterId, controlId } of list) {
          const key = findingKey({ clusterId, controlId });
          expect(streaks.get(key)).toBe(expected.get(key));
          expect(streaks.get(findingKey({ clusterId: clusterId.toUpperCase(), controlId }))).toBe(
            expected.get(findingKey({ clusterId: clusterId.toUpperCase(), controlId })),
          );
        }
        for (const stray of strays) expect(streaks.get(stray)).toBe(expected.get(stray));
      }),
    );
  });
});
