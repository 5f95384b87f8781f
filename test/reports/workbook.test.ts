import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';

import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { BENCHMARK_MAPPINGS } from '../../shared/catalog/benchmarkMappings.js';
import { CONTROLS } from '../../shared/catalog/controls.js';
import { FRAMEWORKS } from '../../shared/catalog/frameworks.js';
import { RECOMMENDATION_TITLES } from '../../shared/catalog/recommendations.js';
import { STATUSES, type ControlId, type EvidenceCheck, type Finding } from '../../shared/catalog/types.js';
import { benchmarkLabel } from '../../shared/findings/findingsCsv.js';
import { spreadsheetSafe } from '../../shared/findings/spreadsheetSafe.js';
import { complianceScore, countStatuses } from '../../shared/runCalculations/summarise.js';
import type { ReportInput } from '../../shared/reports/reportInput.js';
import { renderHtmlReport } from '../../shared/reports/renderHtmlReport.js';
import { writeReports } from '../../shared/reports/writeReports.js';
import { writeWorkbook } from '../../shared/reports/writeWorkbook.js';
import {
  AS_OF,
  inputFor,
  sampleReportInput,
  syntheticResult,
  type ResultReportInput,
} from './reportFixtures.js';
import {
  allStrings,
  continuedRecords,
  expectNoFormulas,
  headerRowOf,
  readWorkbook,
  sheet,
  summaryPairs,
  tableRecords,
  type Cell,
} from './workbookReading.js';

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'report-workbook-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

let fileCounter = 0;
async function written(
  input: ReportInput,
  limits?: Parameters<typeof writeWorkbook>[2],
): Promise<{ workbook: ExcelJS.Workbook; sheets: string[]; rows: number }> {
  const file = join(folder, `report-${++fileCounter}.xlsx`);
  const result = await writeWorkbook(file, input, limits);
  return { workbook: await readWorkbook(file), ...result };
}

const FORMULA_START = /^[\s]*[=+\-@\t\r]/;

/** What a text cell must hold for a value: neutralised, as every text cell of the workbook. */
const text = (value: string): string => spreadsheetSafe(value);

function observedCell(value: unknown): Cell {
  if (value === null || value === undefined) return '(absent)';
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  return text(typeof value === 'string' ? value : JSON.stringify(value));
}

/** exceljs reads conditional formats back but does not declare them on Worksheet. */
function conditionalFormattingsOf(worksheet: ExcelJS.Worksheet): ExcelJS.ConditionalFormattingOptions[] {
  return (worksheet as unknown as { conditionalFormattings: ExcelJS.ConditionalFormattingOptions[] })
    .conditionalFormattings;
}

function key(finding: Pick<Finding, 'clusterId' | 'controlId'>): string {
  return `${finding.clusterId.toLowerCase()}|${finding.controlId}`;
}

