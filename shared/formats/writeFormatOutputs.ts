import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

import type { RunSource } from '../scan/runSource.js';
import { governanceRecords } from './findingGovernance.js';
import type { FindingsFormatWriter, RunStart } from './findingsFormatWriter.js';
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
 * Writes the chosen interchange formats of a run into `directory`, streaming: the run is read part
 * by part (each part's clusters, then its findings), then the end of each file is written. The
 * writers hold per-cluster facts only, never the findings.
 */
export async function writeFormatOutputs(
  directory: string,
  source: RunSource,
  formats: readonly OutputFormat[] = OUTPUT_FORMATS,
): Promise<string[]> {
  if (formats.length === 0) return [];
  await mkdir(directory, { recursive: true });
  const { run } = source;
  const writers = openFormatWriters(directory, run, formats, run);
  try {
    for await (const part of source.parts()) {
      for (const cluster of part.clusters) for (const writer of writers) await writer.addCluster(cluster);
      for (const finding of part.findings) for (const writer of writers) await writer.addFinding(finding);
    }
    const written: string[] = [];
    for (const writer of writers) written.push(await writer.end(run));
    return written;
  } catch (error) {
    for (const writer of writers) await writer.abort();
    throw error;
  }
}
