import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

import { OUTPUT_FORMATS, type OutputFormat } from '../formats/outputFormats.js';
import { memorySource, type RunSource } from '../scan/runSource.js';
import type { ScanResult } from '../scan/scanResult.js';
import { formatSinks } from './formatSinks.js';
import { csvFindingsSink, jsonFindingsSink, writeToSinks, type FindingsSink } from './findingsSink.js';

export interface ScanOutputOptions {
  /** Interchange formats (OSCAL, OCSF) written beside findings.json; every one when absent. */
  formats?: readonly OutputFormat[];
  /** Other outputs fed the same parts. */
  extraSinks?: (directory: string) => FindingsSink[];
}

export interface WrittenOutputs {
  findingsJson: string;
  findingsCsv: string;
  /** SHA-256 of findings.json, so reports can prove which data they show. */
  findingsJsonSha256: string;
  /** The interchange formats written (assessment-results.oscal.json, findings.ocsf.json). */
  formats: string[];
}

/**
 * Writes findings.json and findings.csv into `directory` (created if missing), streamed part by
 * part from the run's source through their sinks, with any `extraSinks` (other formats) fed the same parts.
 */
export async function writeScanOutputs(
  directory: string,
  run: RunSource | ScanResult,
  options: ScanOutputOptions | ((directory: string) => FindingsSink[]) = {},
): Promise<WrittenOutputs> {
  const { formats = OUTPUT_FORMATS, extraSinks = () => [] } =
    typeof options === 'function' ? { extraSinks: options } : options;
  const source = 'parts' in run ? run : memorySource(run);
  await mkdir(directory, { recursive: true });
  const interchange = formatSinks(directory, source.run, formats);
  const findingsJson = join(directory, 'findings.json');
  const findingsCsv = join(directory, 'findings.csv');
  const closed = await writeToSinks(
    [jsonFindingsSink(findingsJson), csvFindingsSink(findingsCsv), ...interchange, ...extraSinks(directory)],
    source.parts(),
    source.run,
  );
  return {
    findingsJson,
    findingsCsv,
    findingsJsonSha256: closed[0]?.sha256 ?? '',
    formats: closed.slice(2, 2 + interchange.length).map((file) => file.path),
  };
}
