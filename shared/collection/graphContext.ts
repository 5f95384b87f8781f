import type { LiveSettings } from '../settings/liveSettings.js';
import type { AzureClients } from './azureClients.js';
import type { CollectionStats } from './collectionStats.js';
import { QuotaPacer } from './quotaPacer.js';
import type { GraphReadContext } from './resourceGraphReader.js';

/** The per-run reading context: transport, a shared quota pacer, retries and the run's deadline. */
export function graphReadContext(
  clients: AzureClients,
  settings: LiveSettings,
  stats: CollectionStats,
): GraphReadContext {
  return {
    transport: clients.graph,
    pacer: new QuotaPacer(stats),
    pageSize: settings.pageSize,
    retry: settings.retry,
    stats,
    deadline: AbortSignal.timeout(settings.deadlineMs),
    requestTimeoutMs: settings.requestTimeoutMs,
  };
}
