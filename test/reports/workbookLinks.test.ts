/**
 * Link cells of the workbook: only an absolute http(s) URL becomes a hyperlink; any other address
 * a record or an inventory value may carry is written as (neutralised) text, never clickable.
 */
import ExcelJS from 'exceljs';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';

import { EXCEL_LIMITS } from '../../shared/reports/workbook/workbookLimits.js';
import { TableSheet } from '../../shared/reports/workbook/tableSheet.js';
import { WorkbookSession } from '../../shared/reports/workbook/workbookSession.js';

async function writeLinks(urls: readonly string[]): Promise<ExcelJS.Workbook> {
  const output = new PassThrough();
  const chunks: Buffer[] = [];
  output.on('data', (chunk: Buffer) => chunks.push(chunk));
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true });
  const table = new TableSheet(new WorkbookSession(workbook, EXCEL_LIMITS), 'Links', [
    { header: 'Link', width: 40 },
  ]);
  for (const url of urls) await table.add([{ url, label: 'Evidence' }]);
  table.close();
  await workbook.commit();
  const read = new ExcelJS.Workbook();
  await read.xlsx.load(Buffer.concat(chunks) as unknown as ArrayBuffer);
  return read;
}

describe('workbook link cells', () => {
  it('makes only http(s) URLs clickable; other schemes and UNC paths stay text', async () => {
    const unsafe = [
      'javascript:alert(1)',
      ' JavaScript:alert(1)',
      'java\tscript:alert(1)',
      'file:///C:/Windows/System32/calc.exe',
      '\\\\attacker.example\\share\\doc.docx',
      'mailto:x@example.com',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:msgbox(1)',
      '=HYPERLINK("http://evil.example")',
    ];
    const safe = ['https://evidence.example.com/report.pdf', 'http://intranet.example/attest'];
    const sheet = (await writeLinks([...unsafe, ...safe])).getWorksheet('Links');
    if (!sheet) throw new Error('no sheet');
    const cells = [...unsafe, ...safe].map((_, index) => sheet.getRow(index + 2).getCell(1));
    unsafe.forEach((url, index) => {
      const cell = cells[index];
      expect(cell?.hyperlink, url).toBeUndefined();
      expect(typeof cell?.value, url).toBe('string');
      expect(String(cell?.value)).not.toMatch(/^[=+\-@]/);
    });
    safe.forEach((url, index) => expect(cells[unsafe.length + index]?.hyperlink).toBe(url));
  });
});
