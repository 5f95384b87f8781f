import type { ScanFinding } from '../governance/records.js';
import type { RunPart, RunSource } from '../scan/runSource.js';
import type { ClusterRow } from '../scan/scanResult.js';

/**
 * A run's findings in run order, read part by part; `beforePart` sees each part before its
 * findings are yielded (to gather something else in the same pass).
 */
export async function* findingsOf(
  source: RunSource,
  beforePart?: (part: RunPart) => Promise<void>,
): AsyncGenerator<ScanFinding> {
  for await (const part of source.parts()) {
    await beforePart?.(part);
    yield* part.findings;
  }
}

/** A run's cluster rows in run order, read part by part. */
export async function* clustersOf(source: RunSource): AsyncGenerator<ClusterRow> {
  for await (const part of source.parts()) yield* part.clusters;
}
