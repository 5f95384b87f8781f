import type { ControlId } from '../catalog/types.js';
import {
  comparisonKey,
  splitComparisonKey,
  type PreviousFinding,
  type PreviousFindings,
} from '../runCalculations/runChanges.js';
import type { ValuePool } from '../runCalculations/valuePool.js';
import type { HistoryStore } from './historyStore.js';
import { readFindingSummaries } from './runReads.js';

/** What storing a run keeps of a previous finding: what comparison and first-seen-failing need. */
export interface PreviousVerdict extends PreviousFinding {
  firstSeenFailing: string | undefined;
}

/**
 * One findings partition of a stored run, looked up by {@link comparisonKey}. A partition is one
 * control's, so its verdicts are kept by cluster alone, under the cluster ID in lower case held
 * once in the pool the run's other indexes share, rather than under a key string of their own each
 * (about 9 MB for a partition of 50,000 clusters). A finding of another control in the partition
 * (a damaged one) is kept under its whole key, so every lookup answers as a map by key would.
 */
export class PartitionVerdicts implements PreviousFindings {
  private readonly byCluster = new Map<string, PreviousVerdict>();
  private readonly strays = new Map<string, PreviousVerdict>();

  constructor(
    private readonly controlId: ControlId,
    private readonly pool: ValuePool,
  ) {}

  /** Adds `verdict` of control `controlId` (the last one added for a key wins). */
  set(verdict: PreviousVerdict, controlId: string): void {
    if (controlId === this.controlId)
      this.byCluster.set(this.pool.hold(verdict.clusterId.toLowerCase()), verdict);
    else
      this.strays.set(
        comparisonKey({ clusterId: verdict.clusterId, controlId: controlId as ControlId }),
        verdict,
      );
  }

  get(key: string): PreviousVerdict | undefined {
    const parts = splitComparisonKey(key);
    if (!parts) return undefined;
    return parts.controlId === this.controlId
      ? this.byCluster.get(parts.clusterIdLower)
      : this.strays.get(key);
  }

  /** The partition's verdicts: those of its control, then any of another. */
  *values(): IterableIterator<PreviousVerdict> {
    yield* this.byCluster.values();
    yield* this.strays.values();
  }

  get size(): number {
    return this.byCluster.size + this.strays.size;
  }
}

/**
 * One findings partition (one control) of a stored run, each finding reduced to its cluster,
 * verdict, governance IDs and first-seen-failing (no reason, no evidence), each value held once in
 * `pool` (cluster IDs and names shared with the current run's).
 */
export async function readPreviousPartition(
  store: HistoryStore,
  runId: string,
  controlId: ControlId,
  pool: ValuePool,
): Promise<PartitionVerdicts> {
  const once = <T extends string | undefined>(value: T): T => pool.hold(value);
  const partition = new PartitionVerdicts(controlId, pool);
  for await (const summary of readFindingSummaries(store, runId, controlId)) {
    const verdict: PreviousVerdict = {
      clusterId: once(summary.clusterId),
      clusterName: once(summary.clusterName),
      status: once(summary.status),
      firstSeenFailing: once(summary.firstSeenFailing),
    };
    if (summary.effectiveStatus !== undefined) verdict.effectiveStatus = once(summary.effectiveStatus);
    if (summary.governance !== undefined)
      verdict.governance = {
        ...(summary.governance.exceptionId !== undefined
          ? { exceptionId: once(summary.governance.exceptionId) }
          : {}),
        ...(summary.governance.attestationId !== undefined
          ? { attestationId: once(summary.governance.attestationId) }
          : {}),
      };
    partition.set(verdict, summary.controlId);
  }
  return partition;
}
