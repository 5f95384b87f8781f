import { EFFECTIVE_STATUSES, type EffectiveStatus } from '../governance/records.js';
import { odata, type TableClient } from '@azure/data-tables';

import { CONTROL_IDS, STATUSES, type ControlId, type Status } from '../catalog/types.js';
import { computeRunChanges, type RunChanges, type TrendPoint } from '../runCalculations/runChanges.js';
import type { ScoreDimension } from '../runCalculations/runScores.js';
import { isRunId } from '../scan/runId.js';
import type { ClusterRow } from '../scan/scanResult.js';
import { fromFindingEntity, type StoredFinding } from './findingEntity.js';
import { historyRange } from './historyKeys.js';
import type { HistoryStore } from './historyStore.js';
import { fromRunEntity, type RunRecord, type RunStatus } from './runRecord.js';
import { readFindingSummaries, readRun, runFindingsFilter, type FindingSummary } from './runReads.js';
import { findingPartition, RUN_PARTITION } from './runKeys.js';
import { encodeKey } from './tableKeys.js';

export interface Page<T> {
  items: T[];
  /** Pass back to get the next page; undefined on the last page. */
  continuationToken: string | undefined;
}

/** Raised for a filter value that cannot be valid (the API maps it to 400). */
export class InvalidQueryError extends Error {
  override readonly name = 'InvalidQueryError';
}

const PAGE_MAX = 1000;

/** A table continuation token must decode to a position; anything else would fail inside the SDK. */
function checkContinuationToken(token: string | undefined): void {
  if (token === undefined) return;
  let position: unknown;
  try {
    position = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as unknown;
  } catch {
    position = undefined;
  }
  if (typeof (position as { nextPartitionKey?: unknown } | undefined)?.nextPartitionKey !== 'string')
    throw new InvalidQueryError('continuationToken is not a token of this query');
}

/** One page of a query, decoded, with the token for the next. */
async function onePage<T>(
  table: TableClient,
  filter: string,
  paging: { maxPageSize?: number; continuationToken?: string },
  decode: (entity: Record<string, unknown>) => Promise<T>,
): Promise<Page<T>> {
  checkContinuationToken(paging.continuationToken);
  const pages = table
    .listEntities<Record<string, unknown>>({ queryOptions: { filter } })
    .byPage({ maxPageSize: pageSize(paging.maxPageSize), continuationToken: paging.continuationToken });
  for await (const page of pages) {
    return { items: await Promise.all(page.map(decode)), continuationToken: page.continuationToken };
  }
  return { items: [], continuationToken: undefined };
}

function pageSize(requested: number | undefined): number {
  return Math.min(PAGE_MAX, Math.max(1, Math.floor(requested ?? 100)));
}

/** Runs, newest first, optionally of one scope and status. */
export async function listRuns(
  store: HistoryStore,
  options: { scopeKey?: string; status?: RunStatus; maxPageSize?: number; continuationToken?: string } = {},
): Promise<Page<RunRecord>> {
  let filter = odata`PartitionKey eq ${RUN_PARTITION}`;
  if (options.scopeKey !== undefined) filter += ` and ${odata`scopeKey eq ${options.scopeKey}`}`;
  if (options.status !== undefined) filter += ` and ${odata`status eq ${options.status}`}`;
  return onePage(store.tables.runs, filter, options, (entity) => fromRunEntity(entity, store.largeValues));
}

export interface FindingFilter {
  status?: Status;
  /** The verdict after governance (EXCEPTED included). */
  effectiveStatus?: EffectiveStatus;
  controlId?: ControlId;
  subscriptionId?: string;
  clusterId?: string;
}

/** Validates filter values against their vocabularies before any query is built. */
export function validateFindingFilter(filter: FindingFilter): FindingFilter {
  if (filter.status !== undefined && !STATUSES.includes(filter.status)) {
    throw new InvalidQueryError(`status must be one of ${STATUSES.join(', ')}`);
  }
  if (filter.effectiveStatus !== undefined && !EFFECTIVE_STATUSES.includes(filter.effectiveStatus)) {
    throw new InvalidQueryError(`effectiveStatus must be one of ${EFFECTIVE_STATUSES.join(', ')}`);
  }
  if (filter.controlId !== undefined && !CONTROL_IDS.includes(filter.controlId)) {
    throw new InvalidQueryError(`control must be one of ${CONTROL_IDS.join(', ')}`);
  }
  if (filter.subscriptionId !== undefined && !/^[0-9a-f-]{1,64}$/i.test(filter.subscriptionId)) {
    throw new InvalidQueryError('subscription must be a subscription ID');
  }
  if (
    filter.clusterId !== undefined &&
    (filter.clusterId.length > 2000 || !filter.clusterId.startsWith('/subscriptions/'))
  ) {
    throw new InvalidQueryError('cluster must be a cluster resource ID');
  }
  return filter;
}

