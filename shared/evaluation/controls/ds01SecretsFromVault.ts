import type { ClusterFacts } from '../../inventory/clusterFacts.js';
import {
  absenceCheck,
  describeExtension,
  extensionsOf,
  healthCheck,
  isHealthy,
} from '../clusterExtensions.js';
import type { ControlEvaluator } from '../controlEvaluator.js';
import { extensionTypeRead, provisioningStateRead } from '../propertyReads.js';
import { readFailureVerdict } from '../readFailures.js';
import { secretsProviderAddon } from '../secretsProviderAddon.js';
import { showValue } from '../valueText.js';
import { check, listProse, verdict, type Verdict } from '../verdict.js';

function evaluateConnected(cluster: ClusterFacts): Verdict {
  const sse = extensionsOf(cluster, 'secretStore');
  const csi = extensionsOf(cluster, 'secretsProvider');
  const installed = [
    ...sse.map((e) => ({ e, c: 'secretStore' as const })),
    ...csi.map((e) => ({ e, c: 'secretsProvider' as const })),
  ];
  const healthy = installed.find(({ e }) => isHealthy(e));
  if (healthy) {
    return verdict(
      'PASS',
      `Secrets come from Azure Key Vault through the ${describeExtension(healthy.c, healthy.e)}.`,
      {
        checks: [healthCheck(healthy.e)],
      },
    );
  }
  if (installed.length > 0) {
    return verdict(
      'FAIL',
      `Vault sync is installed but not healthy: ${listProse(installed.map(({ e, c }) => describeExtension(c, e)))}.`,
      { checks: installed.map(({ e }) => healthCheck(e)) },
    );
  }
  return verdict(
    'FAIL',
    'Neither the Secret Store extension nor the Key Vault Secrets Provider extension is installed.',
    {
      checks: [absenceCheck(cluster, 'secretStore'), absenceCheck(cluster, 'secretsProvider')],
    },
  );
}

function evaluateAks(cluster: ClusterFacts): Verdict {
  const addon = secretsProviderAddon(cluster);
  const addonCheck = check(
    cluster.id,
    addon?.path ? `${addon.path}.enabled` : 'properties.addonProfiles.azureKeyvaultSecretsProvider.enabled',
    addon?.enabledRaw,
    'true',
  );
  if (addon?.enabled) {
    return verdict('PASS', 'The azureKeyvaultSecretsProvider add-on is enabled.', { checks: [addonCheck] });
  }
  const sse = extensionsOf(cluster, 'secretStore');
  const healthySse = sse.find(isHealthy);
  if (healthySse) {
    return verdict(
      'PASS',
      `Secrets come from Azure Key Vault through the ${describeExtension('secretStore', healthySse)}.`,
      {
        checks: [healthCheck(healthySse)],
      },
    );
  }
  if (cluster.properties === undefined) {
    return verdict(
      'ERROR',
      `Cannot read the add-on profiles: ${cluster.propertiesProblem}; no healthy Secret Store extension either.`,
      {
        extraSourceIds: [cluster.id],
      },
    );
  }
  const addonState = addon
    ? `is present but not enabled (enabled: ${showValue(addon.enabledRaw)})`
    : 'is not configured (properties.addonProfiles.azureKeyvaultSecretsProvider missing)';
  const sseState =
    sse.length > 0
      ? `, and ${listProse(sse.map((e) => describeExtension('secretStore', e)))} is not healthy`
      : '';
  return verdict('FAIL', `The azureKeyvaultSecretsProvider add-on ${addonState}${sseState}.`, {
    checks: [addonCheck, ...sse.map(healthCheck)],
  });
}

export const ds01SecretsFromVault: ControlEvaluator = {
  evaluate(cluster) {
    return (
      readFailureVerdict(cluster, ['extensions']) ??
      (cluster.kind === 'aks' ? evaluateAks(cluster) : evaluateConnected(cluster))
    );
  },
  readsClusterExtensions: () => true,
  reads: [
    extensionTypeRead(),
    provisioningStateRead(
      'secretStore',
      ['arc', 'aks-arc', 'aks'],
      { whenAbsent: 'not-pass' },
      { group: 'vault-sync', option: 'secret-store' },
    ),
    provisioningStateRead(
      'secretsProvider',
      ['arc', 'aks-arc'],
      { whenAbsent: 'not-pass' },
      { group: 'vault-sync', option: 'secrets-provider' },
    ),
    {
      subject: 'cluster',
      path: ['addonProfiles', 'azureKeyvaultSecretsProvider', 'enabled'],
      shape: 'boolean',
      kinds: ['aks'],
      whenAbsent: 'not-pass',
      nullIsAbsent: true,
      alternative: { group: 'vault-sync', option: 'add-on' },
      example: true,
    },
  ],
  agentless: {
    status: 'MANUAL',
    because: 'how its workloads receive vault secrets cannot be observed from Azure and must be attested',
  },
};
