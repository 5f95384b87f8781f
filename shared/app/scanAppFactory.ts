import type { InvocationContext } from '@azure/functions';

import { createAzureClients, type AzureClients } from '../collection/azureClients.js';
import { blobReportStore } from '../fanout/reportPublisher.js';
import { RunCoordinatorTable } from '../fanout/runCoordinator.js';
import type { Log, ScanApp } from '../fanout/scanApplication.js';
import type { RunHandOff } from '../publish/publishRun.js';
import { storageWorkQueue } from '../fanout/workQueue.js';
import { parseAppSettings, type AppSettings } from './appSettings.js';
import { createHistoryStore, type HistoryStore } from '../storage/historyStore.js';
import type { RunNotifications } from '../fanout/notifyRun.js';
import { settingSecrets } from '../config/secretSource.js';
import { createNotificationStore, listDeadLetters, type OutboxMessage } from '../notifications/index.js';
import type { LogsIngestionSettings } from '../monitor/logsIngestionSettings.js';
import { createLogsUploader, uploadRunToLogs, type LogsUploader } from '../monitor/uploadRunToLogs.js';
import type { GovernanceRepository } from '../governance/governanceRepository.js';
import { recordsForScan } from '../governance/governanceService.js';
import type { GovernanceSettings } from '../governance/governanceSettings.js';
import {
  ensureGovernanceTables,
  governanceTables,
  tableGovernanceRepository,
} from '../storage/governanceTables.js';
import { notificationHandOff } from './notificationHandOff.js';

interface Shared {
  settings: AppSettings;
  store: HistoryStore;
  ensured: Promise<void>;
  azure: () => AzureClients;
  notifications: RunNotifications;
  governance: GovernanceRepository;
  /** Azure Monitor Logs, when configured. */
  logs: { settings: LogsIngestionSettings; uploader: () => LogsUploader } | undefined;
  governanceSettings: GovernanceSettings;
}

let shared: Shared | undefined;
let sharedFor: Readonly<Record<string, string | undefined>> | undefined;

/** Settings and clients are built once per worker process (and again if the environment object changes). */
function sharedParts(env: Readonly<Record<string, string | undefined>>): Shared {
  if (shared && sharedFor === env) return shared;
  const settings = parseAppSettings(env);
  const store = createHistoryStore(settings.storage);
  const notificationStore = createNotificationStore(settings.storage);
  const notifications: RunNotifications = {
    store: notificationStore,
    settings: settings.notifications,
    secrets: settingSecrets(env),
    queue: storageWorkQueue<OutboxMessage>(settings.queue, settings.notificationQueue),
    expiryNoticeDays: settings.governance.expiryNoticeDays,
  };
  const governance = governanceTables(settings.storage);
  let clients: AzureClients | undefined;
  const logsSettings = settings.logs;
  let uploader: LogsUploader | undefined;
  const parts: Shared = {
    logs: logsSettings && {
      settings: logsSettings,
      uploader: () => (uploader ??= createLogsUploader(logsSettings)),
    },
    settings,
    store,
    ensured: Promise.all([
      store.ensure(),
      notificationStore.ensure(),
      ensureGovernanceTables(governance),
    ]).then(() => undefined),
    azure: () => (clients ??= createAzureClients(settings.live)),
    notifications,
    governance: tableGovernanceRepository(governance),
    governanceSettings: settings.governance,
  };
  shared = parts;
  sharedFor = env;
  return parts;
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

/**
 * Uploads each published run to Azure Monitor Logs (when configured) before handing it on; a
 * failed upload is logged with the run and never fails it.
 */
function withLogsUpload(handOff: RunHandOff, logs: Shared['logs'], log: Log): RunHandOff {
  if (!logs) return handOff;
  return {
    ...handOff,
    async published(run, files) {
      const upload = await uploadRunToLogs(
        logs.uploader(),
        logs.settings,
        run.source,
        run.stored.record.scopeKey,
      );
      log(
        upload.status === 'uploaded' ? 'info' : 'warn',
        `run ${run.source.run.id}: Azure Monitor Logs upload ${upload.status} (${upload.findingRows} finding row(s)${upload.error ? `; ${upload.error}` : ''})`,
        { runId: run.source.run.id, logsUpload: upload },
      );
      await handOff.published?.(run, files);
    },
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
    settings: { ...parts.settings, retentionDays: parts.settings.storage.retentionDays },
    store: parts.store,
    coordinator: new RunCoordinatorTable(parts.store.tables.batches),
    queue: storageWorkQueue(parts.settings.queue, parts.settings.batchQueue),
    azure: parts.azure,
    reports: blobReportStore(parts.settings.storage.target, parts.settings.reportsContainer),
    handOff: withLogsUpload(
      notificationHandOff(parts.notifications, parts.store, (runId, sent) =>
        contextLog(context)(
          'info',
          `run ${runId}: ${sent.events} event(s), ${sent.messages} delivery message(s)`,
        ),
      ),
      parts.logs,
      contextLog(context),
    ),
    governance: () => recordsForScan(parts.governance),
    countDeadLetters: async () => (await listDeadLetters(parts.notifications.store, { limit: 1000 })).length,
    clock: () => new Date(),
    log: contextLog(context),
  };
}

/** The governance records and their limits, for the API. */
export async function governanceFor(
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<{ repository: GovernanceRepository; settings: GovernanceSettings }> {
  const parts = sharedParts(env);
  await parts.ensured;
  return { repository: parts.governance, settings: parts.governanceSettings };
}

/** The notification parts, for the delivery functions. */
export async function notificationsFor(
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<RunNotifications> {
  const parts = sharedParts(env);
  await parts.ensured;
  return parts.notifications;
}
