import { odata, type TableClient } from '@azure/data-tables';

import type { CollectionGap } from '../inventory/inventory.js';
import { isNotFound } from '../storage/storageErrors.js';

export type CoordinatorStatus = 'collecting' | 'finalizing' | 'finalized';
export type BatchStatus = 'pending' | 'done' | 'failed';

export interface RunCoordinator {
  runId: string;
  scopeKey: string;
  startedAt: string;
  asOf: string;
  totalBatches: number;
  status: CoordinatorStatus;
  /** When the current status was entered (a finalizing claim older than the timeout can be taken over). */
  statusSince: string;
  etag: string;
}

export interface BatchRecord {
  runId: string;
  index: number;
  subscriptionIds: string[];
  status: BatchStatus;
  reason: string;
  /** Blob holding the batch's collected rows and gaps, when done. */
  blobName: string;
}

const COORDINATOR_ROW = 'run';
const batchRow = (index: number): string => `batch|${String(index).padStart(6, '0')}`;

/**
 * Tracks a fanned-out run in one table partition (the run ID): a coordinator row and one row per
 * subscription batch. Completion is idempotent; finalization is claimed with an ETag so that two
 * batches finishing together cannot both — or neither — finalize the run.
 */
export class RunCoordinatorTable {
  constructor(private readonly table: TableClient) {}

  async create(
    run: Omit<RunCoordinator, 'etag' | 'status' | 'statusSince'>,
    batches: string[][],
    now: Date,
  ): Promise<void> {
    const actions = batches.map(
      (subscriptionIds, index) =>
        [
          'upsert',
          {
            partitionKey: run.runId,
            rowKey: batchRow(index),
            index,
            subscriptionIds: JSON.stringify(subscriptionIds),
            status: 'pending',
            reason: '',
            blobName: '',
          },
          'Replace',
        ] as const,
    );
    for (let i = 0; i < actions.length; i += 100)
      await this.table.submitTransaction(actions.slice(i, i + 100).map((a) => [...a]));
    await this.table.upsertEntity(
      {
        partitionKey: run.runId,
        rowKey: COORDINATOR_ROW,
        scopeKey: run.scopeKey,
        startedAt: run.startedAt,
        asOf: run.asOf,
        totalBatches: run.totalBatches,
        status: 'collecting',
        statusSince: now.toISOString(),
      },
      'Replace',
    );
  }

