import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CONTROL_IDS, type Finding } from '../../shared/catalog/types.js';
import { OUTPUT_FORMATS } from '../../shared/formats/outputFormats.js';
import { writeScanOutputs } from '../../shared/output/writeScanOutputs.js';
import { regenerateRun } from '../../shared/publish/regenerateRun.js';
import { memorySource, type RunPart } from '../../shared/scan/runSource.js';
import type { ClusterRow, ScanResult } from '../../shared/scan/scanResult.js';
import type { HistoryStore } from '../../shared/storage/historyStore.js';
import type { RunRecord } from '../../shared/storage/runRecord.js';
import { readRun } from '../../shared/storage/runReads.js';
import { storeRun } from '../../shared/storage/storeRun.js';
import { openStoredRun } from '../../shared/publish/storedRunSource.js';
import { sampleRun } from '../storage/scanResults.js';
import { freshStore } from '../storage/storageHarness.js';

const today = sampleRun('current', new Date('2026-11-20T06:00:00Z'));
const lower = (id: string): string => id.toLowerCase();
const catalogOrder = (id: string): number => (CONTROL_IDS as readonly string[]).indexOf(id);

/** The stored order, as documented: clusters by resource ID (case-insensitive), findings by catalog order. */
function inStoredOrder(result: ScanResult): ScanResult {
  const clusters = [...result.clusters].sort((a, b) => (lower(a.id) < lower(b.id) ? -1 : 1));
  const rank = new Map(clusters.map((cluster, index) => [lower(cluster.id), index]));
  const findings = [...result.findings].sort(
    (a, b) =>
      (rank.get(lower(a.clusterId)) ?? 0) - (rank.get(lower(b.clusterId)) ?? 0) ||
      catalogOrder(a.controlId) - catalogOrder(b.controlId),
  );
  return { run: result.run, clusters, findings };
}

async function collect(parts: AsyncIterable<RunPart>): Promise<RunPart[]> {
  const all: RunPart[] = [];
  for await (const part of parts) all.push(part);
  return all;
}

describe('a stored run read back part by part', () => {
  let store: HistoryStore;
  let record: RunRecord;
  const folders: string[] = [];
  const folder = async (): Promise<string> => {
    const path = await mkdtemp(join(tmpdir(), 'stored-run-'));
    folders.push(path);
    return path;
  };

  beforeAll(async () => {
    store = await freshStore();
    await storeRun({ store, source: memorySource(today), scopeKey: 'sample' });
    const read = await readRun(store, today.run.id);
    if (!read) throw new Error('run not stored');
    record = read;
  }, 60_000);
  afterAll(async () => {
    await Promise.all(folders.map((path) => rm(path, { recursive: true, force: true })));
  });

  it('the sample has clusters in several parts and findings of several controls each', () => {
    expect(today.clusters.length).toBeGreaterThan(10);
    expect(new Set(today.findings.map((finding) => finding.controlId)).size).toBe(CONTROL_IDS.length);
  });

  it('gives every cluster and finding once, in the stored order, each finding with its own cluster, whatever the part size or spool window', async () => {
    const expected = inStoredOrder(today);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: today.clusters.length + 2 }),
        fc.integer({ min: 1, max: 20_000 }),
        async (clustersPerPart, runChars) => {
          const stored = await openStoredRun(store, record, {
            clustersPerPart,
            spool: { runChars, maxFanIn: 3 },
          });
          try {
            expect(stored.findings).toBe(today.findings.length);
            expect(stored.clusters).toBe(today.clusters.length);
            for (let reading = 0; reading < 2; reading++) {
              const parts = await collect(stored.source.parts());
              expect(parts).toHaveLength(Math.ceil(today.clusters.length / clustersPerPart));
              for (const part of parts) {
                expect(part.clusters.length).toBeLessThanOrEqual(clustersPerPart);
                const ids = new Set(part.clusters.map((cluster: ClusterRow) => lower(cluster.id)));
                for (const finding of part.findings) expect(ids.has(lower(finding.clusterId))).toBe(true);
              }
              expect(parts.flatMap((part) => part.clusters)).toEqual(expected.clusters);
              expect(parts.flatMap((part) => part.findings)).toEqual(expected.findings);
            }
          } finally {
            await stored.dispose();
          }
        },
      ),
      { numRuns: 8 },
    );
  }, 120_000);

  it('keeps each failing finding first-seen-failing time, keyed as the reports look it up', async () => {
    const stored = await openStoredRun(store, record);
    try {
      const failing = today.findings.filter((finding: Finding) => finding.status === 'FAIL');
      expect(failing.length).toBeGreaterThan(0);
      expect(stored.firstSeenFailing.size).toBe(failing.length);
      for (const finding of failing)
        expect(stored.firstSeenFailing.get(`${lower(finding.clusterId)}|${finding.controlId}`)).toBe(
          today.run.asOf,
        );
    } finally {
      await stored.dispose();
    }
  });

  it('writes, whatever the part size, byte for byte the files of the run in memory in the stored order', async () => {
    const memory = await folder();
    await writeScanOutputs(memory, inStoredOrder(today), { formats: [...OUTPUT_FORMATS] });
    const now = new Date('2026-11-21T08:00:00Z');
    const small = await folder();
    const large = await folder();
    const first = await regenerateRun(store, record, small, {
      formats: [...OUTPUT_FORMATS],
      now,
      stored: { clustersPerPart: 3, spool: { runChars: 2_000 } },
    });
    await regenerateRun(store, record, large, { formats: [...OUTPUT_FORMATS], now });
    expect(first.warning).toBeUndefined();
    const names = (await readdir(memory)).sort();
    expect(names).toEqual(expect.arrayContaining(['findings.json', 'findings.csv']));
    expect(names.length).toBeGreaterThanOrEqual(4);
    for (const name of names) {
      const expected = await readFile(join(memory, name));
      expect(await readFile(join(small, name)), name).toEqual(expected);
      expect(await readFile(join(large, name)), name).toEqual(expected);
    }
    expect(await readFile(join(small, 'report.html'), 'utf8')).toBe(
      await readFile(join(large, 'report.html'), 'utf8'),
    );
  }, 120_000);

  it('warns, and still writes what was read, when the run was not stored whole', async () => {
    const out = await folder();
    const regenerated = await regenerateRun(
      store,
      { ...record, status: 'running', findingsWritten: record.findingsWritten + 5 },
      out,
      {
        formats: [],
        now: new Date('2026-11-21T08:00:00Z'),
      },
    );
    expect(regenerated.warning).toMatch(/running in storage; \d+ findings were read of the \d+/);
    const document = JSON.parse(await readFile(join(out, 'findings.json'), 'utf8')) as {
      findings: unknown[];
    };
    expect(document.findings).toHaveLength(today.findings.length);
  }, 60_000);
});
