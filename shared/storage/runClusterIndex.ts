import type { ClusterKind, ControlId, Finding, Status } from '../catalog/types.js';
import type { ClusterPositions } from '../runCalculations/runChanges.js';
import { ValuePool } from '../runCalculations/valuePool.js';
import type { ClusterVerdicts } from './clusterState.js';

/** What a stored run keeps of one cluster: its first finding's identity and every control's status. */
export interface IndexedCluster extends ClusterVerdicts {
  clusterKind: ClusterKind;
  statuses: Partial<Record<ControlId, Status>>;
}

type Indexed = Pick<
  Finding,
  'clusterId' | 'clusterName' | 'clusterKind' | 'subscriptionId' | 'controlId' | 'status'
>;

/**
 * The clusters of a run as its findings are read part by part: one small entry per cluster (ID
 * ignoring case), in the order of each cluster's first finding, with the status of each control
 * (the last one read). It is what the history rows, the current state and the order of the changes
 * are built from, so they need the run's clusters in memory, never its findings.
 */
export class RunClusterIndex implements ClusterPositions {
  private readonly clusters = new Map<string, IndexedCluster & { position: number }>();

  /** `pool` holds the cluster IDs, names and statuses (shared with whatever else uses it). */
  constructor(private readonly pool = new ValuePool()) {}

  /** Indexes `findings` (the next part of the run). */
  add(findings: Iterable<Indexed>): void {
    for (const finding of findings) {
      const id = finding.clusterId.toLowerCase();
      let cluster = this.clusters.get(id);
      if (!cluster) {
        cluster = {
          position: this.clusters.size,
          clusterId: this.pool.hold(finding.clusterId),
          clusterName: this.pool.hold(finding.clusterName),
          clusterKind: this.pool.hold(finding.clusterKind),
          subscriptionId: this.pool.hold(finding.subscriptionId),
          statuses: {},
        };
        this.clusters.set(this.pool.hold(id), cluster);
      }
      cluster.statuses[finding.controlId] = this.pool.hold(finding.status);
    }
  }

  /** The place of a cluster (ID in lower case) in the run. */
  get(clusterIdLower: string): number | undefined {
    return this.clusters.get(clusterIdLower)?.position;
  }

  get size(): number {
    return this.clusters.size;
  }

  /** The clusters, in run order. */
  values(): IterableIterator<IndexedCluster> {
    return this.clusters.values();
  }
}
