import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';

import { writeChunksAtomically } from '../output/writeChunks.js';
import { htmlReportOf } from './renderHtmlReport.js';
import type { ReportInput } from './reportInput.js';
import { rollUpRun } from './runRollups.js';
import { writeWorkbook } from './writeWorkbook.js';

/**
 * Writes report.xlsx and report.html into `directory` (created if missing), each through a
 * temporary file renamed into place, so a reader never sees a half-written report. Both are drawn
 * from the same rollups, gathered in one pass over the run's parts.
 */
export async function writeReports(
  directory: string,
  input: ReportInput,
): Promise<{ workbook: string; html: string }> {
  await mkdir(directory, { recursive: true });
  const workbook = join(directory, 'report.xlsx');
  const html = join(directory, 'report.html');
  const temporary = `${workbook}.${process.pid}.tmp`;
  const rollups = await rollUpRun(input.source);
  try {
    const page = htmlReportOf(input, rollups);
    await writeWorkbook(temporary, input, undefined, rollups);
    await writeChunksAtomically(html, [page]);
    await rename(temporary, workbook);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  } finally {
    await rollups.dispose();
  }
  return { workbook, html };
}
