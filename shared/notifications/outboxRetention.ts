import { odata } from '@azure/data-tables';

import { deleteInBatches } from '../storage/batchWriter.js';
import type { NotificationStore } from './notificationStore.js';

/** What one pruning pass did. */
export interface OutboxPruneOutcome {
  deleted: number;
  /** True when the pass stopped at its limit: more expired entries may remain for the next one. */
  more: boolean;
}

/** Entries a pass deletes at most (bounded work per timer tick). */
export const DEFAULT_PRUNE_LIMIT = 1000;

/**
 * Deletes outbox entries delivered more than `retentionDays` before `now`, in batch transactions
 * of up to 100 per destination, at most `limit` per call. Pending and dead entries are kept (dead
 * letters stay until an operator re-queues them); an entry deleted meanwhile is no error.
 */
export async function pruneDeliveredOutbox(
  store: NotificationStore,
  options: { retentionDays: number; now: Date; limit?: number },
): Promise<OutboxPruneOutcome> {
  if (!Number.isFinite(options.retentionDays) || options.retentionDays < 0)
    throw new RangeError(`outbox retention must be a number of days ≥ 0, not ${options.retentionDays}`);
  const limit = options.limit ?? DEFAULT_PRUNE_LIMIT;
  const cutoff = new Date(options.now.getTime() - options.retentionDays * 86_400_000).toISOString();
  const keys: Array<{ partitionKey: string; rowKey: string }> = [];
  let more = false;
  for await (const entity of store.tables.outbox.listEntities({
    queryOptions: {
      filter: odata`status eq ${'delivered'} and deliveredAt lt ${cutoff} and deliveredAt ne ${''}`,
      select: ['PartitionKey', 'RowKey'],
    },
  })) {
    if (keys.length >= limit) {
      more = true;
      break;
    }
    keys.push({ partitionKey: entity.partitionKey ?? '', rowKey: entity.rowKey ?? '' });
  }
  const deleted = keys.length === 0 ? 0 : await deleteInBatches(store.tables.outbox, keys, 2);
  return { deleted, more };
}