  async read(runId: string): Promise<RunCoordinator | undefined> {
    try {
      return coordinatorOf(await this.table.getEntity<Record<string, unknown>>(runId, COORDINATOR_ROW));
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async batches(runId: string): Promise<BatchRecord[]> {
    const records: BatchRecord[] = [];
    for await (const entity of this.table.listEntities<Record<string, unknown>>({
      queryOptions: {
        filter: odata`PartitionKey eq ${runId} and RowKey ge ${'batch|'} and RowKey lt ${'batch|~'}`,
      },
    })) {
      records.push(batchOf(runId, entity));
    }
    return records.sort((a, b) => a.index - b.index);
  }

  async batch(runId: string, index: number): Promise<BatchRecord | undefined> {
    return (await this.batches(runId)).find((batch) => batch.index === index);
  }

  /** Records a batch's outcome; a batch already done stays done (a late failure does not undo it). */
  async complete(
    runId: string,
    index: number,
    outcome: { status: 'done'; blobName: string } | { status: 'failed'; reason: string },
  ): Promise<void> {
    const current = await this.batch(runId, index);
    if (!current || current.status === 'done') return;
    await this.table.updateEntity(
      {
        partitionKey: runId,
        rowKey: batchRow(index),
        status: outcome.status,
        reason: outcome.status === 'failed' ? outcome.reason.slice(0, 8000) : '',
        blobName: outcome.status === 'done' ? outcome.blobName : '',
      },
      'Merge',
    );
  }

  /**
   * Claims the finalization of a run whose batches are all done or failed (or of a stale claim).
   * Exactly one caller gets true: the update is conditional on the ETag read.
   */
  async claimFinalization(
    runId: string,
    now: Date,
    staleClaimAfterMs: number,
  ): Promise<RunCoordinator | undefined> {
    const coordinator = await this.read(runId);
    if (!coordinator || coordinator.status === 'finalized') return undefined;
    if (coordinator.status === 'finalizing' && !olderThan(coordinator.statusSince, now, staleClaimAfterMs))
      return undefined;
    if (
      coordinator.status === 'collecting' &&
      (await this.batches(runId)).some((batch) => batch.status === 'pending')
    )
      return undefined;
    try {
      await this.table.updateEntity(
        {
          partitionKey: runId,
          rowKey: COORDINATOR_ROW,
          status: 'finalizing',
          statusSince: now.toISOString(),
        },
        'Merge',
        { etag: coordinator.etag },
      );
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 412) return undefined;
      throw error;
    }
    return { ...coordinator, status: 'finalizing' };
  }

  async markFinalized(runId: string, now: Date): Promise<void> {
    await this.table.updateEntity(
      { partitionKey: runId, rowKey: COORDINATOR_ROW, status: 'finalized', statusSince: now.toISOString() },
      'Merge',
    );
  }

  /**
   * Runs not finalized whose status is older than `olderThanMs`. Decided here rather than in the
   * table query: a row whose status or `statusSince` is missing, of another type or not a time would
   * never match a storage filter and so never be swept; here it counts as stale.
   */
  async stale(now: Date, olderThanMs: number): Promise<RunCoordinator[]> {
    const runs: RunCoordinator[] = [];
    for await (const entity of this.table.listEntities<Record<string, unknown>>({
      queryOptions: { filter: odata`RowKey eq ${COORDINATOR_ROW}` },
    })) {
      const run = coordinatorOf(entity);
      if (run.status === 'finalized') continue;
      if (olderThan(run.statusSince, now, olderThanMs)) runs.push(run);
    }
    return runs;
  }
}

/** How far after now a stored status time may lie (clock skew between workers) and still be read. */
const CLOCK_SKEW_MS = 24 * 3_600_000;

/**
 * Whether a status entered at `since` is older than `ms`. A time that cannot be read, or lies in
 * the future beyond clock skew, is damage: it counts as old, so the run is taken over, not stuck.
 */
function olderThan(since: string, now: Date, ms: number): boolean {
  const time = Date.parse(since);
  if (!Number.isFinite(time) || time > now.getTime() + CLOCK_SKEW_MS) return true;
  return now.getTime() - time >= ms;
}

/** An ISO time stamp as stored, or undefined when the field is missing or not a readable time. */
function storedTime(value: unknown): string | undefined {
  if (typeof value !== 'string' && !(value instanceof Date)) return undefined;
  const time = value instanceof Date ? value.getTime() : Date.parse(value);
  return Number.isFinite(time) ? new Date(time).toISOString() : undefined;
}

/** The start time a run ID carries (`20261127T224300Z-…`). */
function startOfRunId(runId: string): string | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z/.exec(runId);
  return match
    ? storedTime(`${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}:${match[6]}Z`)
    : undefined;
}

/**
 * A coordinator row as stored. Times that cannot be read fall back to the run's start (from its ID),
 * so a damaged row still lets the run be judged and finalized rather than failing every sweep.
 */
function coordinatorOf(entity: Record<string, unknown>): RunCoordinator {
  const runId = String(entity.partitionKey);
  const startedAt = storedTime(entity.startedAt) ?? startOfRunId(runId) ?? new Date(0).toISOString();
  return {
    runId,
    scopeKey: String(entity.scopeKey),
    startedAt,
    asOf: storedTime(entity.asOf) ?? startedAt,
    totalBatches: Number(entity.totalBatches),
    status: String(entity.status) as CoordinatorStatus,
    statusSince: storedTime(entity.statusSince) ?? '',
    etag: String(entity.etag),
  };
}

function subscriptionIdsOf(value: unknown): string[] | undefined {
  try {
    const parsed = JSON.parse(String(value)) as unknown;
    return Array.isArray(parsed) && parsed.every((id) => typeof id === 'string') ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** A batch row as stored; a row whose subscription list cannot be read counts as a failed batch. */
function batchOf(runId: string, entity: Record<string, unknown>): BatchRecord {
  const subscriptionIds = subscriptionIdsOf(entity.subscriptionIds);
  const base = { runId, index: Number(entity.index), blobName: String(entity.blobName ?? '') };
  if (!subscriptionIds)
    return { ...base, subscriptionIds: [], status: 'failed', reason: 'the batch row is unreadable' };
  return {
    ...base,
    subscriptionIds,
    status: String(entity.status) as BatchStatus,
    reason: String(entity.reason ?? ''),
  };
}

/** Gaps for every category of a batch that could not be read at all. */
export function gapsOfFailedBatch(batch: BatchRecord): CollectionGap[] {
  const categories = [
    'clusters',
    'azureLocal',
    'extensions',
    'fluxConfigurations',
    'backupInstances',
  ] as const;
  return batch.subscriptionIds.flatMap((subscriptionId) =>
    categories.map((category) => ({
      kind: 'scope' as const,
      subscriptionId,
      category,
      reason: batch.reason || 'the batch was not read',
    })),
  );
}
