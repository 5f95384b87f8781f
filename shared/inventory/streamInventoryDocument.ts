import { open, type FileHandle } from 'node:fs/promises';

import { getCi, type JsonObject } from './caseInsensitive.js';
import { emptyFileError, invalidJsonError, unreadableFileError } from './inventoryFileError.js';
import { inventoryTextPieces } from './inventoryTextPieces.js';
import {
  JsonElementScanner,
  JsonScanError,
  type ElementListener,
  type ScanAction,
  type ValueStart,
} from './jsonElementScanner.js';
import { columnNames, documentShape, tableRowValue, type DocumentShape } from './parseInventoryDocument.js';

/**
 * A list of rows found while streaming a document: the top-level array, a `data` or `value` array
 * of a wrapper object, or the `rows` of a Resource Graph table. A document may hold several (a
 * `value` array beside a `data` array, a key given twice); which one is the document's is known
 * only at its end, by the same rules as a document parsed whole ({@link documentShape}).
 */
export type RowList = Exclude<DocumentShape, { kind: 'single' }>;

/** A row of a list, as soon as the scanner has read it. */
export interface StreamedRow {
  readonly list: RowList;
  readonly index: number;
  /** The row's JSON text as it is in the file (for a table row: the array of cells). */
  readonly text: string;
  /** The row as the document gives it: parsed, and a table row keyed by its column names. */
  readonly value: unknown;
}

export interface RowSink {
  row(row: StreamedRow): void;
  /** Called after each piece of the file; the next piece is read once it resolves. */
  drain(): Promise<void>;
}

/** The document's rows: a list (every row was handed to the sink) or the whole document as one resource. */
export type StreamedShape =
  | { kind: 'list'; list: RowList }
  /**
   * A table, its rows to be keyed by `names`. `complete` is false when some rows came before the
   * final columns: those were not handed over, or were keyed by other names.
   */
  | { kind: 'table'; list: RowList; names: string[]; complete: boolean }
  | { kind: 'single' };

export interface StreamOptions {
  /** Bytes read at a time (default 1 MiB). */
  readonly pieceBytes?: number;
  /** Key every table row by these column names (known from an earlier pass over the file). */
  readonly tableNames?: readonly string[];
}

const PIECE_BYTES = 1024 * 1024;

/** Sets a member as JSON.parse does: a repeated key keeps its first position and takes the last value. */
function define(target: JsonObject, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

interface Frame {
  readonly role: 'top-array' | 'top-object' | 'rows' | 'table';
  readonly list?: RowList;
  readonly members?: JsonObject;
}

interface TableRows {
  /** The column names every row handed over so far was keyed by; undefined before the first. */
  keyedBy: readonly string[] | undefined;
  /** A row was left out (no columns yet) or keyed by other names than an earlier row. */
  mixed: boolean;
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name, index) => name === b[index]);
}

/**
 * Follows the scanner through the accepted document shapes: descends into the top-level container,
 * into `data`/`value` members (and a `data` table's `rows`), captures each row and a table's
 * `columns`, and skips everything else. It builds a stand-in for the document — the members with
 * their keys in order, placeholders for the row lists — so the shape is decided by the very rules
 * that decide it for a document parsed whole.
 */
class InventoryWalker implements ElementListener {
  private readonly frames: Frame[] = [];
  /** What the document is, with each list's rows stood in by an empty marker array. */
  document: unknown;
  readonly tables = new Map<RowList, TableRows>();
  private readonly listsByMarker = new Map<unknown, RowList>();
  private capture:
    { list: RowList; index: number; table?: JsonObject } | { columnsOf: JsonObject; key: string } | undefined;
  private readonly namesOf = new Map<unknown, string[]>();

  constructor(
    private readonly sink: RowSink,
    private readonly tableNames: readonly string[] | undefined,
  ) {}

  listOf(marker: unknown): RowList | undefined {
    return this.listsByMarker.get(marker);
  }

