import { odata } from '@azure/data-tables';

import type { ClusterKind, ControlId, Severity, Status } from '../catalog/types.js';
import { FINDING_FIELDS, type FindingFields } from '../runCalculations/runChanges.js';
import type { HistoryStore } from './historyStore.js';
import { fromRunEntity, type RunRecord } from './runRecord.js';
import { findingPartition, RUN_PARTITION, runRowKey } from './runKeys.js';
import { isNotFound } from './storageErrors.js';

/** The fields of a stored finding needed to compare runs, without evidence. */
export interface FindingSummary extends FindingFields {
  firstSeenFailing: string | undefined;
  /** The verdict after governance and the record applied (absent before governance existed). */
  effectiveStatus?: string;
  governance?: { exceptionId?: string; attestationId?: string };
}

/** Read from storage: the finding fields except the long texts (title and reason read back empty). */
const SUMMARY_FIELDS = [
  ...FINDING_FIELDS.filter((field) => field !== 'controlTitle' && field !== 'reason'),
  'firstSeenFailing',
  'effectiveStatus',
  'governance',
];

function governanceOf(value: unknown): FindingSummary['governance'] {
  if (typeof value !== 'string') return undefined;
  try {
    const parsed = JSON.parse(value) as { exceptionId?: unknown; attestationId?: unknown };
    return {
      ...(typeof parsed.exceptionId === 'string' ? { exceptionId: parsed.exceptionId } : {}),
      ...(typeof parsed.attestationId === 'string' ? { attestationId: parsed.attestationId } : {}),
    };
  } catch {
    return undefined;
  }
}

/** Filter for every findings partition of a run (`{runId}|DS-xx`). */
export function runFindingsFilter(runId: string): string {
  return odata`PartitionKey ge ${`${runId}|`} and PartitionKey lt ${`${runId}|~`}`;
}

/** Streams a run's findings (of one control, when given) without their evidence (for changes and state). */
export async function* readFindingSummaries(
  store: HistoryStore,
  runId: string,
  controlId?: ControlId,
): AsyncGenerator<FindingSummary> {
  const filter =
    controlId === undefined
      ? runFindingsFilter(runId)
      : odata`PartitionKey eq ${findingPartition(runId, controlId)}`;
  for await (const entity of store.tables.findings.listEntities<Record<string, unknown>>({
    queryOptions: { filter, select: SUMMARY_FIELDS },
  })) {
    yield {
      clusterId: String(entity.clusterId),
      clusterName: String(entity.clusterName ?? ''),
      clusterKind: String(entity.clusterKind) as ClusterKind,
      subscriptionId: String(entity.subscriptionId ?? ''),
      controlId: String(entity.controlId) as ControlId,
      controlTitle: '',
      severity: String(entity.severity) as Severity,
      status: String(entity.status) as Status,
      reason: '',
      firstSeenFailing: typeof entity.firstSeenFailing === 'string' ? entity.firstSeenFailing : undefined,
      ...(typeof entity.effectiveStatus === 'string' ? { effectiveStatus: entity.effectiveStatus } : {}),
      ...(typeof entity.governance === 'string' ? { governance: governanceOf(entity.governance) } : {}),
    };
  }
}

/** A run by ID, or undefined. */
export async function readRun(store: HistoryStore, runId: string): Promise<RunRecord | undefined> {
  try {
    const entity = await store.tables.runs.getEntity<Record<string, unknown>>(
      RUN_PARTITION,
      runRowKey(runId),
    );
    return await fromRunEntity(entity, store.largeValues);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** The newest run of a scope that started before `runId` and completed (status complete). */
export async function readPreviousCompleteRun(
  store: HistoryStore,
  scopeKey: string,
  runId: string,
): Promise<RunRecord | undefined> {
  const filter = odata`PartitionKey eq ${RUN_PARTITION} and RowKey gt ${runRowKey(runId)} and scopeKey eq ${scopeKey} and status eq ${'complete'}`;
  for await (const entity of store.tables.runs.listEntities<Record<string, unknown>>({
    queryOptions: { filter },
  })) {
    return fromRunEntity(entity, store.largeValues);
  }
  return undefined;
}
