import { odata, type TableClient } from '@azure/data-tables';

import type { CollectionGap } from '../inventory/inventory.js';
import { isConflict, isNotFound } from '../storage/storageErrors.js';

/**
 * A run's stage: its batches are read (`collecting`); one invocation merges what they read into the
 * run's facts and queues their evaluations (`preparing`); the batches are evaluated (`evaluating`);
 * one invocation stores and publishes the run (`finalizing`); done (`finalized`).
 */
export type CoordinatorStatus = 'collecting' | 'preparing' | 'evaluating' | 'finalizing' | 'finalized';
/** A batch is read (`done`), then evaluated; `failed` at either step, it is not read or not judged. */
export type BatchStatus = 'pending' | 'done' | 'evaluated' | 'failed';

const COORDINATOR_STATUSES: readonly string[] = [
  'collecting',
  'preparing',
  'evaluating',
  'finalizing',
  'finalized',
] satisfies CoordinatorStatus[];

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
  etag: string;
}

/** A claim on a run's coordinator row: the row as claimed, and its ETag after the claim. */
export interface RunClaim extends RunCoordinator {
  claimEtag: string;
}

const COORDINATOR_ROW = 'run';
const batchRow = (index: number): string => `batch|${String(index).padStart(6, '0')}`;

/**
 * Tracks a fanned-out run in one table partition (the run ID): a coordinator row and one row per
 * subscription batch. A batch's outcomes are idempotent updates conditional on its row's ETag; the
 * run's preparation and its finalization are each claimed with the coordinator row's ETag, so that
 * two batches finishing together cannot both — or neither — take the next step.
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
    if (!Number.isSafeInteger(index) || index < 0) return undefined;
    try {
      return batchOf(runId, await this.table.getEntity<Record<string, unknown>>(runId, batchRow(index)));
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /**
   * Records a batch's read: only a pending batch changes, so a late failure does not undo a read and
   * a late read does not revive a batch already failed (the run may have moved on without it).
   */
  async complete(
    runId: string,
    index: number,
    outcome: { status: 'done'; blobName: string } | { status: 'failed'; reason: string },
  ): Promise<void> {
    await this.transition(runId, index, 'pending', {
      status: outcome.status,
      reason: outcome.status === 'failed' ? outcome.reason.slice(0, 8000) : '',
      blobName: outcome.status === 'done' ? outcome.blobName : '',
    });
  }

  /**
   * Records a batch's evaluation: only a batch read and not yet evaluated changes, so an evaluation
   * delivered twice counts once and a late failure does not undo an evaluation.
   */
  async completeEvaluation(
    runId: string,
    index: number,
    outcome: { status: 'evaluated' } | { status: 'failed'; reason: string },
  ): Promise<void> {
    await this.transition(runId, index, 'done', {
      status: outcome.status,
      ...(outcome.status === 'failed' ? { reason: outcome.reason.slice(0, 8000) } : {}),
    });
  }

  /** Moves a batch from `from` to a new state, conditional on the row read; a row moved on meanwhile stays. */
  private async transition(
    runId: string,
    index: number,
    from: BatchStatus,
    fields: Record<string, string>,
  ): Promise<void> {
    for (;;) {
      const current = await this.batch(runId, index);
      if (current?.status !== from) return;
      try {
        await this.table.updateEntity({ partitionKey: runId, rowKey: batchRow(index), ...fields }, 'Merge', {
          etag: current.etag,
        });
        return;
      } catch (error) {
        // Another invocation changed the row first: read it again and decide afresh.
        if (!isConflict(error)) throw error;
      }
    }
  }

  /**
   * Claims the preparation of a run whose batches are all read (done or failed): merging what they
   * read and queueing their evaluations. Exactly one caller gets the claim (the update is
   * conditional on the ETag read); a claim older than `staleClaimAfterMs` is taken over. A row whose
   * status cannot be read counts as still collecting, so a damaged run is still prepared.
   */
  async claimPreparation(runId: string, now: Date, staleClaimAfterMs: number): Promise<RunClaim | undefined> {
    const coordinator = await this.read(runId);
    if (!coordinator) return undefined;
    const { status } = coordinator;
    const claimable =
      status === 'collecting' ||
      !COORDINATOR_STATUSES.includes(status) ||
      (status === 'preparing' && olderThan(coordinator.statusSince, now, staleClaimAfterMs));
    if (!claimable || (await this.batches(runId)).some((batch) => batch.status === 'pending'))
      return undefined;
    return this.claim(coordinator, 'preparing', now);
  }

  /** Ends a preparation claim: the run's evaluations are queued. False when the claim was taken over. */
  async markEvaluating(claim: RunClaim, now: Date): Promise<boolean> {
    try {
      await this.table.updateEntity(
        {
          partitionKey: claim.runId,
          rowKey: COORDINATOR_ROW,
          status: 'evaluating',
          statusSince: now.toISOString(),
        },
        'Merge',
        { etag: claim.claimEtag },
      );
      return true;
    } catch (error) {
      if (isConflict(error)) return false;
      throw error;
    }
  }

  /**
   * Claims the finalization of a run whose batches are all evaluated or failed (or of a stale
   * claim). Exactly one caller gets the claim: the update is conditional on the ETag read.
   */
  async claimFinalization(
    runId: string,
    now: Date,
    staleClaimAfterMs: number,
  ): Promise<RunClaim | undefined> {
    const coordinator = await this.read(runId);
    if (!coordinator) return undefined;
    if (coordinator.status === 'finalizing') {
      if (!olderThan(coordinator.statusSince, now, staleClaimAfterMs)) return undefined;
    } else if (
      coordinator.status !== 'evaluating' ||
      (await this.batches(runId)).some((batch) => batch.status === 'pending' || batch.status === 'done')
    ) {
      return undefined;
    }
    return this.claim(coordinator, 'finalizing', now);
  }

  private async claim(
    coordinator: RunCoordinator,
    status: 'preparing' | 'finalizing',
    now: Date,
  ): Promise<RunClaim | undefined> {
    try {
      const response = await this.table.updateEntity(
        {
          partitionKey: coordinator.runId,
          rowKey: COORDINATOR_ROW,
          status,
          statusSince: now.toISOString(),
        },
        'Merge',
        { etag: coordinator.etag },
      );
      return { ...coordinator, status, statusSince: now.toISOString(), claimEtag: response.etag ?? '' };
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 412) return undefined;
      throw error;
    }
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
  const base = {
    runId,
    index: Number(entity.index),
    blobName: String(entity.blobName ?? ''),
    etag: String(entity.etag ?? ''),
  };
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
