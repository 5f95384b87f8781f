import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { SubscriptionBatches } from '../../shared/inventory/subscriptionBatches.js';

const row = (subscription: string, name: string): { id: string } => ({
  id: `/subscriptions/${subscription}/resourceGroups/rg/providers/Microsoft.Kubernetes/connectedClusters/${name}`,
});

describe('subscriptions dealt out to batches', () => {
  it('keeps every row of a subscription, in any letter case, in one batch; rows without one in batch 0', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }),
        fc.array(
          fc.record({
            subscription: fc.constantFrom('sub-a', 'SUB-A', 'Sub-B', 'sub-b', 'c', 'd', 'e', 'f'),
            size: fc.integer({ min: 0, max: 5_000 }),
            id: fc.boolean(),
          }),
          { maxLength: 80 },
        ),
        (count, rows) => {
          const batches = new SubscriptionBatches(count);
          const seen = new Map<string, number>();
          for (const [index, drawn] of rows.entries()) {
            const value = drawn.id ? row(drawn.subscription, `c${index}`) : { name: 'no id' };
            const batch = batches.batchOf(value, drawn.size);
            expect(batch).toBeGreaterThanOrEqual(0);
            expect(batch).toBeLessThan(count);
            if (!drawn.id) {
              expect(batch).toBe(0);
              continue;
            }
            const key = drawn.subscription.toLowerCase();
            expect(batch).toBe(seen.get(key) ?? batch);
            seen.set(key, batch);
          }
        },
      ),
    );
  });

  it('fills the batches alike when the subscriptions are alike, whatever their number', () => {
    for (const [subscriptions, count] of [
      [100, 10],
      [500, 46],
      [5_000, 460],
    ] as const) {
      const batches = new SubscriptionBatches(count);
      const bytes = Array.from({ length: count }, () => 0);
      // Rows interleaved across subscriptions, as a Resource Graph export lists them.
      for (let cluster = 0; cluster < subscriptions * 20; cluster++) {
        const batch = batches.batchOf(row(`s-${cluster % subscriptions}`, `c${cluster}`), 3_800);
        bytes[batch] = (bytes[batch] ?? 0) + 3_800;
      }
      const perSubscription = 20 * 3_800;
      expect(Math.max(...bytes) - Math.min(...bytes)).toBeLessThanOrEqual(perSubscription);
    }
  });

  it('puts a subscription first seen into the lightest batch, rows grouped by subscription too', () => {
    const batches = new SubscriptionBatches(3);
    const sizes: Array<[string, number]> = [
      ['big', 900],
      ['small-1', 100],
      ['small-2', 100],
      ['small-3', 100],
      ['small-4', 100],
    ];
    const placed = sizes.map(([subscription, size]) => batches.batchOf(row(subscription, 'x'), size));
    expect(placed).toEqual([0, 1, 2, 1, 2]);
  });
});
