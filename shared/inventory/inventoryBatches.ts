import { readFile } from 'node:fs/promises';

import { InventoryFileError } from './inventoryFileError.js';
import { decodeInventoryBytes, parseInventoryDocument, type DocumentRow } from './parseInventoryDocument.js';

/**
 * The rows of inventory files in batches: every row of one subscription in the same batch, rows in
 * file order within a batch, so that a fleet can be evaluated a batch at a time.
 */
export interface InventoryBatches {
  /** Number of batches. */
  readonly count: number;
  /** The rows of batch `index`, in the order they appeared across the files. */
  read(index: number): Promise<DocumentRow[]>;
  /** Removes whatever the batches kept. */
  dispose(): Promise<void>;
}

/** How inventory files are split. */
export interface SplitOptions {
  /** The number of batches. */
  readonly batches?: number;
}

/**
 * Reads inventory files into batches. Every file is read and parsed before anything is returned, so
 * one unreadable file or invalid JSON stops the scan (with {@link InventoryFileError}) before any
 * output exists. This version keeps every row in one batch held in memory.
 */
export async function splitInventoryFiles(
  paths: readonly string[],
  _options: SplitOptions = {},
): Promise<InventoryBatches> {
  const rows: DocumentRow[] = [];
  for (const path of paths) {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      throw new InventoryFileError(path, `cannot be read (${code})`);
    }
    for (const row of parseInventoryDocument(path, decodeInventoryBytes(bytes))) rows.push(row);
  }
  return {
    count: 1,
    read: (index) =>
      index === 0 ? Promise.resolve(rows) : Promise.reject(new RangeError(`no batch ${index}`)),
    dispose: () => Promise.resolve(),
  };
}
