import type { ControlId, Finding, Status } from '../catalog/types.js';
import type { ValuePool } from './valuePool.js';

/**
 * The fields that say which cluster and control a finding is about and what its verdict is: what
 * run comparison, run events and the stored finding summaries all carry.
 */
export const FINDING_FIELDS = [
  'clusterId',
  'clusterName',
  'clusterKind',
  'subscriptionId',
  'controlId',
  'controlTitle',
  'severity',
  'status',
  'reason',
] as const;
export type FindingFields = Pick<Finding, (typeof FINDING_FIELDS)[number]>;

export type ChangeKind = 'newlyFailing' | 'resolved' | 'stillFailing' | 'newlyUnobservable' | 'otherChange';

/** One (cluster, control) whose status is compared between two runs. */
export interface FindingChange extends Omit<FindingFields, 'status'> {
  kind: ChangeKind;
  /** null when the cluster was not in the previous run. */
  previousStatus: Status | null;
  currentStatus: Status;
}

/** A finding whose governance changed between two runs (its observed status may be unchanged). */
export interface GovernanceChange {
  clusterId: string;
  clusterName: string;
  controlId: ControlId;
  controlTitle: string;
  status: Status;
  /** The effective verdict now (EXCEPTED, or an attested or observed status). */
  effectiveStatus: string;
  /** The exception or attestation concerned: the new one, or the one that lapsed. */
  recordId: string;
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
  /** EXCEPTED now and not before. */
  newlyExcepted?: GovernanceChange[];
  /** EXCEPTED before, no longer (its exception expired or was revoked) and still FAIL or MANUAL. */
  exceptionExpired?: GovernanceChange[];
  /** Attested now and not (or by another attestation) before. */
  newlyAttested?: GovernanceChange[];
  /** Attested before, MANUAL and unattested now. */
  attestationExpired?: GovernanceChange[];
}

/** How many of each change a run has: what a stored run and a run event say about its changes. */
export interface ChangeCounts {
  newlyFailing: number;
  resolved: number;
  stillFailing: number;
  newlyUnobservable: number;
  otherChanges: number;
  clustersAdded: number;
  clustersRemoved: number;
}

/** The counts of `changes`. */
export function countChanges(changes: RunChanges): ChangeCounts {
  return {
    newlyFailing: changes.newlyFailing.length,
    resolved: changes.resolved.length,
    stillFailing: changes.stillFailing.length,
    newlyUnobservable: changes.newlyUnobservable.length,
    otherChanges: changes.otherChanges.length,
    clustersAdded: changes.clustersAdded.length,
    clustersRemoved: changes.clustersRemoved.length,
  };
}

/** A run's place on a trend chart. */
export interface TrendPoint {
  runId: string;
  asOf: string;
  score: number;
  counts: Record<Status, number>;
}

export type Comparable = FindingFields & {
  effectiveStatus?: string;
  governance?: { exceptionId?: string; attestationId?: string };
};

/** How a finding's governance changed, if it did. */
function governanceChangeOf(
  before: PreviousFinding | undefined,
  now: Comparable,
): ['newlyExcepted' | 'exceptionExpired' | 'newlyAttested' | 'attestationExpired', string] | undefined {
  const excepted = now.governance?.exceptionId;
  const wasExcepted = before?.effectiveStatus === 'EXCEPTED' ? before.governance?.exceptionId : undefined;
  if (excepted && now.effectiveStatus === 'EXCEPTED' && !wasExcepted) return ['newlyExcepted', excepted];
  if (wasExcepted && now.effectiveStatus !== 'EXCEPTED' && (now.status === 'FAIL' || now.status === 'MANUAL'))
    return ['exceptionExpired', wasExcepted];
  const attested = now.governance?.attestationId;
  const wasAttested = before?.governance?.attestationId;
  if (attested && attested !== wasAttested) return ['newlyAttested', attested];
  if (wasAttested && !attested && now.status === 'MANUAL' && now.effectiveStatus !== 'EXCEPTED')
    return ['attestationExpired', wasAttested];
  return undefined;
}

function classify(previous: Status | null, current: Status): ChangeKind | undefined {
  if (current === 'FAIL') return previous === 'FAIL' ? 'stillFailing' : 'newlyFailing';
  if (previous === 'FAIL' && (current === 'PASS' || current === 'NOT_APPLICABLE')) return 'resolved';
  if (current === 'ERROR' && previous !== 'ERROR' && previous !== null) return 'newlyUnobservable';
  if (previous !== null && previous !== current) return 'otherChange';
  return undefined;
}

