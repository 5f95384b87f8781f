import { equalsCi } from '../../inventory/caseInsensitive.js';
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
import { check, listProse, verdict } from '../verdict.js';

export const ds08GitOpsRecovery: ControlEvaluator = {
  evaluate(cluster) {
    const failed = readFailureVerdict(cluster, ['extensions', 'fluxConfigurations']);
    if (failed) return failed;
    const [flux] = extensionsOf(cluster, 'flux');
    const configurations = cluster.fluxConfigurations;
    const configurationChecks = configurations.map((configuration) => {
      const state = configuration.field('complianceState');
      return check(configuration.id, state.path, state.value, 'Compliant');
    });
    if (!flux) {
      return verdict(
        'FAIL',
        'The Flux extension is not installed, so the configuration cannot be restored from Git.',
        {
          checks: [absenceCheck(cluster, 'flux'), ...configurationChecks],
        },
      );
    }
    const checks = [healthCheck(flux), ...configurationChecks];
    if (!isHealthy(flux)) {
      return verdict('FAIL', `The ${describeExtension('flux', flux)} is not healthy.`, { checks });
    }
    if (configurations.length === 0) {
      return verdict('FAIL', 'The Flux extension is healthy but the cluster has no Flux configuration.', {
        checks,
      });
    }
    const compliant = configurations.filter((configuration) =>
      equalsCi(configuration.complianceState, 'Compliant'),
    );
    if (compliant.length > 0) {
      return verdict(
        'PASS',
        `Flux is healthy and ${compliant.length} of ${configurations.length} Flux configuration(s) are Compliant (${listProse(compliant.map((c) => c.name))}).`,
        { checks },
      );
    }
    const states = configurations.map((c) => `${c.name}: ${c.complianceState ?? 'complianceState missing'}`);
    return verdict('FAIL', `No Flux configuration is Compliant (${states.join('; ')}).`, { checks });
  },
  readsClusterExtensions: () => true,
  reads: [
    extensionTypeRead(),
    provisioningStateRead('flux', ['arc', 'aks-arc', 'aks'], { whenAbsent: 'not-pass' }),
    {
      subject: 'fluxConfiguration',
      path: ['complianceState'],
      shape: 'enum',
      values: ['Compliant', 'Non-Compliant', 'Pending', 'Suspended', 'Unknown'],
      kinds: ['arc', 'aks-arc', 'aks'],
      whenAbsent: 'not-pass',
      nullIsAbsent: true,
      example: 'Compliant',
    },
  ],
  agentless: {
    status: 'MANUAL',
    because: 'no Flux extension can run on it, so recovery of its configuration from Git must be attested',
  },
};
