import { equalsCi, getPathCi, readBoolean } from '../../inventory/caseInsensitive.js';
import type { ControlEvaluator } from '../controlEvaluator.js';
import { missingPropertiesVerdict } from '../readFailures.js';
import { showValue } from '../valueText.js';
import { check, verdict } from '../verdict.js';

function distributionText(value: unknown): string {
  if (value === undefined || value === null) return 'unknown';
  return typeof value === 'string' ? value : showValue(value);
}

export const ds04SecretsEncryption: ControlEvaluator = {
  evaluate(cluster) {
    if (cluster.kind === 'aks-arc') {
      return verdict(
        'PASS',
        "AKS on Azure Local always encrypts Secrets with the platform's KMS plugin, which rotates its key-encryption key every 30 days.",
        {
          checks: [check(cluster.id, 'kind', cluster.resource.kind, 'ProvisionedCluster')],
          inferred: true,
          verification: "kubectl get --raw='/readyz?verbose' lists [+]kms-providers ok",
        },
      );
    }
    if (cluster.kind === 'arc') {
      return verdict(
        'MANUAL',
        `Secret encryption at rest depends on the distribution (${distributionText(getPathCi(cluster.properties, ['distribution']))}); the vendor's guidance applies.`,
        {
          checks: [
            check(
              cluster.id,
              'properties.distribution',
              getPathCi(cluster.properties, ['distribution']),
              'attested by a person',
            ),
          ],
          verification:
            'Check the API server EncryptionConfiguration for a kms provider and that Secrets are stored with the k8s:enc:kms prefix in etcd.',
        },
      );
    }
    if (cluster.properties === undefined) return missingPropertiesVerdict(cluster, 'securityProfile');
    const kmsRaw = getPathCi(cluster.properties, ['securityProfile', 'azureKeyVaultKms', 'enabled']);
    const infraRaw = getPathCi(cluster.properties, [
      'securityProfile',
      'kubernetesResourceObjectEncryptionProfile',
      'infrastructureEncryption',
    ]);
    const checks = [
      check(cluster.id, 'properties.securityProfile.azureKeyVaultKms.enabled', kmsRaw, 'true'),
      check(
        cluster.id,
        'properties.securityProfile.kubernetesResourceObjectEncryptionProfile.infrastructureEncryption',
        infraRaw,
        'Enabled',
      ),
    ];
    if (readBoolean(kmsRaw) === true) {
      return verdict('PASS', 'KMS etcd encryption with Azure Key Vault is enabled.', { checks });
    }
    if (equalsCi(infraRaw, 'Enabled')) {
      return verdict('PASS', 'KMS infrastructure encryption of Kubernetes resource objects is enabled.', {
        checks,
      });
    }
    return verdict(
      'FAIL',
      `Neither Azure Key Vault KMS (enabled: ${showValue(kmsRaw)}) nor KMS infrastructure encryption (${showValue(infraRaw)}) is enabled.`,
      { checks },
    );
  },
  readsClusterExtensions: () => false,
  reads: [
    {
      subject: 'cluster',
      path: ['distribution'],
      shape: 'text',
      kinds: ['arc'],
      whenAbsent: 'allowed',
      absentMeans: 'named as unknown in a MANUAL verdict',
      nullIsAbsent: true,
      example: 'k3s',
    },
    {
      subject: 'cluster',
      path: ['securityProfile', 'azureKeyVaultKms', 'enabled'],
      shape: 'boolean',
      kinds: ['aks'],
      whenAbsent: 'not-pass',
      nullIsAbsent: true,
      alternative: { group: 'kms', option: 'key-vault' },
      example: true,
    },
    {
      subject: 'cluster',
      path: ['securityProfile', 'kubernetesResourceObjectEncryptionProfile', 'infrastructureEncryption'],
      shape: 'enum',
      values: ['Enabled', 'Disabled'],
      kinds: ['aks'],
      whenAbsent: 'not-pass',
      nullIsAbsent: true,
      alternative: { group: 'kms', option: 'infrastructure' },
      example: 'Enabled',
    },
  ],
  agentless: {
    status: 'MANUAL',
    because:
      "how the cloud provider's cluster encrypts Secrets at rest cannot be observed from Azure and must be attested",
  },
};