describe('report.xlsx of the sample fleet (current day vs previous day)', () => {
  let input: ResultReportInput;
  let workbook: ExcelJS.Workbook;
  let sheets: string[];
  let rows: number;

  beforeAll(async () => {
    input = sampleReportInput();
    ({ workbook, sheets, rows } = await written(input));
  });

  it('has the sheets in order, each named within Excel rules', () => {
    expect(sheets).toEqual([
      'Summary',
      'Findings',
      'CIS Kubernetes v1.10.0',
      'CIS AKS v1.7.0',
      'NSA-CISA v1.2',
      'OWASP K8s Cheat Sheet',
      'MCSB v1',
      'NIST 800-53 Rev. 5',
      'Clusters',
      'Evidence',
      'Changes',
      'To attest',
    ]);
    expect(workbook.worksheets.map((w) => w.name)).toEqual(sheets);
    for (const name of sheets) {
      expect(name.length).toBeLessThanOrEqual(31);
      expect(name).not.toMatch(/[[\]:*?/\\]/);
    }
    expect(rows).toBe(workbook.worksheets.reduce((sum, w) => sum + w.actualRowCount, 0));
  });

  it('Summary: run, counts by status as in run.counts, score, changes and the findings.json digest', () => {
    const { run } = input.result;
    const pairs = summaryPairs(workbook);
    expect(pairs.get('Run ID')).toBe('run-current');
    expect(pairs.get('As of (UTC)')).toEqual(new Date(run.asOf));
    expect(pairs.get('Started (UTC)')).toEqual(new Date(run.startedAt));
    expect(pairs.get('Report generated (UTC)')).toEqual(input.generatedAt);
    expect(pairs.get('Source')).toBe('snapshot');
    expect(pairs.get('Catalog version')).toBe('1');
    expect(pairs.get('Clusters')).toBe(38);
    expect(pairs.get('Findings')).toBe(input.result.findings.length);
    expect(String(pairs.get('Coverage'))).toMatch(/^complete/);
    for (const status of STATUSES) expect(pairs.get(status), status).toBe(run.counts[status]);
    expect(pairs.get('Total')).toBe(input.result.findings.length);
    expect(pairs.get('Overall compliance')).toBeCloseTo(run.score, 12);
    expect(pairs.get('findings.json SHA-256')).toBe(input.findingsJsonSha256);
    expect(input.findingsJsonSha256).toMatch(/^[0-9a-f]{64}$/);
    const changes = input.changes;
    if (!changes) throw new Error('the sample has changes');
    expect(pairs.get('Previous run')).toBe('run-previous');
    expect(pairs.get('newly failing')).toBe(changes.newlyFailing.length);
    expect(pairs.get('resolved')).toBe(changes.resolved.length);
    expect(pairs.get('still failing')).toBe(changes.stillFailing.length);
    expect(pairs.get('clusters added')).toBe(1);
    expect(pairs.get('clusters removed')).toBe(1);
  });

  it('Summary: score per control and per cluster kind recomputed from the findings', () => {
    const summary = sheet(workbook, 'Summary');
    const findings = input.result.findings;
    for (const control of CONTROLS) {
      const row = summary.getRows(1, summary.rowCount)?.find((r) => r.getCell(1).value === control.id);
      if (!row) throw new Error(`no summary row for ${control.id}`);
      const counts = countStatuses(findings.filter((f) => f.controlId === control.id));
      expect(row.getCell(2).value).toBe(control.title);
      STATUSES.forEach((status, index) => expect(row.getCell(4 + index).value).toBe(counts[status]));
      expect(row.getCell(9).value).toBeCloseTo(complianceScore(counts), 12);
    }
    for (const kind of ['arc', 'aks-arc', 'aks'] as const) {
      const row = summary.getRows(1, summary.rowCount)?.find((r) => r.getCell(1).value === kind);
      const ofKind = findings.filter((f) => f.clusterKind === kind);
      expect(row?.getCell(2).value).toBe(input.result.clusters.filter((c) => c.kind === kind).length);
      expect(row?.getCell(8).value).toBeCloseTo(complianceScore(countStatuses(ofKind)), 12);
    }
  });

  it('Findings: one row per finding, in order, with cluster location, evidence, benchmarks and a portal link', () => {
    const records = tableRecords(sheet(workbook, 'Findings'), 'Cluster');
    const { findings, clusters } = input.result;
    expect(records).toHaveLength(findings.length);
    const tally = countStatuses(records.map((r) => ({ status: r.Status as Finding['status'] })));
    expect(tally).toEqual(input.result.run.counts);
    records.forEach((record, index) => {
      const finding = findings[index] as Finding;
      const cluster = clusters.find((c) => c.id.toLowerCase() === finding.clusterId.toLowerCase());
      expect(record).toMatchObject({
        Cluster: text(finding.clusterName),
        'Cluster ID': text(finding.clusterId),
        Kind: finding.clusterKind,
        Subscription: text(finding.subscriptionId),
        'Resource group': text(finding.resourceGroup),
        Location: text(cluster?.location ?? ''),
        Control: finding.controlId,
        'Control title': text(finding.controlTitle),
        Severity: finding.severity,
        Status: finding.status,
        Reason: text(finding.reason),
        Benchmarks: text(finding.benchmarks.map(benchmarkLabel).join('; ')),
        Stale: finding.evidence.stale,
        Inferred: finding.evidence.inferred,
        'Azure portal': {
          text: 'Open in portal',
          hyperlink: `https://portal.azure.com/#@/resource${finding.clusterId}/overview`,
        },
      });
      for (const check of finding.evidence.checks) {
        expect(String(record.Observed)).toContain(check.path);
        expect(String(record.Expected)).toContain(check.expected);
      }
    });
  });

  it('Findings: first seen failing is the run as-of for newly failing findings and empty otherwise', () => {
    const records = tableRecords(sheet(workbook, 'Findings'), 'Cluster');
    const newly = new Set(input.changes?.newlyFailing.map(key));
    expect(newly.size).toBeGreaterThan(0);
    records.forEach((record, index) => {
      const finding = input.result.findings[index] as Finding;
      const expected = finding.status === 'FAIL' && newly.has(key(finding)) ? AS_OF : null;
      expect(record['First seen failing (UTC)'], key(finding)).toEqual(expected);
    });
  });

  it('Findings: styled header, frozen panes, autofilter, status colours and a date format', () => {
    const findings = sheet(workbook, 'Findings');
    const last = input.result.findings.length + 1;
    expect(findings.views[0]).toMatchObject({ state: 'frozen', xSplit: 1, ySplit: 1 });
    expect(findings.autoFilter).toBe(`A1:V${last}`);
    const header = findings.getRow(1);
    expect(header.getCell(1).font?.bold).toBe(true);
    expect(header.getCell(1).fill).toMatchObject({ type: 'pattern', pattern: 'solid' });
    const formats = conditionalFormattingsOf(findings);
    expect(formats).toHaveLength(1);
    expect(formats[0]?.ref).toBe(`K2:K${last}`);
    expect(
      formats[0]?.rules.map((rule) => (rule.type === 'cellIs' ? rule.formulae?.[0] : undefined)),
    ).toEqual(STATUSES.map((status) => `"${status}"`));
    expect(findings.getColumn(18).numFmt).toBe('yyyy-mm-dd hh:mm:ss');
    expect(findings.getColumn(2).width).toBeGreaterThan(20);
  });

  it('one sheet per framework whose counts match a recount from BENCHMARK_MAPPINGS', () => {
    const findings = input.result.findings;
    for (const framework of FRAMEWORKS) {
      const worksheet = workbook.worksheets.find(
        (w) => w.getCell('A1').value === `${framework.name} ${framework.version}`,
      );
      if (!worksheet) throw new Error(`no sheet for ${framework.name}`);
      const expected = new Map<string, { direct: ControlId[]; related: ControlId[] }>();
      for (const [controlId, mappings] of Object.entries(BENCHMARK_MAPPINGS) as Array<
        [ControlId, (typeof BENCHMARK_MAPPINGS)[ControlId]]
      >) {
        for (const mapping of mappings.filter((m) => m.framework === framework.key)) {
          const entry = expected.get(mapping.id) ?? { direct: [], related: [] };
          entry[mapping.relation].push(controlId);
          expected.set(mapping.id, entry);
        }
      }
      const records = tableRecords(worksheet, 'Recommendation');
      expect(records.map((r) => r.Recommendation).sort()).toEqual([...expected.keys()].map(text).sort());
      for (const record of records) {
        const id = String(record.Recommendation);
        const entry = expected.get(id);
        if (!entry) throw new Error(`unexpected recommendation ${id}`);
        const controls = new Set([...entry.direct, ...entry.related]);
        const counts = countStatuses(findings.filter((f) => controls.has(f.controlId)));
        expect(record.Title).toBe(text(RECOMMENDATION_TITLES[framework.key][id] ?? ''));
        expect(record['Direct controls'] ?? '').toBe(entry.direct.join(', '));
        expect(record['Related controls'] ?? '').toBe(entry.related.join(', '));
        expect(record.Relation).toBe(
          entry.direct.length && entry.related.length
            ? 'direct and related'
            : entry.direct.length
              ? 'direct'
              : 'related',
        );
        for (const status of STATUSES) expect(record[status], `${id} ${status}`).toBe(counts[status]);
        expect(record.Findings).toBe(findings.filter((f) => controls.has(f.controlId)).length);
        const denominator = counts.PASS + counts.FAIL + counts.MANUAL + counts.ERROR;
        if (denominator === 0) expect(record.Compliance).toBe('n/a');
        else expect(record.Compliance).toBeCloseTo(counts.PASS / denominator, 12);
      }
    }
  });

  it('Clusters: the inventory as scanned, with counts per cluster', () => {
    const records = tableRecords(sheet(workbook, 'Clusters'), 'Cluster');
    const { clusters, findings } = input.result;
    expect(records).toHaveLength(clusters.length);
    records.forEach((record, index) => {
      const cluster = clusters[index];
      if (!cluster) throw new Error('row without cluster');
      expect(record['Cluster ID']).toBe(text(cluster.id));
      expect(record.Kind).toBe(cluster.kind);
      expect(record.Extensions).toBe(cluster.extensionCount);
      const counts = countStatuses(findings.filter((f) => f.clusterId === cluster.id));
      for (const status of STATUSES) expect(record[status]).toBe(counts[status]);
      if (cluster.lastConnectivityTime) {
        expect(record['Last connectivity (UTC)']).toEqual(new Date(cluster.lastConnectivityTime));
      }
    });
  });

  it('Evidence: one row per check (one for a finding without checks), with notes and verification', () => {
    const records = tableRecords(sheet(workbook, 'Evidence'), 'Cluster');
    type Expected = { finding: Finding; check: EvidenceCheck | undefined; first: boolean };
    const expected = input.result.findings.flatMap((finding): Expected[] =>
      finding.evidence.checks.length === 0
        ? [{ finding, check: undefined, first: true }]
        : finding.evidence.checks.map((check, index) => ({ finding, check, first: index === 0 })),
    );
    expect(records).toHaveLength(expected.length);
    records.forEach((record, index) => {
      const { finding, check, first } = expected[index] as Expected;
      expect(record['Cluster ID']).toBe(text(finding.clusterId));
      expect(record.Control).toBe(finding.controlId);
      expect(record.Path ?? '').toBe(check ? text(check.path) : '');
      expect(record.Observed ?? '').toEqual(check ? observedCell(check.observed) : '');
      expect(record.Expected ?? '').toBe(check ? text(check.expected) : '');
      expect(record['Source ID'] ?? '').toBe(check ? text(check.source) : '');
      expect(record.Stale).toBe(finding.evidence.stale);
      expect(record.Inferred).toBe(finding.evidence.inferred);
      expect(record.Verification ?? '').toBe(first ? text(finding.evidence.verification ?? '') : '');
      expect(record.Notes ?? '').toBe(first ? text((finding.evidence.notes ?? []).join('\n')) : '');
    });
    const stale = input.result.findings.filter((f) => f.evidence.stale && f.evidence.staleSince);
    expect(stale.length).toBeGreaterThan(0);
    const staleRow = records.find((r) => r['Cluster ID'] === stale[0]?.clusterId && r.Stale === true);
    expect(staleRow?.['Stale since (UTC)']).toEqual(new Date(stale[0]?.evidence.staleSince ?? ''));
  });

  it('Changes: exactly the RunChanges lists, then the clusters added and removed', () => {
    const changes = input.changes;
    if (!changes) throw new Error('the sample has changes');
    const records = tableRecords(sheet(workbook, 'Changes'), 'Change');
    const byLabel = (label: string) => records.filter((r) => r.Change === label);
    const lists = [
      ['newly failing', changes.newlyFailing],
      ['resolved', changes.resolved],
      ['still failing', changes.stillFailing],
      ['newly unobservable', changes.newlyUnobservable],
      ['other change', changes.otherChanges],
    ] as const;
    for (const [label, list] of lists) {
      const rowsOfList = byLabel(label);
      expect(rowsOfList, label).toHaveLength(list.length);
      rowsOfList.forEach((record, index) => {
        const change = list[index];
        expect(record['Cluster ID']).toBe(text(change?.clusterId ?? ''));
        expect(record.Control).toBe(change?.controlId);
        expect(record['Current status']).toBe(change?.currentStatus);
        expect(record['Previous status']).toBe(change?.previousStatus ?? '(new cluster)');
      });
    }
    expect(byLabel('cluster added').map((r) => r.Cluster)).toEqual(
      changes.clustersAdded.map((c) => c.clusterName),
    );
    expect(byLabel('cluster removed').map((r) => r.Cluster)).toEqual(
      changes.clustersRemoved.map((c) => c.clusterName),
    );
    const total = lists.reduce((sum, [, list]) => sum + list.length, 0) + 2;
    expect(records).toHaveLength(total);
    expect(byLabel('resolved').length).toBe(4);
    expect(byLabel('newly failing').length).toBe(6);
  });

  it('To attest: the MANUAL findings grouped by control, with what to confirm and empty record columns', () => {
    const records = tableRecords(sheet(workbook, 'To attest'), 'Control');
    const manual = input.result.findings.filter((f) => f.status === 'MANUAL');
    expect(records).toHaveLength(manual.length);
    expect(records.length).toBe(input.result.run.counts.MANUAL);
    expect(
      new Set(records.map((r) => `${String(r['Cluster ID']).toLowerCase()}|${String(r.Control)}`)),
    ).toEqual(new Set(manual.map(key)));
    const controls = records.map((r) => String(r.Control));
    expect(controls).toEqual([...controls].sort());
    // The sample's agentless connections (kind AWS/GCP) are the clusters without an agent.
    const agentless = new Set(
      input.result.clusters
        .filter((c) => c.connectivityStatus === 'AgentNotInstalled')
        .map((c) => c.id.toLowerCase()),
    );
    expect(agentless.size).toBe(2);
    for (const record of records) {
      const control = CONTROLS.find((c) => c.id === record.Control);
      const kind = record.Kind as 'arc' | 'aks-arc' | 'aks';
      const scope = agentless.has(String(record['Cluster ID']).toLowerCase()) ? 'arc-agentless' : kind;
      expect(record['What to confirm']).toBe(text(control?.attestation[scope] ?? ''));
      expect(record['Attested by']).toBeNull();
      expect(record.Date).toBeNull();
      expect(record.Outcome).toBeNull();
    }
    const worksheet = sheet(workbook, 'To attest');
    expect(worksheet.getRow(headerRowOf(worksheet, 'Control')).getCell(12).value).toBe('Attested by');
  });

  it('holds no formula and no text that a spreadsheet would evaluate', () => {
    expectNoFormulas(workbook);
    expect(allStrings(workbook).filter((s) => FORMULA_START.test(s.text))).toEqual([]);
  });
});

