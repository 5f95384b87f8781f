import { createHash } from 'node:crypto';

import type { ControlId, Status, StatusCounts } from '../catalog/types.js';
import type { CollectionGap } from '../inventory/inventory.js';
import type { ChangeCounts, FindingFields } from '../runCalculations/runChanges.js';

/** Every event type a destination can subscribe to. */
export const EVENT_TYPES = [
  'run.completed',
  'run.partial',
  'finding.opened',
  'finding.updated',
  'finding.resolved',
  'finding.reopened',
  'governance.expiring',
  'governance.expired',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Events about a whole run. */
export const RUN_EVENT_TYPES = ['run.completed', 'run.partial'] as const;
export type RunEventType = (typeof RUN_EVENT_TYPES)[number];

/** Events about one cluster and control. */
export const FINDING_EVENT_TYPES = [
  'finding.opened',
  'finding.updated',
  'finding.resolved',
  'finding.reopened',
] as const;
export type FindingEventType = (typeof FINDING_EVENT_TYPES)[number];

/** Events about one governance record (an exception or attestation) nearing or reaching its expiry. */
export const GOVERNANCE_EVENT_TYPES = ['governance.expiring', 'governance.expired'] as const;
export type GovernanceEventType = (typeof GOVERNANCE_EVENT_TYPES)[number];

/** The run an event comes from. */
export interface EventRun {
  id: string;
  asOf: string;
  /** False when part of the scope could not be read: such a run never resolves or reopens. */
  complete: boolean;
}

/** One evidence check, with the observed value as (capped) text. */
export interface EventEvidenceCheck {
  source: string;
  path: string;
  observed: string;
  expected: string;
}

/** The evidence of a finding, capped so an event stays small. */
export interface EventEvidence {
  checks: EventEvidenceCheck[];
  omittedChecks: number;
  sourceIds: string[];
  stale: boolean;
  staleSince: string | null;
  inferred: boolean;
}

/** What a finding event says about one cluster and control. */
export interface FindingEventData extends FindingFields {
  /** Stable across runs: `{cluster ID, lower case}|{control ID}`. */
  dedupeKey: string;
  run: EventRun;
  previousStatus: Status | null;
  remediation: string | null;
  evidence: EventEvidence | null;
  reportLinks: Record<string, string>;
  /**
   * Set on a `finding.resolved` that closes the finding because its cluster is gone from the
   * inventory (missing from several consecutive complete runs of its scope), not because it passed.
   */
  removed?: true;
  /** Set when the finding is closed because an exception accepted its risk. */
  acceptedRisk?: AcceptedRiskNote;
}

/** The exception that accepted a finding's risk, as a ticket records it. */
export interface AcceptedRiskNote {
  exceptionId: string;
  owner: string;
  justification: string;
  ticket: string | null;
  expires: string;
}

/** One line of a run summary's lists. */
export type FindingHeadline = Omit<FindingFields, 'clusterKind' | 'subscriptionId'>;

/** What a run event says: summary, score, trend, coverage and report links. */
export interface RunEventData {
  run: EventRun & {
    previousRunId: string | null;
    score: number;
    previousScore: number | null;
    /** Score change in percentage points against the previous point of the trend. */
    scoreChange: number | null;
    counts: StatusCounts;
    clusterCount: number | null;
  };
  /** Against the previous complete run; `resolved` is 0 for a partial run. */
  changes: ChangeCounts;
  /** The first newly failing findings (highest severity first), capped. */
  newlyFailing: FindingHeadline[];
  /** The first resolved findings, capped; empty for a partial run. */
  resolved: FindingHeadline[];
  trend: Array<{ runId: string; asOf: string; score: number }>;
  coverage: { complete: boolean; notReadCount: number; notRead: CollectionGap[] };
  reportLinks: Record<string, string>;
}

/** What a governance event says about one record and the run that noticed it. */
export interface GovernanceEventData {
  /** `governance|{record ID}`: the same for every notice of the record. */
  dedupeKey: string;
  run: EventRun;
  recordId: string;
  kind: 'exception' | 'attestation';
  controlId: ControlId;
  controlTitle: string;
  /** The exception's owner or the attestation's author. */
  owner: string;
  /** The exception's justification or the attestation's statement (capped). */
  summary: string;
  ticket: string | null;
  expires: string;
  /** Whole days from the run's as-of time to expiry; 0 or less once expired. */
  daysLeft: number;
  /** The notice period that triggered an expiring event (GOVERNANCE_EXPIRY_NOTICE_DAYS); null for expired. */
  noticeDays: number | null;
  /** Findings the record governed in the run that noticed it. */
  findingsApplied: number;
  /** What the observed status becomes once the record no longer applies. */
  consequence: string;
  reportLinks: Record<string, string>;
}

interface EventEnvelope<T extends EventType, D> {
  /** Deterministic from run ID, type, cluster and control: receivers de-duplicate on it. */
  id: string;
  type: T;
  /** When the observation was made (the run's as-of time). */
  timestamp: string;
  data: D;
}

/** A run summary event. */
export type RunEvent = EventEnvelope<RunEventType, RunEventData>;
/** An event about one cluster and control. */
export type FindingEvent = EventEnvelope<FindingEventType, FindingEventData>;
/** An event about one governance record. */
export type GovernanceEvent = EventEnvelope<GovernanceEventType, GovernanceEventData>;
/** Any event; `type` tells which. */
export type NotificationEvent = RunEvent | FindingEvent | GovernanceEvent;

/** True for finding.* events. */
export function isFindingEvent(event: NotificationEvent): event is FindingEvent {
  return event.type.startsWith('finding.');
}

/** True for governance.* events. */
export function isGovernanceEvent(event: NotificationEvent): event is GovernanceEvent {
  return event.type.startsWith('governance.');
}

/** True for run.* events. */
export function isRunEvent(event: NotificationEvent): event is RunEvent {
  return event.type.startsWith('run.');
}

/** The de-duplication key of a cluster and control: the same in every run. */
export function dedupeKey(clusterId: string, controlId: string): string {
  return `${clusterId.trim().toLowerCase()}|${controlId}`;
}

/** `{runId}.{type}` or `{runId}.{type}.{controlId}.{16 hex of SHA-256(cluster ID)}`. */
export function eventId(runId: string, type: EventType, clusterId?: string, controlId?: string): string {
  if (clusterId === undefined || controlId === undefined) return `${runId}.${type}`;
  const cluster = createHash('sha256').update(clusterId.trim().toLowerCase()).digest('hex').slice(0, 16);
  return `${runId}.${type}.${controlId}.${cluster}`;
}
