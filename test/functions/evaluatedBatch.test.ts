import { Readable } from 'node:stream';

import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';

import { emptyStats } from '../../shared/collection/collectionStats.js';
import {
  checkStoredPart,
  evaluatedBlobName,
  readEvaluatedBatch,
  readStoredPart,
  storeEvaluatedBatch,
  storedPartsSource,
  type EvaluatedBatch,
} from '../../shared/fanout/evaluatedBatch.js';
import {
  lentRowsBlobName,
  readLentRows,
  readRunFacts,
  runFactsBlobName,
  writeRunFacts,
  type RunFacts,
} from '../../shared/fanout/runFacts.js';
import type { RunPart } from '../../shared/scan/runSource.js';
import { emptyRunTally } from '../../shared/scan/runTally.js';
import type { RunMetadata } from '../../shared/scan/scanResult.js';
import type { HistoryStore } from '../../shared/storage/historyStore.js';
import { freshStore } from '../storage/storageHarness.js';

/** A part of `clusters` clusters with `perCluster` findings each (only what splitting reads is real). */
function partOf(run: string, clusters: number, perCluster: number): RunPart {
  const ids = Array.from({ length: clusters }, (_, i) => `/subscriptions/${run}/clusters/c${i}`);
  return {
    clusters: ids.map((id) => ({ id, name: id.split('/').at(-1) ?? '', note: 'ü ✓ "quoted"' })),
    findings: ids.flatMap((id) =>
      Array.from({ length: perCluster }, (_, k) => ({ clusterId: id.toUpperCase(), controlId: `DS-0${k}` })),
    ),
  } as unknown as RunPart;
}

async function collect(parts: AsyncIterable<RunPart>): Promise<RunPart[]> {
  const all: RunPart[] = [];
  for await (const part of parts) all.push(part);
  return all;
}

const rest = (): Omit<EvaluatedBatch, 'part'> => ({
  tally: { ...emptyRunTally(), clusters: 3, findings: 30 },
  hostGaps: [{ kind: 'resource', id: '/subscriptions/x/hci/securitySettings/default', reason: '503' }],
  stats: { ...emptyStats(), armRequests: 1 },
});

