import type { CellValue, Column, Style, Worksheet } from 'exceljs';

import { cellText } from './cellText.js';
import {
  DATE_FORMAT,
  HEADER_STYLE,
  INTEGER_FORMAT,
  NOTE_FONT,
  PERCENT_FORMAT,
  TITLE_FONT,
  statusRules,
} from './cellStyles.js';
import { relieveCompressor } from './compressorBackpressure.js';
import type { WorkbookSession } from './workbookSession.js';

/** How a column's cells are shown: numbers, dates and statuses get formats, long text wraps. */
export type ColumnKind = 'text' | 'wrap' | 'date' | 'integer' | 'percent' | 'boolean' | 'status' | 'link';

export interface TableColumn {
  header: string;
  width: number;
  kind?: ColumnKind;
}

/** A link cell: a hyperlink while the sheet has room for one, else the URL as text. */
export interface LinkCell {
  url: string;
  label: string;
}

export type TableCell = string | number | boolean | Date | null | undefined | LinkCell;

export interface TableOptions {
  /** Lines above the header (the first one is a title), repeated on every part. */
  preamble?: string[];
  /** Columns kept in view when scrolling right. */
  frozenColumns?: number;
}

/** Excel refuses hyperlink addresses longer than this. */
const MAX_HYPERLINK_LENGTH = 2_079;
/** Shared by every data row, for the same reason as the column styles (see `add`). */
const ROW_STYLE: Partial<Style> = {};
/** Rows between pauses that let the compressor catch up. */
const RELIEVE_EVERY = 100;

/** 1 → A, 27 → AA. */
function columnLetter(index: number): string {
  let letters = '';
  for (let n = index; n > 0; n = Math.floor((n - 1) / 26)) {
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  }
  return letters;
}

function columnStyle(kind: ColumnKind | undefined): Partial<Style> {
  switch (kind) {
    case 'date':
      return { numFmt: DATE_FORMAT, alignment: { vertical: 'top', horizontal: 'left' } };
    case 'integer':
      return { numFmt: INTEGER_FORMAT, alignment: { vertical: 'top' } };
    case 'percent':
      return { numFmt: PERCENT_FORMAT, alignment: { vertical: 'top' } };
    case 'wrap':
      return { alignment: { vertical: 'top', wrapText: true } };
    default:
      return { alignment: { vertical: 'top' } };
  }
}

/**
 * Only an absolute http(s) URL becomes a clickable link; anything else (`javascript:`, `file:`,
 * a UNC path that would send the reader's Windows credentials, `mailto:`…) is shown as text.
 */
function isWebUrl(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return (protocol === 'https:' || protocol === 'http:') && /^https?:\/\//i.test(url);
  } catch {
    return false;
  }
}

function isLink(cell: TableCell): cell is LinkCell {
  return typeof cell === 'object' && cell !== null && !(cell instanceof Date);
}

/**
 * A table written row by row to a streaming worksheet: styled header, frozen panes, autofilter,
 * status colours, column formats. When a sheet reaches the row limit the table continues on
 * "Name (2)", "Name (3)"… with the same preamble and header; each part counts its own hyperlinks.
 * Every text cell goes through {@link cellText}.
 */
export class TableSheet {
  private worksheet: Worksheet | undefined;
  private part = 0;
  private rowsInSheet = 0;
  private linksInSheet = 0;
  private sinceRelief = 0;
  private readonly headerRow: number;
  private readonly styles: Array<Partial<Style>>;

  constructor(
    private readonly session: WorkbookSession,
    private readonly baseName: string,
    private readonly columns: readonly TableColumn[],
    private readonly options: TableOptions = {},
  ) {
    this.headerRow = (options.preamble?.length ?? 0) + 1;
    this.styles = columns.map((column) => columnStyle(column.kind));
    if (session.limits.maxRowsPerSheet <= this.headerRow) {
      throw new RangeError(
        `maxRowsPerSheet ${session.limits.maxRowsPerSheet} leaves no room for data in ${baseName}`,
      );
    }
  }

  /** Appends one row (cells in column order). */
  async add(cells: readonly TableCell[]): Promise<void> {
    if (this.worksheet === undefined || this.rowsInSheet >= this.session.limits.maxRowsPerSheet) {
      this.finishSheet();
      this.openSheet();
    }
    const worksheet = this.worksheet as Worksheet;
    const row = worksheet.addRow(cells.map((cell) => this.toValue(cell)));
    // One shared style object per column: exceljs caches styles by object identity, while the copy
    // it makes for each new cell would be serialised and looked up again for every cell.
    (row as unknown as { style: Partial<Style> }).style = ROW_STYLE; // untyped in exceljs
    row.eachCell((cell, column) => {
      cell.style = this.styles[column - 1] ?? {};
    });
    row.commit();
    this.rowsInSheet++;
    this.session.rows++;
    if (++this.sinceRelief >= RELIEVE_EVERY) {
      this.sinceRelief = 0;
      await relieveCompressor(worksheet);
    }
  }

  /** Commits the last part; a table without rows still gets its sheet with the header. */
  close(): void {
    if (this.worksheet === undefined) this.openSheet();
    this.finishSheet();
  }

  private toValue(cell: TableCell): CellValue {
    const max = this.session.limits.maxCellChars;
    if (cell === null || cell === undefined) return null;
    if (typeof cell === 'string') return cellText(cell, max);
    if (!isLink(cell)) return cell;
    if (
      this.linksInSheet < this.session.limits.maxHyperlinksPerSheet &&
      cell.url.length <= MAX_HYPERLINK_LENGTH &&
      isWebUrl(cell.url)
    ) {
      this.linksInSheet++;
      return { text: cellText(cell.label, max), hyperlink: cell.url };
    }
    return cellText(cell.url, max);
  }

  private openSheet(): void {
    this.part++;
    const views = [
      { state: 'frozen' as const, xSplit: this.options.frozenColumns ?? 0, ySplit: this.headerRow },
    ];
    const worksheet = this.session.addSheet(this.baseName, this.part, views);
    worksheet.columns = this.columns.map(
      (column, index) => ({ width: column.width, style: this.styles[index] }) as Partial<Column>,
    );
    const max = this.session.limits.maxCellChars;
    (this.options.preamble ?? []).forEach((line, index) => {
      const row = worksheet.addRow([cellText(line, max)]);
      row.getCell(1).font = index === 0 ? TITLE_FONT : NOTE_FONT;
      row.getCell(1).alignment = { vertical: 'top' };
      row.commit();
    });
    const header = worksheet.addRow(this.columns.map((column) => cellText(column.header, max)));
    header.eachCell((cell) => {
      cell.style = HEADER_STYLE;
    });
    header.commit();
    this.worksheet = worksheet;
    this.rowsInSheet = this.headerRow;
    this.session.rows += this.headerRow;
    this.linksInSheet = 0;
  }

  private finishSheet(): void {
    const worksheet = this.worksheet;
    if (worksheet === undefined) return;
    const lastRow = this.rowsInSheet;
    const lastColumn = columnLetter(this.columns.length);
    worksheet.autoFilter = `A${this.headerRow}:${lastColumn}${Math.max(lastRow, this.headerRow)}`;
    if (lastRow > this.headerRow) {
      this.columns.forEach((column, index) => {
        if (column.kind !== 'status') return;
        const letter = columnLetter(index + 1);
        worksheet.addConditionalFormatting({
          ref: `${letter}${this.headerRow + 1}:${letter}${lastRow}`,
          rules: statusRules(),
        });
      });
    }
    worksheet.commit();
    this.worksheet = undefined;
  }
}
