import type { ControlEvaluator } from '../controlEvaluator.js';
import { check, verdict } from '../verdict.js';

export const ds05EtcdAccess: ControlEvaluator = {
  evaluate(cluster) {
    if (cluster.kind === 'aks') {
      return verdict('NOT_APPLICABLE', 'The AKS control plane, including etcd, is operated by Azure.');
    }
    if (cluster.kind === 'aks-arc') {
      return verdict(
        'PASS',
        'AKS on Azure Local restricts etcd access to the control plane and secures it with mutual TLS.',
        {
          checks: [check(cluster.id, 'kind', cluster.resource.kind, 'ProvisionedCluster')],
          inferred: true,
          verification:
            'On a control-plane node, etcd runs with --client-cert-auth=true and --peer-client-cert-auth=true.',
        },
      );
    }
    return verdict(
      'MANUAL',
      'Azure cannot observe how etcd is exposed on this distribution; a person must attest it.',
      {
        extraSourceIds: [cluster.id],
        verification:
          'Inspect the etcd manifest: --client-cert-auth=true, --peer-client-cert-auth=true, no --auto-tls, a dedicated CA.',
      },
    );
  },
  readsClusterExtensions: () => false,
  reads: [],
  agentless: {
    status: 'MANUAL',
    because: 'how etcd is exposed cannot be observed from Azure and must be attested',
  },
};
