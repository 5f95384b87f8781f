import type { StatusCounts } from '../catalog/types.js';
import type { ScanFinding } from '../governance/records.js';
import type { RunPart, RunSource } from '../scan/runSource.js';
import type { ClusterRow } from '../scan/scanResult.js';
import type { RowCounts } from './clusterRanking.js';

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

/** A cluster row with its findings' counts (absent when it has none). */
export interface CountedClusterRow {
  cluster: ClusterRow;
  counts: StatusCounts | undefined;
}

/**
 * A run's cluster rows in run order, each paired with its counts from `rowCounts` (one per row, in
 * the same order, as the cluster rollups give them).
 */
export async function* clusterRowsOf(
  source: RunSource,
  rowCounts: AsyncIterator<RowCounts>,
): AsyncGenerator<CountedClusterRow> {
  let row = 0;
  try {
    for await (const cluster of clustersOf(source)) {
      const next = await rowCounts.next();
      if (next.done || next.value.row !== row)
        throw new Error(`the cluster rollups do not match the run's cluster rows at row ${row}`);
      yield { cluster, counts: next.value.counts };
      row++;
    }
  } finally {
    await rowCounts.return?.(undefined);
  }
}
