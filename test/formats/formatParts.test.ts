import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { writeFormatOutputs } from '../../shared/formats/writeFormatOutputs.js';
import { memorySource, type RunSource } from '../../shared/scan/runSource.js';
import { sampleRun } from './formatFleets.js';

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'format-parts-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

let counter = 0;
async function written(source: RunSource): Promise<string[]> {
  const paths = await writeFormatOutputs(join(folder, String(counter++)), source, ['oscal', 'ocsf']);
  return Promise.all(paths.map((path) => readFile(path, 'utf8')));
}

describe('interchange formats of a run read part by part', () => {
  it('are byte for byte the files of the run read in one part', { timeout: 120_000 }, async () => {
    const sample = sampleRun();
    const whole = await written({
      run: sample.run,
      parts: async function* () {
        yield { clusters: sample.clusters, findings: sample.findings };
      },
    });
    expect(whole).toHaveLength(2);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: sample.clusters.length }), async (clustersPerPart) => {
        expect(await written(memorySource(sample, clustersPerPart))).toEqual(whole);
      }),
      { numRuns: 10 },
    );
  });
});
