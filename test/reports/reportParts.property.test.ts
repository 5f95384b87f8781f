import { join } from 'node:path';

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { STATUSES, type Status } from '../../shared/catalog/types.js';
import { EFFECTIVE_STATUSES, type ScanFinding } from '../../shared/governance/records.js';
import { renderHtmlReport } from '../../shared/reports/renderHtmlReport.js';
import type { ReportInput } from '../../shared/reports/reportInput.js';
import { writeWorkbook, type WorkbookLimits } from '../../shared/reports/writeWorkbook.js';
import { memorySource } from '../../shared/scan/runSource.js';
import type { ScanResult } from '../../shared/scan/scanResult.js';
import { makeTempDir, removeTempDir } from '../support/tempDir.js';
import { inputFor, syntheticResult } from './reportFixtures.js';
import { readWorkbook } from './workbookReading.js';

const NAMES = ['delta', 'Alpha', 'alpha', 'charlie', 'bravo', 'émile'];

/** A small run with names out of order and repeated, IDs in mixed case, a cluster without findings and findings without a cluster row. */
const runArbitrary = fc
  .record({
    clusters: fc.integer({ min: 0, max: 12 }),
    statuses: fc.array(fc.constantFrom(...STATUSES), { minLength: 1, maxLength: 20 }),
    effective: fc.array(fc.option(fc.constantFrom(...EFFECTIVE_STATUSES), { nil: undefined }), {
      minLength: 1,
      maxLength: 20,
    }),
    upperEvery: fc.integer({ min: 2, max: 7 }),
    withoutRow: fc.option(fc.nat(), { nil: undefined }),
    withoutFindings: fc.boolean(),
  })
  .map((draw): ScanResult => {
    const result = syntheticResult(
      draw.clusters,
      (index) => draw.statuses[index % draw.statuses.length] as Status,
    );
    result.clusters.forEach((cluster, index) => {
      cluster.name = NAMES[(index * 5) % NAMES.length] as string;
      cluster.location = `region-${index % 4}`;
    });
    result.findings = result.findings.map((finding, index): ScanFinding => {
      const cluster = Number(finding.clusterId.split('-').pop());
      const effective = draw.effective[index % draw.effective.length];
      return {
        ...finding,
        clusterName: NAMES[(cluster * 5) % NAMES.length] as string,
        clusterId: cluster % draw.upperEvery === 0 ? finding.clusterId.toUpperCase() : finding.clusterId,
        ...(effective === undefined ? {} : { effectiveStatus: effective }),
      };
    });
    if (draw.withoutRow !== undefined && result.clusters.length > 0)
      result.clusters.splice(draw.withoutRow % result.clusters.length, 1);
    if (draw.withoutFindings) {
      const lonely = result.clusters[0];
      if (lonely) result.clusters.splice(1, 0, { ...lonely, id: `${lonely.id}-idle`, name: 'idle' });
    }
    return result;
  });

/** Every sheet's rows as read back with exceljs, each row's values as JSON. */
async function workbookRows(file: string): Promise<Record<string, string[]>> {
  const sheets: Record<string, string[]> = {};
  for (const worksheet of (await readWorkbook(file)).worksheets) {
    const rows: string[] = [];
    worksheet.eachRow((row, number) => rows.push(`${number}: ${JSON.stringify(row.values)}`));
    sheets[worksheet.name] = rows;
  }
  return sheets;
}

let folder: string;
beforeAll(async () => {
  folder = await makeTempDir('arc-dc-report-parts-');
});
afterAll(async () => removeTempDir(folder));

describe('the reports are the same whatever the parts the run is read in (property)', () => {
  it('report.xlsx read back and report.html', async () => {
    let written = 0;
    await fc.assert(
      fc.asyncProperty(
        runArbitrary,
        fc.integer({ min: 1, max: 13 }),
        fc.option(fc.integer({ min: 6, max: 40 }), { nil: undefined }),
        async (result, clustersPerPart, maxRowsPerSheet) => {
          const limits: Partial<WorkbookLimits> =
            maxRowsPerSheet === undefined ? {} : { maxRowsPerSheet, maxHyperlinksPerSheet: 5 };
          const whole: ReportInput = inputFor(result);
          const parted: ReportInput = { ...whole, source: memorySource(result, clustersPerPart) };
          expect(await renderHtmlReport(parted)).toBe(await renderHtmlReport(whole));
          const wholeFile = join(folder, `whole-${written}.xlsx`);
          const partedFile = join(folder, `parted-${written++}.xlsx`);
          expect(await writeWorkbook(partedFile, parted, limits)).toEqual(
            await writeWorkbook(wholeFile, whole, limits),
          );
          expect(await workbookRows(partedFile)).toEqual(await workbookRows(wholeFile));
        },
      ),
      { numRuns: 20 },
    );
  }, 300_000);
});