/** A batch's evaluation kept in blobs: streamed back as stored, and any damage seen before use. */
describe('a batch evaluation stored in blobs', () => {
  let store: HistoryStore;
  let runs = 0;
  const runId = (): string => `20261120T060000Z-${(runs++).toString(16).padStart(8, '0')}`;
  beforeAll(async () => {
    store = await freshStore();
  });

  it('streams back the same clusters and findings, at most 500 clusters a line, whatever the size', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: 1300 }), fc.nat({ max: 3 }), async (clusters, perCluster) => {
        const id = runId();
        const part = partOf(id, clusters, perCluster);
        const evaluated = await storeEvaluatedBatch(store.largeValues, id, 0, part, rest());
        const read = await readEvaluatedBatch(store.largeValues, id, 0);
        expect(read).toEqual({ ok: true, evaluated });
        expect(await checkStoredPart(store.largeValues, evaluated.part)).toEqual({ ok: true });
        const back = await collect(readStoredPart(store.largeValues, evaluated.part.blobName));
        expect(back.length).toBe(Math.ceil(clusters / 500));
        expect(back.every((line) => line.clusters.length <= 500)).toBe(true);
        expect(back.flatMap((line) => line.clusters)).toEqual(part.clusters);
        expect(back.flatMap((line) => line.findings)).toEqual(part.findings);
      }),
      { numRuns: 12 },
    );
  });

  it('reads a part back line by line however the download is cut into chunks', async () => {
    const part = partOf('chunks', 1200, 2);
    const lines: string[] = [];
    const capture = {
      putStream: async (_name: string, pieces: Iterable<string>) => {
        for (const piece of pieces) lines.push(piece);
      },
      put: async () => undefined,
    } as unknown as HistoryStore['largeValues'];
    await storeEvaluatedBatch(capture, 'r', 0, part, rest());
    const bytes = Buffer.from(lines.join(''), 'utf8');
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.nat({ max: bytes.length }), { maxLength: 40 }), async (cuts) => {
        const at = [0, ...cuts.sort((a, b) => a - b), bytes.length];
        const chunks = at.slice(1).map((end, i) => bytes.subarray(at[i], end));
        const chunked = {
          openRead: async () => Readable.from(chunks),
        } as unknown as HistoryStore['largeValues'];
        const back = await collect(readStoredPart(chunked, 'part'));
        expect(back.flatMap((line) => line.clusters)).toEqual(part.clusters);
        expect(back.flatMap((line) => line.findings)).toEqual(part.findings);
      }),
      { numRuns: 30 },
    );
  });

  it('a batch evaluated twice to the same part writes the same blob', async () => {
    const id = runId();
    const first = await storeEvaluatedBatch(store.largeValues, id, 4, partOf(id, 700, 2), rest());
    const again = await storeEvaluatedBatch(store.largeValues, id, 4, partOf(id, 700, 2), rest());
    expect(again).toEqual(first);
    expect(first.part.blobName).toMatch(new RegExp(`^${id}/batches/000004\\.part-[0-9a-f]{16}\\.ndjson$`));
    expect(await checkStoredPart(store.largeValues, first.part)).toEqual({ ok: true });
  });

  it('a part missing, cut short, extended or changed anywhere is told, never streamed', async () => {
    const id = runId();
    const { part } = await storeEvaluatedBatch(store.largeValues, id, 1, partOf(id, 40, 2), rest());
    const text = await store.largeValues.get(part.blobName);
    const damaged = fc.oneof(
      fc.nat({ max: text.length - 1 }).map((cut) => text.slice(0, cut)),
      fc.string({ minLength: 1 }).map((tail) => text + tail),
      fc
        .tuple(fc.nat({ max: text.length - 1 }), fc.string({ minLength: 1, maxLength: 1 }))
        .filter(([at, char]) => text[at] !== char)
        .map(([at, char]) => text.slice(0, at) + char + text.slice(at + 1)),
    );
    await fc.assert(
      fc.asyncProperty(damaged, async (changed) => {
        await store.largeValues.put(part.blobName, changed);
        const check = await checkStoredPart(store.largeValues, part);
        expect(check.ok).toBe(false);
        if (!check.ok) expect(check.reason).toMatch(/is damaged/);
      }),
      { numRuns: 40 },
    );
    await store.largeValues.deletePrefix(part.blobName);
    const missing = await checkStoredPart(store.largeValues, part);
    expect(missing).toEqual({ ok: false, reason: expect.stringMatching(/is missing/) as string });
  });

  it('an evaluation blob that is not one is told with its name, never thrown', async () => {
    const id = runId();
    const valid = JSON.stringify(
      await storeEvaluatedBatch(store.largeValues, id, 0, partOf(id, 3, 1), rest()),
    );
    let index = 1;
    const damaged = fc.oneof(
      fc.string(),
      fc.json(),
      fc.nat({ max: valid.length - 1 }).map((cut) => valid.slice(0, cut)),
      fc
        .tuple(fc.constantFrom('part', 'tally', 'hostGaps', 'stats'), fc.jsonValue())
        .filter(([, value]) => value === null || typeof value !== 'object')
        .map(([key, value]) => JSON.stringify({ ...(JSON.parse(valid) as object), [key]: value })),
      fc
        .tuple(fc.constantFrom('clusters', 'findings', 'counts', 'governance', 'warnings'), fc.jsonValue())
        .filter(([, value]) => value === null || typeof value !== 'object')
        .filter(([, value]) => !(typeof value === 'number' && Number.isSafeInteger(value) && value >= 0))
        .map(([key, value]) => {
          const parsed = JSON.parse(valid) as EvaluatedBatch;
          return JSON.stringify({ ...parsed, tally: { ...parsed.tally, [key]: value } });
        }),
    );
    await fc.assert(
      fc.asyncProperty(damaged, async (text) => {
        const at = index++;
        await store.largeValues.put(evaluatedBlobName(id, at), text);
        const read = await readEvaluatedBatch(store.largeValues, id, at);
        expect(read.ok).toBe(false);
        if (!read.ok) expect(read.reason).toContain(evaluatedBlobName(id, at));
      }),
      { numRuns: 100 },
    );
    expect((await readEvaluatedBatch(store.largeValues, id, 10_000)).ok).toBe(false);
  });

  it('run facts are read back as written; anything else is told, never thrown', async () => {
    const id = runId();
    const facts: RunFacts = {
      merged: {
        fleet: { newestAgentVersion: { text: '1.44.7', major: 1, minor: 44, patch: 7 }, warnings: [] },
        linkingRows: [{ value: { id: '/subscriptions/x/customLocations/site' }, where: 'graph' }],
      },
      gaps: [{ kind: 'scope', subscriptionId: 'y', category: 'clusters', reason: 'the batch was not read' }],
      failedBatches: [{ index: 1, reason: 'the batch was not read' }],
      stats: { ...emptyStats(), graphRequests: 3, failedBatches: 1 },
      governance: [],
    };
    await writeRunFacts(store.largeValues, id, facts);
    expect(await readRunFacts(store.largeValues, id)).toEqual({ ok: true, facts });
    const missing = await readRunFacts(store.largeValues, runId());
    expect(missing).toMatchObject({ ok: false, missing: true });
    const valid = JSON.stringify(facts);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.nat({ max: valid.length - 1 }).map((cut) => valid.slice(0, cut)),
          fc
            .tuple(fc.constantFrom('merged', 'gaps', 'failedBatches', 'stats', 'governance'), fc.jsonValue())
            .filter(([, value]) => value === null || typeof value !== 'object')
            .map(([key, value]) => JSON.stringify({ ...facts, [key]: value })),
        ),
        async (text) => {
          await store.largeValues.put(runFactsBlobName(id), text);
          const read = await readRunFacts(store.largeValues, id);
          expect(read.ok).toBe(false);
          if (!read.ok) expect(read.reason).toContain(runFactsBlobName(id));
        },
      ),
      { numRuns: 80 },
    );
  });

  it("each batch's share of the linking rows is stored beside it; a damaged share is told, never thrown", async () => {
    const id = runId();
    const vault = '/subscriptions/v/resourceGroups/b/providers/Microsoft.DataProtection/backupVaults/vault';
    const cluster = (n: number): string =>
      `/subscriptions/s${n}/resourceGroups/r/providers/Microsoft.Kubernetes/connectedClusters/c${n}`;
    const backup = (n: number) => ({
      where: 'graph',
      value: {
        id: `${vault}/backupInstances/i${n}`,
        type: 'Microsoft.DataProtection/backupVaults/backupInstances',
        properties: { dataSourceInfo: { resourceID: cluster(n) } },
      },
    });
    const site = {
      where: 'graph',
      value: {
        id: '/subscriptions/s0/resourceGroups/r/providers/Microsoft.ExtendedLocation/customLocations/site',
        type: 'Microsoft.ExtendedLocation/customLocations',
      },
    };
    const facts: RunFacts = {
      merged: {
        fleet: { newestAgentVersion: undefined, warnings: [] },
        linkingRows: [backup(0), site, backup(1), backup(2)],
      },
      gaps: [],
      failedBatches: [],
      stats: emptyStats(),
      governance: [],
    };
    const reach = new Map<number, string[] | undefined>([
      [0, [cluster(0).toLowerCase()]],
      [1, [cluster(1).toLowerCase(), `${vault}/backupInstances/i2`.toLowerCase()]],
      [2, undefined],
    ]);
    await writeRunFacts(store.largeValues, id, facts, reach);
    const read = await readRunFacts(store.largeValues, id);
    expect(read).toEqual({
      ok: true,
      facts: { ...facts, merged: { ...facts.merged, linkingRows: [] }, lentPerBatch: true },
    });
    const rowsOf = async (index: number) => {
      const lent = await readLentRows(store.largeValues, id, index);
      if (!lent.ok) throw new Error(lent.reason);
      return lent.lent;
    };
    expect(await rowsOf(0)).toEqual({ rows: [backup(0), site], backupInstancesLeftOut: true });
    expect(await rowsOf(1)).toEqual({ rows: [site, backup(1), backup(2)], backupInstancesLeftOut: true });
    // A batch summarised without its reach is lent every row.
    expect(await rowsOf(2)).toEqual({ rows: facts.merged.linkingRows, backupInstancesLeftOut: false });
    const missing = await readLentRows(store.largeValues, id, 3);
    expect(missing).toEqual({ ok: false, reason: expect.stringContaining('missing') as unknown });
    const valid = JSON.stringify(await rowsOf(0));
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.nat({ max: valid.length - 1 }).map((cut) => valid.slice(0, cut)),
          fc
            .tuple(fc.constantFrom('rows', 'backupInstancesLeftOut'), fc.jsonValue())
            .filter(([key, value]) =>
              key === 'rows' ? !Array.isArray(value) || value.length > 0 : typeof value !== 'boolean',
            )
            .map(([key, value]) =>
              JSON.stringify({
                rows: [],
                backupInstancesLeftOut: false,
                [key]: key === 'rows' && Array.isArray(value) ? [value[0]] : value,
              }),
            )
            .filter((text) => !/^\{"rows":\[\{"where":"/.test(text)),
        ),
        async (text) => {
          await store.largeValues.put(lentRowsBlobName(id, 0), text);
          const lent = await readLentRows(store.largeValues, id, 0);
          expect(lent.ok).toBe(false);
          if (!lent.ok) {
            expect(lent.reason).toContain(lentRowsBlobName(id, 0));
            expect(lent.transient).toBeUndefined();
          }
        },
      ),
      { numRuns: 80 },
    );
  });

  it('a run source over stored parts streams them in the order given, as often as asked', async () => {
    const id = runId();
    const names: string[] = [];
    for (const [index, size] of [700, 0, 3].entries()) {
      const stored = await storeEvaluatedBatch(
        store.largeValues,
        id,
        index,
        partOf(`${id}-${index}`, size, 1),
        rest(),
      );
      names.push(stored.part.blobName);
    }
    const source = storedPartsSource(
      store.largeValues,
      { id } as RunMetadata,
      [names[2], names[0], names[1]] as string[],
    );
    for (let pass = 0; pass < 2; pass++) {
      const parts = await collect(source.parts());
      expect(parts.map((part) => part.clusters.length)).toEqual([3, 500, 200]);
      expect(parts[0]?.clusters[0]?.id).toContain(`${id}-2`);
    }
  });
});
