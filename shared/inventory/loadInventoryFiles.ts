import { readFile } from 'node:fs/promises';

import type { Inventory } from './inventory.js';
import { InventoryFileError } from './inventoryFileError.js';
import { mergeResources } from './mergeResources.js';
import { decodeInventoryBytes, parseInventoryDocument, type DocumentRow } from './parseInventoryDocument.js';

/**
 * Reads and merges inventory files. Every file is read and parsed before anything is returned,
 * so one unreadable file stops the scan before any output exists.
 */
export async function loadInventoryFiles(paths: readonly string[]): Promise<Inventory> {
  const documents: DocumentRow[][] = [];
  for (const path of paths) {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      throw new InventoryFileError(path, `cannot be read (${code})`);
    }
    documents.push(parseInventoryDocument(path, decodeInventoryBytes(bytes)));
  }
  return mergeResources(documents);
}
