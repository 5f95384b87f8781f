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
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
  constructor(readonly problems: string[]) {
    super(`invalid configuration: ${problems.join('; ')}`);
  }
}

type Env = Readonly<Record<string, string | undefined>>;

const SOVEREIGN_SCOPES: Record<string, string> = {
  'management.azure.com': 'https://management.azure.com/.default',
  'management.usgovcloudapi.net': 'https://management.usgovcloudapi.net/.default',
  'management.chinacloudapi.cn': 'https://management.chinacloudapi.cn/.default',
};

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function parseLiveSettings(env: Env): LiveSettings {
  const problems: string[] = [];
  const integer = (key: string, fallback: number, min: number, max: number): number => {
    const raw = env[key];
    if (raw === undefined || raw.trim() === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${key} must be a whole number from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return value;
  };
  let armEndpoint = (env.ARM_ENDPOINT ?? '').trim() || 'https://management.azure.com';
  let host = '';
  try {
    const url = new URL(armEndpoint);
    if (url.protocol !== 'https:') problems.push(`ARM_ENDPOINT must be an https URL, got "${armEndpoint}"`);
    if (url.search || url.hash || url.username)
      problems.push('ARM_ENDPOINT must not carry a query, fragment or credentials');
    host = url.hostname.toLowerCase();
    armEndpoint = url.origin + url.pathname.replace(/\/+$/, '');
  } catch {
    problems.push(`ARM_ENDPOINT is not a URL: "${armEndpoint}"`);
  }
  const audience = (env.ARM_AUDIENCE ?? '').trim();
  let armScope = SOVEREIGN_SCOPES[host] ?? 'https://management.azure.com/.default';
  if (audience !== '') {
    try {
      const url = new URL(audience);
      armScope = url.pathname.endsWith('/.default') ? url.href : `${url.origin}/.default`;
    } catch {
      problems.push(`ARM_AUDIENCE is not a URL: "${audience}"`);
    }
  }
  const clientId = (env.AZURE_CLIENT_ID ?? '').trim();
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
    deadlineMs: integer('LIVE_SCAN_DEADLINE_SECONDS', 900, 1, 86_400) * 1000,
    requestTimeoutMs: integer('REQUEST_TIMEOUT_SECONDS', 60, 1, 600) * 1000,
    retry: {
      maxAttempts: integer('RETRY_MAX_ATTEMPTS', 6, 1, 20),
      baseDelayMs: integer('RETRY_BASE_DELAY_MS', 1000, 0, 60_000),
      maxDelayMs: integer('RETRY_MAX_DELAY_MS', 30_000, 0, 600_000),
    },
  };
  if (problems.length > 0) throw new ConfigurationError(problems);
  return settings;
}
