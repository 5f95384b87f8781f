import { it } from 'vitest';
import ExcelJS from 'exceljs';
import { writeWorkbook } from '../../shared/reports/writeWorkbook.js';
import { sampleReportInput } from './reportFixtures.js';
it('scratch', async () => {
  const input = sampleReportInput();
  const t = Date.now();
  const out = await writeWorkbook('/tmp/scratch/report.xlsx', input);
  console.log(out, Date.now() - t);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile('/tmp/scratch/report.xlsx');
  for (const ws of wb.worksheets) console.log(ws.name, ws.rowCount, ws.columnCount);
  const s = wb.getWorksheet('Summary')!;
  s.eachRow((r, n) => { if (n < 60) console.log(n, JSON.stringify(r.values)); });
  const f = wb.getWorksheet('Findings')!;
  for (const n of [1, 2, 3]) console.log(JSON.stringify(f.getRow(n).values));
});
