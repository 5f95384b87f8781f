import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import ExcelJS from 'exceljs';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { writeWorkbook } from '../../shared/reports/writeWorkbook.js';
import { inputFor, syntheticResult } from './reportFixtures.js';

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'report-large-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

it('writes 100,000 findings with the streaming writer and reads them back with the streaming reader', async () => {
  const result = syntheticResult(10_000);
  expect(result.findings).toHaveLength(100_000);
  const file = join(folder, 'report.xlsx');
  const written = await writeWorkbook(file, inputFor(result));
  expect((await stat(file)).size).toBeGreaterThan(1_000_000);

  const rowsPerSheet = new Map<string, number>();
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'ignore',
  });
  for await (const worksheet of reader) {
    let rows = 0;
    for await (const _row of worksheet) rows++;
    rowsPerSheet.set((worksheet as unknown as { name: string }).name, rows);
  }
  expect([...rowsPerSheet.keys()]).toEqual(written.sheets);
  expect(rowsPerSheet.get('Findings')).toBe(100_001);
  expect(rowsPerSheet.get('Evidence')).toBe(100_001);
  expect(rowsPerSheet.get('Clusters')).toBe(10_001);
  expect(rowsPerSheet.get('To attest')).toBe(result.run.counts.MANUAL + 3);
  expect([...rowsPerSheet.values()].reduce((sum, rows) => sum + rows, 0)).toBe(written.rows);
}, 120_000);