  value(start: ValueStart): ScanAction {
    const isArray = start.first === 0x5b;
    const isObject = start.first === 0x7b;
    if (start.depth === 0) {
      if (isArray) {
        const list = this.newList({ kind: 'list', label: '', rows: [] });
        this.document = list.rows;
        return this.descend(start, { role: 'top-array', list });
      }
      if (isObject) {
        const members: JsonObject = {};
        this.document = members;
        return this.descend(start, { role: 'top-object', members });
      }
      // A stand-in of the same type: the shape check rejects it by its type.
      this.document =
        start.first === 0x22
          ? ''
          : start.first === 0x74 || start.first === 0x66
            ? false
            : start.first === 0x6e
              ? null
              : 0;
      return 'skip';
    }
    const parent = this.frames[start.depth - 1];
    if (parent === undefined) return 'skip';
    if (parent.role === 'top-array' || parent.role === 'rows') {
      if (parent.list === undefined) return 'skip';
      this.capture = { list: parent.list, index: start.index, table: parent.members };
      return 'capture';
    }
    const members = parent.members;
    const key = start.key ?? '';
    if (members === undefined) return 'skip';
    const name = key.toLowerCase();
    if (parent.role === 'top-object') {
      if (name === 'data' && isObject) {
        const table: JsonObject = {};
        define(members, key, table);
        return this.descend(start, { role: 'table', members: table });
      }
      if ((name === 'data' || name === 'value') && isArray) {
        const list = this.newList({ kind: 'list', label: name, rows: [] });
        define(members, key, list.rows);
        return this.descend(start, { role: 'rows', list });
      }
      define(members, key, null);
      return 'skip';
    }
    // A table: { columns, rows } in any order.
    define(members, key, null);
    if (name === 'columns' && isArray) {
      this.capture = { columnsOf: members, key };
      return 'capture';
    }
    if (name === 'rows' && isArray) {
      const list = this.newList({ kind: 'table', names: [], rows: [] });
      define(members, key, list.rows);
      this.tables.set(list, { keyedBy: undefined, mixed: false });
      return this.descend(start, { role: 'rows', list, members });
    }
    return 'skip';
  }

  captured(text: string): void {
    const capture = this.capture;
    this.capture = undefined;
    if (capture === undefined) return;
    const parsed = JSON.parse(text) as unknown;
    if ('columnsOf' in capture) {
      define(capture.columnsOf, capture.key, parsed);
      return;
    }
    const { list, index } = capture;
    const table = this.tables.get(list);
    if (table === undefined) {
      this.sink.row({ list, index, text, value: parsed });
      return;
    }
    const names = this.tableNames ?? this.currentNames(capture.table);
    if (names === undefined) {
      table.mixed = true;
      return;
    }
    if (table.keyedBy === undefined) table.keyedBy = names;
    else if (!sameNames(table.keyedBy, names)) table.mixed = true;
    this.sink.row({ list, index, text, value: tableRowValue(names, parsed) });
  }

  closed(depth: number): void {
    this.frames.length = depth;
  }

  /** The names of the columns a table has given so far, by the rule that picks its final columns. */
  private currentNames(table: JsonObject | undefined): string[] | undefined {
    const columns = getCi(table, 'columns');
    if (!Array.isArray(columns)) return undefined;
    let names = this.namesOf.get(columns);
    if (names === undefined) {
      names = columnNames(columns);
      this.namesOf.set(columns, names);
    }
    return names;
  }

  private descend(start: ValueStart, frame: Frame): ScanAction {
    this.frames[start.depth] = frame;
    return 'descend';
  }

  private newList(list: RowList): RowList {
    this.listsByMarker.set(list.rows, list);
    return list;
  }
}

/**
 * Reads an inventory file without holding it whole: its text is scanned piece by piece, each row
 * is parsed on its own and handed to `sink` as soon as it is read. Every list of rows the document
 * holds is handed over (the caller keeps only the one of the returned shape). Throws
 * {@link InventoryFileError} — naming the file, line and column, with the explanation a whole-file
 * parse gives — when the file is not valid JSON or not an inventory.
 */
export async function streamInventoryDocument(
  path: string,
  sink: RowSink,
  options: StreamOptions = {},
): Promise<StreamedShape> {
  const walker = new InventoryWalker(sink, options.tableNames);
  const scanner = new JsonElementScanner(walker);
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw unreadableFileError(path, error);
  }
  try {
    for await (const piece of inventoryTextPieces(path, handle, options.pieceBytes ?? PIECE_BYTES)) {
      scanner.write(piece);
      await sink.drain();
    }
    scanner.end();
  } catch (error) {
    if (!(error instanceof JsonScanError)) throw error;
    if (error.empty) throw emptyFileError(path);
    throw invalidJsonError(path, error.detail, error.line, error.column);
  } finally {
    await handle.close();
  }
  const shape = documentShape(path, walker.document);
  if (shape.kind === 'single') return { kind: 'single' };
  const list = walker.listOf(shape.rows);
  if (list === undefined) throw new Error(`${path}: the rows of the document were not followed`);
  if (shape.kind === 'list') return { kind: 'list', list };
  const table = walker.tables.get(list);
  const complete =
    options.tableNames !== undefined ||
    table === undefined ||
    (!table.mixed && (table.keyedBy === undefined || sameNames(table.keyedBy, shape.names)));
  return { kind: 'table', list, names: shape.names, complete };
}
