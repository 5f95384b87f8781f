import { getCi, isJsonObject, readBoolean } from '../../inventory/caseInsensitive.js';
import type { ClusterFacts, ExtensionFact, LocatedValue } from '../../inventory/clusterFacts.js';
import type { Thresholds } from '../../settings/scanSettings.js';
import { describeExtension, extensionsOf, healthCheck, isHealthy } from '../clusterExtensions.js';
import type { ControlEvaluator } from '../controlEvaluator.js';
import {
  configurationSettingsRead,
  extensionTypeRead,
  provisioningStateRead,
  type PropertyRead,
} from '../propertyReads.js';
import { readFailureVerdict } from '../readFailures.js';
import { secretsProviderAddon } from '../secretsProviderAddon.js';
import { describeValue, showValue } from '../valueText.js';
import { check, verdict, type Verdict } from '../verdict.js';

const SSE_DEFAULT_INTERVAL = 3600;
const SSE_INTERVAL_KEY = 'rotationPollIntervalInSeconds';
const CSI_ROTATION_KEY = 'secrets-store-csi-driver.enableSecretRotation';
const CONNECTED_KINDS = ['arc', 'aks-arc'] as const;

/** A number of seconds, or undefined when the value is not a number (a setting is a string). */
function parseSeconds(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value)) return Number(value);
  return undefined;
}

/**
 * One configuration setting, at the path it was read from; `malformed` when the settings are
 * present but not an object (e.g. the text `@{…}` of an export cut at its default depth), which
 * must never be read as "no settings".
 */
function setting(extension: ExtensionFact, key: string): LocatedValue & { malformed?: LocatedValue } {
  const settings = extension.field('configurationSettings');
  const path = `${settings.path}.${key}`;
  if (settings.value === undefined) return { value: undefined, path };
  if (!isJsonObject(settings.value)) return { value: undefined, path, malformed: settings };
  return { value: getCi(settings.value, key), path };
}

function malformedSettings(extension: ExtensionFact, bag: LocatedValue): Verdict {
  return verdict(
    'ERROR',
    `Cannot evaluate: the settings of extension ${extension.name} (${bag.path}) are ${describeValue(bag.value)}, not an object.`,
    { checks: [check(extension.id, bag.path, bag.value, 'an object of settings')] },
  );
}

function evaluateSecretStore(sse: ExtensionFact, thresholds: Thresholds): Verdict {
  const max = thresholds.maxRotationPollIntervalSeconds;
  const found = setting(sse, SSE_INTERVAL_KEY);
  if (found.malformed) return malformedSettings(sse, found.malformed);
  const raw = found.value;
  const evidenceCheck = check(
    sse.id,
    found.path,
    raw,
    `absent (default ${SSE_DEFAULT_INTERVAL}) or at most ${max}`,
  );
  if (raw === undefined) {
    const status = SSE_DEFAULT_INTERVAL <= max ? 'PASS' : 'FAIL';
    return verdict(
      status,
      `The Secret Store extension ${sse.name} uses the default rotation poll interval of ${SSE_DEFAULT_INTERVAL} s (maximum ${max} s).`,
      { checks: [evidenceCheck] },
    );
  }
  const seconds = parseSeconds(raw);
  if (typeof raw !== 'string' && typeof raw !== 'number') {
    return verdict(
      'ERROR',
      `Cannot evaluate: ${SSE_INTERVAL_KEY} of the Secret Store extension ${sse.name} is ${describeValue(raw)}, not a setting value.`,
      { checks: [evidenceCheck] },
    );
  }
  if (seconds === undefined) {
    return verdict(
      'FAIL',
      `The Secret Store extension ${sse.name} has ${SSE_INTERVAL_KEY} ${showValue(raw)}, which is not a number.`,
      { checks: [evidenceCheck] },
    );
  }
  if (seconds <= 0) {
    return verdict(
      'ERROR',
      `Cannot evaluate: ${SSE_INTERVAL_KEY} of the Secret Store extension ${sse.name} is ${showValue(raw)}, not a positive interval.`,
      { checks: [evidenceCheck] },
    );
  }
  return verdict(
    seconds <= max ? 'PASS' : 'FAIL',
    `The Secret Store extension ${sse.name} polls Key Vault every ${seconds} s (maximum ${max} s).`,
    { checks: [evidenceCheck] },
  );
}

function evaluateSecretsProvider(csi: ExtensionFact): Verdict {
  const found = setting(csi, CSI_ROTATION_KEY);
  if (found.malformed) return malformedSettings(csi, found.malformed);
  const raw = found.value;
  const enabled = readBoolean(raw) === true;
  return verdict(
    enabled ? 'PASS' : 'FAIL',
    enabled
      ? `The Key Vault Secrets Provider extension ${csi.name} has secret rotation enabled.`
      : `The Key Vault Secrets Provider extension ${csi.name} has ${CSI_ROTATION_KEY} ${raw === undefined ? 'missing (default off)' : showValue(raw)}, so rotation is off.`,
    { checks: [check(csi.id, found.path, raw, 'true')] },
  );
}