/** What a comparison needs of a previous run's finding: its verdict, governance and cluster. */
export type PreviousFinding = Pick<
  Comparable,
  'clusterId' | 'clusterName' | 'status' | 'effectiveStatus' | 'governance'
>;

/** A previous run's findings (or one partition of them) by {@link comparisonKey}: a Map will do. */
export type PreviousFindings = Pick<ReadonlyMap<string, PreviousFinding>, 'get' | 'values'>;

/** The key a finding is compared by: its cluster ID (ignoring case) and control. */
export const comparisonKey = (finding: Pick<Finding, 'clusterId' | 'controlId'>): string =>
  `${finding.clusterId.toLowerCase()}|${finding.controlId}`;

/**
 * The parts of a {@link comparisonKey}: the cluster ID in lower case and the control (after the
 * last `|`, since a cluster ID may hold one and a control ID never does); undefined for a string
 * that is no such key.
 */
export function splitComparisonKey(key: string): { clusterIdLower: string; controlId: string } | undefined {
  const split = key.lastIndexOf('|');
  return split < 0 ? undefined : { clusterIdLower: key.slice(0, split), controlId: key.slice(split + 1) };
}

/**
 * A comparison of a run with the previous one fed the current run's findings one at a time, so
 * that they can be read as a stream: `previous.findings` holds the previous run's findings (or one
 * partition of them) by {@link comparisonKey}, `previous.clusters` its clusters (ID in lower case →
 * name; taken from `findings` when absent). `finish()` gives what {@link computeRunChanges} gives.
 * With a `pool`, the changes share one copy of each repeated value (IDs, names, titles, statuses).
 */
export class RunComparison {
  private readonly changes: RunChanges;
  private readonly clustersNow = new Map<string, { clusterId: string; clusterName: string }>();

  constructor(
    private readonly previous: {
      runId: string;
      findings: PreviousFindings;
      clusters?: ReadonlyMap<string, string>;
    } | null,
    currentRunId: string,
    private readonly pool?: ValuePool,
  ) {
    this.changes = {
      previousRunId: previous?.runId ?? null,
      currentRunId,
      newlyFailing: [],
      resolved: [],
      stillFailing: [],
      newlyUnobservable: [],
      otherChanges: [],
      clustersAdded: [],
      clustersRemoved: [],
    };
  }

  /** Compares one finding of the current run. */
  add(finding: Comparable): void {
    const { changes, previous } = this;
    const hold = <T extends string>(value: T): T => (this.pool ? this.pool.hold(value) : value);
    const clusterId = hold(finding.clusterId);
    const clusterName = hold(finding.clusterName);
    this.clustersNow.set(hold(clusterId.toLowerCase()), { clusterId, clusterName });
    const before = previous?.findings.get(comparisonKey(finding));
    if (previous !== null) {
      const governed = governanceChangeOf(before, finding);
      if (governed) {
        const [list, recordId] = governed;
        (changes[list] ??= []).push({
          clusterId,
          clusterName,
          controlId: hold(finding.controlId),
          controlTitle: hold(finding.controlTitle),
          status: hold(finding.status),
          effectiveStatus: hold(finding.effectiveStatus ?? finding.status),
          recordId: hold(recordId),
        });
      }
    }
    const previousStatus = before?.status ?? null;
    const kind = classify(previous === null ? null : previousStatus, finding.status);
    if (kind === undefined) return;
    const change: FindingChange = {
      kind,
      clusterId,
      clusterName,
      clusterKind: hold(finding.clusterKind),
      subscriptionId: hold(finding.subscriptionId),
      controlId: hold(finding.controlId),
      controlTitle: hold(finding.controlTitle),
      severity: hold(finding.severity),
      previousStatus: previousStatus === null ? null : hold(previousStatus),
      currentStatus: hold(finding.status),
      reason: hold(finding.reason),
    };
    const list = kind === 'otherChange' ? changes.otherChanges : changes[kind];
    list.push(change);
  }

