import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { STATUSES, type Status } from '../../shared/catalog/types.js';
import type { ScanFinding } from '../../shared/governance/records.js';
import type { RunPart, RunSource } from '../../shared/scan/runSource.js';
import type { ClusterRow, ScanResult } from '../../shared/scan/scanResult.js';
import { TABLE_NAMES, type HistoryStore } from '../../shared/storage/historyStore.js';
import { storeRun, type StoreRunOutcome } from '../../shared/storage/storeRun.js';
import { governedSampleRun } from '../governance/governedSample.js';
import { freshStore } from './storageHarness.js';

const DAY = 86_400_000;
const TODAY = new Date('2026-11-20T06:00:00Z');
const YESTERDAY = new Date(TODAY.getTime() - DAY);

/** A run's clusters, each with its findings, in run order. */
type Clustered = Array<{ cluster: ClusterRow; findings: ScanFinding[] }>;

function clustered(result: ScanResult): Clustered {
  return result.clusters.map((cluster) => ({
    cluster,
    findings: result.findings.filter((f) => f.clusterId.toLowerCase() === cluster.id.toLowerCase()),
  }));
}

const previousRun = governedSampleRun('previous', YESTERDAY);
const currentRun = governedSampleRun('current', TODAY);
const governed = {
  previous: clustered(previousRun),
  previousBare: clustered(governedSampleRun('previous', YESTERDAY, [])),
  current: clustered(currentRun),
  currentBare: clustered(governedSampleRun('current', TODAY, [])),
};
const runs = { previous: previousRun.run, current: currentRun.run };

/** Clusters worth picking: those with governed findings, and a few more (some only in one day). */
const POOL = [
  ...new Set([
    ...governed.current
      .filter((entry) => entry.findings.some((f) => f.governance !== undefined))
      .slice(0, 5)
      .map((entry) => entry.cluster.id.toLowerCase()),
    ...governed.current.slice(0, 4).map((entry) => entry.cluster.id.toLowerCase()),
    ...governed.previous.slice(-2).map((entry) => entry.cluster.id.toLowerCase()),
    ...governed.current.slice(-2).map((entry) => entry.cluster.id.toLowerCase()),
  ]),
];

/** The clusters of `run` picked (by position in the pool), statuses overridden where given. */
function pick(run: Clustered, picked: number[], statuses: Array<Status | null> = []): Clustered {
  const byId = new Map(run.map((entry) => [entry.cluster.id.toLowerCase(), entry]));
  let at = 0;
  return picked.flatMap((index) => {
    const entry = byId.get(POOL[index] ?? '');
    if (!entry) return [];
    return [
      {
        cluster: entry.cluster,
        findings: entry.findings.map((finding) => {
          const status = statuses[at++ % Math.max(1, statuses.length)] ?? null;
          return status === null ? finding : { ...finding, status };
        }),
      },
    ];
  });
}

/** A source of `run` in parts of the given numbers of clusters (cycled), read once per parts(). */
function sourceOf(meta: ScanResult['run'], run: Clustered, sizes: number[] = [run.length || 1]): RunSource {
  return {
    run: meta,
    parts: async function* (): AsyncGenerator<RunPart> {
      let at = 0;
      for (let i = 0; at < run.length || (i === 0 && run.length === 0); i++) {
        const slice = run.slice(at, at + Math.max(1, sizes[i % sizes.length] ?? 1));
        at += slice.length || 1;
        yield {
          clusters: slice.map((entry) => entry.cluster),
          findings: slice.flatMap((entry) => entry.findings),
        };
      }
    },
  };
}

/** Every entity of every table, without what the service stamps (ETags, timestamps). */
async function contents(store: HistoryStore): Promise<Record<string, unknown[]>> {
  const tables: Record<string, unknown[]> = {};
  for (const name of TABLE_NAMES) {
    const rows: unknown[] = [];
    for await (const entity of store.tables[name].listEntities<Record<string, unknown>>()) {
      const { etag: _etag, timestamp: _timestamp, updatedAt: _updatedAt, ...rest } = entity;
      rows.push(rest);
    }
    tables[name] = rows;
  }
  return tables;
}

