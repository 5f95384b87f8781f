import { Readable } from 'node:stream';

import { TableClient, type TableServiceClientOptions } from '@azure/data-tables';
import { DefaultAzureCredential } from '@azure/identity';
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';

import { isConflict } from './storageErrors.js';
import type { StorageSettings } from './storageSettings.js';

export const TABLE_NAMES = ['runs', 'findings', 'clusters', 'history', 'state', 'scores', 'batches'] as const;
export type TableName = (typeof TABLE_NAMES)[number];

/** Values too large for a table entity (e.g. a finding's evidence), stored whole as blobs. */
export interface LargeValueStore {
  put(name: string, text: string): Promise<void>;
  get(name: string): Promise<string>;
  deletePrefix(prefix: string): Promise<number>;
  /**
   * Writes a blob from pieces of text, uploaded as they come rather than joined first. With
   * `ifAbsent`, a blob already stored under the name is kept as it is (content-addressed names).
   */
  putStream(name: string, pieces: Iterable<string>, options?: { ifAbsent?: boolean }): Promise<void>;
  /** A blob's bytes as a stream, downloaded as they are read; a missing blob is a 404 error. */
  openRead(name: string): Promise<NodeJS.ReadableStream>;
}

/** Blocks of a streamed upload, and how many are uploaded at once. */
const UPLOAD_BLOCK_BYTES = 4 * 1024 * 1024;
const UPLOAD_CONCURRENCY = 2;

/** The tables and blob container that keep the run history. */
export interface HistoryStore {
  tables: Record<TableName, TableClient>;
  largeValues: LargeValueStore;
  /** Creates what is missing; fails with a clear error when storage cannot be reached. */
  ensure(): Promise<void>;
}

/** Raised when storage cannot be reached or keeps failing; the message names the operation. */
export class StorageUnavailableError extends Error {
  override readonly name = 'StorageUnavailableError';
}

export function isLoopbackHttp(connectionString: string): boolean {
  return (
    /Endpoint=http:\/\/(127\.0\.0\.1|localhost|\[::1\])/i.test(connectionString) ||
    /UseDevelopmentStorage=true/i.test(connectionString)
  );
}

function blobStore(container: ContainerClient): LargeValueStore {
  return {
    async put(name, text) {
      await container.getBlockBlobClient(name).upload(text, Buffer.byteLength(text), {
        blobHTTPHeaders: { blobContentType: 'application/json; charset=utf-8' },
      });
    },
    async get(name) {
      const buffer = await container.getBlockBlobClient(name).downloadToBuffer();
      return buffer.toString('utf8');
    },
    async putStream(name, pieces, options) {
      const body = Readable.from(
        (function* () {
          for (const piece of pieces) yield Buffer.from(piece, 'utf8');
        })(),
      );
      try {
        await container.getBlockBlobClient(name).uploadStream(body, UPLOAD_BLOCK_BYTES, UPLOAD_CONCURRENCY, {
          blobHTTPHeaders: { blobContentType: 'application/x-ndjson; charset=utf-8' },
          ...(options?.ifAbsent ? { conditions: { ifNoneMatch: '*' } } : {}),
        });
      } catch (error) {
        if (options?.ifAbsent && isConflict(error)) return;
        throw error;
      }
    },
    async openRead(name) {
      const response = await container.getBlobClient(name).download(0, undefined, { maxRetryRequests: 5 });
      if (!response.readableStreamBody) throw new Error(`blob ${name} has no body`);
      return response.readableStreamBody;
    },
    async deletePrefix(prefix) {
      let deleted = 0;
      for await (const blob of container.listBlobsFlat({ prefix })) {
        await container
          .deleteBlob(blob.name, { deleteSnapshots: 'include' })
          .catch((error: { statusCode?: number }) => {
            if (error.statusCode !== 404) throw error;
          });
        deleted++;
      }
      return deleted;
    },
  };
}

/** Table clients for `{prefix}{name}` tables, from a connection string or the default Azure credential. */
export function tableClientFactory(settings: StorageSettings): (name: string) => TableClient {
  const options: TableServiceClientOptions = {
    retryOptions: { maxRetries: 4, retryDelayInMs: 500, maxRetryDelayInMs: 8000 },
  };
  const { target } = settings;
  if (target.kind === 'connectionString') {
    const insecure = isLoopbackHttp(target.connectionString);
    return (name) =>
      TableClient.fromConnectionString(target.connectionString, `${settings.tablePrefix}${name}`, {
        ...options,
        allowInsecureConnection: insecure,
      });
  }
  const credential = new DefaultAzureCredential(
    target.managedIdentityClientId ? { managedIdentityClientId: target.managedIdentityClientId } : {},
  );
  return (name) => new TableClient(target.tableUrl, `${settings.tablePrefix}${name}`, credential, options);
}

/** Creates every table that is missing; storage that cannot be reached is a clear error. */
export async function ensureTables(
  tables: Iterable<TableClient>,
  extra: Array<Promise<unknown>> = [],
): Promise<void> {
  try {
    await Promise.all([...[...tables].map((table) => table.createTable()), ...extra]);
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new StorageUnavailableError(`storage is not reachable (${message})`);
  }
}

/** Builds the clients from settings: a connection string, or the default Azure credential. */
export function createHistoryStore(settings: StorageSettings): HistoryStore {
  const { target } = settings;
  const tableClient = tableClientFactory(settings);
  const blobService =
    target.kind === 'connectionString'
      ? BlobServiceClient.fromConnectionString(target.connectionString, { retryOptions: { maxTries: 5 } })
      : new BlobServiceClient(
          target.blobUrl,
          new DefaultAzureCredential(
            target.managedIdentityClientId ? { managedIdentityClientId: target.managedIdentityClientId } : {},
          ),
          { retryOptions: { maxTries: 5 } },
        );
  const tables = Object.fromEntries(TABLE_NAMES.map((name) => [name, tableClient(name)])) as Record<
    TableName,
    TableClient
  >;
  const container = blobService.getContainerClient(settings.container);
  return {
    tables,
    largeValues: blobStore(container),
    ensure: () => ensureTables(Object.values(tables), [container.createIfNotExists()]),
  };
}
