import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';

import { findingsCsvChunks } from '../../shared/findings/findingsCsv.js';
import { findingsJsonChunks } from '../../shared/findings/findingsJson.js';
import {
  csvFindingsSink,
  jsonFindingsSink,
  partsOf,
  writeToSinks,
  type FindingsSink,
  type RunPart,
} from '../../shared/output/findingsSink.js';
import { writeScanOutputs } from '../../shared/output/writeScanOutputs.js';
import type { ScanResult } from '../../shared/scan/scanResult.js';
import { sampleRun } from '../storage/scanResults.js';

const folders: string[] = [];
afterEach(async () => {
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
});
async function folder(): Promise<string> {
  const path = await mkdtemp(join(tmpdir(), 'sink-'));
  folders.push(path);
  return path;
}

const RESULT = sampleRun('current', new Date('2026-11-20T06:00:00Z'));

/** The first `clusters` clusters of the sample run with their findings. */
function slice(clusters: number): ScanResult {
  const kept = RESULT.clusters.slice(0, clusters);
  const ids = new Set(kept.map((cluster) => cluster.id.toLowerCase()));
  return {
    ...RESULT,
    clusters: kept,
    findings: RESULT.findings.filter((finding) => ids.has(finding.clusterId.toLowerCase())),
  };
}

describe('findings sinks', () => {
  it('stream findings.json and findings.csv byte for byte as the whole-run writers, whatever the part size', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: RESULT.clusters.length }),
        fc.integer({ min: 1, max: 7 }),
        async (n, size) => {
          const result = slice(n);
          const out = await folder();
          const written = await writeToSinks(
            [jsonFindingsSink(join(out, 'findings.json')), csvFindingsSink(join(out, 'findings.csv'))],
            partsOf(result, size),
            result.run,
          );
          expect(await readFile(join(out, 'findings.json'), 'utf8')).toBe(
            [...findingsJsonChunks(result)].join(''),
          );
          expect(await readFile(join(out, 'findings.csv'), 'utf8')).toBe(
            [...findingsCsvChunks(result.findings)].join(''),
          );
          expect(written[0]?.sha256).toMatch(/^[0-9a-f]{64}$/);
          expect((await readdir(out)).sort()).toEqual(['findings.csv', 'findings.json']);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('parts keep every cluster and finding once, in order', () => {
    for (const size of [1, 3, 1000]) {
      const parts = [...partsOf(RESULT, size)];
      expect(parts.flatMap((part) => part.clusters)).toEqual(RESULT.clusters);
      expect(parts.flatMap((part) => part.findings)).toEqual(RESULT.findings);
    }
  });

  it('a failing format leaves no output and no part file behind', async () => {
    const out = await folder();
    const failing: FindingsSink = {
      write: async (part: RunPart) => {
        if (part.findings.length > 0) throw new Error('disk full');
      },
      close: async () => ({ path: '', sha256: '' }),
      abort: async () => undefined,
    };
    await expect(writeScanOutputs(out, RESULT, () => [failing])).rejects.toThrow('disk full');
    expect(await readdir(out)).toEqual([]);
  });

  it('other formats plug in and see every part', async () => {
    const out = await folder();
    let findings = 0;
    const counting: FindingsSink = {
      write: async (part) => {
        findings += part.findings.length;
      },
      close: async (run) => ({ path: `counted ${run.id}`, sha256: '' }),
      abort: async () => undefined,
    };
    await writeScanOutputs(out, RESULT, () => [counting]);
    expect(findings).toBe(RESULT.findings.length);
  });
});
