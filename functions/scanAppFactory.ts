import type { InvocationContext } from '@azure/functions';

import { createAzureClients, type AzureClients } from '../shared/collection/azureClients.js';
import { blobReportStore } from '../shared/fanout/reportPublisher.js';
import { RunCoordinatorTable } from '../shared/fanout/runCoordinator.js';
import type { Log, ScanApp } from '../shared/fanout/scanApplication.js';
import { storageWorkQueue } from '../shared/fanout/workQueue.js';
import { parseAppSettings, type AppSettings } from '../shared/settings/appSettings.js';
import { createHistoryStore, type HistoryStore } from '../shared/storage/historyStore.js';
import { reportWriter } from './reportWriter.js';

interface Shared {
  settings: AppSettings;
  store: HistoryStore;
  ensured: Promise<void>;
  azure: () => AzureClients;
}

let shared: Shared | undefined;
let sharedFor: Readonly<Record<string, string | undefined>> | undefined;

/** Settings and clients are built once per worker process (and again if the environment object changes). */
function sharedParts(env: Readonly<Record<string, string | undefined>>): Shared {
  if (shared && sharedFor === env) return shared;
  const settings = parseAppSettings(env);
  const store = createHistoryStore(settings.storage);
  let clients: AzureClients | undefined;
  shared = {
    settings,
    store,
    ensured: store.ensure(),
    azure: () => (clients ??= createAzureClients(settings.live)),
  };
  sharedFor = env;
  return shared;
}

/** Structured logs through the invocation context, so Application Insights correlates them. */
export function contextLog(context: InvocationContext): Log {
  return (level, message, properties) => {
    const entry = properties ? [message, properties] : [message];
    if (level === 'error') context.error(...entry);
    else if (level === 'warn') context.warn(...entry);
    else context.info(...entry);
  };
}

/** The scan application for one invocation: validated settings, clients, tables, queue, reports. */
export async function scanAppFor(
  context: InvocationContext,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<ScanApp> {
  const parts = sharedParts(env);
  await parts.ensured;
  return {
    settings: parts.settings,
    store: parts.store,
    coordinator: new RunCoordinatorTable(parts.store.tables.batches),
    queue: storageWorkQueue(parts.settings.queue, parts.settings.batchQueue),
    azure: parts.azure,
    reports: blobReportStore(parts.settings.storage.target, parts.settings.reportsContainer),
    writeReports: reportWriter(parts.store),
    clock: () => new Date(),
    log: contextLog(context),
  };
}
