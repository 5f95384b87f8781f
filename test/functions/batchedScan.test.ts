import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { judgeBatches, summariseBatches, type RowBatches } from '../../shared/fanout/batchedScan.js';
import { getCi } from '../../shared/inventory/caseInsensitive.js';
import { mergeResources } from '../../shared/inventory/mergeResources.js';
import { parseInventoryDocument, type DocumentRow } from '../../shared/inventory/parseInventoryDocument.js';
import { subscriptionOf } from '../../shared/inventory/resourceId.js';
import { evaluateInventory } from '../../shared/scan/evaluateInventory.js';
import { readWholeRun } from '../../shared/scan/runSource.js';
import type { ScanResult } from '../../shared/scan/scanResult.js';
import { parseScanSettings, type ScanSettings } from '../../shared/settings/scanSettings.js';
import { buildSampleFleet } from '../../sample/sampleFleet.js';
import { syntheticFleet } from '../fakes/syntheticFleet.js';
import { batchAssignment } from '../support/batchAssignment.js';

const AS_OF = new Date('2026-11-20T06:00:00Z');

/** The rows of the sample fleet's files and of a synthetic fleet, in file order. */
function inventoryRows(): { rows: DocumentRow[]; settings: ScanSettings } {
  const sample = buildSampleFleet({ asOf: AS_OF, day: 'current' });
  const files = [
    ...sample.files,
    { name: 'synthetic.json', content: syntheticFleet({ clusters: 40, subscriptions: 5 }).resources },
  ];
  const rows = files.flatMap((file) => parseInventoryDocument(file.name, JSON.stringify(file.content)));
  return { rows, settings: parseScanSettings(sample.settings) };
}

const subscriptionOfRow = (row: DocumentRow): string | undefined => {
  const id = getCi(row.value, 'id');
  return typeof id === 'string' ? subscriptionOf(id)?.toLowerCase() : undefined;
};

/** Rows split into `count` batches: each subscription's in the batch `batchOf` gives it, others in batch 0. */
function split(rows: DocumentRow[], count: number, batchOf: (subscription: string) => number): RowBatches {
  const batches: DocumentRow[][] = Array.from({ length: count }, () => []);
  for (const row of rows) {
    const subscription = subscriptionOfRow(row);
    batches[subscription === undefined ? 0 : batchOf(subscription)]?.push(row);
  }
  return { count, read: (index) => Promise.resolve(batches[index] ?? []) };
}

async function judge(batches: RowBatches, settings: ScanSettings): Promise<ScanResult> {
  const first = await summariseBatches(batches, settings);
  const run = await judgeBatches({
    batches: first.batches,
    merged: first.merged,
    gaps: [],
    clusters: first.clusters,
    settings,
    runId: 'run',
    source: 'snapshot',
    startedAt: AS_OF,
    asOf: AS_OF,
    backupInstancesQueried: false,
    clock: () => AS_OF,
    clustersPerPart: 7,
  });
  try {
    return await readWholeRun(run);
  } finally {
    await run.dispose();
  }
}

describe('an offline run judged batch by batch', () => {
  const { rows, settings } = inventoryRows();
  const subscriptions = [...new Set(rows.map(subscriptionOfRow).filter((s) => s !== undefined))].sort();

  it('in one batch is the run judged whole, to the last field', async () => {
    const whole = evaluateInventory({
      inventory: mergeResources([rows]),
      settings,
      runId: 'run',
      source: 'snapshot',
      startedAt: AS_OF,
      clock: () => AS_OF,
    });
    expect(
      await judge(
        split(rows, 1, () => 0),
        settings,
      ),
    ).toEqual(whole);
  });

  it('in any number of batches by subscription judges every cluster as one batch does', async () => {
    expect(subscriptions.length).toBeGreaterThan(5);
    const one = await judge(
      split(rows, 1, () => 0),
      settings,
    );
    const findings = (result: ScanResult) =>
      new Map(result.findings.map((f) => [`${f.clusterId.toLowerCase()}|${f.controlId}`, f]));
    const clusters = (result: ScanResult) => new Map(result.clusters.map((c) => [c.id, c]));
    const messages = (result: ScanResult) => result.run.inventoryWarnings.map((w) => w.message).sort();
    await fc.assert(
      fc.asyncProperty(batchAssignment(subscriptions.length, 2, 6), async ([count, assignment]) => {
        const batchOf = (subscription: string) => assignment[subscriptions.indexOf(subscription)] ?? 0;
        const batched = await judge(split(rows, count, batchOf), settings);
        expect(findings(batched)).toEqual(findings(one));
        expect(clusters(batched)).toEqual(clusters(one));
        expect(messages(batched)).toEqual(messages(one));
        const { inventoryWarnings: _w, ...run } = batched.run;
        const { inventoryWarnings: _o, ...expected } = one.run;
        expect(run).toEqual(expected);
      }),
      { numRuns: 12 },
    );
  }, 120_000);
});
