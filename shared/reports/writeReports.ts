import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';

import { writeChunksAtomically } from '../output/writeChunks.js';
import { renderHtmlReport } from './renderHtmlReport.js';
import type { ReportInput } from './reportInput.js';
import { writeWorkbook } from './writeWorkbook.js';

/**
 * Writes report.xlsx and report.html into `directory` (created if missing), each through a
 * temporary file renamed into place, so a reader never sees a half-written report.
 */
export async function writeReports(
  directory: string,
  input: ReportInput,
): Promise<{ workbook: string; html: string }> {
  await mkdir(directory, { recursive: true });
  const workbook = join(directory, 'report.xlsx');
  const html = join(directory, 'report.html');
  const temporary = `${workbook}.${process.pid}.tmp`;
  const page = renderHtmlReport(input);
  try {
    await writeWorkbook(temporary, input);
    await writeChunksAtomically(html, [page]);
    await rename(temporary, workbook);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  return { workbook, html };
}
