import { getCi, readBoolean } from '../../inventory/caseInsensitive.js';
import type { ClusterFacts } from '../../inventory/clusterFacts.js';
import { azureLocalComplianceReads, azureLocalComplianceVerdict } from '../azureLocalCompliance.js';
import type { ControlEvaluator } from '../controlEvaluator.js';
import { missingPropertiesVerdict } from '../readFailures.js';
import { showValue } from '../valueText.js';
import { check, listProse, verdict, type Verdict } from '../verdict.js';

function evaluateAks(cluster: ClusterFacts): Verdict {
  if (cluster.properties === undefined) return missingPropertiesVerdict(cluster, 'agentPoolProfiles');
  const pools = getCi(cluster.properties, 'agentPoolProfiles');
  if (!Array.isArray(pools) || pools.length === 0) {
    return verdict(
      'ERROR',
      `Cannot evaluate: agentPoolProfiles is ${Array.isArray(pools) ? 'empty' : 'missing or not a list'}.`,
      {
        checks: [check(cluster.id, 'properties.agentPoolProfiles', pools, 'a list of agent pools')],
      },
    );
  }
  const checks = pools.map((pool, index) => {
    const name = getCi(pool, 'name');
    return check(
      cluster.id,
      `properties.agentPoolProfiles[${typeof name === 'string' ? `name=${name}` : index}].enableEncryptionAtHost`,
      getCi(pool, 'enableEncryptionAtHost'),
      'true',
    );
  });
  const without = pools
    .map((pool, index) => ({ pool, index }))
    .filter(({ pool }) => readBoolean(getCi(pool, 'enableEncryptionAtHost')) !== true)
    .map(({ pool, index }) => {
      const name = getCi(pool, 'name');
      const value = getCi(pool, 'enableEncryptionAtHost');
      return `${typeof name === 'string' ? name : `#${index}`} (enableEncryptionAtHost ${showValue(value)})`;
    });
  if (without.length === 0) {
    return verdict('PASS', `All ${pools.length} agent pool(s) encrypt at host.`, { checks });
  }
  return verdict('FAIL', `Agent pool(s) ${listProse(without)} do not have encryption at host enabled.`, {
    checks,
  });
}

export const ds06VolumeEncryption: ControlEvaluator = {
  evaluate(cluster) {
    if (cluster.kind === 'aks-arc') return azureLocalComplianceVerdict(cluster, 'dataAtRestEncrypted');
    if (cluster.kind === 'aks') return evaluateAks(cluster);
    return verdict(
      'MANUAL',
      'Azure cannot observe how this distribution encrypts the disks behind its volumes; a person must attest it.',
      {
        extraSourceIds: [cluster.id],
      },
    );
  },
  readsClusterExtensions: () => false,
  reads: [
    {
      subject: 'cluster',
      path: ['agentPoolProfiles'],
      shape: 'list',
      kinds: ['aks'],
      whenAbsent: 'error',
      nullIsAbsent: false,
      example: [],
    },
    {
      subject: 'agentPool',
      path: ['enableEncryptionAtHost'],
      shape: 'boolean',
      kinds: ['aks'],
      whenAbsent: 'not-pass',
      nullIsAbsent: true,
      example: true,
    },
    {
      subject: 'agentPool',
      path: ['name'],
      shape: 'text',
      kinds: ['aks'],
      whenAbsent: 'allowed',
      absentMeans: 'the pool is named by its position',
      nullIsAbsent: true,
      example: 'nodepool1',
    },
    ...azureLocalComplianceReads('dataAtRestEncrypted'),
  ],
  agentless: {
    status: 'MANUAL',
    because:
      "how the cloud provider encrypts the cluster's volumes cannot be observed from Azure and must be attested",
  },
};
