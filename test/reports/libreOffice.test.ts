import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { describe, expect, it } from 'vitest';

import { countStatuses } from '../../shared/runCalculations/summarise.js';
import { writeReports } from '../../shared/reports/writeReports.js';
import { memorySource } from '../../shared/scan/runSource.js';
import { computeRunChanges } from '../../shared/runCalculations/runChanges.js';
import { sampleRun } from '../storage/scanResults.js';
import { parseCsvStrict } from '../findings/rfc4180.js';

const run = promisify(execFile);
const SOFFICE = '/usr/bin/soffice';

describe('report.xlsx in LibreOffice', () => {
  it('opens headless without repair and its Findings sheet matches findings.json', async () => {
    expect(
      existsSync(SOFFICE),
      `${SOFFICE} is missing: install Debian's libreoffice-calc-nogui (.ci/run does)`,
    ).toBe(true);
    const previous = sampleRun('previous', new Date('2026-11-19T06:00:00Z'));
    const result = sampleRun('current', new Date('2026-11-20T06:00:00Z'));
    const folder = await mkdtemp(join(tmpdir(), 'libreoffice-'));
    try {
      const written = await writeReports(folder, {
        source: memorySource(result),
        findingsJsonSha256: 'b'.repeat(64),
        changes: computeRunChanges(
          { runId: previous.run.id, findings: previous.findings },
          { runId: result.run.id, findings: result.findings },
        ),
        trend: [],
        generatedAt: new Date(),
      });
      // Sheet 2 (Findings) as UTF-8 CSV; a file LibreOffice had to repair would fail to convert.
      await run(
        SOFFICE,
        [
          '--headless',
          '--norestore',
          `-env:UserInstallation=file://${join(folder, 'profile')}`,
          '--convert-to',
          'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,2',
          '--outdir',
          folder,
          written.workbook,
        ],
        { timeout: 120_000 },
      );
      const text = await readFile(join(folder, 'report-Findings.csv'), 'utf8');
      const rows = parseCsvStrict(text.replace(/\r?\n/g, '\r\n')); // LibreOffice ends lines with LF
      const header = rows[0] ?? [];
      const status = header.indexOf('Status');
      const clusterId = header.indexOf('Cluster ID');
      expect(rows).toHaveLength(result.findings.length + 1);
      const counts = countStatuses(rows.slice(1).map((row) => ({ status: row[status] as never })));
      expect(counts).toEqual(result.run.counts);
      expect(new Set(rows.slice(1).map((row) => row[clusterId]))).toEqual(
        new Set(result.findings.map((f) => f.clusterId)),
      );
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  }, 180_000);
});
