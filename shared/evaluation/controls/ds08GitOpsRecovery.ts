import { equalsCi } from '../../inventory/caseInsensitive.js';
import {
  absenceCheck,
  describeExtension,
  extensionsOf,
  healthCheck,
  isHealthy,
} from '../clusterExtensions.js';
import type { ControlEvaluator } from '../controlEvaluator.js';
import { readFailureVerdict } from '../readFailures.js';
import { check, listProse, verdict } from '../verdict.js';

export const ds08GitOpsRecovery: ControlEvaluator = {
  evaluate(cluster) {
    const failed = readFailureVerdict(cluster, ['extensions', 'fluxConfigurations']);
    if (failed) return failed;
    const [flux] = extensionsOf(cluster, 'flux');
    const configurations = cluster.fluxConfigurations;
    const configurationChecks = configurations.map((configuration) =>
      check(configuration.id, 'properties.complianceState', configuration.complianceState, 'Compliant'),
    );
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
    const states = configurations.map((c) => `${c.name}: ${c.complianceState ?? 'no complianceState'}`);
    return verdict('FAIL', `No Flux configuration is Compliant (${states.join('; ')}).`, { checks });
  },
  readsClusterExtensions: () => true,
};
