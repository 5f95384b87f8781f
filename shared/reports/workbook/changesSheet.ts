import type { FindingChange, RunChanges } from '../../runCalculations/runChanges.js';
import { TableSheet, type TableColumn } from './tableSheet.js';
import type { WorkbookSession } from './workbookSession.js';

export const CHANGES_COLUMNS: readonly TableColumn[] = [
  { header: 'Change', width: 18 },
  { header: 'Cluster', width: 28 },
  { header: 'Cluster ID', width: 48 },
  { header: 'Kind', width: 9 },
  { header: 'Subscription', width: 38 },
  { header: 'Control', width: 8 },
  { header: 'Control title', width: 40, kind: 'wrap' },
  { header: 'Severity', width: 9 },
  { header: 'Previous status', width: 16, kind: 'status' },
  { header: 'Current status', width: 16, kind: 'status' },
  { header: 'Reason', width: 70, kind: 'wrap' },
];

/** Labels of the change lists, in the order they are listed. */
export const CHANGE_LISTS = [
  ['newlyFailing', 'newly failing'],
  ['resolved', 'resolved'],
  ['stillFailing', 'still failing'],
  ['newlyUnobservable', 'newly unobservable'],
  ['otherChanges', 'other change'],
] as const satisfies ReadonlyArray<readonly [keyof RunChanges, string]>;

/**
 * The changes since the previous complete run, one row per finding change, then the clusters
 * added and removed; on a first run a single line says there is nothing to compare.
 */
export async function writeChangesSheet(
  session: WorkbookSession,
  changes: RunChanges | undefined,
): Promise<void> {
  const preamble = [
    changes === undefined
      ? 'Changes since the previous run: none to show — this is the first run of this scope.'
      : `Changes since run ${changes.previousRunId ?? '(none)'} (current run ${changes.currentRunId})`,
  ];
  const table = new TableSheet(session, 'Changes', CHANGES_COLUMNS, { preamble, frozenColumns: 1 });
  if (changes !== undefined) {
    for (const [list, label] of CHANGE_LISTS) {
      for (const change of changes[list] as FindingChange[]) {
        await table.add([
          label,
          change.clusterName,
          change.clusterId,
          change.clusterKind,
          change.subscriptionId,
          change.controlId,
          change.controlTitle,
          change.severity,
          change.previousStatus ?? '(new cluster)',
          change.currentStatus,
          change.reason,
        ]);
      }
    }
    for (const cluster of changes.clustersAdded) {
      await table.add(['cluster added', cluster.clusterName, cluster.clusterId]);
    }
    for (const cluster of changes.clustersRemoved) {
      await table.add(['cluster removed', cluster.clusterName, cluster.clusterId]);
    }
  }
  table.close();
}
