import { equalsCi, getPathCi } from '../../inventory/caseInsensitive.js';
import type { ClusterFacts } from '../../inventory/clusterFacts.js';
import { azureLocalComplianceReads, azureLocalComplianceVerdict } from '../azureLocalCompliance.js';
import { describeExtension, extensionsOf, healthCheck, isHealthy } from '../clusterExtensions.js';
import type { ControlEvaluator } from '../controlEvaluator.js';
import { extensionTypeRead, provisioningStateRead } from '../propertyReads.js';
import { missingPropertiesVerdict, readFailureVerdict } from '../readFailures.js';
import { showValue } from '../valueText.js';
import { check, verdict, type Verdict } from '../verdict.js';

const TRANSIT_PATH = ['networkProfile', 'advancedNetworking', 'security', 'transitEncryption', 'type'];

function evaluateAks(cluster: ClusterFacts): Verdict {
  if (cluster.properties === undefined)
    return missingPropertiesVerdict(cluster, 'networkProfile and serviceMeshProfile');
  const transit = getPathCi(cluster.properties, TRANSIT_PATH);
  const mesh = getPathCi(cluster.properties, ['serviceMeshProfile', 'mode']);
  const checks = [
    check(cluster.id, `properties.${TRANSIT_PATH.join('.')}`, transit, 'WireGuard'),
    check(cluster.id, 'properties.serviceMeshProfile.mode', mesh, 'Istio'),
  ];
  if (equalsCi(transit, 'WireGuard'))
    return verdict('PASS', 'Cilium WireGuard transit encryption is enabled.', { checks });
  if (equalsCi(mesh, 'Istio'))
    return verdict('PASS', 'The Istio service mesh add-on is enabled.', { checks });
  return verdict(
    'MANUAL',
    `Neither WireGuard transit encryption (transitEncryption.type ${showValue(transit)}) nor the Istio add-on (serviceMeshProfile.mode ${showValue(mesh)}) is enabled; an in-cluster mesh may still protect traffic and must be attested.`,
    { checks },
  );
}

function evaluateArc(cluster: ClusterFacts): Verdict {
  const failed = readFailureVerdict(cluster, ['extensions']);
  if (failed) return failed;
  const storage = extensionsOf(cluster, 'containerStorage');
  const notes = storage.map(
    (e) =>
      `${describeExtension('containerStorage', e)} is present and sets up transit protection for its volumes`,
  );
  const [mesh] = extensionsOf(cluster, 'serviceMesh');
  if (mesh && isHealthy(mesh)) {
    return verdict(
      'PASS',
      `The ${describeExtension('serviceMesh', mesh)} provides mutual TLS between workloads.`,
      {
        checks: [healthCheck(mesh)],
        notes,
      },
    );
  }
  const state = mesh
    ? `the ${describeExtension('serviceMesh', mesh)} is not healthy`
    : 'no service-mesh extension is installed';
  return verdict('MANUAL', `Transit protection cannot be observed from Azure: ${state}.`, {
    checks: mesh ? [healthCheck(mesh)] : [],
    extraSourceIds: [cluster.id, ...storage.map((e) => e.id)],
    notes,
  });
}

export const ds07TransitProtection: ControlEvaluator = {
  evaluate(cluster) {
    if (cluster.kind === 'aks-arc') return azureLocalComplianceVerdict(cluster, 'dataInTransitProtected');
    return cluster.kind === 'aks' ? evaluateAks(cluster) : evaluateArc(cluster);
  },
  readsClusterExtensions: (kind) => kind === 'arc',
  reads: [
    {
      subject: 'cluster',
      path: TRANSIT_PATH,
      shape: 'enum',
      values: ['WireGuard', 'None'],
      kinds: ['aks'],
      whenAbsent: 'not-pass',
      nullIsAbsent: true,
      alternative: { group: 'transit', option: 'wireguard' },
      example: 'WireGuard',
    },
    {
      subject: 'cluster',
      path: ['serviceMeshProfile', 'mode'],
      shape: 'enum',
      values: ['Istio', 'Disabled'],
      kinds: ['aks'],
      whenAbsent: 'not-pass',
      nullIsAbsent: true,
      alternative: { group: 'transit', option: 'istio' },
      example: 'Istio',
    },
    extensionTypeRead(['arc']),
    provisioningStateRead('serviceMesh', ['arc'], { whenAbsent: 'not-pass' }),
    provisioningStateRead('containerStorage', ['arc'], {
      whenAbsent: 'allowed',
      absentMeans: 'information only: Azure Container Storage is named in the evidence',
    }),
    ...azureLocalComplianceReads('dataInTransitProtected'),
  ],
  agentless: {
    status: 'MANUAL',
    because: 'no service-mesh extension can run on it, so transit protection must be attested',
  },
};
