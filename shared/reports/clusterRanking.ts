import type { ClusterKind, ControlId, StatusCounts } from '../catalog/types.js';
import { emptyCounts } from '../runCalculations/summarise.js';
import type { RunPart } from '../scan/runSource.js';
import type { PartAccumulator } from './partAccumulator.js';
import { scoreOrNull } from './statusBreakdown.js';

export interface ClusterRollup {
  clusterId: string;
  clusterName: string;
  clusterKind: ClusterKind;
  subscriptionId: string;
  resourceGroup: string;
  counts: StatusCounts;
  score: number | null;
  /** Controls with FAIL or ERROR, in catalog order. */
  troubled: Array<{ controlId: ControlId; status: 'FAIL' | 'ERROR' }>;
}

/** Counts per cluster, keyed by the cluster ID in lower case. */
export class ClusterRollups implements PartAccumulator<Map<string, ClusterRollup>> {
  private readonly byCluster = new Map<string, ClusterRollup>();

  add(part: RunPart): void {
    for (const finding of part.findings) {
      const key = finding.clusterId.toLowerCase();
      let entry = this.byCluster.get(key);
      if (!entry) {
        entry = {
          clusterId: finding.clusterId,
          clusterName: finding.clusterName,
          clusterKind: finding.clusterKind,
          subscriptionId: finding.subscriptionId,
          resourceGroup: finding.resourceGroup,
          counts: emptyCounts(),
          score: null,
          troubled: [],
        };
        this.byCluster.set(key, entry);
      }
      entry.counts[finding.status]++;
      if (finding.status === 'FAIL' || finding.status === 'ERROR') {
        entry.troubled.push({ controlId: finding.controlId, status: finding.status });
      }
    }
  }

  result(): Map<string, ClusterRollup> {
    for (const entry of this.byCluster.values()) {
      entry.score = scoreOrNull(entry.counts);
      entry.troubled.sort((a, b) => a.controlId.localeCompare(b.controlId));
    }
    return this.byCluster;
  }
}

/** The clusters with the most FAIL + ERROR findings (none without any), worst first, at most `limit`. */
export function worstClusters(rollups: Iterable<ClusterRollup>, limit: number): ClusterRollup[] {
  return [...rollups]
    .filter((entry) => entry.counts.FAIL + entry.counts.ERROR > 0)
    .sort(
      (a, b) =>
        b.counts.FAIL + b.counts.ERROR - (a.counts.FAIL + a.counts.ERROR) ||
        b.counts.FAIL - a.counts.FAIL ||
        a.clusterName.localeCompare(b.clusterName) ||
        a.clusterId.localeCompare(b.clusterId),
    )
    .slice(0, limit);
}
