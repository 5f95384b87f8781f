import type { TableEntity } from '@azure/data-tables';

import { STATUSES, type StatusCounts } from '../catalog/types.js';
import type { RunMetadata } from '../scan/scanResult.js';
import type { LargeValueStore } from './historyStore.js';
import { decodeLargeText, encodeLargeText } from './largeText.js';
import { RUN_PARTITION, runRowKey } from './runKeys.js';
import type { ChangeCounts } from '../runCalculations/runChanges.js';

export const RUN_STATUSES = ['running', 'complete', 'partial', 'failed'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** A run as kept in the runs table. */
export interface RunRecord {
  runId: string;
  status: RunStatus;
  scopeKey: string;
  metadata: RunMetadata;
  findingsCount: number;
  findingsWritten: number;
  previousRunId: string | null;
  changeCounts: ChangeCounts | null;
  findingsJsonSha256: string | null;
  error: string | null;
  updatedAt: string;
  etag?: string;
}

type Entity = TableEntity<Record<string, unknown>>;

export async function toRunEntity(record: RunRecord, store: LargeValueStore): Promise<Entity> {
  const counts = Object.fromEntries(
    STATUSES.map((status) => [`count_${status}`, record.metadata.counts[status]]),
  );
  return {
    partitionKey: RUN_PARTITION,
    rowKey: runRowKey(record.runId),
    runId: record.runId,
    status: record.status,
    scopeKey: record.scopeKey,
    startedAt: record.metadata.startedAt,
    finishedAt: record.metadata.finishedAt,
    asOf: record.metadata.asOf,
    source: record.metadata.source,
    complete: record.metadata.complete,
    clusterCount: record.metadata.clusterCount,
    score: record.metadata.score,
    ...counts,
    findingsCount: record.findingsCount,
    findingsWritten: record.findingsWritten,
    previousRunId: record.previousRunId ?? '',
    changeCounts: record.changeCounts ? JSON.stringify(record.changeCounts) : '',
    findingsJsonSha256: record.findingsJsonSha256 ?? '',
    error: (record.error ?? '').slice(0, 8000),
    updatedAt: record.updatedAt,
    ...(await encodeLargeText(
      'metadata',
      JSON.stringify(record.metadata),
      `runs/${record.runId}/metadata`,
      store,
    )),
  };
}

export async function fromRunEntity(
  entity: Record<string, unknown>,
  store: LargeValueStore,
): Promise<RunRecord> {
  const metadata = JSON.parse((await decodeLargeText(entity, 'metadata', store)) ?? '{}') as RunMetadata;
  const counts = Object.fromEntries(
    STATUSES.map((status) => [status, Number(entity[`count_${status}`] ?? 0)]),
  ) as StatusCounts;
  metadata.counts = counts;
  const text = (key: string): string | null =>
    typeof entity[key] === 'string' && entity[key] !== '' ? String(entity[key]) : null;
  const changeCounts = text('changeCounts');
  return {
    runId: String(entity.runId),
    status: String(entity.status) as RunStatus,
    scopeKey: String(entity.scopeKey ?? ''),
    metadata,
    findingsCount: Number(entity.findingsCount ?? 0),
    findingsWritten: Number(entity.findingsWritten ?? 0),
    previousRunId: text('previousRunId'),
    changeCounts: changeCounts ? (JSON.parse(changeCounts) as ChangeCounts) : null,
    findingsJsonSha256: text('findingsJsonSha256'),
    error: text('error'),
    updatedAt: String(entity.updatedAt ?? ''),
    ...(typeof entity.etag === 'string' ? { etag: entity.etag } : {}),
  };
}
