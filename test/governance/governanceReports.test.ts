import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { renderHtmlReport } from '../../shared/reports/renderHtmlReport.js';
import type { ReportInput } from '../../shared/reports/reportInput.js';
import { memorySource } from '../../shared/scan/runSource.js';
import type { ScanResult } from '../../shared/scan/scanResult.js';
import { writeWorkbook } from '../../shared/reports/writeWorkbook.js';
import { makeTempDir, removeTempDir } from '../support/tempDir.js';
import { findingsSha256 } from '../reports/reportFixtures.js';
import { readWorkbook, sheet, summaryPairs, tableRecords } from '../reports/workbookReading.js';
import { governedSampleRun, sampleRecords } from './governedSample.js';

const AS_OF = new Date('2026-11-20T06:00:00Z');
let dir = '';
let input: ReportInput & { result: ScanResult };

beforeAll(async () => {
  dir = await makeTempDir('arc-dc-govrep-');
  const result = governedSampleRun('current', AS_OF);
  input = {
    result,
    source: memorySource(result),
    findingsJsonSha256: findingsSha256(result),
    generatedAt: AS_OF,
    changes: undefined,
    trend: [],
  };
});
afterAll(async () => removeTempDir(dir));

describe('reports of a governed run', () => {
  it('workbook: both scores, Exceptions and Attestations sheets, effective status and record per finding, To attest only unattested', async () => {
    const file = join(dir, 'report.xlsx');
    await writeWorkbook(file, input);
    const workbook = await readWorkbook(file);
    const pairs = summaryPairs(workbook);
    expect(pairs.get('Observed compliance')).toBeCloseTo(input.result.run.score, 10);
    expect(pairs.get('Effective compliance')).toBeCloseTo(input.result.run.effectiveScore ?? -1, 10);

    const exceptions = tableRecords(sheet(workbook, 'Exceptions'), 'Exception');
    expect(exceptions.map((row) => [row.Exception, row.State, row['Findings applied to']])).toEqual([
      ['EXC-2026-014', 'applied', 6],
      ['EXC-2026-021', 'applied', 1],
      ['EXC-2026-003', 'expired', 0],
      ['EXC-2026-030', 'unused', 0],
      ['EXC-2026-040', 'ignored', 0],
    ]);
    expect(exceptions[0]).toMatchObject({
      Owner: expect.stringContaining('Store platform team'),
      Ticket: 'STORE-412',
    });
    const attestations = tableRecords(sheet(workbook, 'Attestations'), 'Attestation');
    expect(attestations).toHaveLength(4);
    expect(attestations[0]).toMatchObject({
      Attestation: 'ATT-2026-101',
      Result: 'PASS',
      State: 'applied',
      'Findings applied to': 13,
    });
    expect(String(attestations[0]?.Evidence)).toContain(
      'https://wiki.contoso.example/stores/kms-review-2026-11',
    );
    expect(String(attestations[0]?.Evidence)).toContain('sha256 3f786850');

    const findings = tableRecords(sheet(workbook, 'Findings'), 'Cluster');
    const excepted = findings.filter((row) => row['Effective status'] === 'EXCEPTED');
    expect(excepted).toHaveLength(7);
    for (const row of excepted) expect(['FAIL', 'MANUAL']).toContain(row.Status);
    const drRow = findings.find((row) => row.Cluster === 'payments-dr-aks' && row.Control === 'DS-08');
    expect(drRow).toMatchObject({
      Status: 'FAIL',
      'Effective status': 'EXCEPTED',
      'Governance record': 'EXC-2026-021',
    });

    const toAttest = tableRecords(sheet(workbook, 'To attest'), 'Control');
    expect(toAttest).toHaveLength(input.result.run.effectiveCounts?.MANUAL ?? -1);
    expect(toAttest.length).toBeLessThan(input.result.run.counts.MANUAL);
    expect(
      toAttest.some((row) => row.Control === 'DS-04' && String(row['Cluster ID']).includes('b77901c8')),
    ).toBe(false);
  });

  it('HTML: observed and effective score side by side, accepted risks by control, expiring, unused and expired records', async () => {
    const html = await renderHtmlReport(input);
    expect(html).toMatch(/id="overall-score">36\.6%/);
    expect(html).toMatch(/id="effective-score">44\.3%/);
    const risks = html.slice(
      html.indexOf('id="accepted-risks"'),
      html.indexOf('</table>', html.indexOf('id="accepted-risks"')),
    );
    expect(risks).toContain('DS-02');
    expect(risks).toContain('EXC-2026-014');
    expect(risks).toContain('DS-08');
    const expiring = html.slice(
      html.indexOf('id="governance-expiring"'),
      html.indexOf('</table>', html.indexOf('id="governance-expiring"')),
    );
    expect(expiring).toContain('EXC-2026-014');
    expect(expiring).not.toContain('EXC-2026-021');
    expect(html.slice(html.indexOf('id="governance-unused"'))).toContain('EXC-2026-030');
    expect(html.slice(html.indexOf('id="governance-expired"'))).toContain('EXC-2026-003');
  });

  it('a run without governance records keeps its reports as they were', async () => {
    const plain = governedSampleRun('current', AS_OF, []);
    const html = await renderHtmlReport({
      ...input,
      source: memorySource(plain),
      findingsJsonSha256: findingsSha256(plain),
    });
    expect(html).not.toContain('effective-score');
    expect(html).not.toContain('governance-heading');
    const file = join(dir, 'plain.xlsx');
    await writeWorkbook(file, { ...input, source: memorySource(plain) });
    const names = (await readWorkbook(file)).worksheets.map((w) => w.name);
    expect(names).not.toContain('Exceptions');
    expect(names).not.toContain('Attestations');
  });
});

