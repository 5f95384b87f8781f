import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';

import type { Status } from '../catalog/types.js';
import { encodeKey } from '../storage/tableKeys.js';
import { isFindingEvent, type FindingEvent, type NotificationEvent } from './events.js';
import { isConflict, type NotificationStore } from './notificationStore.js';
import type { LedgerEntry } from './planEvents.js';

/** The ledger's partition in the tickets table (no destination name can start with `~`). */
export const LEDGER_PARTITION = '~ledger';

type LedgerEntity = {
  partitionKey: string;
  rowKey: string;
  dedupeKey: string;
  clusterId: string;
  controlId: string;
  state: string;
  status: string;
  runId: string;
  asOf: string;
  /** The state before `runId` wrote this row, so planning that run again gives the same events. */
  beforeState: string;
  beforeStatus: string;
  /** What a closing event needs when the cluster is gone from the inventory. */
  clusterName?: string;
  clusterKind?: string;
  subscriptionId?: string;
  /** The scope of the run that last saw the cluster (or wrote the row): absences count there only. */
  scopeKey?: string;
  /** Consecutive complete runs of `scopeKey` without the cluster, counted up to run `absentRunId`. */
  absentRuns?: number;
  absentRunId?: string;
  etag?: string;
};

function entry(row: LedgerEntity, state: string, status: string): LedgerEntry | undefined {
  if (state !== 'open' && state !== 'resolved') return undefined;
  return {
    state,
    status: status as Status,
    clusterId: row.clusterId,
    controlId: row.controlId,
    clusterName: row.clusterName ?? '',
    clusterKind: row.clusterKind ?? '',
    subscriptionId: row.subscriptionId ?? '',
    absentRuns: typeof row.absentRuns === 'number' ? row.absentRuns : 0,
  };
}

async function readPartition(table: TableClient): Promise<Map<string, LedgerEntity>> {
  const rows = new Map<string, LedgerEntity>();
  for await (const entity of table.listEntities<LedgerEntity>({
    queryOptions: { filter: odata`PartitionKey eq ${LEDGER_PARTITION}` },
  }))
    rows.set(entity.rowKey ?? '', entity as LedgerEntity);
  return rows;
}

/**
 * What was notified for each cluster and control before run `runId`: the input `planEvents`
 * needs to tell a reopening from a first opening. Reading it again for the same run (a retry)
 * gives the same answer even after that run's events were recorded.
 */
export async function readFindingLedger(
  store: NotificationStore,
  runId: string,
): Promise<Map<string, LedgerEntry>> {
  const ledger = new Map<string, LedgerEntry>();
  for (const row of (await readPartition(store.tables.tickets)).values()) {
    const value =
      row.runId === runId ? entry(row, row.beforeState, row.beforeStatus) : entry(row, row.state, row.status);
    if (value) ledger.set(row.dedupeKey, value);
  }
  return ledger;
}

const MAX_ATTEMPTS = 6;

/** Submits actions in transactions of 100, re-running `plan` on an ETag conflict. */
async function writeGuarded(
  table: TableClient,
  plan: (existing: Map<string, LedgerEntity>) => TransactionAction[],
): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    const actions = plan(await readPartition(table));
    try {
      for (let i = 0; i < actions.length; i += 100) await table.submitTransaction(actions.slice(i, i + 100));
      return actions.length;
    } catch (error) {
      if (!isConflict(error) || attempt >= MAX_ATTEMPTS) throw error;
    }
  }
}

/**
 * Records the finding events of a run in the ledger (open, or resolved), guarded by ETags and
 * never moving a key back to an older run. Idempotent per run. `scopeKey` (the run's scope) is
 * stamped on the rows written. Returns the rows written.
 */
export async function recordFindingLedger(
  store: NotificationStore,
  events: readonly NotificationEvent[],
  scopeKey?: string,
): Promise<number> {
  const latest = new Map<string, FindingEvent>();
  for (const event of events) {
    if (!isFindingEvent(event)) continue;
    const known = latest.get(event.data.dedupeKey);
    if (!known || known.data.run.asOf <= event.data.run.asOf) latest.set(event.data.dedupeKey, event);
  }
  if (latest.size === 0) return 0;
  return writeGuarded(store.tables.tickets, (existing) => {
    const actions: TransactionAction[] = [];
    for (const event of latest.values()) {
      const { data } = event;
      const rowKey = `${encodeKey(data.clusterId)}|${data.controlId}`;
      const previous = existing.get(rowKey);
      if (previous && (previous.runId === data.run.id || previous.asOf > data.run.asOf)) continue;
      const entity: LedgerEntity = {
        partitionKey: LEDGER_PARTITION,
        rowKey,
        dedupeKey: data.dedupeKey,
        clusterId: data.clusterId,
        controlId: data.controlId,
        state: event.type === 'finding.resolved' ? 'resolved' : 'open',
        status: data.status,
        runId: data.run.id,
        asOf: data.run.asOf,
        beforeState: previous?.state ?? '',
        beforeStatus: previous?.status ?? '',
        clusterName: data.clusterName,
        clusterKind: data.clusterKind,
        subscriptionId: data.subscriptionId,
        scopeKey: scopeKey ?? previous?.scopeKey ?? '',
        absentRuns: previous?.absentRuns ?? 0,
        absentRunId: previous?.absentRunId ?? '',
      };
      actions.push(previous ? ['update', entity, 'Replace', { etag: previous.etag }] : ['create', entity]);
    }
    return actions;
  });
}

/** The run whose inventory is compared with the ledger. */
export interface PresenceRun {
  id: string;
  complete: boolean;
  scopeKey: string;
  /** Lower-case IDs of every cluster in the run. */
  clusterIds: ReadonlySet<string>;
}

/**
 * Counts, per ledger row, the consecutive complete runs of its scope the cluster was missing
 * from: a cluster in the run is stamped with the run's scope and its count reset (any run); an
 * open row of this scope whose cluster is missing counts this run, once (a complete run only; a
 * partial run may simply not have read it). Idempotent per run. Returns the rows changed.
 */
export async function recordPresence(store: NotificationStore, run: PresenceRun): Promise<number> {
  return writeGuarded(store.tables.tickets, (existing) => {
    const actions: TransactionAction[] = [];
    for (const row of existing.values()) {
      const absent = typeof row.absentRuns === 'number' ? row.absentRuns : 0;
      let change: Partial<LedgerEntity> | undefined;
      if (
        run.clusterIds.has(
          String(row.clusterId ?? '')
            .trim()
            .toLowerCase(),
        )
      ) {
        if (row.scopeKey !== run.scopeKey || absent !== 0 || row.absentRunId)
          change = { scopeKey: run.scopeKey, absentRuns: 0, absentRunId: '' };
      } else if (
        run.complete &&
        row.state === 'open' &&
        row.scopeKey === run.scopeKey &&
        row.absentRunId !== run.id
      ) {
        change = { absentRuns: absent + 1, absentRunId: run.id };
      }
      if (change)
        actions.push([
          'update',
          { partitionKey: LEDGER_PARTITION, rowKey: row.rowKey, ...change },
          'Merge',
          { etag: row.etag },
        ]);
    }
    return actions;
  });
}