describe('formula injection', () => {
  const PAYLOADS = ["=cmd|' /C calc'!A0", '+1+1', '-2', '@SUM(1)', '\t=1+2', '  =1+2', '\r=3'];

  it('comes back as text from cluster names, reasons, evidence, resource groups and gaps', async () => {
    const input = sampleReportInput((result) => {
      const targets = result.clusters.slice(0, PAYLOADS.length);
      targets.forEach((cluster, index) => {
        const payload = PAYLOADS[index] ?? '';
        cluster.name = payload;
        cluster.resourceGroup = payload;
        cluster.distribution = payload;
        for (const finding of result.findings.filter((f) => f.clusterId === cluster.id)) {
          finding.clusterName = payload;
          finding.resourceGroup = payload;
          finding.reason = payload;
          finding.evidence.checks.push({
            source: payload,
            path: payload,
            observed: payload,
            expected: payload,
          });
          finding.evidence.notes = [payload];
        }
      });
      result.run.complete = false;
      result.run.notRead = PAYLOADS.map((payload) => ({ kind: 'resource', id: payload, reason: payload }));
    });
    const { workbook, sheets } = await written(input);
    expect(sheets).toContain('Not read');
    expectNoFormulas(workbook);
    const strings = allStrings(workbook);
    expect(strings.filter((s) => FORMULA_START.test(s.text))).toEqual([]);
    for (const payload of PAYLOADS) {
      // XML turns a carriage return in cell text into a line feed; the apostrophe still leads.
      const found = strings.filter((s) => s.text === `'${payload.replace(/\r/g, '\n')}`);
      expect(found.length, JSON.stringify(payload)).toBeGreaterThan(5);
      expect(found.some((s) => s.where.startsWith('Findings!'))).toBe(true);
      expect(found.some((s) => s.where.startsWith('Evidence!'))).toBe(true);
      expect(found.some((s) => s.where.startsWith('Not read!'))).toBe(true);
    }
    const findings = tableRecords(sheet(workbook, 'Findings'), 'Cluster');
    expect(findings[0]?.Cluster).toBe(`'${PAYLOADS[0]}`);
    expect(findings[0]?.Reason).toBe(`'${PAYLOADS[0]}`);
  });
});

