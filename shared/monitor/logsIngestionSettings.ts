import { ConfigurationError } from '../config/configurationError.js';

/** Where findings go in Azure Monitor Logs: a Data Collection Rule and its two streams. */
export interface LogsIngestionSettings {
  /** Logs ingestion URL of the data collection endpoint (or of the rule). */
  endpoint: string;
  /** Immutable ID of the Data Collection Rule (`dcr-` and 32 hex digits). */
  ruleId: string;
  findingsStream: string;
  runsStream: string;
  /** Token audience, for sovereign clouds; the SDK's public-cloud audience when undefined. */
  audience: string | undefined;
  /** Client ID of a user-assigned managed identity; undefined for the default chain's choice. */
  managedIdentityClientId: string | undefined;
  /** Retries per request on 429 and 5xx (with the server's Retry-After, else exponential). */
  maxRetries: number;
  retryDelayMs: number;
  /** Rows handed to one upload call (the SDK splits each call into requests under 1 MB). */
  rowsPerCall: number;
}

type Env = Readonly<Record<string, string | undefined>>;

const STREAM = /^Custom-[A-Za-z0-9_]{1,100}$/;
const RULE_ID = /^dcr-[0-9a-f]{32}$/i;

export const DEFAULT_FINDINGS_STREAM = 'Custom-ArcDataCompliance_CL';
export const DEFAULT_RUNS_STREAM = 'Custom-ArcDataComplianceRuns_CL';

/**
 * The Azure Monitor Logs destination, or undefined when it is not configured (it is off unless
 * MONITOR_INGESTION_ENDPOINT and MONITOR_DCR_IMMUTABLE_ID are both set). Every bad key is named.
 */
export function parseLogsIngestionSettings(env: Env): LogsIngestionSettings | undefined {
  const endpointRaw = (env.MONITOR_INGESTION_ENDPOINT ?? '').trim();
  const ruleRaw = (env.MONITOR_DCR_IMMUTABLE_ID ?? '').trim();
  if (endpointRaw === '' && ruleRaw === '') return undefined;
  const problems: string[] = [];
  let endpoint = '';
  try {
    const url = new URL(endpointRaw);
    if (url.protocol !== 'https:' || url.username || url.password || url.search || url.hash)
      throw new Error('not https');
    endpoint = url.origin + url.pathname.replace(/\/+$/, '');
  } catch {
    problems.push(
      'MONITOR_INGESTION_ENDPOINT must be the https:// logs ingestion URL of a data collection endpoint',
    );
  }
  if (!RULE_ID.test(ruleRaw))
    problems.push(
      'MONITOR_DCR_IMMUTABLE_ID must be the immutable ID of a data collection rule (dcr- and 32 hex digits)',
    );
  const stream = (key: string, fallback: string): string => {
    const value = (env[key] ?? '').trim() || fallback;
    if (!STREAM.test(value)) problems.push(`${key} must be a stream name like Custom-Table_CL`);
    return value;
  };
  const findingsStream = stream('MONITOR_FINDINGS_STREAM', DEFAULT_FINDINGS_STREAM);
  const runsStream = stream('MONITOR_RUNS_STREAM', DEFAULT_RUNS_STREAM);
  const integer = (key: string, fallback: number, min: number, max: number): number => {
    const raw = (env[key] ?? '').trim();
    if (raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${key} must be a whole number from ${min} to ${max}`);
      return fallback;
    }
    return value;
  };
  const maxRetries = integer('MONITOR_MAX_RETRIES', 4, 0, 10);
  const retryDelayMs = integer('MONITOR_RETRY_DELAY_MS', 1000, 1, 60_000);
  const rowsPerCall = integer('MONITOR_ROWS_PER_CALL', 5000, 1, 50_000);
  const audienceRaw = (env.MONITOR_AUDIENCE ?? '').trim();
  if (audienceRaw !== '' && !/^https:\/\/[A-Za-z0-9.-]+\/?$/.test(audienceRaw))
    problems.push('MONITOR_AUDIENCE must be an https:// audience such as https://monitor.azure.us');
  if (problems.length > 0) throw new ConfigurationError(problems);
  const clientId = (env.AZURE_CLIENT_ID ?? '').trim();
  return {
    endpoint,
    ruleId: ruleRaw,
    findingsStream,
    runsStream,
    audience: audienceRaw === '' ? undefined : audienceRaw.replace(/\/$/, ''),
    managedIdentityClientId: clientId === '' ? undefined : clientId,
    maxRetries,
    retryDelayMs,
    rowsPerCall,
  };
}
