import { getCi, isJsonObject, type JsonObject } from './caseInsensitive.js';
import { emptyFileError, InventoryFileError, invalidJsonError } from './inventoryFileError.js';
import { jsonErrorOffset } from './jsonErrorOffset.js';

/** A row found in an inventory document, before validation, with its position. */
export interface DocumentRow {
  value: unknown;
  where: string;
}

/**
 * Where a document keeps its rows: a list (`label` is `''` for a top-level array, `data` or
 * `value` for a wrapper object), a Resource Graph table (rows to be keyed by `names`), or the
 * document itself as a single resource.
 */
export type DocumentShape =
  | { kind: 'list'; label: string; rows: unknown[] }
  | { kind: 'table'; names: string[]; rows: unknown[] }
  | { kind: 'single'; value: unknown };

/** Decodes file bytes: UTF-8 (with or without BOM) and UTF-16 with BOM (PowerShell redirection). */
export function decodeInventoryBytes(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function lineAndColumn(text: string, position: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < position && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: position - lineStart + 1 };
}

/** Parses a whole inventory file's text; invalid JSON is reported with its line and column. */
export function parseInventoryJson(file: string, text: string): unknown {
  if (text.trim() === '') throw emptyFileError(file);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /position (\d+)/.exec(message)?.[1];
    const at = lineAndColumn(text, position === undefined ? jsonErrorOffset(text) : Number(position));
    // V8 quotes a snippet of the text in its message (`"…"`, `…"…"…` when cut); keep only the explanation.
    const detail = message
      .replace(/\s*\(line \d+ column \d+\)/, '')
      .replace(/ at position \d+/, '')
      .replace(/, (?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON$/s, '');
    throw invalidJsonError(file, detail, at.line, at.column);
  }
}

/** The names of a Resource Graph table's columns (`column{i}` for a column without one). */
export function columnNames(columns: readonly unknown[]): string[] {
  return columns.map((column, index) => {
    const name = getCi(column, 'name');
    return typeof name === 'string' ? name : `column${index}`;
  });
}

/** One row of a Resource Graph table as an object keyed by column name; a row that is not an array stays as it is. */
export function tableRowValue(names: readonly string[], row: unknown): unknown {
  if (!Array.isArray(row)) return row;
  const value: JsonObject = {};
  names.forEach((name, column) => (value[name] = row[column]));
  return value;
}

/** The position of row `index` of a document of this shape, as warnings and origins show it. */
export function rowWhere(file: string, shape: DocumentShape, index: number): string {
  if (shape.kind === 'single') return `${file}: (single resource)`;
  if (shape.kind === 'table') return `${file}: data.rows[${index}]`;
  return `${file}: ${shape.label}[${index}]`;
}

/**
 * Finds the rows of a parsed inventory document in any of the accepted shapes: a JSON array of
 * resources; an object with `data` (Resource Graph, objectArray or table format); an object with
 * `value` (ARM list); a single resource (has `id` and `type`). Throws {@link InventoryFileError}
 * otherwise.
 */
export function documentShape(file: string, document: unknown): DocumentShape {
  if (Array.isArray(document)) return { kind: 'list', label: '', rows: document };
  if (!isJsonObject(document)) {
    throw new InventoryFileError(file, `expected a JSON array or object, found ${typeof document}`);
  }
  const data = getCi(document, 'data');
  if (Array.isArray(data)) return { kind: 'list', label: 'data', rows: data };
  if (isJsonObject(data)) {
    // Resource Graph `resultFormat: table` → objects keyed by column name.
    const columns = getCi(data, 'columns');
    const rows = getCi(data, 'rows');
    if (!Array.isArray(columns) || !Array.isArray(rows)) {
      throw new InventoryFileError(file, '"data" is neither an array nor a {columns, rows} table');
    }
    return { kind: 'table', names: columnNames(columns), rows };
  }
  const value = getCi(document, 'value');
  if (Array.isArray(value)) return { kind: 'list', label: 'value', rows: value };
  if (getCi(document, 'id') !== undefined && getCi(document, 'type') !== undefined) {
    return { kind: 'single', value: document };
  }
  throw new InventoryFileError(
    file,
    'not an inventory: expected an array of resources, an object with "data" or "value", or a resource with "id" and "type"',
  );
}

/** The rows of a document of the given shape, each with its position. */
export function shapeRows(file: string, shape: DocumentShape): DocumentRow[] {
  if (shape.kind === 'single') return [{ value: shape.value, where: rowWhere(file, shape, 0) }];
  if (shape.kind === 'table') {
    const { names } = shape;
    return shape.rows.map((row, index) => ({
      value: tableRowValue(names, row),
      where: rowWhere(file, shape, index),
    }));
  }
  return shape.rows.map((value, index) => ({ value, where: rowWhere(file, shape, index) }));
}

/** Parses one inventory document (see {@link documentShape} for the accepted shapes) into rows. */
export function parseInventoryDocument(file: string, text: string): DocumentRow[] {
  return shapeRows(file, documentShape(file, parseInventoryJson(file, text)));
}