/** A run record without what the clock and the service stamp. */
function recordOf(record: Record<string, unknown> | undefined): unknown {
  if (!record) return record;
  const { updatedAt: _updatedAt, etag: _etag, ...rest } = record;
  return rest;
}

/** What storing returned, without its clock. */
function outcomeOf(outcome: StoreRunOutcome): unknown {
  return {
    ...outcome,
    record: recordOf({ ...outcome.record }),
    previous: recordOf(outcome.previous && { ...outcome.previous }),
    firstSeenFailing: [...outcome.firstSeenFailing],
  };
}

describe('storing a run read part by part', () => {
  it('stores the same entities and finds the same changes however the run is split into parts', async () => {
    const indexes = fc.uniqueArray(fc.nat(POOL.length - 1), { minLength: 0, maxLength: 6 });
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          previous: fc.option(fc.record({ clusters: indexes, bare: fc.boolean() }), { nil: undefined }),
          current: indexes,
          currentBare: fc.boolean(),
          statuses: fc.array(fc.option(fc.constantFrom(...STATUSES)), { maxLength: 12 }),
          sizes: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 4 }),
        }),
        async (input) => {
          const current = pick(
            input.currentBare ? governed.currentBare : governed.current,
            input.current,
            input.statuses,
          );
          const stored: Array<{ outcome: unknown; tables: Record<string, unknown[]> }> = [];
          for (const sizes of [undefined, input.sizes]) {
            const store = await freshStore();
            if (input.previous) {
              const previous = pick(
                input.previous.bare ? governed.previousBare : governed.previous,
                input.previous.clusters,
              );
              await storeRun({ store, source: sourceOf(runs.previous, previous), scopeKey: 'parts' });
            }
            const outcome = await storeRun({
              store,
              source: sourceOf(runs.current, current, sizes),
              scopeKey: 'parts',
            });
            stored.push({ outcome: outcomeOf(outcome), tables: await contents(store) });
          }
          const [whole, split] = stored;
          expect(split?.outcome).toEqual(whole?.outcome);
          expect(split?.tables).toEqual(whole?.tables);
        },
      ),
      { numRuns: 12 },
    );
  }, 240_000);

  it('reads the run once and keeps nothing of a part once it has moved on to the next', async () => {
    const run = governed.current;
    let reads = 0;
    // Parts made on demand; each is wrecked as soon as the next is asked for (or the reading ends),
    // so anything kept of a part and used later would be stored wrong.
    const lazy: RunSource = {
      run: runs.current,
      parts: async function* (): AsyncGenerator<RunPart> {
        reads++;
        let previous: ScanFinding[] | undefined;
        const wreck = (): void => {
          for (const finding of previous ?? [])
            Object.assign(finding, { status: 'ERROR', clusterId: 'gone', reason: 'gone', evidence: {} });
          previous?.splice(0);
        };
        try {
          for (let first = 0; first < run.length; first += 3) {
            const slice = run.slice(first, first + 3);
            const findings = structuredClone(slice.flatMap((entry) => entry.findings));
            wreck();
            previous = findings;
            yield { clusters: structuredClone(slice.map((entry) => entry.cluster)), findings };
          }
        } finally {
          wreck();
        }
      },
    };
    const lazyStore = await freshStore();
    const fromLazy = await storeRun({ store: lazyStore, source: lazy, scopeKey: 'lazy' });
    expect(reads).toBe(1);
    const memoryStore = await freshStore();
    const fromMemory = await storeRun({
      store: memoryStore,
      source: sourceOf(runs.current, run),
      scopeKey: 'lazy',
    });
    expect(fromLazy.record.findingsWritten).toBe(run.flatMap((entry) => entry.findings).length);
    expect(outcomeOf(fromLazy)).toEqual(outcomeOf(fromMemory));
    expect(await contents(lazyStore)).toEqual(await contents(memoryStore));
  }, 120_000);
});
