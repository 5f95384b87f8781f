import { mkdtemp, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { readInventoryText } from './loadInventoryFiles.js';
import {
  documentShape,
  parseInventoryJson,
  rowWhere,
  tableRowValue,
  type DocumentRow,
  type DocumentShape,
} from './parseInventoryDocument.js';
import { RowBatchSpool, type SpooledList } from './rowBatchSpool.js';
import { SubscriptionBatches } from './subscriptionBatches.js';
import { streamInventoryDocument, type RowList, type StreamedRow } from './streamInventoryDocument.js';

/**
 * The rows of inventory files split into batches by subscription, spooled to temporary files, so a
 * fleet of any size can be evaluated a batch at a time.
 *
 * A row goes to the batch of the subscription in its `id` (compared ignoring case); rows without
 * one — rows that are not resources included — go to batch 0. Each subscription is dealt, when first
 * seen, to the batch holding the fewest bytes so far ({@link SubscriptionBatches}). Resources whose IDs differ only in
 * case share a subscription, so they meet in one batch and `mergeResources` of each batch, summed
 * over the batches, gives the resources, duplicates, ignored types and warnings that
 * `loadInventoryFiles` gives for all the files at once. An extension, Flux configuration or AKS Arc
 * instance carries its cluster's ID in its own and lands with its cluster. Resources that link
 * across subscriptions — the custom location and Azure Local cluster of an AKS Arc cluster, a backup
 * instance protecting a cluster elsewhere — may land in another batch: joining those is left to the
 * caller, from facts gathered over the whole fleet.
 */
export interface InventoryBatches {
  /** Number of batches; every row of one subscription is in the same batch. */
  readonly count: number;
  /** The rows of batch i, in the order they appeared across the files (file order, then position). */
  read(index: number): Promise<DocumentRow[]>;
  /** Removes the temporary files. */
  dispose(): Promise<void>;
}

export interface SplitOptions {
  /** Files of this many bytes or more are read streaming, a row at a time (default 32 MiB). */
  readonly streamFrom?: number;
  /** The number of batches (default: one per `bytesPerBatch` of input, at least one). */
  readonly batches?: number;
  /** Input bytes per batch when `batches` is not given (default 4 MiB). */
  readonly bytesPerBatch?: number;
  /** Where the temporary files go (default: the system's temporary directory). */
  readonly directory?: string;
  /** Bytes read at a time from a streamed file (default 1 MiB). */
  readonly pieceBytes?: number;
}

const MIB = 1024 * 1024;
/**
 * Inventory bytes per batch by default: about 1,000 clusters of a typical fleet (a cluster with its
 * extensions and Flux configurations is about 3.8 KiB of JSON), the size of a fan-out batch, so a
 * batch's evaluation holds the same whatever the fleet's size.
 */
const BYTES_PER_BATCH = 4 * MIB;

const rawJson = (JSON as unknown as { rawJSON(text: string): unknown }).rawJSON;

/** JSON numbers JSON.stringify cannot write back: -0 (written 0) and ±Infinity, from a number too large (written null). */
function numberJson(_key: string, item: unknown): unknown {
  if (typeof item !== 'number') return item;
  if (Object.is(item, -0)) return rawJson('-0');
  if (item === Infinity) return rawJson('1e400');
  if (item === -Infinity) return rawJson('-1e400');
  return item;
}

/**
 * Whether a JSON text may hold a number that {@link numberJson} must write: one starting `-0`
 * (-0, or a negative fraction that may round to it), one with a three-digit exponent, or one of
 * more than 308 digits.
 */
const AWKWARD_NUMBER = /[[:,]\s*-0|[eE][+-]?\d{3}|\d{309}/;

/** A parsed row as JSON text that parses back to the very same value. */
function rowJson(value: unknown, awkwardNumbers: boolean): string {
  return (awkwardNumbers ? JSON.stringify(value, numberJson) : JSON.stringify(value)) ?? 'null';
}

function spooledList(file: string, shape: DocumentShape): SpooledList {
  const names = shape.kind === 'table' ? shape.names : undefined;
  return {
    valueOf: names === undefined ? (row) => row : (row) => tableRowValue(names, row),
    whereOf: (index) => rowWhere(file, shape, index),
  };
}

/** Splits files read whole: parsed by the same code as {@link loadInventoryFiles}. */
async function spoolWholeFile(
  spool: RowBatchSpool,
  batches: SubscriptionBatches,
  path: string,
): Promise<void> {
  const text = await readInventoryText(path);
  const shape = documentShape(path, parseInventoryJson(path, text));
  const awkwardNumbers = AWKWARD_NUMBER.test(text);
  const listId = spool.addList();
  spool.accept(listId, spooledList(path, shape));
  const rows = shape.kind === 'single' ? [shape.value] : shape.rows;
  const names = shape.kind === 'table' ? shape.names : undefined;
  rows.forEach((row, index) => {
    const value = names === undefined ? row : tableRowValue(names, row);
    const json = rowJson(row, awkwardNumbers);
    spool.add(batches.batchOf(value, json.length), listId, index, json);
  });
  await spool.drain();
}

/** Splits a file read streaming; the lists of rows it held besides the document's are never read back. */
async function spoolStreamedFile(
  spool: RowBatchSpool,
  batches: SubscriptionBatches,
  path: string,
  options: SplitOptions,
): Promise<void> {
  const ids = new Map<RowList, number>();
  const sink = {
    row: (row: StreamedRow): void => {
      let listId = ids.get(row.list);
      if (listId === undefined) {
        listId = spool.addList();
        ids.set(row.list, listId);
      }
      spool.add(batches.batchOf(row.value, row.text.length), listId, row.index, row.text);
    },
    drain: () => spool.drain(),
  };
  const pieceBytes = options.pieceBytes;
  let shape = await streamInventoryDocument(path, sink, { pieceBytes });
  if (shape.kind === 'table' && !shape.complete) {
    // The rows came before the final column names, which route them: read the file again knowing those.
    ids.clear();
    shape = await streamInventoryDocument(path, sink, { pieceBytes, tableNames: shape.names });
  }
  if (shape.kind === 'single') {
    // One resource with `data` or `value` members that are not its rows: small, read it whole.
    await spoolWholeFile(spool, batches, path);
    return;
  }
  const listId = ids.get(shape.list);
  if (listId === undefined) return; // the document's list is empty
  const document: DocumentShape =
    shape.kind === 'table' ? { kind: 'table', names: shape.names, rows: [] } : shape.list;
  spool.accept(listId, spooledList(path, document));
}

async function sizeOf(path: string): Promise<{ bytes: number; file: boolean }> {
  try {
    const info = await stat(path);
    return { bytes: info.size, file: info.isFile() };
  } catch {
    // Reading it reports the problem, in file order.
    return { bytes: 0, file: false };
  }
}

/**
 * Reads inventory files once, in bounded memory, and splits their rows into batches by
 * subscription (see {@link InventoryBatches}). Small files are parsed whole, as
 * {@link loadInventoryFiles} does; a file of `streamFrom` bytes or more is scanned a row at a time.
 * Every file is read before anything is returned: a file that cannot be read, is not valid JSON or
 * is not an inventory throws {@link InventoryFileError} (naming the file, and the line and column of
 * invalid JSON) and leaves no temporary files behind.
 */
export async function splitInventoryFiles(
  paths: readonly string[],
  options: SplitOptions = {},
): Promise<InventoryBatches> {
  const sizes = await Promise.all(paths.map(sizeOf));
  const total = sizes.reduce((sum, size) => sum + size.bytes, 0);
  const count = options.batches ?? Math.max(1, Math.ceil(total / (options.bytesPerBatch ?? BYTES_PER_BATCH)));
  if (!Number.isInteger(count) || count < 1)
    throw new RangeError(`batches must be a whole number ≥ 1, got ${count}`);
  const streamFrom = options.streamFrom ?? 32 * MIB;
  const spool = new RowBatchSpool(
    await mkdtemp(join(options.directory ?? tmpdir(), 'inventory-batches-')),
    count,
  );
  const batches = new SubscriptionBatches(count);
  try {
    for (const [index, path] of paths.entries()) {
      const size = sizes[index];
      if (size !== undefined && size.file && size.bytes >= streamFrom)
        await spoolStreamedFile(spool, batches, path, options);
      else await spoolWholeFile(spool, batches, path);
    }
    await spool.close();
  } catch (error) {
    await spool.dispose();
    throw error;
  }
  return {
    count,
    read: (index) => spool.read(index),
    dispose: () => spool.dispose(),
  };
}
