import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { mergeResources } from '../../shared/inventory/mergeResources.js';
import { parseInventoryDocument } from '../../shared/inventory/parseInventoryDocument.js';
import { assembleScanResult, evaluatePart, type EvaluatedPart } from '../../shared/scan/evaluateInventory.js';
import { RunAssembler } from '../../shared/scan/runAssembler.js';
import { readWholeRun } from '../../shared/scan/runSource.js';
import { parseScanSettings } from '../../shared/settings/scanSettings.js';
import { buildSampleFleet } from '../../sample/sampleFleet.js';
import { sampleRecords } from '../governance/governedSample.js';

const AS_OF = new Date('2026-11-20T06:00:00Z');
const fleet = buildSampleFleet({ asOf: AS_OF, day: 'current' });
const settings = parseScanSettings(fleet.settings);
const whole = evaluatePart({
  own: {
    ...mergeResources(
      fleet.files.map((file) => parseInventoryDocument(file.name, JSON.stringify(file.content))),
    ),
    gaps: [],
  },
  settings,
  asOf: AS_OF,
});
const records = sampleRecords(AS_OF);

/** The evaluated part cut at the given cluster counts (the rest in a last part). */
function cut(part: EvaluatedPart, sizes: readonly number[]): EvaluatedPart[] {
  const parts: EvaluatedPart[] = [];
  let first = 0;
  for (const size of [...sizes, part.clusters.length]) {
    if (first >= part.clusters.length) break;
    const clusters = part.clusters.slice(first, first + size);
    const ids = new Set(clusters.map((cluster) => cluster.id.toLowerCase()));
    parts.push({
      clusters,
      findings: part.findings.filter((finding) => ids.has(finding.clusterId.toLowerCase())),
      warnings: first === 0 ? part.warnings : [],
      resources: first === 0 ? part.resources : 0,
      duplicates: first === 0 ? part.duplicates : 0,
      ignoredByType: first === 0 ? part.ignoredByType : {},
    });
    first += size;
  }
  return parts;
}

const request = {
  runId: 'run-1',
  source: 'snapshot' as const,
  startedAt: AS_OF,
  asOf: AS_OF,
  settings,
  gaps: [],
  governance: records,
  clock: () => AS_OF,
};

describe('RunAssembler', () => {
  it('assembles, part by part through a spool, the same run as the whole-run assembly', async () => {
    expect(whole.clusters.length).toBeGreaterThan(30);
    const expected = assembleScanResult([whole], request);
    expect(expected.run.governance?.some((entry) => entry.state === 'applied')).toBe(true);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 12 }), { maxLength: 8 }), async (sizes) => {
        const assembler = await RunAssembler.create({ asOf: AS_OF, governance: records });
        for (const part of cut(whole, sizes)) await assembler.add(part);
        const spooled = await assembler.finish({ ...request, finishedAt: AS_OF });
        try {
          expect(spooled.run).toEqual(expected.run);
          expect(spooled.findingCount).toBe(expected.findings.length);
          expect(await readWholeRun(spooled)).toEqual(expected);
          // A source is read again as often as needed.
          expect((await readWholeRun(spooled)).findings.length).toBe(expected.findings.length);
        } finally {
          await spooled.dispose();
        }
      }),
      { numRuns: 25 },
    );
  });

  it('gives the same run from parts as assembleScanResult gives from the same parts', () => {
    const parts = cut(whole, [5, 5, 20]);
    expect(assembleScanResult(parts, request)).toEqual(assembleScanResult([whole], request));
  });

  it('leaves nothing on disk once abandoned or disposed', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'assembler-'));
    try {
      const abandoned = await RunAssembler.create({ asOf: AS_OF, spoolParent: parent });
      await abandoned.add(whole);
      await abandoned.abandon();
      await expect(abandoned.add(whole)).rejects.toThrow('closed');
      const finished = await RunAssembler.create({ asOf: AS_OF, spoolParent: parent });
      await finished.add(whole);
      const spooled = await finished.finish({ ...request, finishedAt: AS_OF });
      expect(await readdir(parent)).toHaveLength(1);
      await spooled.dispose();
      expect(await readdir(parent)).toEqual([]);
    } finally {
      await rm(parent, { recursive: true, force: true });
    }
  });
});
