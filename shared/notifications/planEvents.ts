import { controlById } from '../catalog/controls.js';
import {
  CLUSTER_KINDS,
  CONTROL_IDS,
  type ClusterKind,
  type ControlId,
  type Evidence,
  type Finding,
  type Severity,
  type Status,
  type StatusCounts,
} from '../catalog/types.js';
import {
  countChanges,
  type FindingChange,
  type RunChanges,
  type TrendPoint,
} from '../runCalculations/runChanges.js';
import type { CollectionGap } from '../inventory/inventory.js';
import type { RunGovernanceEntry, ScanFinding } from '../governance/records.js';
import {
  type AcceptedRiskNote,
  dedupeKey,
  eventId,
  type EventEvidence,
  type EventRun,
  type FindingEvent,
  type FindingEventType,
  type FindingHeadline,
  type NotificationEvent,
  type RunEventData,
} from './events.js';

/** The run metadata events are planned from (a subset of `RunMetadata`). */
export interface PlanRun {
  id: string;
  asOf: string;
  complete: boolean;
  score: number;
  counts: StatusCounts;
  notRead: CollectionGap[];
  clusterCount?: number;
  /** The governance records the run applied: excepted findings close their tickets as accepted risks. */
  governance?: RunGovernanceEntry[];
}

/** What was last notified for a cluster and control before this run (the finding ledger). */
export interface LedgerEntry {
  state: 'open' | 'resolved';
  status: Status;
  /** The cluster and control, as last notified (for closing a removed cluster's finding). */
  clusterId?: string;
  controlId?: string;
  clusterName?: string;
  clusterKind?: string;
  subscriptionId?: string;
  /** Consecutive complete runs of the cluster's scope without the cluster, this run included. */
  absentRuns?: number;
}

/** What a run's events are planned from. */
export interface PlanEventsInput {
  run: PlanRun;
  changes: RunChanges;
  trend?: TrendPoint[];
  reportLinks?: Record<string, string>;
  /**
   * Per de-duplication key, what was notified before this run. Needed to tell a reopening from a
   * first opening; when given, findings still failing that were never notified are opened too.
   */
  ledger?: ReadonlyMap<string, LedgerEntry>;
  /**
   * The run's findings: their evidence is attached to finding events, and in a complete run with
   * a ledger every finding is reconciled with it (a key notified as failing that passes now is
   * resolved even when the change was seen by a partial run, which changes never compare with).
   */
  findings?: Iterable<PlanFinding>;
  /**
   * Close (resolve) a finding still open in the ledger whose cluster has been missing from this
   * many consecutive complete runs of its scope (`LedgerEntry.absentRuns`); undefined = never.
   */
  removedAfterRuns?: number;
}

/** What planning reads of a finding. */
export type PlanFinding = Pick<
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
  | 'evidence'
> &
  Pick<ScanFinding, 'effectiveStatus' | 'governance'>;

const HEADLINES = 20;
const TREND_POINTS = 12;
const NOT_READ = 50;
const CHECKS = 10;
const SOURCE_IDS = 10;
const OBSERVED_CHARS = 300;
const REASON_CHARS = 2000;

const SEVERITY_RANK: Record<Severity, number> = { high: 0, medium: 1, low: 2 };
const FAILING: ReadonlySet<Status> = new Set(['FAIL', 'ERROR']);
const PASSING: ReadonlySet<Status> = new Set(['PASS', 'NOT_APPLICABLE']);

function cap(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}

function summariseEvidence(evidence: Evidence | undefined): EventEvidence | null {
  if (!evidence) return null;
  return {
    checks: evidence.checks.slice(0, CHECKS).map((check) => ({
      source: check.source,
      path: check.path,
      observed: cap(check.observed === undefined ? 'null' : JSON.stringify(check.observed), OBSERVED_CHARS),
      expected: cap(check.expected, OBSERVED_CHARS),
    })),
    omittedChecks: Math.max(0, evidence.checks.length - CHECKS),
    sourceIds: evidence.sourceIds.slice(0, SOURCE_IDS),
    stale: evidence.stale,
    staleSince: evidence.staleSince ?? null,
    inferred: evidence.inferred,
  };
}

/**
 * What a change means for notifications, or undefined for nothing: a failing status (FAIL, or
 * ERROR in a complete run) opens, updates (status changed while open) or reopens (after a
 * resolution; complete runs only — a partial run defers it to the next complete run); a PASS or
 * NOT_APPLICABLE after a failure resolves (complete runs only); MANUAL after a failure updates.
 */
