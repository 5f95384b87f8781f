import type { TableClient } from '@azure/data-tables';

import { ensureTables, tableClientFactory } from '../storage/historyStore.js';
import type { StorageSettings } from '../storage/storageSettings.js';

/** The tables, named `{prefix}{name}`. */
export const NOTIFICATION_TABLES = ['outbox', 'tickets'] as const;
export type NotificationTable = (typeof NOTIFICATION_TABLES)[number];

/** The tables of the notification domain: `{prefix}outbox` and `{prefix}tickets`. */
export interface NotificationStore {
  tables: Record<NotificationTable, TableClient>;
  /** Creates missing tables; fails with a clear error when storage cannot be reached. */
  ensure(): Promise<void>;
}

/** Builds the table clients from the same storage settings as the run history. */
export function createNotificationStore(settings: StorageSettings): NotificationStore {
  const client = tableClientFactory(settings);
  const tables = Object.fromEntries(NOTIFICATION_TABLES.map((name) => [name, client(name)])) as Record<
    NotificationTable,
    TableClient
  >;
  return { tables, ensure: () => ensureTables(Object.values(tables)) };
}

export { isConflict, isNotFound } from '../storage/storageErrors.js';
