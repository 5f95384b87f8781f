import { ConfigurationError } from '../config/configurationError.js';
import { getCi, isJsonObject } from '../inventory/caseInsensitive.js';
import { idKey } from '../inventory/resourceId.js';

/** Thresholds of the control catalog; defaults are the catalog's (docs/settings.md). */
export interface Thresholds {
  /** DS-03: largest accepted SSE rotation poll interval, seconds. */
  maxRotationPollIntervalSeconds: number;
  /** DS-10: days an Arc cluster may be offline before it counts as unmanaged. */
  maxDaysOffline: number;
  /** DS-10: Arc agent minor versions allowed behind the newest seen in the fleet. */
  maxAgentMinorVersionsBehind: number;
  /** DS-10: when set, agents older than this version fail instead of the newest-seen rule. */
  minimumAgentVersion: string | undefined;
}

export interface ScanSettings {
  thresholds: Thresholds;
  /** DS-06 rule 1: custom location ID key (lower case) → Azure Local cluster ID. */
  azureLocalHosts: ReadonlyMap<string, string>;
}

export const DEFAULT_THRESHOLDS: Thresholds = Object.freeze({
  maxRotationPollIntervalSeconds: 3600,
  maxDaysOffline: 30,
  maxAgentMinorVersionsBehind: 2,
  minimumAgentVersion: undefined,
});

export const DEFAULT_SETTINGS: ScanSettings = Object.freeze({
  thresholds: DEFAULT_THRESHOLDS,
  azureLocalHosts: new Map<string, string>(),
});

const ARM_ID = /^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/providers\/[^/]+\/[^/]+\/[^/]+/i;

function nonNegativeNumber(
  source: unknown,
  key: keyof Thresholds,
  fallback: number,
  problems: string[],
): number {
  const value = getCi(source, key);
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    problems.push(`thresholds.${key} must be a non-negative number, got ${JSON.stringify(value)}`);
    return fallback;
  }
  return value;
}

/**
 * Validates a settings document (all keys optional) and fills in the defaults; throws one
 * ConfigurationError naming every bad entry.
 */
export function parseScanSettings(document: unknown): ScanSettings {
  if (document === undefined || document === null) return DEFAULT_SETTINGS;
  if (!isJsonObject(document)) throw new ConfigurationError(['settings must be a JSON object']);
  const problems: string[] = [];
  let thresholdsSource = getCi(document, 'thresholds') ?? {};
  if (!isJsonObject(thresholdsSource)) {
    problems.push('settings.thresholds must be an object');
    thresholdsSource = {};
  }
  const minimum = getCi(thresholdsSource, 'minimumAgentVersion');
  if (
    minimum !== undefined &&
    minimum !== null &&
    (typeof minimum !== 'string' || !/^\d+\.\d+/.test(minimum))
  ) {
    problems.push(`thresholds.minimumAgentVersion must look like "1.30", got ${JSON.stringify(minimum)}`);
  }
  const thresholds: Thresholds = {
    maxRotationPollIntervalSeconds: nonNegativeNumber(
      thresholdsSource,
      'maxRotationPollIntervalSeconds',
      DEFAULT_THRESHOLDS.maxRotationPollIntervalSeconds,
      problems,
    ),
    maxDaysOffline: nonNegativeNumber(
      thresholdsSource,
      'maxDaysOffline',
      DEFAULT_THRESHOLDS.maxDaysOffline,
      problems,
    ),
    maxAgentMinorVersionsBehind: nonNegativeNumber(
      thresholdsSource,
      'maxAgentMinorVersionsBehind',
      DEFAULT_THRESHOLDS.maxAgentMinorVersionsBehind,
      problems,
    ),
    minimumAgentVersion: typeof minimum === 'string' ? minimum : undefined,
  };
  let hostsSource = getCi(document, 'azureLocalHosts') ?? {};
  if (!isJsonObject(hostsSource)) {
    problems.push('settings.azureLocalHosts must be an object');
    hostsSource = {};
  }
  const azureLocalHosts = new Map<string, string>();
  for (const [customLocationId, azureLocalId] of Object.entries(hostsSource)) {
    if (!ARM_ID.test(customLocationId) || typeof azureLocalId !== 'string' || !ARM_ID.test(azureLocalId)) {
      problems.push(
        `settings.azureLocalHosts must map custom location IDs to Azure Local cluster IDs; bad entry ${JSON.stringify(customLocationId)}`,
      );
      continue;
    }
    azureLocalHosts.set(idKey(customLocationId), azureLocalId);
  }
  if (problems.length > 0) throw new ConfigurationError(problems);
  return { thresholds, azureLocalHosts };
}