function decide(
  change: FindingChange,
  before: LedgerEntry | undefined,
  complete: boolean,
): FindingEventType | undefined {
  const now = change.currentStatus;
  const previous = change.previousStatus;
  if (FAILING.has(now)) {
    if (now === 'ERROR' && !complete) return undefined;
    if (before?.state === 'resolved') return complete ? 'finding.reopened' : undefined;
    if (before?.state === 'open') return before.status === now ? undefined : 'finding.updated';
    return 'finding.opened';
  }
  if (!complete) return undefined;
  const wasFailing = (previous !== null && FAILING.has(previous)) || before?.state === 'open';
  if (!wasFailing) return undefined;
  if (PASSING.has(now)) {
    if (before?.state === 'resolved') return undefined;
    return previous === 'FAIL' || before?.state === 'open' ? 'finding.resolved' : undefined;
  }
  if (now === 'MANUAL' && before?.state === 'open' && before.status !== now) return 'finding.updated';
  return undefined;
}

/**
 * An EXCEPTED finding opens no ticket; an open one is resolved as an accepted risk (in any run:
 * the decision is a person's, not an observation). While the exception holds nothing else happens;
 * once it expires or is revoked, a finding that still fails reopens through the usual rules.
 */
function decideExcepted(before: LedgerEntry | undefined): FindingEventType | undefined {
  return before?.state === 'open' ? 'finding.resolved' : undefined;
}

/** The accepted-risk note of an EXCEPTED finding, or undefined for any other finding. */
function acceptedRisk(
  finding: PlanFinding,
  records: ReadonlyMap<string, RunGovernanceEntry['record']>,
): AcceptedRiskNote | undefined {
  const id = finding.governance?.exceptionId;
  const record = id === undefined ? undefined : records.get(id);
  if (finding.effectiveStatus !== 'EXCEPTED' || record?.kind !== 'exception') return undefined;
  return {
    exceptionId: record.id,
    owner: cap(record.owner, 300),
    justification: cap(record.justification, REASON_CHARS),
    ticket: record.ticket ?? null,
    expires: record.expires,
  };
}

/** A finding compared with what the ledger last notified (for reconciliation). */
function reconcile(finding: PlanFinding, before: LedgerEntry | undefined): FindingChange {
  return {
    kind: 'otherChange',
    clusterId: finding.clusterId,
    clusterName: finding.clusterName,
    clusterKind: finding.clusterKind,
    subscriptionId: finding.subscriptionId,
    controlId: finding.controlId,
    controlTitle: finding.controlTitle,
    severity: finding.severity,
    previousStatus: before?.status ?? null,
    currentStatus: finding.status,
    reason: finding.reason,
  };
}

function headline(change: FindingChange): FindingHeadline {
  return {
    clusterName: change.clusterName,
    clusterId: change.clusterId,
    controlId: change.controlId,
    controlTitle: change.controlTitle,
    severity: change.severity,
    status: change.currentStatus,
    reason: cap(change.reason, 300),
  };
}

function headlines(changes: FindingChange[]): FindingHeadline[] {
  return [...changes]
    .sort(
      (a, b) =>
        SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
        a.controlId.localeCompare(b.controlId) ||
        a.clusterName.localeCompare(b.clusterName),
    )
    .slice(0, HEADLINES)
    .map(headline);
}

function trendOf(run: PlanRun, trend: TrendPoint[]): RunEventData['trend'] {
  const points = trend
    .filter((point) => point.runId !== run.id)
    .map((point) => ({ runId: point.runId, asOf: point.asOf, score: point.score }));
  points.push({ runId: run.id, asOf: run.asOf, score: run.score });
  points.sort((a, b) => a.asOf.localeCompare(b.asOf) || a.runId.localeCompare(b.runId));
  return points.slice(-TREND_POINTS);
}

function runData(input: PlanEventsInput, eventRun: EventRun): RunEventData {
  const { run, changes } = input;
  const trend = trendOf(run, input.trend ?? []);
  const earlier = (input.trend ?? []).filter((point) => point.runId !== run.id && point.asOf < run.asOf);
  const previousScore = earlier.length > 0 ? (earlier[earlier.length - 1]?.score ?? null) : null;
  return {
    run: {
      ...eventRun,
      previousRunId: changes.previousRunId,
      score: run.score,
      previousScore,
      scoreChange: previousScore === null ? null : Math.round((run.score - previousScore) * 1000) / 10,
      counts: run.counts,
      clusterCount: run.clusterCount ?? null,
    },
    changes: { ...countChanges(changes), resolved: run.complete ? changes.resolved.length : 0 },
    newlyFailing: headlines(changes.newlyFailing),
    resolved: run.complete ? headlines(changes.resolved) : [],
    trend,
    coverage: {
      complete: run.complete,
      notReadCount: run.notRead.length,
      notRead: run.notRead.slice(0, NOT_READ),
    },
    reportLinks: { ...(input.reportLinks ?? {}) },
  };
}

