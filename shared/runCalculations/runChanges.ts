import type { ClusterKind, ControlId, Finding, Severity, Status } from '../catalog/types.js';

export type ChangeKind = 'newlyFailing' | 'resolved' | 'stillFailing' | 'newlyUnobservable' | 'otherChange';

/** One (cluster, control) whose status is compared between two runs. */
export interface FindingChange {
  kind: ChangeKind;
  clusterId: string;
  clusterName: string;
  clusterKind: ClusterKind;
  subscriptionId: string;
  controlId: ControlId;
  controlTitle: string;
  severity: Severity;
  /** null when the cluster was not in the previous run. */
  previousStatus: Status | null;
  currentStatus: Status;
  reason: string;
}

/** What changed between the previous complete run of a scope and the current run. */
export interface RunChanges {
  previousRunId: string | null;
  currentRunId: string;
  newlyFailing: FindingChange[];
  resolved: FindingChange[];
  stillFailing: FindingChange[];
  newlyUnobservable: FindingChange[];
  otherChanges: FindingChange[];
  clustersAdded: Array<{ clusterId: string; clusterName: string }>;
  clustersRemoved: Array<{ clusterId: string; clusterName: string }>;
}

/** A run's place on a trend chart. */
export interface TrendPoint {
  runId: string;
  asOf: string;
  score: number;
  counts: Record<Status, number>;
}

type Comparable = Pick<
  Finding,
  | 'clusterId'
  | 'clusterName'
  | 'clusterKind'
  | 'subscriptionId'
  | 'controlId'
  | 'controlTitle'
  | 'severity'
  | 'status'
  | 'reason'
>;

function classify(previous: Status | null, current: Status): ChangeKind | undefined {
  if (current === 'FAIL') return previous === 'FAIL' ? 'stillFailing' : 'newlyFailing';
  if (previous === 'FAIL' && (current === 'PASS' || current === 'NOT_APPLICABLE')) return 'resolved';
  if (current === 'ERROR' && previous !== 'ERROR' && previous !== null) return 'newlyUnobservable';
  if (previous !== null && previous !== current) return 'otherChange';
  return undefined;
}

/**
 * Compares two runs finding by finding (cluster IDs ignoring case). Newly failing: FAIL now and not
 * before (new clusters included); resolved: FAIL before, PASS or NOT_APPLICABLE now; still failing:
 * FAIL in both; newly unobservable: ERROR now after a readable status; other changes: any other
 * status change. A cluster missing from the current run is listed as removed, not as resolved.
 */
export function computeRunChanges(
  previous: { runId: string; findings: Iterable<Comparable> } | null,
  current: { runId: string; findings: Iterable<Comparable> },
): RunChanges {
  const key = (f: Comparable): string => `${f.clusterId.toLowerCase()}|${f.controlId}`;
  const before = new Map<string, Comparable>();
  const clustersBefore = new Map<string, string>();
  for (const finding of previous?.findings ?? []) {
    before.set(key(finding), finding);
    clustersBefore.set(finding.clusterId.toLowerCase(), finding.clusterName);
  }
  const changes: RunChanges = {
    previousRunId: previous?.runId ?? null,
    currentRunId: current.runId,
    newlyFailing: [],
    resolved: [],
    stillFailing: [],
    newlyUnobservable: [],
    otherChanges: [],
    clustersAdded: [],
    clustersRemoved: [],
  };
  const clustersNow = new Map<string, { clusterId: string; clusterName: string }>();
  for (const finding of current.findings) {
    clustersNow.set(finding.clusterId.toLowerCase(), {
      clusterId: finding.clusterId,
      clusterName: finding.clusterName,
    });
    const previousStatus = before.get(key(finding))?.status ?? null;
    const kind = classify(previous === null ? null : previousStatus, finding.status);
    if (kind === undefined) continue;
    const change: FindingChange = {
      kind,
      clusterId: finding.clusterId,
      clusterName: finding.clusterName,
      clusterKind: finding.clusterKind,
      subscriptionId: finding.subscriptionId,
      controlId: finding.controlId,
      controlTitle: finding.controlTitle,
      severity: finding.severity,
      previousStatus,
      currentStatus: finding.status,
      reason: finding.reason,
    };
    const list = kind === 'otherChange' ? changes.otherChanges : changes[kind];
    list.push(change);
  }
  if (previous !== null) {
    for (const [id, cluster] of clustersNow) if (!clustersBefore.has(id)) changes.clustersAdded.push(cluster);
    for (const [id, name] of clustersBefore) {
      if (!clustersNow.has(id))
        changes.clustersRemoved.push({
          clusterId: before.get(`${id}|DS-01`)?.clusterId ?? id,
          clusterName: name,
        });
    }
  }
  return changes;
}
