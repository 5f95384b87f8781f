import type { FindingsFormatWriter } from '../formats/findingsFormatWriter.js';
import type { OutputFormat } from '../formats/outputFormats.js';
import { openFormatWriters } from '../formats/writeFormatOutputs.js';
import type { RunMetadata } from '../scan/scanResult.js';
import type { FindingsSink } from './findingsSink.js';

/** An incremental interchange-format writer as a findings sink: fed the run part by part. */
function sinkOf(writer: FindingsFormatWriter): FindingsSink {
  return {
    async write(part) {
      for (const cluster of part.clusters) await writer.addCluster(cluster);
      for (const finding of part.findings) await writer.addFinding(finding);
    },
    async close(run) {
      return { path: await writer.end(run), sha256: '' };
    },
    abort: () => writer.abort(),
  };
}

/** Sinks for the chosen interchange formats (OSCAL, OCSF) of a run, in `directory`. */
export function formatSinks(
  directory: string,
  run: RunMetadata,
  formats: readonly OutputFormat[],
): FindingsSink[] {
  return openFormatWriters(directory, run, formats, run).map(sinkOf);
}