/** A run's findings, filtered and paged; every value goes through the SDK's odata escaping. */
export async function listRunFindings(
  store: HistoryStore,
  runId: string,
  filter: FindingFilter = {},
  paging: { maxPageSize?: number; continuationToken?: string } = {},
): Promise<Page<StoredFinding>> {
  if (!isRunId(runId)) throw new InvalidQueryError('not a run ID');
  validateFindingFilter(filter);
  const clauses = [
    filter.controlId !== undefined
      ? odata`PartitionKey eq ${findingPartition(runId, filter.controlId)}`
      : runFindingsFilter(runId),
  ];
  if (filter.status !== undefined) clauses.push(odata`status eq ${filter.status}`);
  if (filter.effectiveStatus !== undefined) clauses.push(odata`effectiveStatus eq ${filter.effectiveStatus}`);
  if (filter.subscriptionId !== undefined)
    clauses.push(odata`subscriptionKey eq ${filter.subscriptionId.toLowerCase()}`);
  if (filter.clusterId !== undefined) clauses.push(odata`RowKey eq ${encodeKey(filter.clusterId)}`);
  return onePage(store.tables.findings, clauses.join(' and '), paging, (entity) =>
    fromFindingEntity(entity, store.largeValues),
  );
}

/** Every finding of a run (evidence included), in partition order. */
export async function* readRunFindings(store: HistoryStore, runId: string): AsyncGenerator<StoredFinding> {
  for await (const entity of store.tables.findings.listEntities<Record<string, unknown>>({
    queryOptions: { filter: runFindingsFilter(runId) },
  })) {
    yield fromFindingEntity(entity, store.largeValues);
  }
}

export interface ClusterHistoryEntry {
  runId: string;
  asOf: string;
  scopeKey: string;
  statuses: Partial<Record<ControlId, Status>>;
}

/** One cluster's verdicts run by run, newest first. */
export async function clusterHistory(
  store: HistoryStore,
  clusterId: string,
  options: { top?: number } = {},
): Promise<ClusterHistoryEntry[]> {
  validateFindingFilter({ clusterId });
  const top = pageSize(options.top);
  const entries: ClusterHistoryEntry[] = [];
  const { partitionKey, prefix } = historyRange(clusterId);
  for await (const entity of store.tables.history.listEntities<Record<string, unknown>>({
    queryOptions: {
      filter: odata`PartitionKey eq ${partitionKey} and RowKey ge ${prefix} and RowKey lt ${`${prefix}~`}`,
    },
  })) {
    const statuses: Partial<Record<ControlId, Status>> = {};
    for (const controlId of CONTROL_IDS) {
      const status = entity[`status_${controlId.replace('-', '_')}`];
      if (typeof status === 'string') statuses[controlId] = status as Status;
    }
    entries.push({
      runId: String(entity.runId),
      asOf: String(entity.asOf),
      scopeKey: String(entity.scopeKey),
      statuses,
    });
    if (entries.length >= top) break;
  }
  return entries;
}

/** What changed from one stored run to another (any two runs, not only consecutive ones). */
export async function changesBetween(
  store: HistoryStore,
  fromRunId: string,
  toRunId: string,
): Promise<RunChanges> {
  for (const runId of [fromRunId, toRunId]) {
    if (!isRunId(runId) || !(await readRun(store, runId)))
      throw new InvalidQueryError(`run ${runId} not found`);
  }
  const collect = async (runId: string): Promise<FindingSummary[]> => {
    const rows: FindingSummary[] = [];
    for await (const row of readFindingSummaries(store, runId)) rows.push(row);
    return rows;
  };
  const current: FindingSummary[] = [];
  for await (const finding of readRunFindings(store, toRunId))
    current.push({ ...finding, firstSeenFailing: finding.firstSeenFailing });
  return computeRunChanges(
    { runId: fromRunId, findings: await collect(fromRunId) },
    { runId: toRunId, findings: current },
  );
}

/** Scores of one dimension over the newest runs of a scope, oldest first (for trend charts). */
export async function readTrend(
  store: HistoryStore,
  scopeKey: string,
  options: { dimension?: ScoreDimension; key?: string; top?: number } = {},
): Promise<TrendPoint[]> {
  const dimension = options.dimension ?? 'overall';
  const key = encodeKey(options.key ?? 'all');
  const top = pageSize(options.top ?? 30);
  const points: TrendPoint[] = [];
  for await (const entity of store.tables.scores.listEntities<Record<string, unknown>>({
    queryOptions: { filter: odata`PartitionKey eq ${`${encodeKey(scopeKey)}|${dimension}`}` },
  })) {
    if (!String(entity.rowKey).endsWith(`|${key}`)) continue;
    const counts = Object.fromEntries(
      STATUSES.map((status) => [status, Number(entity[`count_${status}`] ?? 0)]),
    );
    points.push({
      runId: String(entity.runId),
      asOf: String(entity.asOf),
      score: Number(entity.score),
      counts,
    } as TrendPoint);
    if (points.length >= top) break;
  }
  return points.reverse();
}

/** The clusters of a stored run, page by page, in key order. */
export async function* streamRunClusters(store: HistoryStore, runId: string): AsyncGenerator<ClusterRow> {
  if (!isRunId(runId)) throw new InvalidQueryError('not a run ID');
  for await (const entity of store.tables.clusters.listEntities<Record<string, unknown>>({
    queryOptions: { filter: odata`PartitionKey eq ${runId}` },
  })) {
    const { partitionKey: _p, rowKey: _r, etag: _e, timestamp: _t, ...row } = entity;
    yield row as unknown as ClusterRow;
  }
}