function kindOf(entry: LedgerEntry): ClusterKind {
  if ((CLUSTER_KINDS as readonly string[]).includes(entry.clusterKind ?? ''))
    return entry.clusterKind as ClusterKind;
  const id = (entry.clusterId ?? '').toLowerCase();
  if (id.includes('/microsoft.containerservice/managedclusters/')) return 'aks';
  if (id.includes('/provisionedclusterinstances/')) return 'aks-arc';
  return 'arc';
}

/** The change that closes an open finding of a cluster gone from the inventory. */
function removal(entry: LedgerEntry, absentRuns: number): FindingChange | undefined {
  const controlId = entry.controlId as ControlId;
  if (!entry.clusterId || !(CONTROL_IDS as readonly string[]).includes(controlId)) return undefined;
  const control = controlById(controlId);
  const segments = entry.clusterId.split('/').filter(Boolean);
  return {
    kind: 'otherChange',
    clusterId: entry.clusterId,
    clusterName: entry.clusterName || (segments[segments.length - 1] ?? entry.clusterId),
    clusterKind: kindOf(entry),
    subscriptionId: entry.subscriptionId ?? '',
    controlId,
    controlTitle: control.title,
    severity: control.severity,
    previousStatus: entry.status,
    currentStatus: 'NOT_APPLICABLE',
    reason:
      `Cluster removed from the inventory: not seen in the last ${absentRuns} complete runs of its ` +
      `scope, so this finding (last ${entry.status}) no longer applies and is closed as removed. ` +
      'It is reopened if the cluster returns still failing.',
  };
}

/** What planning keeps of the findings of a cluster and control that has a change. */
interface ChangedKey {
  /** The evidence of the last finding with this key (undefined: none, or none had evidence). */
  evidence?: Evidence;
  /** The accepted-risk note of the last EXCEPTED finding with this key. */
  risk?: AcceptedRiskNote;
  /** The first finding with this key, to reconcile with the ledger when no change decides it. */
  finding?: PlanFinding;
}

/**
 * Plans a run's events reading its findings once, in any number of slices (a run's parts), and
 * holding only what the events need: per cluster and control with a change, its evidence and
 * accepted risk; the finding events decided so far; and, when removed clusters are closed, the
 * IDs of the clusters present. A run holds one finding per cluster and control; `events()` gives
 * what `planEvents` gives for all the findings at once.
 */
export class RunEventPlanner {
  private readonly eventRun: EventRun;
  private readonly records: ReadonlyMap<string, RunGovernanceEntry['record']>;
  private readonly changed = new Map<string, ChangedKey>();
  /** Finding events decided while reading, by key: findings reconciled with the ledger. */
  private readonly reconciled = new Map<string, FindingEvent>();
  private readonly presentClusters = new Set<string>();
  private readonly reconciling: boolean;
  private readonly closingRemoved: boolean;

  constructor(private readonly input: Omit<PlanEventsInput, 'findings'>) {
    const { run, ledger } = input;
    this.eventRun = { id: run.id, asOf: run.asOf, complete: run.complete };
    this.records = new Map((run.governance ?? []).map((entry) => [entry.id, entry.record]));
    this.reconciling = ledger !== undefined && run.complete;
    this.closingRemoved = this.reconciling && input.removedAfterRuns !== undefined;
    for (const change of this.changeCandidates())
      this.changed.set(dedupeKey(change.clusterId, change.controlId), {});
  }

  /** The changes that may give events, in the order they are decided. */
  private changeCandidates(): FindingChange[] {
    const { changes, ledger } = this.input;
    return [
      ...changes.newlyFailing,
      ...changes.newlyUnobservable,
      ...changes.resolved,
      ...changes.otherChanges,
      ...(ledger ? changes.stillFailing : []),
    ];
  }

  /** Reads the next findings of the run. */
  add(findings: Iterable<PlanFinding>): void {
    const { ledger } = this.input;
    for (const finding of findings) {
      const key = dedupeKey(finding.clusterId, finding.controlId);
      if (this.closingRemoved) this.presentClusters.add(finding.clusterId.trim().toLowerCase());
      const risk = acceptedRisk(finding, this.records);
      const changed = this.changed.get(key);
      if (changed) {
        changed.evidence = finding.evidence;
        if (risk) changed.risk = risk;
        changed.finding ??= finding;
        continue;
      }
      if (!this.reconciling || this.reconciled.has(key)) continue;
      const before = ledger?.get(key);
      const change = reconcile(finding, before);
      const type = risk ? decideExcepted(before) : decide(change, before, true);
      if (type !== undefined)
        this.reconciled.set(key, this.findingEvent(change, type, finding.evidence, risk, false));
    }
  }

