import { liveScopeOf, type LiveScope } from '../collection/liveScope.js';
import { parseStorageSettings, type StorageSettings } from '../storage/storageSettings.js';
import { ConfigurationError, parseLiveSettings, type LiveSettings } from '../settings/liveSettings.js';
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
  /** A run whose batches have not all finished after this long is finalised as partial. */
  runTimeoutMs: number;
  batchQueue: string;
  notificationQueue: string;
  reportsContainer: string;
}

type Env = Readonly<Record<string, string | undefined>>;

const NCRONTAB = /^\S+ \S+ \S+ \S+ \S+ \S+$/;
const QUEUE_NAME = /^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/;
const CONTAINER_NAME = QUEUE_NAME;

function list(value: string | undefined): string[] {
  return (value ?? '').split(/[,\s]+/).filter((item) => item !== '');
}

/** Reads and validates the app's settings; throws one ConfigurationError naming every bad key. */
export function parseAppSettings(env: Env): AppSettings {
  const problems: string[] = [];
  const attempt = <T>(read: () => T, fallback: T): T => {
    try {
      return read();
    } catch (error) {
      if (error instanceof ConfigurationError) problems.push(...error.problems);
      else problems.push(error instanceof Error ? error.message : String(error));
      return fallback;
    }
  };
  const live = attempt(() => parseLiveSettings(env), undefined);
  const ownStorage = env.AzureWebJobsStorage?.trim();
  const storage = attempt(
    () =>
      parseStorageSettings(env) ??
      (ownStorage ? parseStorageSettings({ ...env, STORAGE_CONNECTION: ownStorage }) : undefined),
    undefined,
  );
  if (!storage && problems.length === 0)
    problems.push('no storage: set STORAGE_CONNECTION, STORAGE_ACCOUNT_NAME or AzureWebJobsStorage');
  const queueServiceUrl = env.AzureWebJobsStorage__queueServiceUri?.trim();
  const queue = ownStorage
    ? { connectionString: ownStorage }
    : queueServiceUrl
      ? { serviceUrl: queueServiceUrl }
      : undefined;
  if (!queue)
    problems.push(
      'AzureWebJobsStorage (or AzureWebJobsStorage__queueServiceUri) is required for the scan queues',
    );
  const scanSchedule = env.SCAN_SCHEDULE?.trim() || '0 0 2 * * *';
  if (!NCRONTAB.test(scanSchedule))
    problems.push(`SCAN_SCHEDULE must be an NCRONTAB expression with six fields, got "${scanSchedule}"`);
  const scope = attempt(() => liveScopeOf(list(env.SCAN_SUBSCRIPTIONS), list(env.SCAN_MANAGEMENT_GROUPS)), {
    kind: 'tenant',
  } as LiveScope);
  const scanSettings = attempt(
    () => parseScanSettings(env.SCAN_SETTINGS_JSON ? JSON.parse(env.SCAN_SETTINGS_JSON) : undefined),
    undefined,
  );
  const integer = (key: string, fallback: number, min: number, max: number): number => {
    const raw = env[key]?.trim();
    if (!raw) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${key} must be a whole number from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return value;
  };
  const inlineMaxSubscriptions = integer('INLINE_SCAN_MAX_SUBSCRIPTIONS', 20, 0, 1000);
  const runTimeoutMs = integer('RUN_TIMEOUT_MINUTES', 120, 1, 10_080) * 60_000;
  const batchQueue = env.SCAN_BATCH_QUEUE?.trim() || 'scan-batches';
  if (!QUEUE_NAME.test(batchQueue))
    problems.push(`SCAN_BATCH_QUEUE is not a valid queue name: "${batchQueue}"`);
  const notificationQueue = env.NOTIFICATION_QUEUE?.trim() || 'notifications';
  if (!QUEUE_NAME.test(notificationQueue))
    problems.push(`NOTIFICATION_QUEUE is not a valid queue name: "${notificationQueue}"`);
  const reportsContainer = env.REPORTS_CONTAINER?.trim() || 'compliance-reports';
  if (!CONTAINER_NAME.test(reportsContainer))
    problems.push(`REPORTS_CONTAINER is not a valid container name: "${reportsContainer}"`);
  if (problems.length > 0 || !live || !storage || !queue || !scanSettings)
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
  };
}
