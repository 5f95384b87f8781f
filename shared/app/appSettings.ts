import { liveScopeOf, type LiveScope } from '../collection/liveScope.js';
import { parseStorageSettings, type StorageSettings } from '../storage/storageSettings.js';
import { ConfigurationError, collectProblems } from '../config/configurationError.js';
import { readDuration, readInteger, readList, readText, type Env } from '../config/settingReaders.js';
import {
  parseNotificationSettings,
  type NotificationSettings,
} from '../notifications/notificationSettings.js';
import { parseGovernanceSettings, type GovernanceSettings } from '../governance/governanceSettings.js';
import { parseLogsIngestionSettings, type LogsIngestionSettings } from '../monitor/logsIngestionSettings.js';
import { parseLiveSettings, type LiveSettings } from '../settings/liveSettings.js';
import { parseScanSettings, type ScanSettings } from '../settings/scanSettings.js';

/** Every setting the Functions app reads, validated once by the one loader all entry points use. */
export interface AppSettings {
  live: LiveSettings;
  storage: StorageSettings;
  /** Queue access: a connection string, or a queue service URL for identity-based access. */
  queue: { connectionString: string } | { serviceUrl: string };
  scanSchedule: string;
  scope: LiveScope;
  scanSettings: ScanSettings;
  /** Scopes with at most this many subscriptions are scanned inline by the timer, without queues. */
  inlineMaxSubscriptions: number;
  /** A run whose batches have not all finished after this long is finalized as partial. */
  runTimeoutMs: number;
  batchQueue: string;
  notificationQueue: string;
  reportsContainer: string;
  /** Notification destinations, delivery, SMTP and report e-mail, validated with the rest. */
  notifications: NotificationSettings;
  /** Exception and attestation limits, validated with the rest. */
  governance: GovernanceSettings;
  /** Azure Monitor Logs ingestion; undefined when not configured. */
  logs: LogsIngestionSettings | undefined;
}

const NCRONTAB = /^\S+ \S+ \S+ \S+ \S+ \S+$/;
const QUEUE_NAME = /^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/;
const CONTAINER_NAME = QUEUE_NAME;

/**
 * Reads and validates every setting of the app, notification destinations and governance limits
 * included; throws one ConfigurationError naming every bad key of every kind.
 */
export function parseAppSettings(env: Env): AppSettings {
  const problems: string[] = [];
  const attempt = <T>(read: () => T, fallback: T): T => collectProblems(problems, read, fallback);
  const live = attempt(() => parseLiveSettings(env), undefined);
  const ownStorage = readText(env, 'AzureWebJobsStorage');
  const storage = attempt(
    () =>
      parseStorageSettings(env) ??
      (ownStorage ? parseStorageSettings({ ...env, STORAGE_CONNECTION: ownStorage }) : undefined),
    undefined,
  );
  if (!storage && problems.length === 0)
    problems.push('no storage: set STORAGE_CONNECTION, STORAGE_ACCOUNT_NAME or AzureWebJobsStorage');
  const queueServiceUrl = readText(env, 'AzureWebJobsStorage__queueServiceUri');
  const queue = ownStorage
    ? { connectionString: ownStorage }
    : queueServiceUrl
      ? { serviceUrl: queueServiceUrl }
      : undefined;
  if (!queue)
    problems.push(
      'AzureWebJobsStorage (or AzureWebJobsStorage__queueServiceUri) is required for the scan queues',
    );
  const scanSchedule = readText(env, 'SCAN_SCHEDULE') || '0 0 2 * * *';
  if (!NCRONTAB.test(scanSchedule))
    problems.push(`SCAN_SCHEDULE must be an NCRONTAB expression with six fields, got "${scanSchedule}"`);
  const scope = attempt(
    () => liveScopeOf(readList(env, 'SCAN_SUBSCRIPTIONS'), readList(env, 'SCAN_MANAGEMENT_GROUPS')),
    {
      kind: 'tenant',
    } as LiveScope,
  );
  const scanSettings = attempt(
    () => parseScanSettings(env.SCAN_SETTINGS_JSON ? JSON.parse(env.SCAN_SETTINGS_JSON) : undefined),
    undefined,
  );
  const inlineMaxSubscriptions = readInteger(env, 'INLINE_SCAN_MAX_SUBSCRIPTIONS', 20, 0, 1000, problems);
  const runTimeoutMs = readDuration(env, 'RUN_TIMEOUT_MINUTES', 'minutes', 120, 1, 10_080, problems);
  const notifications = attempt(() => parseNotificationSettings(env), undefined);
  const governance = attempt(() => parseGovernanceSettings(env), undefined);
  const logs = attempt(() => parseLogsIngestionSettings(env), undefined);
  const batchQueue = readText(env, 'SCAN_BATCH_QUEUE') || 'scan-batches';
  if (!QUEUE_NAME.test(batchQueue))
    problems.push(`SCAN_BATCH_QUEUE is not a valid queue name: "${batchQueue}"`);
  const notificationQueue = readText(env, 'NOTIFICATION_QUEUE') || 'notifications';
  if (!QUEUE_NAME.test(notificationQueue))
    problems.push(`NOTIFICATION_QUEUE is not a valid queue name: "${notificationQueue}"`);
  const reportsContainer = readText(env, 'REPORTS_CONTAINER') || 'compliance-reports';
  if (!CONTAINER_NAME.test(reportsContainer))
    problems.push(`REPORTS_CONTAINER is not a valid container name: "${reportsContainer}"`);
  if (problems.length > 0 || !live || !storage || !queue || !scanSettings || !notifications || !governance)
    throw new ConfigurationError(problems);
  return {
    live,
    storage,
    queue,
    scanSchedule,
    scope,
    scanSettings,
    inlineMaxSubscriptions,
    runTimeoutMs,
    batchQueue,
    notificationQueue,
    reportsContainer,
    notifications,
    governance,
    logs,
  };
}
