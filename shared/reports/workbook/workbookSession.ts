import type { stream, Worksheet, WorksheetView } from 'exceljs';

import type { WorkbookLimits } from './workbookLimits.js';
import { sheetName } from './sheetNames.js';

/** The streaming workbook being written, its limits, the sheets added and the rows written so far. */
export class WorkbookSession {
  readonly sheetNames: string[] = [];
  private readonly taken = new Set<string>();
  rows = 0;

  constructor(
    readonly workbook: stream.xlsx.WorkbookWriter,
    readonly limits: WorkbookLimits,
  ) {}

  /** Adds a sheet named from `base` (part n > 1 gets " (n)"); the previous sheet must be committed. */
  addSheet(base: string, part: number, views: Array<Partial<WorksheetView>>): Worksheet {
    const name = sheetName(base, part, this.taken);
    this.taken.add(name.toLowerCase());
    this.sheetNames.push(name);
    return this.workbook.addWorksheet(name, { views });
  }
}
