import { randomBytes } from 'node:crypto';

import { createHistoryStore, TABLE_NAMES, type HistoryStore } from '../../shared/storage/historyStore.js';
import { parseStorageSettings } from '../../shared/storage/storageSettings.js';

/** A history store on the test Azurite with tables of its own (a random prefix), created. */
export async function freshStore(): Promise<HistoryStore> {
  const connectionString = process.env.STORAGE_TEST_CONNECTION;
  if (!connectionString)
    throw new Error('STORAGE_TEST_CONNECTION is not set: the test global setup starts Azurite');
  const settings = parseStorageSettings({
    STORAGE_CONNECTION: connectionString,
    STORAGE_TABLE_PREFIX: `t${randomBytes(5).toString('hex')}`,
  });
  if (!settings) throw new Error('no storage settings');
  const store = createHistoryStore(settings);
  await store.ensure();
  return store;
}

/** Counts entities in every table of a store. */
export async function countEntities(store: HistoryStore): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const name of TABLE_NAMES) {
    let n = 0;
    for await (const entity of store.tables[name].listEntities({ queryOptions: { select: ['RowKey'] } }))
      if (entity) n++;
    counts[name] = n;
  }
  return counts;
}
