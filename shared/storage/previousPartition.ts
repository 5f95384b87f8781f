import type { ControlId } from '../catalog/types.js';
import { comparisonKey, type PreviousFinding } from '../runCalculations/runChanges.js';
import type { ValuePool } from '../runCalculations/valuePool.js';
import type { HistoryStore } from './historyStore.js';
import { readFindingSummaries } from './runReads.js';

/** What storing a run keeps of a previous finding: what comparison and first-seen-failing need. */
export interface PreviousVerdict extends PreviousFinding {
  firstSeenFailing: string | undefined;
}

/**
 * One findings partition (one control) of a stored run, by {@link comparisonKey}, each finding
 * reduced to its cluster, verdict, governance IDs and first-seen-failing (no reason, no evidence),
 * each value held once in `pool` (cluster IDs and names shared with the current run's).
 */
export async function readPreviousPartition(
  store: HistoryStore,
  runId: string,
  controlId: ControlId,
  pool: ValuePool,
): Promise<Map<string, PreviousVerdict>> {
  const once = <T extends string | undefined>(value: T): T => pool.hold(value);
  const partition = new Map<string, PreviousVerdict>();
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
    partition.set(comparisonKey(summary), verdict);
  }
  return partition;
}
