import { getCi, isJsonObject, type JsonObject } from './caseInsensitive.js';
import { InventoryFileError } from './inventoryFileError.js';
import { jsonErrorOffset } from './jsonErrorOffset.js';

/** A row found in an inventory document, before validation, with its position. */
export interface DocumentRow {
  value: unknown;
  where: string;
}

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

function parseJson(file: string, text: string): unknown {
  if (text.trim() === '') throw new InventoryFileError(file, 'file is empty, expected JSON');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /position (\d+)/.exec(message)?.[1];
    const at = lineAndColumn(text, position === undefined ? jsonErrorOffset(text) : Number(position));
    // V8 quotes a snippet of the text in its message; keep only the explanation.
    const detail = message
      .replace(/\s*\(line \d+ column \d+\)/, '')
      .replace(/ at position \d+/, '')
      .replace(/, ".*" is not valid JSON$/s, '');
    throw new InventoryFileError(file, `not valid JSON: ${detail}`, at.line, at.column);
  }
}

/** Resource Graph `resultFormat: table` → objects keyed by column name. */
function tableToRows(file: string, table: JsonObject): DocumentRow[] {
  const columns = getCi(table, 'columns');
  const rows = getCi(table, 'rows');
  if (!Array.isArray(columns) || !Array.isArray(rows)) {
    throw new InventoryFileError(file, '"data" is neither an array nor a {columns, rows} table');
  }
  const names = columns.map((column, index) => {
    const name = getCi(column, 'name');
    return typeof name === 'string' ? name : `column${index}`;
  });
  return rows.map((row, index) => {
    const where = `${file}: data.rows[${index}]`;
    if (!Array.isArray(row)) return { value: row, where };
    const value: JsonObject = {};
    names.forEach((name, column) => (value[name] = row[column]));
    return { value, where };
  });
}

function rowsOf(file: string, list: unknown[], label: string): DocumentRow[] {
  return list.map((value, index) => ({ value, where: `${file}: ${label}[${index}]` }));
}

/**
 * Parses one inventory document in any of the accepted shapes: a JSON array of resources; an
 * object with `data` (Resource Graph, objectArray or table format); an object with `value` (ARM
 * list); a single resource (has `id` and `type`). Throws {@link InventoryFileError} otherwise.
 */
export function parseInventoryDocument(file: string, text: string): DocumentRow[] {
  const document = parseJson(file, text);
  if (Array.isArray(document)) return rowsOf(file, document, '');
  if (!isJsonObject(document)) {
    throw new InventoryFileError(file, `expected a JSON array or object, found ${typeof document}`);
  }
  const data = getCi(document, 'data');
  if (Array.isArray(data)) return rowsOf(file, data, 'data');
  if (isJsonObject(data)) return tableToRows(file, data);
  const value = getCi(document, 'value');
  if (Array.isArray(value)) return rowsOf(file, value, 'value');
  if (getCi(document, 'id') !== undefined && getCi(document, 'type') !== undefined) {
    return [{ value: document, where: `${file}: (single resource)` }];
  }
  throw new InventoryFileError(
    file,
    'not an inventory: expected an array of resources, an object with "data" or "value", or a resource with "id" and "type"',
  );
}
