import { odata } from '@azure/data-tables';

import { deleteInBatches } from './batchWriter.js';
import { historyKeys } from './historyKeys.js';
import type { HistoryStore } from './historyStore.js';
import { RUN_PARTITION, runRowKey } from './runKeys.js';
import { runFindingsFilter } from './runReads.js';
import { encodeKey, newestFirst } from './tableKeys.js';

export interface RetentionOutcome {
  runsDeleted: string[];
  entitiesDeleted: number;
  blobsDeleted: number;
}

async function keysOf(
  table: HistoryStore['tables'][keyof HistoryStore['tables']],
  filter: string,
): Promise<Array<{ partitionKey: string; rowKey: string }>> {
  const keys: Array<{ partitionKey: string; rowKey: string }> = [];
  for await (const entity of table.listEntities({
    queryOptions: { filter, select: ['PartitionKey', 'RowKey'] },
  })) {
    keys.push({ partitionKey: entity.partitionKey ?? '', rowKey: entity.rowKey ?? '' });
  }
  return keys;
}

/**
 * Deletes runs that started more than `retentionDays` before `now`, oldest first: their findings,
 * clusters, history rows, scores and large values in batches, and the run record last, so an
 * interrupted clean-up resumes on the next call. The current state per cluster is kept.
 */
export async function deleteExpiredRuns(
  store: HistoryStore,
  retentionDays: number,
  now: Date,
): Promise<RetentionOutcome> {
  const cutoff = new Date(now.getTime() - retentionDays * 86_400_000);
  const outcome: RetentionOutcome = { runsDeleted: [], entitiesDeleted: 0, blobsDeleted: 0 };
  const expired: Array<{ runId: string; scopeKey: string; asOf: string }> = [];
  for await (const entity of store.tables.runs.listEntities<Record<string, unknown>>({
    queryOptions: { filter: odata`PartitionKey eq ${RUN_PARTITION} and RowKey gt ${newestFirst(cutoff)}` },
  })) {
    expired.push({
      runId: String(entity.runId),
      scopeKey: String(entity.scopeKey),
      asOf: String(entity.asOf),
    });
  }
  for (const run of expired.reverse()) {
    const clusters: Array<{ partitionKey: string; rowKey: string; id: string }> = [];
    for await (const entity of store.tables.clusters.listEntities<{ id: string }>({
      queryOptions: { filter: odata`PartitionKey eq ${run.runId}`, select: ['PartitionKey', 'RowKey', 'id'] },
    })) {
      clusters.push({ partitionKey: entity.partitionKey ?? '', rowKey: entity.rowKey ?? '', id: entity.id });
    }
    outcome.entitiesDeleted += await deleteInBatches(
      store.tables.history,
      clusters.map((cluster) => historyKeys(cluster.id, run.asOf, run.runId)),
    );
    outcome.entitiesDeleted += await deleteInBatches(
      store.tables.findings,
      await keysOf(store.tables.findings, runFindingsFilter(run.runId)),
    );
    outcome.entitiesDeleted += await deleteInBatches(
      store.tables.clusters,
      clusters.map(({ partitionKey, rowKey }) => ({ partitionKey, rowKey })),
    );
    const scorePartition = encodeKey(run.scopeKey);
    outcome.entitiesDeleted += await deleteInBatches(
      store.tables.scores,
      await keysOf(
        store.tables.scores,
        odata`PartitionKey ge ${`${scorePartition}|`} and PartitionKey lt ${`${scorePartition}|~`} and runId eq ${run.runId}`,
      ),
    );
    outcome.blobsDeleted += await store.largeValues.deletePrefix(`${run.runId}/`);
    outcome.blobsDeleted += await store.largeValues.deletePrefix(`runs/${run.runId}/`);
    await store.tables.runs
      .deleteEntity(RUN_PARTITION, runRowKey(run.runId))
      .catch((error: { statusCode?: number }) => {
        if (error.statusCode !== 404) throw error;
      });
    outcome.runsDeleted.push(run.runId);
  }
  return outcome;
}
