import { readFile } from 'node:fs/promises';

import { ConfigurationError } from '../shared/config/configurationError.js';
import { InventoryFileError } from '../shared/inventory/inventoryFileError.js';
import { decodeInventoryBytes } from '../shared/inventory/parseInventoryDocument.js';
import { DEFAULT_SETTINGS, parseScanSettings, type ScanSettings } from '../shared/settings/scanSettings.js';
import { UsageError } from './commandIo.js';

/** Reads and validates a settings file; any problem is a usage error naming the file. */
export async function loadSettingsFile(path: string | undefined): Promise<ScanSettings> {
  if (path === undefined) return DEFAULT_SETTINGS;
  let text: string;
  try {
    text = decodeInventoryBytes(await readFile(path));
  } catch (error) {
    throw new UsageError(`${path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  try {
    return parseScanSettings(JSON.parse(text));
  } catch (error) {
    if (error instanceof ConfigurationError) throw new UsageError(`${path}: ${error.problems.join('; ')}`);
    if (error instanceof SyntaxError) throw new UsageError(`${path}: ${error.message}`);
    if (error instanceof InventoryFileError) throw new UsageError(error.message);
    throw error;
  }
}
