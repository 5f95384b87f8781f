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
import { verdict } from '../verdict.js';

export const ds02OfflineSecrets: ControlEvaluator = {
  evaluate(cluster) {
    if (cluster.kind === 'aks') {
      return verdict(
        'NOT_APPLICABLE',
        'AKS runs in Azure and does not lose its connection to Key Vault the way an on-premises cluster can.',
      );
    }
    const failed = readFailureVerdict(cluster, ['extensions']);
    if (failed) return failed;
    const [sse] = extensionsOf(cluster, 'secretStore');
    if (sse && isHealthy(sse)) {
      return verdict(
        'PASS',
        `The ${describeExtension('secretStore', sse)} keeps synced secrets in the cluster for offline use.`,
        {
          checks: [healthCheck(sse)],
        },
      );
    }
    if (sse) {
      return verdict(
        'FAIL',
        `The ${describeExtension('secretStore', sse)} is not healthy, so no synced copies are guaranteed offline.`,
        {
          checks: [healthCheck(sse)],
        },
      );
    }
    const [csi] = extensionsOf(cluster, 'secretsProvider');
    if (csi) {
      return verdict(
        'FAIL',
        `Only the ${describeExtension('secretsProvider', csi)} is present; it reads Key Vault when a pod mounts a secret, which fails while the cluster is disconnected.`,
        { checks: [healthCheck(csi), absenceCheck(cluster, 'secretStore')] },
      );
    }
    return verdict(
      'FAIL',
      'No vault sync is installed, so no vault secrets are available in the cluster while it is disconnected.',
      {
        checks: [absenceCheck(cluster, 'secretStore')],
      },
    );
  },
  readsClusterExtensions: (kind) => kind !== 'aks',
  reads: [
    extensionTypeRead(['arc', 'aks-arc']),
    provisioningStateRead('secretStore', ['arc', 'aks-arc'], { whenAbsent: 'not-pass' }),
    provisioningStateRead('secretsProvider', ['arc', 'aks-arc'], {
      whenAbsent: 'allowed',
      absentMeans:
        'information only: the Secrets Provider alone never passes; the Secret Store extension decides',
    }),
  ],
  agentless: {
    status: 'NOT_APPLICABLE',
    because:
      'it is a cluster in a public cloud (AWS or Google Cloud), not on premises, and no Secret Store extension can run on it',
  },
};
