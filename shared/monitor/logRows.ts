import type { Finding } from '../catalog/types.js';
import { findingGovernance } from '../formats/findingGovernance.js';
import type { RunMetadata } from '../scan/scanResult.js';

/** A row of the findings table (ArcDataCompliance_CL); column names as the table declares them. */
export interface FindingLogRow {
  TimeGenerated: string;
  RunId: string;
  ScopeKey: string;
  ClusterId: string;
  ClusterName: string;
  Kind: string;
  SubscriptionId: string;
  ResourceGroup: string;
  ControlId: string;
  ControlTitle: string;
  Status: string;
  EffectiveStatus: string;
  Severity: string;
  Reason: string;
  Frameworks: string[];
  ExceptionId: string;
  AttestationId: string;
}

/** The run summary row (ArcDataComplianceRuns_CL). */
export interface RunLogRow {
  TimeGenerated: string;
  RunId: string;
  ScopeKey: string;
  Source: string;
  Complete: boolean;
  StartedAt: string;
  FinishedAt: string;
  ClusterCount: number;
  FindingCount: number;
  Pass: number;
  Fail: number;
  Manual: number;
  NotApplicable: number;
  Error: number;
  Excepted: number;
  Score: number;
  EffectiveScore: number;
}

/** Log Analytics keeps at most 32 KB in a string column; reasons are one sentence, but be safe. */
const MAX_TEXT = 4000;
const cap = (text: string): string => (text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text);

export function findingLogRow(
  finding: Finding,
  run: Pick<RunMetadata, 'id' | 'finishedAt'>,
  scopeKey: string,
): FindingLogRow {
  const governance = findingGovernance(finding);
  return {
    TimeGenerated: run.finishedAt,
    RunId: run.id,
    ScopeKey: scopeKey,
    ClusterId: finding.clusterId,
    ClusterName: finding.clusterName,
    Kind: finding.clusterKind,
    SubscriptionId: finding.subscriptionId,
    ResourceGroup: finding.resourceGroup,
    ControlId: finding.controlId,
    ControlTitle: finding.controlTitle,
    Status: finding.status,
    EffectiveStatus: governance.effectiveStatus,
    Severity: finding.severity,
    Reason: cap(finding.reason),
    Frameworks: finding.benchmarks.map((benchmark) => `${benchmark.framework} ${benchmark.id}`),
    ExceptionId: governance.exception?.id ?? '',
    AttestationId: governance.attestation?.id ?? '',
  };
}

const number = (value: unknown, fallback: number): number =>
  typeof value === 'number' && Number.isFinite(value) ? value : fallback;

export function runLogRow(
  run: RunMetadata,
  scopeKey: string,
  findingCount: number,
  excepted: number,
): RunLogRow {
  const effective = run as RunMetadata & { effectiveScore?: unknown };
  return {
    TimeGenerated: run.finishedAt,
    RunId: run.id,
    ScopeKey: scopeKey,
    Source: run.source,
    Complete: run.complete,
    StartedAt: run.startedAt,
    FinishedAt: run.finishedAt,
    ClusterCount: run.clusterCount,
    FindingCount: findingCount,
    Pass: run.counts.PASS,
    Fail: run.counts.FAIL,
    Manual: run.counts.MANUAL,
    NotApplicable: run.counts.NOT_APPLICABLE,
    Error: run.counts.ERROR,
    Excepted: excepted,
    Score: run.score,
    EffectiveScore: number(effective.effectiveScore, run.score),
  };
}
