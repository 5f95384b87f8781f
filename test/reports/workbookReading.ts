/** Reading report.xlsx back with exceljs, as a person opening it would see each sheet. */
import ExcelJS from 'exceljs';
import { expect } from 'vitest';

export type Cell = ExcelJS.CellValue;

/** The whole workbook, read with exceljs's regular (non-streaming) reader. */
export async function readWorkbook(file: string): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  return workbook;
}

export function sheet(workbook: ExcelJS.Workbook, name: string): ExcelJS.Worksheet {
  const worksheet = workbook.getWorksheet(name);
  if (!worksheet)
    throw new Error(`no sheet ${name}; sheets: ${workbook.worksheets.map((w) => w.name).join(', ')}`);
  return worksheet;
}

/** The row number of the header: the first row whose first cell is `firstHeader`. */
export function headerRowOf(worksheet: ExcelJS.Worksheet, firstHeader: string): number {
  for (let row = 1; row <= Math.min(worksheet.rowCount, 10); row++) {
    if (worksheet.getRow(row).getCell(1).value === firstHeader) return row;
  }
  throw new Error(`${worksheet.name}: no header row starting with ${firstHeader}`);
}

/** The data rows under the header as records keyed by header text. */
export function tableRecords(worksheet: ExcelJS.Worksheet, firstHeader: string): Array<Record<string, Cell>> {
  const headerRow = headerRowOf(worksheet, firstHeader);
  const header = worksheet.getRow(headerRow);
  const names: string[] = [];
  header.eachCell({ includeEmpty: true }, (cell, column) => {
    names[column] = String(cell.value);
  });
  const records: Array<Record<string, Cell>> = [];
  for (let row = headerRow + 1; row <= worksheet.rowCount; row++) {
    const record: Record<string, Cell> = {};
    const values = worksheet.getRow(row);
    names.forEach((name, column) => {
      record[name] = values.getCell(column).value ?? null;
    });
    records.push(record);
  }
  return records;
}

/** Records of a table continued over "Name", "Name (2)"…, in order. */
export function continuedRecords(
  workbook: ExcelJS.Workbook,
  base: string,
  firstHeader: string,
): Array<Record<string, Cell>> {
  const parts = workbook.worksheets.filter((w) => w.name === base || w.name.startsWith(`${base} (`));
  return parts.flatMap((part) => tableRecords(part, firstHeader));
}

/** Label (column A) → value (column B) of the Summary sheet; the first occurrence of each label. */
export function summaryPairs(workbook: ExcelJS.Workbook): Map<string, Cell> {
  const pairs = new Map<string, Cell>();
  sheet(workbook, 'Summary').eachRow((row) => {
    const label = row.getCell(1).value;
    if (typeof label === 'string' && !pairs.has(label)) pairs.set(label, row.getCell(2).value ?? null);
  });
  return pairs;
}

/** Fails when any cell of the workbook holds a formula. */
export function expectNoFormulas(workbook: ExcelJS.Workbook): void {
  const formulas: string[] = [];
  for (const worksheet of workbook.worksheets) {
    worksheet.eachRow((row) =>
      row.eachCell((cell) => {
        if (cell.type === ExcelJS.ValueType.Formula || cell.formula !== undefined) {
          formulas.push(`${worksheet.name}!${cell.address}`);
        }
      }),
    );
  }
  expect(formulas).toEqual([]);
}

/** Every string of the workbook, with where it is. */
export function allStrings(workbook: ExcelJS.Workbook): Array<{ where: string; text: string }> {
  const strings: Array<{ where: string; text: string }> = [];
  for (const worksheet of workbook.worksheets) {
    worksheet.eachRow((row) =>
      row.eachCell((cell) => {
        const value = cell.value;
        const text =
          typeof value === 'string'
            ? value
            : value !== null && typeof value === 'object' && 'text' in value && typeof value.text === 'string'
              ? value.text
              : undefined;
        if (text !== undefined) strings.push({ where: `${worksheet.name}!${cell.address}`, text });
      }),
    );
  }
  return strings;
}
