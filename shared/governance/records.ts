import type { ClusterKind, ControlId, Finding } from '../catalog/types.js';

/** Who and what a governance record covers; dimensions combine (all given must match). */
export interface GovernanceScope {
  /** Cluster resource IDs, compared ignoring case. */
  clusters?: string[];
  /** Resource group IDs (`/subscriptions/{id}/resourceGroups/{name}`), compared ignoring case. */
  resourceGroups?: string[];
  /** Subscription IDs (GUIDs), compared ignoring case. */
  subscriptions?: string[];
  kinds?: ClusterKind[];
}

export interface EvidenceLink {
  title: string;
  url?: string;
  sha256?: string;
}

/** Set by storage: who created and approved a record; absent for records read from a file. */
export interface RecordProvenance {
  createdBy?: string;
  createdAt?: string;
  approvedBy?: string;
  approvedAt?: string;
  revokedBy?: string;
  revokedAt?: string;
  /** Where an imported record came from (e.g. `file:governance.yaml`). */
  source?: string;
}

interface RecordBase extends RecordProvenance {
  id: string;
  controlId: ControlId;
  scope: GovernanceScope;
  /** ISO-8601; the record does not apply at or after this time. */
  expires: string;
}

/** An accepted risk: a FAIL or MANUAL finding the business has decided to live with until a date. */
export interface ExceptionRecord extends RecordBase {
  kind: 'exception';
  owner: string;
  justification: string;
  ticket?: string;
}

/** A person's evidence for a control Azure cannot observe. */
export interface AttestationRecord extends RecordBase {
  kind: 'attestation';
  result: 'PASS' | 'FAIL';
  attestedBy: string;
  statement: string;
  evidence: EvidenceLink[];
  attestedAt: string;
}

export type GovernanceRecord = ExceptionRecord | AttestationRecord;
export type GovernanceKind = GovernanceRecord['kind'];

/** Lifecycle of a stored record; records read from a file are approved by review. */
export type ApprovalState = 'pending' | 'approved' | 'revoked';

/** A record as the rule engine receives it. */
export interface ActiveRecord {
  record: GovernanceRecord;
  approval: ApprovalState;
}

/** The outcome of one record in one run. */
export type RecordState = 'applied' | 'expired' | 'unused' | 'unmatched' | 'ignored' | 'pending' | 'revoked';

export const EFFECTIVE_STATUSES = ['PASS', 'FAIL', 'MANUAL', 'NOT_APPLICABLE', 'ERROR', 'EXCEPTED'] as const;
export type EffectiveStatus = (typeof EFFECTIVE_STATUSES)[number];
export type EffectiveCounts = Record<EffectiveStatus, number>;

/** What a finding records about the governance applied to (or ignored for) it. */
export interface FindingGovernance {
  exceptionId?: string;
  attestationId?: string;
  /** Expiry of the record applied. */
  expires?: string;
  /** Records that matched the finding but could not apply, with the reason. */
  ignored?: Array<{ id: string; reason: string }>;
}

/** The governance a run applied, per record: enough to reproduce the run after records change. */
export interface RunGovernanceEntry {
  id: string;
  kind: GovernanceKind;
  controlId: ControlId;
  state: RecordState;
  findingsApplied: number;
  findingsIgnored: number;
  expires: string;
  /** The record exactly as applied. */
  record: GovernanceRecord;
}

export const DEFAULT_MAX_EXCEPTION_DAYS = 365;
export const DEFAULT_MAX_ATTESTATION_DAYS = 365;

/**
 * A finding as a scan result carries it: the observed verdict plus, from scans that applied
 * governance, the effective one (findings.json written before governance existed has none).
 */
export type ScanFinding = Finding & { effectiveStatus?: EffectiveStatus; governance?: FindingGovernance };

/** The verdict after governance; the observed one where none was applied. */
export function effectiveStatusOf(finding: ScanFinding): EffectiveStatus {
  return finding.effectiveStatus ?? finding.status;
}
