import { getCi, readBoolean } from '../../inventory/caseInsensitive.js';
import type { ClusterFacts } from '../../inventory/clusterFacts.js';
import { azureLocalComplianceVerdict } from '../azureLocalCompliance.js';
import type { ControlEvaluator } from '../controlEvaluator.js';
import { missingPropertiesVerdict } from '../readFailures.js';
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
      return typeof name === 'string' ? name : `#${index}`;
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
};