  /** The changes of every finding added, and the clusters added and removed. */
  finish(): RunChanges {
    const { changes, previous } = this;
    if (previous !== null) {
      const clustersBefore = previous.clusters ?? clustersOf(previous.findings.values());
      for (const [id, cluster] of this.clustersNow)
        if (!clustersBefore.has(id)) changes.clustersAdded.push(cluster);
      for (const [id, name] of clustersBefore) {
        if (!this.clustersNow.has(id))
          changes.clustersRemoved.push({
            clusterId: previous.findings.get(`${id}|DS-01`)?.clusterId ?? id,
            clusterName: name,
          });
      }
    }
    return changes;
  }
}

/** The clusters of some findings: ID in lower case → name (the last one given). */
function clustersOf(findings: Iterable<Pick<Comparable, 'clusterId' | 'clusterName'>>): Map<string, string> {
  const clusters = new Map<string, string>();
  for (const finding of findings) clusters.set(finding.clusterId.toLowerCase(), finding.clusterName);
  return clusters;
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
  let before: { runId: string; findings: Map<string, Comparable>; clusters: Map<string, string> } | null =
    null;
  if (previous !== null) {
    before = { runId: previous.runId, findings: new Map(), clusters: new Map() };
    for (const finding of previous.findings) {
      before.findings.set(comparisonKey(finding), finding);
      before.clusters.set(finding.clusterId.toLowerCase(), finding.clusterName);
    }
  }
  const comparison = new RunComparison(before, current.runId);
  for (const finding of current.findings) comparison.add(finding);
  return comparison.finish();
}

/**
 * Each cluster's place in a run (cluster ID in lower case → the order of its first finding), what
 * {@link mergePartitionChanges} orders by; `clusterPositions(findings)` builds it, and it can be fed
 * a run part by part (`clusterPositions(part.findings, positions)`).
 */
export type ClusterPositions = Pick<ReadonlyMap<string, number>, 'get' | 'size'>;

/** Adds the clusters of `findings` not yet placed to `into`, in order. */
export function clusterPositions(
  findings: Iterable<Pick<Finding, 'clusterId'>>,
  into = new Map<string, number>(),
): Map<string, number> {
  for (const finding of findings) {
    const id = finding.clusterId.toLowerCase();
    if (!into.has(id)) into.set(id, into.size);
  }
  return into;
}

/**
 * Joins changes computed partition by partition (one control each, the first control's partition
 * holding every cluster) into the changes of the whole run, in the order the whole-run comparison
 * gives: by the cluster's place in the run (`positions`, see {@link clusterPositions}), then by
 * control.
 */
export function mergePartitionChanges(
  partitions: readonly RunChanges[],
  positions: ClusterPositions,
): RunChanges {
  const [first] = partitions;
  if (!first) throw new RangeError('no partitions to merge');
  const rank = (change: FindingChange): number =>
    (positions.get(change.clusterId.toLowerCase()) ?? positions.size) * 1000 +
    Number(change.controlId.replace(/\D/g, ''));
  // Each change ranked once, not at every comparison: a rank reads a lower-case copy of the ID.
  const join = (pick: (changes: RunChanges) => FindingChange[]): FindingChange[] =>
    partitions
      .flatMap(pick)
      .map((change) => ({ change, rank: rank(change) }))
      .sort((a, b) => a.rank - b.rank)
      .map(({ change }) => change);
  return {
    previousRunId: first.previousRunId,
    currentRunId: first.currentRunId,
    newlyFailing: join((changes) => changes.newlyFailing),
    resolved: join((changes) => changes.resolved),
    stillFailing: join((changes) => changes.stillFailing),
    newlyUnobservable: join((changes) => changes.newlyUnobservable),
    otherChanges: join((changes) => changes.otherChanges),
    clustersAdded: first.clustersAdded,
    clustersRemoved: first.clustersRemoved,
    ...governanceLists(partitions),
  };
}

/** The governance change lists of every partition, joined; lists no partition has stay absent. */
function governanceLists(partitions: readonly RunChanges[]): Partial<RunChanges> {
  const lists: Partial<RunChanges> = {};
  for (const name of ['newlyExcepted', 'exceptionExpired', 'newlyAttested', 'attestationExpired'] as const) {
    if (partitions.some((changes) => changes[name] !== undefined))
      lists[name] = partitions.flatMap((changes) => changes[name] ?? []);
  }
  return lists;
}
