import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

import { findingsCsvChunks } from '../findings/findingsCsv.js';
import { findingsJsonChunks } from '../findings/findingsJson.js';
import { OUTPUT_FORMATS, type OutputFormat } from '../formats/outputFormats.js';
import { writeFormatOutputs } from '../formats/writeFormatOutputs.js';
import type { ScanResult } from '../scan/scanResult.js';
import { writeChunksAtomically } from './writeChunks.js';

export interface WrittenOutputs {
  findingsJson: string;
  findingsCsv: string;
  /** SHA-256 of findings.json, so reports can prove which data they show. */
  findingsJsonSha256: string;
  /** The interchange formats written (assessment-results.oscal.json, findings.ocsf.json). */
  formats: string[];
}

/**
 * Writes findings.json, findings.csv and the chosen interchange formats (every one by default)
 * into `directory` (created if missing).
 */
export async function writeScanOutputs(
  directory: string,
  result: ScanResult,
  options: { formats?: readonly OutputFormat[] } = {},
): Promise<WrittenOutputs> {
  await mkdir(directory, { recursive: true });
  const findingsJson = join(directory, 'findings.json');
  const findingsCsv = join(directory, 'findings.csv');
  const findingsJsonSha256 = await writeChunksAtomically(findingsJson, findingsJsonChunks(result));
  await writeChunksAtomically(findingsCsv, findingsCsvChunks(result.findings));
  const formats = await writeFormatOutputs(directory, result, options.formats ?? OUTPUT_FORMATS);
  return { findingsJson, findingsCsv, findingsJsonSha256, formats };
}
