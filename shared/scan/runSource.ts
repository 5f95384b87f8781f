import type { ScanFinding } from '../governance/records.js';
import type { ClusterRow, RunMetadata, ScanResult } from './scanResult.js';

/** One slice of a run, in run order: some clusters and their findings (e.g. one batch's). */
export interface RunPart {
  clusters: readonly ClusterRow[];
  findings: readonly ScanFinding[];
}

/**
 * A judged run whose findings are kept outside memory (a spool file, blobs) or in it (a small run):
 * its metadata, and its parts streamed again, in run order, every time `parts()` is called. Every
 * consumer of a run — the findings files, storage, the reports, the hand-offs — reads it this way,
 * so none needs the whole run in memory.
 */
export interface RunSource {
  readonly run: RunMetadata;
  parts(): AsyncIterable<RunPart>;
}

/** Clusters held per part when a run in memory is split. */
export const CLUSTERS_PER_PART = 500;

/** The parts of a result already in memory: `clustersPerPart` clusters and their findings each. */
export function* partsOf(result: ScanResult, clustersPerPart = CLUSTERS_PER_PART): Generator<RunPart> {
  const { clusters, findings } = result;
  if (clusters.length === 0) {
    yield { clusters: [], findings };
    return;
  }
  let at = 0;
  for (let first = 0; first < clusters.length; first += clustersPerPart) {
    const slice = clusters.slice(first, first + clustersPerPart);
    const ids = new Set(slice.map((cluster) => cluster.id.toLowerCase()));
    let end = first + clustersPerPart >= clusters.length ? findings.length : at;
    while (end < findings.length && ids.has(findings[end]?.clusterId.toLowerCase() ?? '')) end++;
    yield { clusters: slice, findings: findings.slice(at, end) };
    at = end;
  }
}

/** A run held in memory, as a source (tests, a single-cluster check). */
export function memorySource(result: ScanResult, clustersPerPart = CLUSTERS_PER_PART): RunSource {
  return {
    run: result.run,
    parts: async function* () {
      yield* partsOf(result, clustersPerPart);
    },
  };
}

/** Every part of a source read back into one result: only for runs known to be small. */
export async function readWholeRun(source: RunSource): Promise<ScanResult> {
  const clusters: ClusterRow[] = [];
  const findings: ScanFinding[] = [];
  for await (const part of source.parts()) {
    clusters.push(...part.clusters);
    for (const finding of part.findings) findings.push(finding);
  }
  return { run: source.run, clusters, findings };
}