describe('Excel limits', () => {
  it('continues a table on "Findings (2)", "Findings (3)"… and falls back to URL text past the hyperlink limit', async () => {
    const result = syntheticResult(7);
    const { workbook, sheets } = await written(inputFor(result), {
      maxRowsPerSheet: 25,
      maxHyperlinksPerSheet: 10,
    });
    expect(sheets.filter((name) => name.startsWith('Findings'))).toEqual([
      'Findings',
      'Findings (2)',
      'Findings (3)',
    ]);
    expect(sheets.filter((name) => name.startsWith('Evidence'))).toEqual([
      'Evidence',
      'Evidence (2)',
      'Evidence (3)',
    ]);
    for (const name of ['Findings', 'Findings (2)', 'Findings (3)']) {
      const part = sheet(workbook, name);
      expect(part.getCell('A1').value).toBe('Cluster');
      expect(part.actualRowCount).toBeLessThanOrEqual(25);
      const records = tableRecords(part, 'Cluster');
      records.forEach((record, index) => {
        const link = record['Azure portal'];
        const url = `https://portal.azure.com/#@/resource${String(record['Cluster ID'])}/overview`;
        if (index < 10) expect(link).toEqual({ text: 'Open in portal', hyperlink: url });
        else expect(link).toBe(url);
      });
    }
    const records = continuedRecords(workbook, 'Findings', 'Cluster');
    expect(records.map((r) => `${String(r['Cluster ID'])}|${String(r.Control)}`)).toEqual(
      result.findings.map((f) => `${f.clusterId}|${f.controlId}`),
    );
    expect([24, 24, 22]).toEqual(
      ['Findings', 'Findings (2)', 'Findings (3)'].map(
        (n) => tableRecords(sheet(workbook, n), 'Cluster').length,
      ),
    );
    expect(continuedRecords(workbook, 'Evidence', 'Cluster')).toHaveLength(result.findings.length);
    expect(conditionalFormattingsOf(sheet(workbook, 'Findings (2)'))[0]?.ref).toBe('K2:K25');
    expectNoFormulas(workbook);
  });

  it('cuts a cell longer than 32,767 characters with a visible marker naming findings.json', async () => {
    const result = syntheticResult(1);
    const long = `${'x'.repeat(39_990)}END`;
    const finding = result.findings[0] as Finding;
    finding.reason = long;
    const { workbook } = await written(inputFor(result));
    const reason = String(tableRecords(sheet(workbook, 'Findings'), 'Cluster')[0]?.Reason);
    expect(reason.length).toBeLessThanOrEqual(32_767);
    expect(reason.length).toBeGreaterThan(32_000);
    expect(reason.startsWith('xxxx')).toBe(true);
    expect(reason).not.toContain('END');
    expect(reason).toMatch(/ … \[TRUNCATED: 39,993 characters; full value in findings\.json\]$/);
  });

  it('honours a smaller injected cell limit everywhere, evidence included', async () => {
    const result = syntheticResult(1);
    const finding = result.findings[0] as Finding;
    finding.evidence.checks[0] = { source: 'src', path: 'p', observed: 'y'.repeat(5_000), expected: 'e' };
    const { workbook } = await written(inputFor(result), { maxCellChars: 1_000 });
    const observed = String(tableRecords(sheet(workbook, 'Evidence'), 'Cluster')[0]?.Observed);
    expect(observed.length).toBeLessThanOrEqual(1_000);
    expect(observed).toContain('[TRUNCATED: 5,000 characters; full value in findings.json]');
    expect(allStrings(workbook).every((s) => s.text.length <= 1_000)).toBe(true);
  });

  it('refuses limits Excel would not accept', async () => {
    const input = inputFor(syntheticResult(1));
    await expect(writeWorkbook(join(folder, 'bad.xlsx'), input, { maxRowsPerSheet: 1 })).rejects.toThrow(
      RangeError,
    );
    await expect(
      writeWorkbook(join(folder, 'bad.xlsx'), input, { maxRowsPerSheet: 2_000_000 }),
    ).rejects.toThrow(RangeError);
    await expect(writeWorkbook(join(folder, 'bad.xlsx'), input, { maxCellChars: 40_000 })).rejects.toThrow(
      RangeError,
    );
  });
});

