import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

import type { ScanResult } from '../scan/scanResult.js';
import {
  csvFindingsSink,
  jsonFindingsSink,
  partsOf,
  writeToSinks,
  type FindingsSink,
} from './findingsSink.js';

export interface WrittenOutputs {
  findingsJson: string;
  findingsCsv: string;
  /** SHA-256 of findings.json, so reports can prove which data they show. */
  findingsJsonSha256: string;
}

/**
 * Writes findings.json and findings.csv into `directory` (created if missing), streamed part by
 * part through their sinks, with any `extraSinks` (other formats) fed the same parts.
 */
export async function writeScanOutputs(
  directory: string,
  result: ScanResult,
  extraSinks: (directory: string) => FindingsSink[] = () => [],
): Promise<WrittenOutputs> {
  await mkdir(directory, { recursive: true });
  const findingsJson = join(directory, 'findings.json');
  const findingsCsv = join(directory, 'findings.csv');
  const [json] = await writeToSinks(
    [jsonFindingsSink(findingsJson), csvFindingsSink(findingsCsv), ...extraSinks(directory)],
    partsOf(result),
    result.run,
  );
  return { findingsJson, findingsCsv, findingsJsonSha256: json?.sha256 ?? '' };
}