  /**
   * The run's events, in a stable order: `run.completed`, `run.partial` (when part of the scope
   * was not read), then one finding event per cluster and control that needs one, by event ID.
   */
  events(): NotificationEvent[] {
    const { run, ledger } = this.input;
    const data = runData(this.input, this.eventRun);
    const events: NotificationEvent[] = [
      { id: eventId(run.id, 'run.completed'), type: 'run.completed', timestamp: run.asOf, data },
    ];
    if (!run.complete) {
      events.push({ id: eventId(run.id, 'run.partial'), type: 'run.partial', timestamp: run.asOf, data });
    }
    const removals = this.removals();
    const findingEvents: FindingEvent[] = [];
    const seen = new Set<string>();
    for (const change of this.changeCandidates()) {
      const key = dedupeKey(change.clusterId, change.controlId);
      if (seen.has(key)) continue;
      const known = this.changed.get(key) ?? {};
      const removed = removals.has(key);
      const risk = removed ? undefined : known.risk;
      const before = ledger?.get(key);
      const type = removed
        ? 'finding.resolved'
        : risk
          ? decideExcepted(before)
          : decide(change, before, run.complete);
      if (type === undefined) continue;
      seen.add(key);
      findingEvents.push(this.findingEvent(change, type, known.evidence, risk, removed));
    }
    if (this.reconciling) {
      for (const [key, known] of this.changed) {
        if (seen.has(key) || !known.finding) continue;
        const before = ledger?.get(key);
        const change = reconcile(known.finding, before);
        const type = known.risk ? decideExcepted(before) : decide(change, before, true);
        if (type === undefined) continue;
        seen.add(key);
        findingEvents.push(this.findingEvent(change, type, known.evidence, known.risk, false));
      }
    }
    for (const event of this.reconciled.values()) findingEvents.push(event);
    for (const [key, change] of removals) {
      if (seen.has(key)) continue;
      findingEvents.push(this.findingEvent(change, 'finding.resolved', undefined, undefined, true));
    }
    findingEvents.sort((a, b) => a.id.localeCompare(b.id));
    return [...events, ...findingEvents];
  }

  /**
   * The changes that close open findings of clusters missing from `removedAfterRuns` complete
   * runs, by key. A ledger key names its cluster, so a cluster absent from the run has no finding
   * with that key.
   */
  private removals(): Map<string, FindingChange> {
    const { ledger, removedAfterRuns } = this.input;
    const removals = new Map<string, FindingChange>();
    if (!ledger || !this.closingRemoved || removedAfterRuns === undefined) return removals;
    for (const [key, entry] of ledger) {
      const absent = entry.absentRuns ?? 0;
      if (entry.state !== 'open' || absent < removedAfterRuns) continue;
      if (this.presentClusters.has((entry.clusterId ?? '').trim().toLowerCase())) continue;
      if (this.reconciled.has(key) || this.changed.get(key)?.finding) continue;
      const change = removal(entry, absent);
      if (change) removals.set(key, change);
    }
    return removals;
  }

  private findingEvent(
    change: FindingChange,
    type: FindingEventType,
    evidence: Evidence | undefined,
    risk: AcceptedRiskNote | undefined,
    removed: boolean,
  ): FindingEvent {
    const key = dedupeKey(change.clusterId, change.controlId);
    return {
      id: eventId(this.input.run.id, type, change.clusterId, change.controlId),
      type,
      timestamp: this.input.run.asOf,
      data: {
        dedupeKey: key,
        run: this.eventRun,
        clusterId: change.clusterId,
        clusterName: change.clusterName,
        clusterKind: change.clusterKind,
        subscriptionId: change.subscriptionId,
        controlId: change.controlId,
        controlTitle: change.controlTitle,
        severity: change.severity,
        previousStatus: change.previousStatus,
        status: change.currentStatus,
        reason: cap(change.reason, REASON_CHARS),
        remediation: removed ? null : (controlById(change.controlId).remediation[change.clusterKind] ?? null),
        evidence: summariseEvidence(evidence),
        reportLinks: { ...(this.input.reportLinks ?? {}) },
        ...(risk ? { acceptedRisk: risk } : {}),
        ...(removed ? { removed: true as const } : {}),
      },
    };
  }
}

/**
 * The events a run produces from its changes, in a stable order: `run.completed`, `run.partial`
 * (when part of the scope was not read), then one finding event per cluster and control that
 * needs one. Pure: the same input always gives the same events with the same IDs.
 */
export function planEvents(input: PlanEventsInput): NotificationEvent[] {
  const planner = new RunEventPlanner(input);
  if (input.findings) planner.add(input.findings);
  return planner.events();
}
