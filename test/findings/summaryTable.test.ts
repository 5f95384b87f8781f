import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { renderSummary } from '../../shared/findings/summaryTable.js';
import { memorySource } from '../../shared/scan/runSource.js';
import type { ScanResult } from '../../shared/scan/scanResult.js';
import { emptyRun, sampleRun } from '../formats/formatFleets.js';

const sample = sampleRun();

/** The control's row of the summary: PASS, FAIL, MANUAL, N/A and ERROR counts. */
function row(summary: string, controlId: string): number[] {
  const line = summary.split('\n').find((text) => text.startsWith(`${controlId} `));
  if (!line) throw new Error(`no row for ${controlId}`);
  return (line.match(/\s(\d+)(?=\s)/g) ?? []).map(Number);
}

function counted(result: ScanResult, controlId: string): number[] {
  const of = (status: string) =>
    result.findings.filter((f) => f.controlId === controlId && f.status === status).length;
  return ['PASS', 'FAIL', 'MANUAL', 'NOT_APPLICABLE', 'ERROR'].map(of);
}

describe('the scan summary, from a run read part by part', () => {
  it('counts clusters per kind and findings per control in one pass over the parts', async () => {
    const summary = await renderSummary(memorySource(sample, 5));
    const kinds = ['arc', 'aks-arc', 'aks'].map(
      (kind) => `${kind} ${sample.clusters.filter((cluster) => cluster.kind === kind).length}`,
    );
    expect(summary).toContain(`Clusters: ${sample.run.clusterCount} (${kinds.join(', ')})`);
    for (const controlId of new Set(sample.findings.map((finding) => finding.controlId)))
      expect(row(summary, controlId)).toEqual(counted(sample, controlId));
  });

  it('is the same text whatever the parts', async () => {
    const whole = await renderSummary({
      run: sample.run,
      parts: async function* () {
        yield { clusters: sample.clusters, findings: sample.findings };
      },
    });
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: sample.clusters.length + 1 }), async (clustersPerPart) => {
        expect(await renderSummary(memorySource(sample, clustersPerPart))).toBe(whole);
      }),
      { numRuns: 40 },
    );
  });

  it('of an empty run names no cluster kind and no control', async () => {
    const summary = await renderSummary(memorySource(emptyRun()));
    expect(summary).toContain('Clusters: 0 (none)');
    expect(summary).not.toMatch(/^DS-/m);
  });
});
