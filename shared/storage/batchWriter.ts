import type { TableClient, TableEntity, TransactionAction } from '@azure/data-tables';

import { mapWithConcurrency } from '../collection/boundedConcurrency.js';
import { assertEntityFits, estimateEntityBytes } from './propertyCodec.js';

export interface WriteCounters {
  entities: number;
  batches: number;
  /** Batches that carried the full 100 entities. */
  fullBatches: number;
  /** Entities that went out in full 100-entity batches. */
  entitiesInFullBatches: number;
}

export function emptyWriteCounters(): WriteCounters {
  return { entities: 0, batches: 0, fullBatches: 0, entitiesInFullBatches: 0 };
}

const MAX_BATCH_ENTITIES = 100;
/** Batch payloads are limited to 4 MiB; leave room for the multipart framing. */
const MAX_BATCH_BYTES = 3.5 * 1024 * 1024;

type Entity = TableEntity<Record<string, unknown>>;

/** Splits one partition's entities into transactions of ≤ 100 entities and ≤ 3.5 MiB. */
export function planBatches(entities: readonly Entity[]): Entity[][] {
  const batches: Entity[][] = [];
  let current: Entity[] = [];
  let bytes = 0;
  for (const entity of entities) {
    assertEntityFits(entity);
    const size = estimateEntityBytes(entity);
    if (current.length === MAX_BATCH_ENTITIES || (current.length > 0 && bytes + size > MAX_BATCH_BYTES)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(entity);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/**
 * Upserts (replace) entities in batch transactions, grouped by partition, with at most
 * `concurrency` transactions in flight. Idempotent: writing the same entities again converges.
 */
export async function upsertInBatches(
  table: TableClient,
  entities: readonly Entity[],
  counters: WriteCounters,
  concurrency = 4,
): Promise<void> {
  const byPartition = new Map<string, Entity[]>();
  for (const entity of entities) {
    const list = byPartition.get(entity.partitionKey);
    if (list) list.push(entity);
    else byPartition.set(entity.partitionKey, [entity]);
  }
  const batches = [...byPartition.values()].flatMap(planBatches);
  await mapWithConcurrency(batches, concurrency, async (batch) => {
    const actions: TransactionAction[] = batch.map((entity) => ['upsert', entity, 'Replace']);
    await table.submitTransaction(actions);
    counters.entities += batch.length;
    counters.batches++;
    if (batch.length === MAX_BATCH_ENTITIES) {
      counters.fullBatches++;
      counters.entitiesInFullBatches += batch.length;
    }
  });
}

/** Deletes entities (by key) in batch transactions grouped by partition; missing ones are fine. */
export async function deleteInBatches(
  table: TableClient,
  keys: ReadonlyArray<{ partitionKey: string; rowKey: string }>,
  concurrency = 4,
): Promise<number> {
  const byPartition = new Map<string, Array<{ partitionKey: string; rowKey: string }>>();
  for (const key of keys)
    byPartition.set(key.partitionKey, [...(byPartition.get(key.partitionKey) ?? []), key]);
  const batches = [...byPartition.values()].flatMap((list) => {
    const chunks: Array<typeof list> = [];
    for (let i = 0; i < list.length; i += MAX_BATCH_ENTITIES)
      chunks.push(list.slice(i, i + MAX_BATCH_ENTITIES));
    return chunks;
  });
  let deleted = 0;
  await mapWithConcurrency(batches, concurrency, async (batch) => {
    try {
      await table.submitTransaction(batch.map((key) => ['delete', key]));
      deleted += batch.length;
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode !== 404) throw error;
      // One entity was already gone, which fails the whole transaction: delete one by one.
      for (const key of batch) {
        await table.deleteEntity(key.partitionKey, key.rowKey).then(
          () => deleted++,
          (inner: { statusCode?: number }) => {
            if (inner.statusCode !== 404) throw inner;
          },
        );
      }
    }
  });
  return deleted;
}
