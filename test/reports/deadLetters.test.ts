import ExcelJS from 'exceljs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { writeReports } from '../../shared/reports/writeReports.js';
import { memorySource } from '../../shared/scan/runSource.js';
import { sampleRun } from '../storage/scanResults.js';

describe('notification dead letters in the next report', () => {
  it('are counted in the HTML summary and the workbook Summary sheet', async () => {
    const result = sampleRun('current', new Date('2026-11-20T06:00:00Z'));
    const folder = await mkdtemp(join(tmpdir(), 'dead-letters-'));
    try {
      const input = {
        source: memorySource(result),
        findingsJsonSha256: 'a'.repeat(64),
        changes: undefined,
        trend: [],
        generatedAt: new Date(),
      };
      const written = await writeReports(folder, { ...input, notificationDeadLetters: 3 });
      expect(await readFile(written.html, 'utf8')).toMatch(/3 notification deliveries gave up/);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.readFile(written.workbook);
      const values: unknown[] = [];
      workbook.getWorksheet('Summary')?.eachRow((row) => values.push(...(row.values as unknown[])));
      const label = values.indexOf('Notification deliveries given up (dead letters)');
      expect(label).toBeGreaterThan(-1);
      expect(values[label + 1]).toBe(3);
      const quiet = await writeReports(join(folder, 'none'), { ...input, notificationDeadLetters: 0 });
      expect(await readFile(quiet.html, 'utf8')).not.toMatch(/gave up/);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
