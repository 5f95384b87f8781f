import { getCi, readBoolean } from '../../inventory/caseInsensitive.js';
import type { ClusterFacts, ExtensionFact } from '../../inventory/clusterFacts.js';
import type { Thresholds } from '../../settings/scanSettings.js';
import { describeExtension, extensionsOf, healthCheck, isHealthy } from '../clusterExtensions.js';
import type { ControlEvaluator } from '../controlEvaluator.js';
import { readFailureVerdict } from '../readFailures.js';
import { secretsProviderAddon } from '../secretsProviderAddon.js';
import { check, verdict, type Verdict } from '../verdict.js';

const SSE_DEFAULT_INTERVAL = 3600;
const CSI_ROTATION_KEY = 'secrets-store-csi-driver.enableSecretRotation';

function parseSeconds(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value)) return Number(value);
  return undefined;
}

function evaluateSecretStore(sse: ExtensionFact, thresholds: Thresholds): Verdict {
  const max = thresholds.maxRotationPollIntervalSeconds;
  const raw = getCi(sse.configurationSettings, 'rotationPollIntervalInSeconds');
  const evidenceCheck = check(
    sse.id,
    'properties.configurationSettings.rotationPollIntervalInSeconds',
    raw,
    `absent (default ${SSE_DEFAULT_INTERVAL}) or at most ${max}`,
  );
  if (raw === undefined || raw === null) {
    const status = SSE_DEFAULT_INTERVAL <= max ? 'PASS' : 'FAIL';
    return verdict(
      status,
      `The Secret Store extension ${sse.name} uses the default rotation poll interval of ${SSE_DEFAULT_INTERVAL} s (maximum ${max} s).`,
      { checks: [evidenceCheck] },
    );
  }
  const seconds = parseSeconds(raw);
  if (seconds === undefined) {
    return verdict(
      'FAIL',
      `The Secret Store extension ${sse.name} has rotationPollIntervalInSeconds ${JSON.stringify(raw)}, which is not a number.`,
      {
        checks: [evidenceCheck],
      },
    );
  }
  return verdict(
    seconds <= max ? 'PASS' : 'FAIL',
    `The Secret Store extension ${sse.name} polls Key Vault every ${seconds} s (maximum ${max} s).`,
    { checks: [evidenceCheck] },
  );
}

function evaluateSecretsProvider(csi: ExtensionFact): Verdict {
  const raw = getCi(csi.configurationSettings, CSI_ROTATION_KEY);
  const enabled = readBoolean(raw) === true;
  return verdict(
    enabled ? 'PASS' : 'FAIL',
    enabled
      ? `The Key Vault Secrets Provider extension ${csi.name} has secret rotation enabled.`
      : `The Key Vault Secrets Provider extension ${csi.name} has ${CSI_ROTATION_KEY} ${raw === undefined ? 'unset (default off)' : JSON.stringify(raw)}, so rotation is off.`,
    { checks: [check(csi.id, `properties.configurationSettings.${CSI_ROTATION_KEY}`, raw, 'true')] },
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
      : `The azureKeyvaultSecretsProvider add-on has enableSecretRotation ${addon.rotationRaw === undefined ? 'unset (default off)' : JSON.stringify(addon.rotationRaw)}.`,
    { checks: [check(cluster.id, `${addon.path}.config.enableSecretRotation`, addon.rotationRaw, '"true"')] },
  );
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
    return verdict('NOT_APPLICABLE', 'No vault sync is present to rotate secrets from; see DS-01.', {
      extraSourceIds: [cluster.id],
    });
  },
  readsClusterExtensions: () => true,
};
