import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/**
 * Azurite (the npm package) started in this process: Table, Blob and Queue services on free
 * loopback ports, in memory or in a data folder. Used by the demo and the tests; Azurite has no
 * public programmatic API, so its server classes are loaded from its dist folder.
 */
const require = createRequire(import.meta.url);

interface AzuriteServer {
  start(): Promise<void>;
  close(): Promise<void>;
  getHttpServerAddress(): string;
}
type ServerClass = new (configuration: unknown) => AzuriteServer;
type ConfigurationClass = new (...args: unknown[]) => unknown;

function load(path: string): ServerClass & ConfigurationClass {
  return (require(`azurite/dist/src/${path}`) as { default: ServerClass & ConfigurationClass }).default;
}

/** The well-known development account of the storage emulators (public, not a secret). */
export const DEVELOPMENT_ACCOUNT = 'devstoreaccount1';
const DEVELOPMENT_KEY =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface LocalAzurite {
  connectionString: string;
  tableEndpoint: string;
  blobEndpoint: string;
  queueEndpoint: string;
  stop(): Promise<void>;
}

/** Starts Azurite; `location` keeps data in that folder across runs, otherwise everything is in memory. */
export async function startLocalAzurite(options: { location?: string } = {}): Promise<LocalAzurite> {
  const memory = options.location === undefined;
  const location = options.location ?? '';
  if (!memory) await mkdir(location, { recursive: true });
  const TableConfiguration = load('table/TableConfiguration');
  const TableServer = load('table/TableServer');
  const BlobConfiguration = load('blob/BlobConfiguration');
  const BlobServer = load('blob/BlobServer');
  const QueueConfiguration = load('queue/QueueConfiguration');
  const QueueServer = load('queue/QueueServer');
  const host = '127.0.0.1';
  // Positional arguments: host, port (0 = free), keep-alive, metadata DB, [extent DB, persistence,]
  // access log, log stream, debug log, debug path, loose, skipApiVersionCheck, cert, key, pwd, oauth,
  // disableProductStyleUrl, in-memory.
  const table = new TableServer(
    new TableConfiguration(
      host,
      0,
      undefined,
      join(location, '__azurite_db_table__.json'),
      false,
      false,
      undefined,
      undefined,
      true,
      true,
      '',
      '',
      '',
      undefined,
      false,
      memory,
    ),
  );
  // Blob and Queue share one configuration shape: metadata and extent databases and a folder for
  // the data itself, then the same flags as the table service.
  const extentService = (
    Server: ServerClass,
    Configuration: ConfigurationClass,
    name: 'blob' | 'queue',
  ): AzuriteServer =>
    new Server(
      new Configuration(
        host,
        0,
        undefined,
        join(location, `__azurite_db_${name}__.json`),
        join(location, `__azurite_db_${name}_extent__.json`),
        [{ locationId: 'Default', locationPath: join(location, `__${name}storage__`), maxConcurrency: 10 }],
        false,
        undefined,
        false,
        undefined,
        true,
        true,
        '',
        '',
        '',
        undefined,
        false,
        memory,
      ),
    );
  const blob = extentService(BlobServer, BlobConfiguration, 'blob');
  const queue = extentService(QueueServer, QueueConfiguration, 'queue');
  const servers = [table, blob, queue];
  await Promise.all(servers.map((server) => server.start()));
  const endpoint = (server: AzuriteServer): string =>
    `${server.getHttpServerAddress()}/${DEVELOPMENT_ACCOUNT}`;
  const tableEndpoint = endpoint(table);
  const blobEndpoint = endpoint(blob);
  const queueEndpoint = endpoint(queue);
  return {
    connectionString:
      `DefaultEndpointsProtocol=http;AccountName=${DEVELOPMENT_ACCOUNT};AccountKey=${DEVELOPMENT_KEY};` +
      `TableEndpoint=${tableEndpoint};BlobEndpoint=${blobEndpoint};QueueEndpoint=${queueEndpoint};`,
    tableEndpoint,
    blobEndpoint,
    queueEndpoint,
    stop: async () => {
      await Promise.all(servers.map((server) => server.close()));
    },
  };
}
