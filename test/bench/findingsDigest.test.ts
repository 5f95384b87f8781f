import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { digestFindingsJson } from '../../scripts/bench/findingsDigest.js';
import { jsonFindingsSink, writeToSinks } from '../../shared/output/findingsSink.js';
import { partsOf } from '../../shared/scan/runSource.js';
import type { ScanResult } from '../../shared/scan/scanResult.js';
import { sampleRun } from '../storage/scanResults.js';

const RESULT: ScanResult = sampleRun('current', new Date('2026-11-20T06:00:00Z'));

let folder: string;
let path: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'digest-'));
  path = join(folder, 'findings.json');
  await writeToSinks([jsonFindingsSink(path)], partsOf(RESULT), RESULT.run);
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

/** The digest's definition: each row's JSON hashed, the hashes sorted, joined and hashed again. */
function definition(rows: readonly unknown[]): string {
  const hashes = rows.map((row) => createHash('sha256').update(JSON.stringify(row)).digest('base64'));
  return createHash('sha256').update(hashes.sort().join('\n')).digest('hex');
}

describe('the findings.json digest', () => {
  it('is the sorted-hash digest of every cluster and finding, with the run counts and score', async () => {
    expect(await digestFindingsJson(path)).toEqual({
      clusters: RESULT.clusters.length,
      findings: RESULT.findings.length,
      clustersSha256: definition(RESULT.clusters),
      findingsSha256: definition(RESULT.findings),
      counts: RESULT.run.counts,
      score: RESULT.run.score,
      complete: RESULT.run.complete,
      asOf: RESULT.run.asOf,
    });
  });

  it('is the same however few line hashes it holds in memory, and leaves no temporary file', async () => {
    const whole = await digestFindingsJson(path);
    const temporary = async () =>
      (await readdir(tmpdir())).filter((name) => name.startsWith('findings-digest-')).length;
    const before = await temporary();
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: RESULT.findings.length + 1 }), async (inMemory) => {
        expect(await digestFindingsJson(path, inMemory)).toEqual(whole);
      }),
      { numRuns: 25 },
    );
    expect(await temporary()).toBe(before);
  });

  it('does not depend on the order of the rows', async () => {
    const reversed = join(folder, 'reversed.json');
    const backwards = {
      ...RESULT,
      clusters: [...RESULT.clusters].reverse(),
      findings: [...RESULT.findings].reverse(),
    };
    await writeToSinks([jsonFindingsSink(reversed)], [backwards], RESULT.run);
    expect(await readFile(reversed, 'utf8')).not.toBe(await readFile(path, 'utf8'));
    expect(await digestFindingsJson(reversed, 16)).toEqual(await digestFindingsJson(path));
  });
});