describe('changes since the previous run', () => {
  it('lists newly excepted, exception expired, newly attested and attestation expired findings', async () => {
    const { computeRunChanges } = await import('../../shared/runCalculations/runChanges.js');
    const { renderChanges } = await import('../../shared/findings/changesSummary.js');
    const before = governedSampleRun('current', AS_OF, []);
    const during = governedSampleRun('current', AS_OF);
    const added = computeRunChanges(
      { runId: 'a', findings: before.findings },
      { runId: 'b', findings: during.findings },
    );
    expect(added.newlyExcepted).toHaveLength(7);
    expect(added.newlyAttested).toHaveLength(
      during.findings.filter((f) => f.governance?.attestationId).length,
    );
    expect(added.exceptionExpired ?? []).toEqual([]);
    // 200 days later every record has expired; the findings fail or wait for a person again.
    const later = new Date(AS_OF.getTime() + 200 * 86_400_000);
    const after = governedSampleRun('current', later, sampleRecords(AS_OF), AS_OF);
    const lapsed = computeRunChanges(
      { runId: 'b', findings: during.findings },
      { runId: 'c', findings: after.findings },
    );
    expect(lapsed.exceptionExpired?.map((c) => c.recordId).sort()).toEqual([
      ...Array(6).fill('EXC-2026-014'),
      'EXC-2026-021',
    ]);
    // The attestations that lapsed (ATT-2026-104 runs 300 days) are listed for findings still MANUAL.
    expect(lapsed.attestationExpired?.length).toBe(
      after.findings.filter(
        (f) =>
          f.status === 'MANUAL' &&
          !f.governance?.attestationId &&
          during.findings.some(
            (d) => d.clusterId === f.clusterId && d.controlId === f.controlId && d.governance?.attestationId,
          ),
      ).length,
    );
    expect(lapsed.attestationExpired?.length).toBeGreaterThan(0);
    expect(lapsed.newlyExcepted ?? []).toEqual([]);
    const text = renderChanges(lapsed);
    expect(text).toContain('Exception expired (failing again): 7');
    expect(text).toMatch(/Attestation expired \(MANUAL again\): \d+/);
  });
});