function evaluateAddon(cluster: ClusterFacts): Verdict | undefined {
  const addon = secretsProviderAddon(cluster);
  if (!addon?.enabled) return undefined;
  const enabled = readBoolean(addon.rotationRaw) === true;
  return verdict(
    enabled ? 'PASS' : 'FAIL',
    enabled
      ? 'The azureKeyvaultSecretsProvider add-on has secret rotation enabled.'
      : `The azureKeyvaultSecretsProvider add-on has enableSecretRotation ${addon.rotationRaw === undefined ? 'missing (default off)' : showValue(addon.rotationRaw)}.`,
    { checks: [check(cluster.id, `${addon.path}.config.enableSecretRotation`, addon.rotationRaw, '"true"')] },
  );
}

/** What was looked for and not found, for the NOT_APPLICABLE reason. */
function noSync(cluster: ClusterFacts): string {
  if (cluster.kind !== 'aks') return 'no Secret Store or Key Vault Secrets Provider extension is installed';
  const addon = secretsProviderAddon(cluster);
  const state = addon
    ? `is not enabled (enabled: ${showValue(addon.enabledRaw)})`
    : 'is missing (properties.addonProfiles.azureKeyvaultSecretsProvider)';
  return `no Secret Store extension is installed and the azureKeyvaultSecretsProvider add-on ${state}`;
}

/** A present but unhealthy sync rotates nothing, whatever its settings say. */
function unhealthy(capability: 'secretStore' | 'secretsProvider', extension: ExtensionFact): Verdict {
  return verdict(
    'FAIL',
    `The ${describeExtension(capability, extension)} is not healthy, so it does not rotate secrets.`,
    {
      checks: [healthCheck(extension)],
    },
  );
}

const SSE = { group: 'vault-sync', option: 'secret-store' };
const CSI = { group: 'vault-sync', option: 'secrets-provider' };
const ADDON = { group: 'vault-sync', option: 'add-on' };

const READS: PropertyRead[] = [
  extensionTypeRead(),
  provisioningStateRead('secretStore', ['arc', 'aks-arc', 'aks'], { whenAbsent: 'not-pass' }, SSE),
  configurationSettingsRead('secretStore', ['arc', 'aks-arc', 'aks'], SSE),
  {
    subject: 'extension',
    capability: 'secretStore',
    path: ['configurationSettings', SSE_INTERVAL_KEY],
    shape: 'seconds',
    kinds: ['arc', 'aks-arc', 'aks'],
    whenAbsent: 'allowed',
    absentMeans: `the default of ${SSE_DEFAULT_INTERVAL} s applies`,
    absentReasonMentions: 'default',
    nullIsAbsent: false,
    alternative: SSE,
    example: '3600',
  },
  provisioningStateRead('secretsProvider', CONNECTED_KINDS, { whenAbsent: 'not-pass' }, CSI),
  configurationSettingsRead('secretsProvider', CONNECTED_KINDS, CSI),
  {
    subject: 'extension',
    capability: 'secretsProvider',
    path: ['configurationSettings', CSI_ROTATION_KEY],
    shape: 'boolean',
    kinds: CONNECTED_KINDS,
    whenAbsent: 'not-pass',
    nullIsAbsent: false,
    alternative: CSI,
    example: 'true',
  },
  {
    subject: 'cluster',
    path: ['addonProfiles', 'azureKeyvaultSecretsProvider', 'enabled'],
    shape: 'boolean',
    kinds: ['aks'],
    whenAbsent: 'not-pass',
    nullIsAbsent: true,
    alternative: ADDON,
    example: true,
  },
  {
    subject: 'cluster',
    path: ['addonProfiles', 'azureKeyvaultSecretsProvider', 'config', 'enableSecretRotation'],
    shape: 'boolean',
    kinds: ['aks'],
    whenAbsent: 'not-pass',
    nullIsAbsent: true,
    alternative: ADDON,
    example: 'true',
  },
];

export const ds03SecretRotation: ControlEvaluator = {
  evaluate(cluster, context) {
    const failed = readFailureVerdict(cluster, ['extensions']);
    if (failed) return failed;
    const [sse] = extensionsOf(cluster, 'secretStore');
    if (sse && !isHealthy(sse)) return unhealthy('secretStore', sse);
    if (sse) return evaluateSecretStore(sse, context.thresholds);
    if (cluster.kind === 'aks') {
      const addonVerdict = evaluateAddon(cluster);
      if (addonVerdict) return addonVerdict;
      if (cluster.properties === undefined) {
        return verdict('ERROR', `Cannot read the add-on profiles: ${cluster.propertiesProblem}.`, {
          extraSourceIds: [cluster.id],
        });
      }
    } else {
      const [csi] = extensionsOf(cluster, 'secretsProvider');
      if (csi && !isHealthy(csi)) return unhealthy('secretsProvider', csi);
      if (csi) return evaluateSecretsProvider(csi);
    }
    return verdict(
      'NOT_APPLICABLE',
      `No vault sync is present to rotate secrets from (${noSync(cluster)}); see DS-01.`,
      {
        extraSourceIds: [cluster.id],
      },
    );
  },
  readsClusterExtensions: () => true,
  reads: READS,
  agentless: {
    status: 'MANUAL',
    because:
      'no Arc-managed vault sync can run on it, so whether the sync recorded for DS-01 rotates secrets must be attested',
  },
};
