/**
 * Evaluation benchmark: generates a synthetic fleet (default 10,000 clusters with six extensions
 * and one Flux configuration each), then times linking + evaluation and the writing of
 * findings.json / findings.csv, and reports peak memory.
 *   npm run bench:evaluate -- [--clusters N] [--extensions N]
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { mergeResources } from '../shared/inventory/mergeResources.js';
import type { DocumentRow } from '../shared/inventory/parseInventoryDocument.js';
import { writeScanOutputs } from '../shared/output/writeScanOutputs.js';
import { evaluateInventory } from '../shared/scan/evaluateInventory.js';
import { DEFAULT_SETTINGS } from '../shared/settings/scanSettings.js';

const { values } = parseArgs({
  options: { clusters: { type: 'string', default: '10000' }, extensions: { type: 'string', default: '6' } },
});
const clusterCount = Number(values.clusters);
const extensionsPerCluster = Number(values.extensions);
const EXTENSION_TYPES = [
  'microsoft.azure.secretstore',
  'microsoft.flux',
  'microsoft.dataprotection.kubernetes',
  'microsoft.arc.containerstorage',
  'microsoft.azuremonitor.containers',
  'microsoft.policyinsights',
  'microsoft.openservicemesh',
];
const NOW = new Date('2026-11-20T06:00:00Z');

function* syntheticRows(): Generator<DocumentRow> {
  for (let i = 0; i < clusterCount; i++) {
    const subscription = `00000000-0000-0000-0000-${String(i % 40).padStart(12, '0')}`;
    const kind = i % 3 === 0 ? 'aks' : i % 3 === 1 ? 'arc' : 'aks-arc';
    const provider =
      kind === 'aks'
        ? 'Microsoft.ContainerService/managedClusters'
        : 'Microsoft.Kubernetes/connectedClusters';
    const id = `/subscriptions/${subscription}/resourceGroups/rg-${i % 97}/providers/${provider}/cluster-${i}`;
    const properties =
      kind === 'aks'
        ? {
            agentPoolProfiles: [{ name: 'system', enableEncryptionAtHost: i % 2 === 0 }],
            addonProfiles: {
              azureKeyvaultSecretsProvider: { enabled: true, config: { enableSecretRotation: 'true' } },
            },
            securityProfile: { azureKeyVaultKms: { enabled: i % 4 === 0 } },
          }
        : {
            agentVersion: `1.${30 - (i % 5)}.0`,
            connectivityStatus: i % 10 === 0 ? 'Offline' : 'Connected',
            lastConnectivityTime: '2026-11-18T00:00:00Z',
            distribution: 'k3s',
          };
    yield {
      where: `synthetic[${i}]`,
      value: {
        id,
        name: `cluster-${i}`,
        type: provider.toLowerCase(),
        kind: kind === 'aks-arc' ? 'ProvisionedCluster' : '',
        location: 'westeurope',
        subscriptionId: subscription,
        resourceGroup: `rg-${i % 97}`,
        properties,
      },
    };
    for (let e = 0; e < extensionsPerCluster; e++) {
      const extensionType = EXTENSION_TYPES[e % EXTENSION_TYPES.length] ?? 'microsoft.flux';
      yield {
        where: `synthetic[${i}].ext[${e}]`,
        value: {
          id: `${id}/providers/Microsoft.KubernetesConfiguration/extensions/ext-${e}`,
          name: `ext-${e}`,
          type: 'microsoft.kubernetesconfiguration/extensions',
          properties: {
            ExtensionType: extensionType,
            ProvisioningState: e === i % 7 ? 'Failed' : 'Succeeded',
          },
        },
      };
    }
    yield {
      where: `synthetic[${i}].flux`,
      value: {
        id: `${id}/providers/Microsoft.KubernetesConfiguration/fluxConfigurations/cfg`,
        name: 'cfg',
        type: 'microsoft.kubernetesconfiguration/fluxconfigurations',
        properties: { complianceState: i % 5 === 0 ? 'Non-Compliant' : 'Compliant' },
      },
    };
  }
}

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

const rows = [...syntheticRows()];
const baselineRss = process.memoryUsage().rss;
const t0 = performance.now();
const inventory = mergeResources([rows]);
const t1 = performance.now();
const result = evaluateInventory({
  inventory,
  settings: DEFAULT_SETTINGS,
  runId: 'bench',
  source: 'snapshot',
  startedAt: NOW,
});
const t2 = performance.now();
const directory = await mkdtemp(join(tmpdir(), 'bench-evaluate-'));
const written = await writeScanOutputs(directory, result);
const t3 = performance.now();
const jsonBytes = (await stat(written.findingsJson)).size;
const csvBytes = (await stat(written.findingsCsv)).size;
await rm(directory, { recursive: true, force: true });
clearInterval(sampler);
peakRss = Math.max(peakRss, process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024);

process.stdout.write(
  [
    `Node ${process.version}, ${clusterCount} clusters × ${extensionsPerCluster} extensions (+1 Flux configuration each)`,
    `  resources:            ${inventory.resources.length}`,
    `  findings:             ${result.findings.length}`,
    `  normalise + merge:    ${seconds(t1 - t0)}`,
    `  link + evaluate:      ${seconds(t2 - t1)}  (${((t2 - t1) / clusterCount).toFixed(3)} ms per cluster)`,
    `  write json + csv:     ${seconds(t3 - t2)}  (${mib(jsonBytes)} + ${mib(csvBytes)})`,
    `  RSS after generation: ${mib(baselineRss)}`,
    `  peak RSS:             ${mib(peakRss)}`,
    '',
  ].join('\n'),
);
