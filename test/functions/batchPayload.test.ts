import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';

import { emptyStats } from '../../shared/collection/collectionStats.js';
import { batchBlobName, readBatchPayload } from '../../shared/fanout/batchPayload.js';
import type { HistoryStore } from '../../shared/storage/historyStore.js';
import { freshStore } from '../storage/storageHarness.js';

/** Reading a batch's stored rows back never throws: anything but a batch payload is "unreadable". */
describe('reading a batch payload back', () => {
  let store: HistoryStore;
  const valid = {
    rows: [
      { value: { id: '/subscriptions/x', type: 'microsoft.kubernetes/connectedclusters' }, where: 'graph' },
    ],
    gaps: [{ kind: 'scope', subscriptionId: 'x', category: 'extensions', reason: 'throttled' }],
    stats: { ...emptyStats(), graphRequests: 2 },
  };
  beforeAll(async () => {
    store = await freshStore();
  });

  it('reads a stored payload whole', async () => {
    const name = batchBlobName('20261120T060000Z-0000000a', 0);
    await store.largeValues.put(name, JSON.stringify(valid));
    expect(await readBatchPayload(store.largeValues, name)).toEqual({ ok: true, payload: valid });
  });

  it('a missing blob or an empty name is unreadable, with the reason', async () => {
    expect(await readBatchPayload(store.largeValues, 'nope/batches/000001.json')).toEqual({
      ok: false,
      reason: expect.stringMatching(/are missing/) as string,
    });
    expect((await readBatchPayload(store.largeValues, '')).ok).toBe(false);
  });

  it('any other stored text or JSON value is unreadable, never an exception', async () => {
    let index = 0;
    const damaged = fc.oneof(
      fc.string(),
      fc.json(),
      // Cut short anywhere.
      fc.nat({ max: JSON.stringify(valid).length - 1 }).map((cut) => JSON.stringify(valid).slice(0, cut)),
      // One part replaced by an arbitrary JSON value.
      fc
        .tuple(fc.constantFrom('rows', 'gaps', 'stats'), fc.jsonValue())
        .filter(([, value]) => !Array.isArray(value) && typeof value !== 'object')
        .map(([key, value]) => JSON.stringify({ ...valid, [key]: value })),
      fc.jsonValue().map((row) => JSON.stringify({ ...valid, rows: [row] })),
      fc.jsonValue().map((gap) => JSON.stringify({ ...valid, gaps: [gap] })),
      fc
        .tuple(
          fc.constantFrom('graphRequests', 'retries'),
          fc.oneof(fc.string(), fc.constant(-1), fc.constant(null)),
        )
        .map(([key, count]) => JSON.stringify({ ...valid, stats: { ...valid.stats, [key]: count } })),
    );
    await fc.assert(
      fc.asyncProperty(damaged, async (text) => {
        const name = batchBlobName('20261120T060000Z-0000000b', index++);
        await store.largeValues.put(name, text);
        const read = await readBatchPayload(store.largeValues, name);
        expect(read.ok).toBe(false);
        if (!read.ok) expect(read.reason).toContain(name);
      }),
      { numRuns: 150 },
    );
  });
});
