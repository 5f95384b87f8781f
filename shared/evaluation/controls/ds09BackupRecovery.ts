import { describeExtension, extensionsOf, healthCheck, isHealthy } from '../clusterExtensions.js';
import type { ControlEvaluator } from '../controlEvaluator.js';
import { extensionTypeRead, provisioningStateRead } from '../propertyReads.js';
import { readFailureVerdict } from '../readFailures.js';
import { check, listProse, verdict } from '../verdict.js';

export const ds09BackupRecovery: ControlEvaluator = {
  evaluate(cluster, context) {
    const failed = readFailureVerdict(cluster, ['extensions']);
    if (failed) return failed;
    const [backup] = extensionsOf(cluster, 'backup');
    const [storage] = cluster.kind === 'aks' ? [] : extensionsOf(cluster, 'containerStorage');
    if (backup && isHealthy(backup)) {
      const backupFailed = readFailureVerdict(cluster, ['backupInstances']);
      if (backupFailed) return backupFailed;
      const protecting = cluster.backupInstances;
      const instanceCheck = check(
        cluster.id,
        'backupInstances[].properties.dataSourceInfo.resourceID',
        protecting.map((instance) => instance.id),
        'at least one backup instance whose data source is this cluster',
      );
      if (!context.backupInstancesPresent) {
        return verdict('PASS', `The ${describeExtension('backup', backup)} is installed and healthy.`, {
          checks: [healthCheck(backup)],
          notes: ['the inventory holds no Azure Backup instances, so protection was not cross-checked'],
        });
      }
      if (protecting.length > 0) {
        return verdict(
          'PASS',
          `The ${describeExtension('backup', backup)} is healthy and ${protecting.length} backup instance(s) protect the cluster.`,
          { checks: [healthCheck(backup), instanceCheck] },
        );
      }
      if (!storage || !isHealthy(storage)) {
        return verdict(
          'FAIL',
          'The Azure Backup extension is installed, but no backup instance protects this cluster.',
          {
            checks: [healthCheck(backup), instanceCheck],
          },
        );
      }
    }
    if (storage && isHealthy(storage)) {
      return verdict(
        'PASS',
        `The ${describeExtension('containerStorage', storage)} synchronises workload data to the cloud.`,
        {
          checks: [healthCheck(storage)],
        },
      );
    }
    const seen = [
      backup && describeExtension('backup', backup),
      storage && describeExtension('containerStorage', storage),
    ].filter((text): text is string => typeof text === 'string');
    const observed =
      seen.length > 0
        ? `${listProse(seen)} is not healthy`
        : 'no Azure Backup or cloud-sync extension is installed';
    return verdict(
      'MANUAL',
      `No backup is visible from Azure (${observed}); a backup tool such as Velero must be attested.`,
      {
        checks: [backup, storage].filter((e) => e !== undefined).map(healthCheck),
        extraSourceIds: [cluster.id],
      },
    );
  },
  readsClusterExtensions: () => true,
  reads: [
    extensionTypeRead(),
    provisioningStateRead(
      'backup',
      ['arc', 'aks-arc', 'aks'],
      { whenAbsent: 'not-pass' },
      { group: 'recovery', option: 'azure-backup' },
    ),
    provisioningStateRead(
      'containerStorage',
      ['arc', 'aks-arc'],
      { whenAbsent: 'not-pass' },
      { group: 'recovery', option: 'container-storage' },
    ),
  ],
  agentless: {
    status: 'MANUAL',
    because: 'no Azure Backup or cloud-sync extension can run on it, so its backup must be attested',
  },
};
