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
  etag?: string;
};

function entry(state: string, status: string): LedgerEntry | undefined {
  return state === 'open' || state === 'resolved' ? { state, status: status as Status } : undefined;
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
      row.runId === runId ? entry(row.beforeState, row.beforeStatus) : entry(row.state, row.status);
    if (value) ledger.set(row.dedupeKey, value);
  }
  return ledger;
}

const MAX_ATTEMPTS = 6;

/**
 * Records the finding events of a run in the ledger (open, or resolved), guarded by ETags and
 * never moving a key back to an older run. Idempotent per run. Returns the rows written.
 */
export async function recordFindingLedger(
  store: NotificationStore,
  events: readonly NotificationEvent[],
): Promise<number> {
  const latest = new Map<string, FindingEvent>();
  for (const event of events) {
    if (!isFindingEvent(event)) continue;
    const known = latest.get(event.data.dedupeKey);
    if (!known || known.data.run.asOf <= event.data.run.asOf) latest.set(event.data.dedupeKey, event);
  }
  if (latest.size === 0) return 0;
  const table = store.tables.tickets;
  for (let attempt = 1; ; attempt++) {
    const existing = await readPartition(table);
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
      };
      actions.push(previous ? ['update', entity, 'Replace', { etag: previous.etag }] : ['create', entity]);
    }
    try {
      for (let i = 0; i < actions.length; i += 100) await table.submitTransaction(actions.slice(i, i + 100));
      return actions.length;
    } catch (error) {
      if (!isConflict(error) || attempt >= MAX_ATTEMPTS) throw error;
    }
  }
}
