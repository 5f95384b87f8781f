/** Cluster kinds, statuses and the shapes every control, finding and report shares. */

export const CLUSTER_KINDS = ['arc', 'aks-arc', 'aks'] as const;
export type ClusterKind = (typeof CLUSTER_KINDS)[number];

/**
 * What the catalog declares outcomes for: each cluster kind, plus Arc's agentless connections
 * (`kind` AWS or GCP with `connectivityStatus` AgentNotInstalled). Those are `arc` clusters in
 * findings, but they run no Arc agents, so no cluster extension can be installed or observed.
 */
export const OUTCOME_SCOPES = [...CLUSTER_KINDS, 'arc-agentless'] as const;
export type OutcomeScope = (typeof OUTCOME_SCOPES)[number];

export const STATUSES = ['PASS', 'FAIL', 'MANUAL', 'NOT_APPLICABLE', 'ERROR'] as const;
export type Status = (typeof STATUSES)[number];

export const SEVERITIES = ['high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const CONTROL_IDS = [
  'DS-01',
  'DS-02',
  'DS-03',
  'DS-04',
  'DS-05',
  'DS-06',
  'DS-07',
  'DS-08',
  'DS-09',
  'DS-10',
] as const;
export type ControlId = (typeof CONTROL_IDS)[number];

/** One property read that led to a verdict: where it was read, what was seen, what was wanted. */
export interface EvidenceCheck {
  /** Resource ID the value was read from (as found in the inventory). */
  source: string;
  /** Property path read, in ARM camelCase form (the key matched case-insensitively). */
  path: string;
  /** Value observed; `null` when the property was absent. */
  observed: unknown;
  /** Value or condition that satisfies the control. */
  expected: string;
}

/** What lets an auditor re-check a verdict. */
export interface Evidence {
  checks: EvidenceCheck[];
  sourceIds: string[];
  /** True when the verdict comes from the last known state of an offline or expired Arc cluster. */
  stale: boolean;
  /** Start of the offline period when stale (lastConnectivityTime), if known. */
  staleSince?: string | null;
  /** True when the verdict is inferred from the platform rather than observed. */
  inferred: boolean;
  /** How a person confirms an inferred or manual verdict inside the cluster. */
  verification?: string;
  /** Anything else observed that a reader should know (e.g. Azure Container Storage present). */
  notes?: string[];
}

export interface BenchmarkRef {
  framework: string;
  version: string;
  id: string;
  title: string;
  relation: 'direct' | 'related';
}

export interface Finding {
  clusterId: string;
  clusterName: string;
  clusterKind: ClusterKind;
  subscriptionId: string;
  resourceGroup: string;
  controlId: ControlId;
  controlTitle: string;
  /** The version of the control's verdict rules that produced this finding (see CHANGELOG.md). */
  controlVersion: number;
  severity: Severity;
  status: Status;
  reason: string;
  evidence: Evidence;
  benchmarks: BenchmarkRef[];
}

export type StatusCounts = Record<Status, number>;
