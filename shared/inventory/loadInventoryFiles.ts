import { readFile } from 'node:fs/promises';

import type { Inventory } from './inventory.js';
import { unreadableFileError } from './inventoryFileError.js';
import { mergeResources } from './mergeResources.js';
import { decodeInventoryBytes, parseInventoryDocument, type DocumentRow } from './parseInventoryDocument.js';

/** Reads a whole inventory file and decodes its text; a file that cannot be read is an {@link InventoryFileError}. */
export async function readInventoryText(path: string): Promise<string> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw unreadableFileError(path, error);
  }
  return decodeInventoryBytes(bytes);
}

/**
 * Reads and merges inventory files. Every file is read and parsed before anything is returned,
 * so one unreadable file stops the scan before any output exists.
 */
export async function loadInventoryFiles(paths: readonly string[]): Promise<Inventory> {
  const documents: DocumentRow[][] = [];
  for (const path of paths) {
    documents.push(parseInventoryDocument(path, await readInventoryText(path)));
  }
  return mergeResources(documents);
}