describe('first run, partial run, links', () => {
  it('first run: "first run" on the Summary, an empty Changes sheet, every FAIL first seen now', async () => {
    const input = sampleReportInput();
    const { workbook } = await written({ ...input, changes: undefined });
    expect(String(summaryPairs(workbook).get('Previous run'))).toMatch(/^first run/);
    const changes = sheet(workbook, 'Changes');
    expect(String(changes.getCell('A1').value)).toMatch(/first run/);
    expect(tableRecords(changes, 'Change')).toHaveLength(0);
    const records = tableRecords(sheet(workbook, 'Findings'), 'Cluster');
    for (const record of records) {
      expect(record['First seen failing (UTC)']).toEqual(record.Status === 'FAIL' ? AS_OF : null);
    }
  });

  it('takes first-seen-failing dates from history when given', async () => {
    const input = sampleReportInput();
    const failing = input.result.findings.filter((f) => f.status === 'FAIL');
    const firstSeenFailing = new Map(failing.map((f) => [key(f), '2026-01-02T03:04:05.000Z']));
    const { workbook } = await written({ ...input, firstSeenFailing });
    const records = tableRecords(sheet(workbook, 'Findings'), 'Cluster');
    expect(records.filter((r) => r.Status === 'FAIL').map((r) => r['First seen failing (UTC)'])).toEqual(
      failing.map(() => new Date('2026-01-02T03:04:05.000Z')),
    );
  });

  it('partial run: coverage says PARTIAL, the Summary lists 100 gaps and the "Not read" sheet all of them', async () => {
    const input = sampleReportInput((result) => {
      result.run.complete = false;
      result.run.notRead = Array.from({ length: 150 }, (_, i) => ({
        kind: 'scope' as const,
        subscriptionId: `sub-${i}`,
        category: 'extensions' as const,
        reason: `Resource Graph answered 403 (${i})`,
      }));
    });
    const { workbook } = await written(input);
    expect(String(summaryPairs(workbook).get('Coverage'))).toMatch(/^PARTIAL: 150 read\(s\) failed/);
    const summaryGaps: string[] = [];
    sheet(workbook, 'Summary').eachRow((row) => {
      if (row.getCell(1).value === 'scope') summaryGaps.push(String(row.getCell(2).value));
    });
    expect(summaryGaps).toHaveLength(100);
    const notRead = tableRecords(sheet(workbook, 'Not read'), 'Gap');
    expect(notRead.map((r) => r['Subscription or resource'])).toEqual(
      input.result.run.notRead.map((g) => ('subscriptionId' in g ? g.subscriptionId : '')),
    );
  });

  it('encodes cluster IDs in portal links and refuses a portal base that is not plain https', async () => {
    const result = syntheticResult(1);
    const odd =
      '/subscriptions/s1/resourceGroups/rg #1?x=y/providers/Microsoft.Kubernetes/connectedClusters/a"b';
    result.clusters[0] = { ...(result.clusters[0] as (typeof result.clusters)[number]), id: odd };
    for (const finding of result.findings) finding.clusterId = odd;
    const input = { ...inputFor(result), portalBaseUrl: 'https://portal.azure.us/' };
    const { workbook } = await written(input);
    const link = tableRecords(sheet(workbook, 'Findings'), 'Cluster')[0]?.['Azure portal'];
    expect(link).toEqual({
      text: 'Open in portal',
      hyperlink:
        'https://portal.azure.us/#@/resource/subscriptions/s1/resourceGroups/rg%20%231%3Fx%3Dy/providers/Microsoft.Kubernetes/connectedClusters/a%22b/overview',
    });
    for (const portalBaseUrl of [
      'javascript:alert(1)',
      'http://portal.azure.com',
      'https://x.test/?q=1',
      'not a url',
    ]) {
      await expect(writeWorkbook(join(folder, 'bad-link.xlsx'), { ...input, portalBaseUrl })).rejects.toThrow(
        RangeError,
      );
    }
  });

  it('writes to a stream as well as to a file', async () => {
    const chunks: Buffer[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk);
        done();
      },
    });
    const result = await writeWorkbook(sink, inputFor(syntheticResult(2)));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.concat(chunks) as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((w) => w.name)).toEqual(result.sheets);
    expect(tableRecords(sheet(workbook, 'Findings'), 'Cluster')).toHaveLength(20);
  });
});

describe('writeReports', () => {
  it('writes report.xlsx and report.html into a new folder, leaving no temporary file', async () => {
    const input = sampleReportInput();
    const directory = join(folder, 'out', 'nested');
    const paths = await writeReports(directory, input);
    expect(paths).toEqual({ workbook: join(directory, 'report.xlsx'), html: join(directory, 'report.html') });
    expect((await readdir(directory)).sort()).toEqual(['report.html', 'report.xlsx']);
    expect(await readFile(paths.html, 'utf8')).toBe(await renderHtmlReport(input));
    const workbook = await readWorkbook(paths.workbook);
    expect(summaryPairs(workbook).get('findings.json SHA-256')).toBe(input.findingsJsonSha256);
  });

  it('writes nothing when the input is refused', async () => {
    const directory = join(folder, 'refused');
    const input = { ...inputFor(syntheticResult(1)), portalBaseUrl: 'javascript:alert(1)' };
    await expect(writeReports(directory, input)).rejects.toThrow(RangeError);
    expect(await readdir(directory)).toEqual([]);
  });
});
