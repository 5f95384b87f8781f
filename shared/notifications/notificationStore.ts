import { TableClient, type TableServiceClientOptions } from '@azure/data-tables';
import { DefaultAzureCredential } from '@azure/identity';

import { StorageUnavailableError } from '../storage/historyStore.js';
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

function isLoopbackHttp(connectionString: string): boolean {
  return (
    /Endpoint=http:\/\/(127\.0\.0\.1|localhost|\[::1\])/i.test(connectionString) ||
    /UseDevelopmentStorage=true/i.test(connectionString)
  );
}

/** Builds the table clients from the same storage settings as the run history. */
export function createNotificationStore(settings: StorageSettings): NotificationStore {
  const options: TableServiceClientOptions = {
    retryOptions: { maxRetries: 4, retryDelayInMs: 500, maxRetryDelayInMs: 8000 },
  };
  const { target } = settings;
  let client: (table: string) => TableClient;
  if (target.kind === 'connectionString') {
    const allowInsecureConnection = isLoopbackHttp(target.connectionString);
    client = (table) =>
      TableClient.fromConnectionString(target.connectionString, table, {
        ...options,
        allowInsecureConnection,
      });
  } else {
    const credential = new DefaultAzureCredential(
      target.managedIdentityClientId ? { managedIdentityClientId: target.managedIdentityClientId } : {},
    );
    client = (table) => new TableClient(target.tableUrl, table, credential, options);
  }
  const tables = Object.fromEntries(
    NOTIFICATION_TABLES.map((name) => [name, client(`${settings.tablePrefix}${name}`)]),
  ) as Record<NotificationTable, TableClient>;
  return {
    tables,
    async ensure() {
      try {
        await Promise.all(Object.values(tables).map((table) => table.createTable()));
      } catch (error) {
        const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
        throw new StorageUnavailableError(`storage is not reachable (${message})`);
      }
    },
  };
}

/** True for the status codes of an ETag or existence conflict. */
export function isConflict(error: unknown): boolean {
  const status = (error as { statusCode?: number }).statusCode;
  return status === 409 || status === 412;
}

/** True when a table operation found nothing. */
export function isNotFound(error: unknown): boolean {
  return (error as { statusCode?: number }).statusCode === 404;
}
