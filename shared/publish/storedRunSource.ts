import { CONTROL_IDS, type Finding } from '../catalog/types.js';
import { SortedSpool, type SortedSpoolOptions } from '../reports/sortedSpool.js';
import { CLUSTERS_PER_PART, type RunPart, type RunSource } from '../scan/runSource.js';
import type { ClusterRow } from '../scan/scanResult.js';
import { ValuePool } from '../runCalculations/valuePool.js';
import { FailingStreaks } from '../storage/failingStreaks.js';
import type { HistoryStore } from '../storage/historyStore.js';
import { readRunFindings, streamRunClusters } from '../storage/runQueries.js';
import type { RunRecord } from '../storage/runRecord.js';

/**
 * A stored run read back as a `RunSource`, in bounded memory: its clusters and findings are read
 * from Table Storage once, into two sorted spools (spilled to temporary files past a few MiB), and
 * every `parts()` call merges them again into parts of `clustersPerPart` clusters each.
 *
 * Table Storage keeps a run's findings by control, not by cluster, so the stored order is not the
 * order the run was scanned in. The source's order is fixed instead: clusters by resource ID
 * (case-insensitive), each cluster's findings in catalog order. Reading the same stored run twice
 * gives the same files, byte for byte.
 */
export interface StoredRun {
  source: RunSource;
  /** Each failing finding's first-seen-failing time, by `clusterId (lower case)|controlId`. */
  firstSeenFailing: FailingStreaks;
  findings: number;
  clusters: number;
  /** Removes the spools' temporary files. */
  dispose(): Promise<void>;
}

export interface StoredRunOptions {
  clustersPerPart?: number;
  spool?: SortedSpoolOptions;
}

const CONTROL_ORDER = new Map<string, number>(CONTROL_IDS.map((id, index) => [id, index]));

function clusterKey(id: string): string {
  return id.toLowerCase();
}

function byKey(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareClusters(a: ClusterRow, b: ClusterRow): number {
  return byKey(clusterKey(a.id), clusterKey(b.id)) || byKey(a.id, b.id);
}

function compareFindings(a: Finding, b: Finding): number {
  const order = (id: string): number => CONTROL_ORDER.get(id) ?? CONTROL_IDS.length;
  return (
    byKey(clusterKey(a.clusterId), clusterKey(b.clusterId)) ||
    order(a.controlId) - order(b.controlId) ||
    byKey(a.controlId, b.controlId)
  );
}

export async function openStoredRun(
  store: HistoryStore,
  record: RunRecord,
  options: StoredRunOptions = {},
): Promise<StoredRun> {
  const clusterSpool = new SortedSpool<ClusterRow>(compareClusters, options.spool);
  const findingSpool = new SortedSpool<Finding>(compareFindings, options.spool);
  const firstSeenFailing = new FailingStreaks(new ValuePool());
  const dispose = async (): Promise<void> => {
    await Promise.all([clusterSpool.dispose(), findingSpool.dispose()]);
  };
  try {
    for await (const cluster of streamRunClusters(store, record.runId)) await clusterSpool.add(cluster);
    for await (const { firstSeenFailing: since, ...finding } of readRunFindings(store, record.runId)) {
      await findingSpool.add(finding);
      if (since) firstSeenFailing.set(finding, since);
    }
  } catch (error) {
    await dispose();
    throw error;
  }
  const clustersPerPart = Math.max(1, options.clustersPerPart ?? CLUSTERS_PER_PART);
  return {
    source: {
      run: record.metadata,
      parts: () => mergeParts(clusterSpool.sorted(), findingSpool.sorted(), clustersPerPart),
    },
    firstSeenFailing,
    findings: findingSpool.count,
    clusters: clusterSpool.count,
    dispose,
  };
}

/**
 * Sorted clusters and sorted findings joined into parts: each part takes the next clusters and
 * every finding up to the last of them. A finding whose cluster has no row (a run damaged in
 * storage) stays with the part it sorts into, so no finding is dropped.
 */
async function* mergeParts(
  clusters: AsyncGenerator<ClusterRow>,
  findings: AsyncGenerator<Finding>,
  clustersPerPart: number,
): AsyncGenerator<RunPart> {
  try {
    let pending = await findings.next();
    let nextCluster = await clusters.next();
    if (nextCluster.done) {
      const all: Finding[] = [];
      for (; !pending.done; pending = await findings.next()) all.push(pending.value);
      yield { clusters: [], findings: all };
      return;
    }
    while (!nextCluster.done) {
      const slice: ClusterRow[] = [];
      while (!nextCluster.done && slice.length < clustersPerPart) {
        slice.push(nextCluster.value);
        nextCluster = await clusters.next();
      }
      const last = clusterKey((slice[slice.length - 1] as ClusterRow).id);
      const part: Finding[] = [];
      while (!pending.done && (nextCluster.done || byKey(clusterKey(pending.value.clusterId), last) <= 0)) {
        part.push(pending.value);
        pending = await findings.next();
      }
      yield { clusters: slice, findings: part };
    }
  } finally {
    await Promise.all([clusters.return(undefined), findings.return(undefined)]);
  }
}
