import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

import type { ScanResult } from '../scan/scanResult.js';
import { governanceRecords } from './findingGovernance.js';
import type { FindingRecord, FindingsFormatWriter, RunStart } from './findingsFormatWriter.js';
import { OcsfFindingsWriter } from './ocsf/ocsfWriter.js';
import { OscalAssessmentResultsWriter } from './oscal/oscalWriter.js';
import { OUTPUT_FORMATS, type OutputFormat } from './outputFormats.js';

/** Opens one incremental writer per chosen format, in `directory`. */
export function openFormatWriters(
  directory: string,
  start: RunStart,
  formats: readonly OutputFormat[] = OUTPUT_FORMATS,
  run?: unknown,
): FindingsFormatWriter[] {
  const records = governanceRecords(run);
  return formats.map((format) =>
    format === 'oscal'
      ? new OscalAssessmentResultsWriter(join(directory, 'assessment-results.oscal.json'), start, records)
      : new OcsfFindingsWriter(join(directory, 'findings.ocsf.json'), start),
  );
}

/**
 * Writes the chosen interchange formats of a run into `directory`, streaming: clusters first, then
 * findings one by one (from memory or from a paged read of storage), then the end of each file.
 */
export async function writeFormatOutputs(
  directory: string,
  result: Pick<ScanResult, 'run' | 'clusters'> & {
    findings: Iterable<FindingRecord> | AsyncIterable<FindingRecord>;
  },
  formats: readonly OutputFormat[] = OUTPUT_FORMATS,
): Promise<string[]> {
  if (formats.length === 0) return [];
  await mkdir(directory, { recursive: true });
  const writers = openFormatWriters(directory, result.run, formats, result.run);
  try {
    for (const cluster of result.clusters) for (const writer of writers) await writer.addCluster(cluster);
    for await (const finding of result.findings)
      for (const writer of writers) await writer.addFinding(finding);
    const written: string[] = [];
    for (const writer of writers) written.push(await writer.end(result.run));
    return written;
  } catch (error) {
    for (const writer of writers) await writer.abort();
    throw error;
  }
}
