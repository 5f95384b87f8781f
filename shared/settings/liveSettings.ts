import { ConfigurationError } from '../config/configurationError.js';
import { readDuration, readInteger, readText, readUrl, type Env } from '../config/settingReaders.js';

/** Settings of live reads from Azure, validated once; every bad key is named in one error. */
export interface LiveSettings {
  armEndpoint: string;
  /** Token scope for Resource Manager. */
  armScope: string;
  /** Client ID of a user-assigned managed identity; undefined for the system-assigned one. */
  managedIdentityClientId: string | undefined;
  batchSize: number;
  pageSize: number;
  graphConcurrency: number;
  armConcurrency: number;
  deadlineMs: number;
  requestTimeoutMs: number;
  retry: RetrySettings;
}

export interface RetrySettings {
  /** Attempts per request for failures other than throttling (408, 5xx, resets, timeouts). */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** How long one request keeps being retried while the service answers 429 (throttled). */
  throttledMaxMs: number;
}

const SOVEREIGN_SCOPES: Record<string, string> = {
  'management.azure.com': 'https://management.azure.com/.default',
  'management.usgovcloudapi.net': 'https://management.usgovcloudapi.net/.default',
  'management.chinacloudapi.cn': 'https://management.chinacloudapi.cn/.default',
};

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function parseLiveSettings(env: Env): LiveSettings {
  const problems: string[] = [];
  const integer = (key: string, fallback: number, min: number, max: number): number =>
    readInteger(env, key, fallback, min, max, problems);
  const seconds = (key: string, fallback: number, min: number, max: number): number =>
    readDuration(env, key, 'seconds', fallback, min, max, problems);
  const endpoint = readUrl(env, 'ARM_ENDPOINT', 'https://management.azure.com', problems, { plain: true });
  const host = endpoint?.hostname.toLowerCase() ?? '';
  const armEndpoint = endpoint
    ? endpoint.origin + endpoint.pathname.replace(/\/+$/, '')
    : 'https://management.azure.com';
  const audience = readUrl(env, 'ARM_AUDIENCE', undefined, problems, { protocols: 'any' });
  const armScope = audience
    ? audience.pathname.endsWith('/.default')
      ? audience.href
      : `${audience.origin}/.default`
    : (SOVEREIGN_SCOPES[host] ?? 'https://management.azure.com/.default');
  const clientId = readText(env, 'AZURE_CLIENT_ID');
  if (clientId !== '' && !GUID.test(clientId))
    problems.push(`AZURE_CLIENT_ID must be a GUID, got "${clientId}"`);
  const settings: LiveSettings = {
    armEndpoint,
    armScope,
    managedIdentityClientId: clientId === '' ? undefined : clientId,
    batchSize: integer('RESOURCE_GRAPH_BATCH_SIZE', 100, 1, 1000),
    pageSize: integer('RESOURCE_GRAPH_PAGE_SIZE', 1000, 1, 1000),
    graphConcurrency: integer('RESOURCE_GRAPH_CONCURRENCY', 3, 1, 15),
    armConcurrency: integer('ARM_READ_CONCURRENCY', 8, 1, 64),
    deadlineMs: seconds('LIVE_SCAN_DEADLINE_SECONDS', 900, 1, 86_400),
    requestTimeoutMs: seconds('REQUEST_TIMEOUT_SECONDS', 60, 1, 600),
    retry: {
      maxAttempts: integer('RETRY_MAX_ATTEMPTS', 6, 1, 20),
      baseDelayMs: readDuration(env, 'RETRY_BASE_DELAY_MS', 'milliseconds', 1000, 0, 60_000, problems),
      maxDelayMs: readDuration(env, 'RETRY_MAX_DELAY_MS', 'milliseconds', 30_000, 0, 600_000, problems),
      throttledMaxMs: seconds('RETRY_THROTTLED_MAX_SECONDS', 300, 1, 86_400),
    },
  };
  if (problems.length > 0) throw new ConfigurationError(problems);
  return settings;
}
